import { bearerChallenge, bearerError, parseBearerHeader } from "./bearer-header";
import type { OAuthContext } from "./context";
import { OAuthError } from "./oauth-error";
import { readParams } from "./params";
import type { UserRecord } from "./store";
import { accessTokenStatus, audienceOf, verifyAccessToken, type AccessTokenClaims } from "./tokens/access-token";

const invalidToken = (description: string) => bearerError("invalid_token", description);

/**
 * The bearer token of a request (RFC 6750 §2.1 header, or §2.2 form body).
 * No token at all is a bare challenge without an error code (§3.1); a
 * Bearer header without a well-formed token is an invalid token.
 */
export function readBearerToken(authorization: string | null, form: URLSearchParams | null): string {
  const header = parseBearerHeader(authorization);
  if (header === "malformed") throw invalidToken("The Authorization header is not a valid Bearer credential");
  const fromHeader = header ?? undefined;
  let fromForm: string | undefined;
  try {
    fromForm = form ? readParams(form).get("access_token") : undefined;
  } catch (e) {
    // RFC 6750 §3.1: a malformed request is invalid_request, with the challenge.
    const description = e instanceof OAuthError ? e.description : "The request is malformed";
    throw bearerError("invalid_request", description);
  }
  if (fromHeader !== undefined && fromForm !== undefined) {
    throw bearerError("invalid_request", "Send the access token once");
  }
  const token = fromHeader ?? fromForm;
  if (!token) throw new OAuthError("invalid_token", "An access token is required", { status: 401, wwwAuthenticate: bearerChallenge() });
  return token;
}

/**
 * Checks a bearer access token for a protected endpoint of this server:
 * signature, expiry, revocation, audience (the project API, whose
 * identifier is the issuer) and a required scope. One read: revocation
 * and the user's claims; a token whose user no longer exists is refused
 * like a revoked one.
 */
export async function authenticateBearer(
  ctx: OAuthContext,
  token: string,
  requiredScope: string,
  now = ctx.clock(),
): Promise<{ claims: AccessTokenClaims; user: UserRecord }> {
  const claims = await verifyAccessToken(ctx, token, now);
  if (!claims) throw invalidToken("The access token is invalid or expired");
  if (!audienceOf(claims).includes(ctx.issuer)) throw invalidToken("The access token is not meant for this server");
  const { revoked, user } = await accessTokenStatus(ctx, claims, true);
  if (revoked || !user) throw invalidToken("The access token has been revoked");
  if (!claims.scope.split(" ").includes(requiredScope)) {
    throw bearerError("insufficient_scope", `The access token lacks the ${requiredScope} scope`, requiredScope);
  }
  return { claims, user };
}
