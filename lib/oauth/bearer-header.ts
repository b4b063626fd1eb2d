import { OAuthError } from "./oauth-error";

/**
 * The one reader of `Authorization: Bearer` and the one writer of Bearer
 * challenges, for every bearer-protected endpoint (UserInfo, the project
 * API, introspection by owner API key, client registration management).
 */

const B64 = "[A-Za-z0-9\\-._~+/]+=*";

/** A bearer token's syntax (RFC 6750 §2.1 b64token). */
export const B64TOKEN = new RegExp(`^${B64}$`);

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, a b64token. */
const BEARER = new RegExp(`^Bearer +(${B64}) *$`, "i");

/**
 * The credential of an `Authorization` header: the bearer token,
 * `"malformed"` for a Bearer header without a valid token, or null when no
 * Bearer credential was sent at all (no header, or another scheme).
 */
export function parseBearerHeader(header: string | null): string | "malformed" | null {
  if (header === null || !/^Bearer(\s|$)/i.test(header)) return null;
  return BEARER.exec(header)?.[1] ?? "malformed";
}

/** The realm of every challenge this server sends. */
export const REALM = "connected-apps";

/**
 * RFC 6750 §3: a Bearer challenge. Without an error it is the bare
 * challenge for a request that carried no credentials (§3.1). Quotes and
 * backslashes in the description become `'` and nothing: quoted-string
 * escapes are not read alike by every client.
 */
export function bearerChallenge(error?: { code: string; description?: string; scope?: string }): string {
  const parts = [`realm="${REALM}"`];
  if (error) {
    parts.push(`error="${error.code}"`);
    if (error.description) parts.push(`error_description="${error.description.replaceAll('"', "'").replaceAll("\\", "")}"`);
    if (error.scope) parts.push(`scope="${error.scope}"`);
  }
  return `Bearer ${parts.join(", ")}`;
}

/** The refusal of a bearer-protected endpoint: the error, and the challenge that names it (RFC 6750 §3.1). */
export function bearerError(code: "invalid_token" | "invalid_request" | "insufficient_scope", description: string, scope?: string): OAuthError {
  return new OAuthError(code, description, { wwwAuthenticate: bearerChallenge({ code, description, ...(scope ? { scope } : {}) }) });
}
