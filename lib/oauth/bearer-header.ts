import { OAuthError } from "./oauth-error";

/**
 * The one reader of `Authorization: Bearer` (and `DPoP`, RFC 9449 §7.1) and
 * the one writer of their challenges, for every bearer-protected endpoint
 * (UserInfo, the project API, introspection by owner API key, client
 * registration management).
 */

const B64 = "[A-Za-z0-9\\-._~+/]+=*";

/** A bearer token's syntax (RFC 6750 §2.1 b64token). */
export const B64TOKEN = new RegExp(`^${B64}$`);

/**
 * The credential of an `Authorization` header: the bearer token,
 * `"malformed"` for a Bearer header without a valid token, or null when no
 * Bearer credential was sent at all (no header, or another scheme).
 */
export function parseBearerHeader(header: string | null): string | "malformed" | null {
  return parseTokenCredential("Bearer", header);
}

/**
 * RFC 6750 §2.1, RFC 9449 §7.1: `<scheme>` (any case), one or more spaces, a
 * b64token (token68); `"malformed"` for that scheme without a valid token;
 * null for no header or another scheme.
 */
export function parseTokenCredential(scheme: TokenScheme, header: string | null): string | "malformed" | null {
  const { named, credential } = SCHEMES[scheme];
  if (header === null || !named.test(header)) return null;
  return credential.exec(header)?.[1] ?? "malformed";
}

type TokenScheme = "Bearer" | "DPoP";
const schemeSyntax = (scheme: TokenScheme) => ({
  named: new RegExp(`^${scheme}(\\s|$)`, "i"),
  credential: new RegExp(`^${scheme} +(${B64}) *$`, "i"),
});
const SCHEMES = { Bearer: schemeSyntax("Bearer"), DPoP: schemeSyntax("DPoP") };

/** The realm of every challenge this server sends. */
export const REALM = "connected-apps";

/**
 * RFC 6750 §3: a Bearer challenge. Without an error it is the bare
 * challenge for a request that carried no credentials (§3.1). Quotes and
 * backslashes in the description become `'` and nothing: quoted-string
 * escapes are not read alike by every client.
 */
export function bearerChallenge(error?: ChallengeError): string {
  return challenge("Bearer", error);
}

export interface ChallengeError {
  code: string;
  description?: string;
  scope?: string;
}

/** A challenge of `scheme` (Bearer, or DPoP with its `algs`, RFC 9449 §7.1) in the shape bearerChallenge describes. */
export function challenge(scheme: string, error?: ChallengeError, extra: Record<string, string> = {}): string {
  const parts = [`realm="${REALM}"`];
  if (error) {
    parts.push(`error="${error.code}"`);
    if (error.description) parts.push(`error_description="${error.description.replaceAll('"', "'").replaceAll("\\", "")}"`);
    if (error.scope) parts.push(`scope="${error.scope}"`);
  }
  for (const [name, value] of Object.entries(extra)) parts.push(`${name}="${value}"`);
  return `${scheme} ${parts.join(", ")}`;
}

/** The refusal of a bearer-protected endpoint: the error, and the challenge that names it (RFC 6750 §3.1). */
export function bearerError(code: "invalid_token" | "invalid_request" | "insufficient_scope", description: string, scope?: string): OAuthError {
  return new OAuthError(code, description, { wwwAuthenticate: bearerChallenge({ code, description, ...(scope ? { scope } : {}) }) });
}
