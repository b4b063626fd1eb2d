import { authenticateRequest, type ProtectedRequest } from "./bearer";
import type { OAuthContext } from "./context";
import { ENDPOINTS } from "./discovery";
import { userClaims } from "./tokens/user-claims";

/**
 * OIDC Core §5.3: the claims the access token's scopes name, for a token
 * holding `openid`; a DPoP-bound token with a proof (RFC 9449 §7.1).
 */
export async function userInfo(
  ctx: OAuthContext,
  request: { authorization: string | null; form: URLSearchParams | null; dpop?: string | null; method?: string },
): Promise<Record<string, unknown>> {
  const protectedRequest: ProtectedRequest = {
    ...request,
    dpop: request.dpop ?? null,
    method: request.method ?? "GET",
    htu: `${ctx.issuer}${ENDPOINTS.userinfo_endpoint}`,
  };
  const { claims, user } = await authenticateRequest(ctx, protectedRequest, "openid");
  return { sub: user.id, ...userClaims(user, claims.scope.split(" ")) };
}
