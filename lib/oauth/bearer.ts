import { bearerChallenge, bearerError, parseBearerHeader, parseTokenCredential } from "./bearer-header";
import type { OAuthContext } from "./context";
import { checkResourceProof, dpopResourceError, type ResourceProofRequest } from "./dpop/resource";
import { OAuthError } from "./oauth-error";
import { readParams } from "./params";
import type { UserRecord } from "./store";
import { accessTokenStatus, audienceOf, boundJkt, verifyAccessToken, type AccessTokenClaims } from "./tokens/access-token";

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

/** A request to a protected endpoint of this server: its credentials, and what a DPoP proof must match. */
export interface ProtectedRequest extends ResourceProofRequest {
  authorization: string | null;
  /** The form body, where RFC 6750 §2.2 allows the token there (UserInfo POST), else null. */
  form: URLSearchParams | null;
}

/**
 * Checks the access token of a request to a protected endpoint: with the
 * DPoP scheme (RFC 9449 §7.1), a DPoP-bound token and a proof of its key;
 * otherwise a bearer token (RFC 6750), which must not be DPoP-bound.
 */
export async function authenticateRequest(
  ctx: OAuthContext,
  request: ProtectedRequest,
  requiredScope: string,
  now = ctx.clock(),
): Promise<{ claims: AccessTokenClaims; user: UserRecord }> {
  const dpopToken = parseTokenCredential("DPoP", request.authorization);
  if (dpopToken === null) return authenticateBearer(ctx, readBearerToken(request.authorization, request.form), requiredScope, now);
  if (dpopToken === "malformed") throw dpopResourceError("invalid_token", "The Authorization header is not a valid DPoP credential");
  return authenticate(ctx, dpopToken, requiredScope, now, (claims) => checkResourceProof(ctx, dpopToken, claims, request, now));
}

/**
 * Checks a bearer access token for a protected endpoint of this server:
 * signature, expiry, revocation, audience (the project API, whose
 * identifier is the issuer) and a required scope. One read: revocation
 * and the user's claims; a token whose user no longer exists is refused
 * like a revoked one. A DPoP-bound token is refused (RFC 9449 §7.2: no
 * downgrade to bearer).
 */
export async function authenticateBearer(
  ctx: OAuthContext,
  token: string,
  requiredScope: string,
  now = ctx.clock(),
): Promise<{ claims: AccessTokenClaims; user: UserRecord }> {
  return authenticate(ctx, token, requiredScope, now, null);
}

/** The checks of both schemes; `proof` checks a DPoP proof, concurrently with the revocation read. */
async function authenticate(
  ctx: OAuthContext,
  token: string,
  requiredScope: string,
  now: Date,
  proof: ((claims: AccessTokenClaims) => Promise<void>) | null,
): Promise<{ claims: AccessTokenClaims; user: UserRecord }> {
  // Each scheme's refusal carries its own challenge (RFC 9449 §7.1).
  const invalid = (description: string) => (proof ? dpopResourceError("invalid_token", description) : invalidToken(description));
  const claims = await verifyAccessToken(ctx, token, now);
  if (!claims) throw invalid("The access token is invalid or expired");
  if (!audienceOf(claims).includes(ctx.issuer)) throw invalid("The access token is not meant for this server");
  if (!proof && boundJkt(claims)) throw dpopResourceError("invalid_token", "The access token is DPoP-bound: send it with the DPoP scheme and a proof");
  const [{ revoked, user }] = await Promise.all([accessTokenStatus(ctx, claims, true), proof?.(claims)]);
  if (revoked || !user) throw invalid("The access token has been revoked");
  if (!claims.scope.split(" ").includes(requiredScope)) {
    throw bearerError("insufficient_scope", `The access token lacks the ${requiredScope} scope`, requiredScope);
  }
  return { claims, user };
}
