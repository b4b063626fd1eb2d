import type { ConnectedApp, PrismaClient } from "../../db/generated/client.ts";
import { invalidRequest, OAuthError } from "../errors";
import type { Params } from "../params";
import { grantableFor } from "../../rbac/grantable";
import { parseScope, scopeAllowed } from "../scopes";
import { redeemRefreshToken } from "../tokens/refresh-tokens";
import { tokenResponse, userFor, type TokenResponse } from "./issue-tokens";
import { resourceNarrowing } from "./resources";

/**
 * What a refreshed token may carry now: still on the app's allowed list
 * (full_access still allowed for it), and custom scopes only while the user
 * still holds their permissions. A lost permission narrows the next token.
 */
async function stillGrantable(prisma: PrismaClient, app: ConnectedApp, userId: string, scopes: string[]): Promise<string[]> {
  return (await grantableFor(prisma, userId, scopes.filter((s) => scopeAllowed(app, s)))).grantable;
}

/** grant_type=refresh_token (RFC 6749 §6): the scope may narrow, never widen. */
export async function refreshTokenGrant(
  prisma: PrismaClient,
  ctx: { issuer: string; app: ConnectedApp; clientSecret: string | null; params: Params; now: Date },
): Promise<TokenResponse> {
  const token = ctx.params.get("refresh_token");
  if (!token) throw invalidRequest("refresh_token is required");
  const requested = parseScope(ctx.params.get("scope"));
  const resourcesOf = await resourceNarrowing(prisma, ctx);
  let resources: string[] | undefined;
  const { family, refreshToken } = await redeemRefreshToken(prisma, ctx.app, token, ctx.now, (f) => {
    const widened = requested.filter((s) => !f.scopes.includes(s));
    if (widened.length) throw new OAuthError("invalid_scope", `The refresh token was not granted: ${widened.join(" ")}`);
    resources = resourcesOf(f);
  });
  const scopes = await stillGrantable(prisma, ctx.app, family.userId, requested.length ? requested : family.scopes);
  const user = await userFor(prisma, family.userId, scopes);
  return tokenResponse(prisma, {
    issuer: ctx.issuer,
    app: ctx.app,
    user,
    familyId: family.id,
    scopes,
    resources: resources ?? resourcesOf(family),
    authTime: family.authTime,
    nonce: null,
    refreshToken,
    clientSecret: ctx.clientSecret,
    now: ctx.now,
  });
}
