/**
 * The one error type of the management code (apps, scopes, roles, users,
 * settings): what kind of refusal (`code`), a readable message, and for
 * invalid input one message per field (wire names, e.g. `redirect_uris[1]`).
 * Each surface maps it once: the management API (lib/api/api-error.ts) and
 * dashboard actions (lib/dashboard/action-result.ts). Protocol endpoints
 * speak OAuthError (lib/oauth/oauth-error.ts) instead: their wire format is
 * RFC 6749's.
 */
export type DomainErrorCode = "invalid_input" | "not_found" | "conflict";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Bad input, with a readable message per field. */
export function invalidInput(fields: Record<string, string>): DomainError {
  return new DomainError("invalid_input", Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join("; "), fields);
}

/** What the request names does not exist (or is not visible to the caller). */
export function notFoundError(message: string): DomainError {
  return new DomainError("not_found", message);
}

/** The request conflicts with the current state (a name taken, no rotation in progress, the default role). */
export function conflictError(message: string): DomainError {
  return new DomainError("conflict", message);
}

/**
 * Runs a step (sync or async) of a write that another wire format reports:
 * an invalid-input DomainError becomes `translate(field, message)` for its
 * first field (RFC 7591's invalid_client_metadata, a metadata-document
 * error); anything else passes through.
 */
export function translatingInvalidInput<T>(step: () => T, translate: (field: string, message: string) => Error): T {
  const convert = (error: unknown) => {
    if (!(error instanceof DomainError && error.code === "invalid_input")) return error;
    const [field, message] = Object.entries(error.fields)[0]!;
    return translate(field, message);
  };
  try {
    const result = step();
    return result instanceof Promise ? (result.catch((error: unknown) => Promise.reject(convert(error))) as T) : result;
  } catch (error) {
    throw convert(error);
  }
}
