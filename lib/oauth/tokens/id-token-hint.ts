import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import type { OAuthContext } from "../context";
import { audienceOf } from "./access-token";

/**
 * An `id_token_hint` (OpenID Connect RP-Initiated Logout 1.0 §2) that is one
 * of our ID tokens. `verified`: signed with one of our keys (RS256/ES256).
 * HS256 ID tokens are signed with the client secret, of which only an HMAC is
 * stored, so the server cannot check them: their claims are read but not
 * trusted (`verified: false`).
 */
export type IdTokenHint =
  | { verified: true; subject: string; clientId: string }
  | { verified: false; clientId: string };

/** The app an ID token was issued to: `azp` (one of the audiences) or the only audience. */
function clientOf(claims: JWTPayload): string | null {
  const audiences = audienceOf(claims);
  if (typeof claims.azp === "string") return audiences.includes(claims.azp) ? claims.azp : null;
  return audiences.length === 1 ? audiences[0]! : null;
}

/**
 * Reads an `id_token_hint`; null when it is not an ID token of this issuer
 * (malformed, another issuer, an access token, a bad signature, an unknown
 * key or algorithm). Expiry is deliberately not checked: RP-Initiated Logout
 * §2 lets the OP accept an expired ID token as the hint, and relying parties
 * often log out long after the ID token expired.
 */
export async function readIdTokenHint(ctx: OAuthContext, token: string): Promise<IdTokenHint | null> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    return null;
  }
  // Our access tokens are signed with the same keys but typed at+jwt (RFC 9068): not ID tokens.
  if (header.typ !== undefined && header.typ !== "JWT") return null;
  const clientId = clientOf(claims);
  if (claims.iss !== ctx.issuer || typeof claims.sub !== "string" || !clientId) return null;
  if (header.alg === "HS256") return { verified: false, clientId };
  if ((header.alg !== "RS256" && header.alg !== "ES256") || typeof header.kid !== "string") return null;
  const key = await ctx.keys.verification(header.kid);
  if (!key) return null;
  try {
    await compactVerify(token, key, { algorithms: [header.alg] });
  } catch {
    return null;
  }
  return { verified: true, subject: claims.sub, clientId };
}
