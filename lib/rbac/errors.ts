/** Bad input for a scope, role or assignment, with a readable message per field (wire names). */
export class RbacValidationError extends Error {
  override name = "RbacValidationError";
  constructor(readonly fields: Record<string, string>) {
    super(Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join("; "));
  }
}

export class RbacNotFoundError extends Error {
  override name = "RbacNotFoundError";
}

/** A name already taken, or a change the current state forbids (e.g. deleting the default role). */
export class RbacConflictError extends Error {
  override name = "RbacConflictError";
}
