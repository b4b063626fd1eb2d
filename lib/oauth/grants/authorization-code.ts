import type { ConnectedApp, PrismaClient } from "../../db/generated/client.ts";
import { redeemAuthorizationCode } from "../codes";
import { invalidRequest } from "../errors";
import type { Params } from "../params";
import { issueRefreshToken } from "../tokens/refresh-tokens";
import { tokenResponse, userFor, type TokenResponse } from "./issue-tokens";
import { resourceNarrowing } from "./resources";

/** grant_type=authorization_code (RFC 6749 §4.1.3, PKCE RFC 7636 §4.5). */
export async function authorizationCodeGrant(
  prisma: PrismaClient,
  ctx: { issuer: string; app: ConnectedApp; clientSecret: string | null; params: Params; now: Date },
): Promise<TokenResponse> {
  const code = ctx.params.get("code");
  if (!code) throw invalidRequest("code is required");
  const resourcesOf = await resourceNarrowing(prisma, ctx);
  const redeemed = await redeemAuthorizationCode(
    prisma,
    { code, clientAppId: ctx.app.id, redirectUri: ctx.params.get("redirect_uri"), codeVerifier: ctx.params.get("code_verifier") },
    // invalid_target thrown here rolls the redemption back: the code stays unspent.
    async (tx, c) => ({
      ...c,
      tokenResources: resourcesOf(c),
      refreshToken: c.scopes.includes("offline_access") ? await issueRefreshToken(tx, c.familyId, ctx.now) : null,
    }),
    ctx.now,
  );
  const user = await userFor(prisma, redeemed.userId, redeemed.scopes);
  return tokenResponse(prisma, {
    issuer: ctx.issuer,
    app: ctx.app,
    user,
    familyId: redeemed.familyId,
    scopes: redeemed.scopes,
    resources: redeemed.tokenResources,
    authTime: redeemed.authTime,
    nonce: redeemed.nonce,
    refreshToken: redeemed.refreshToken,
    clientSecret: ctx.clientSecret,
    now: ctx.now,
  });
}
