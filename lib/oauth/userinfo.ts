import type { PrismaClient } from "../db/generated/client.ts";
import { authenticateBearer, readBearerToken } from "./bearer";
import { userClaims } from "./tokens/user-claims";

/** OIDC Core §5.3: the claims the access token's scopes name, for a token holding `openid`. */
export async function userInfo(
  prisma: PrismaClient,
  issuer: string,
  request: { authorization: string | null; form: URLSearchParams | null },
): Promise<Record<string, unknown>> {
  const token = readBearerToken(request.authorization, request.form);
  const { claims, user } = await authenticateBearer(prisma, issuer, token, "openid");
  return { sub: user.id, ...userClaims(user, claims.scope.split(" ")) };
}
