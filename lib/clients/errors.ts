/** Bad settings, with a readable message per field (wire names, e.g. `redirect_uris[1]`). */
export class AppValidationError extends Error {
  override name = "AppValidationError";
  constructor(readonly fields: Record<string, string>) {
    super(Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join("; "));
  }
}

export class AppNotFoundError extends Error {
  override name = "AppNotFoundError";
  constructor(clientId: string) {
    super(`No connected app with client_id ${clientId}`);
  }
}

/** The request conflicts with the app's current state (e.g. no rotation in progress). */
export class AppConflictError extends Error {
  override name = "AppConflictError";
}
