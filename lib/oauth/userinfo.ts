import { authenticateBearer, readBearerToken } from "./bearer";
import type { OAuthContext } from "./context";
import { userClaims } from "./tokens/user-claims";

/** OIDC Core §5.3: the claims the access token's scopes name, for a token holding `openid`. */
export async function userInfo(ctx: OAuthContext, request: { authorization: string | null; form: URLSearchParams | null }): Promise<Record<string, unknown>> {
  const token = readBearerToken(request.authorization, request.form);
  const { claims, user } = await authenticateBearer(ctx, token, "openid");
  return { sub: user.id, ...userClaims(user, claims.scope.split(" ")) };
}
