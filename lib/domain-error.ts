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
