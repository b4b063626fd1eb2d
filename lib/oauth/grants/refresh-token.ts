import type { OAuthContext } from "../context";
import { invalidRequest } from "../oauth-error";
import { parseScope, scopeAllowed } from "../scopes";
import type { GrantRequest } from "../token-endpoint";
import { redeemRefreshToken } from "../tokens/refresh-tokens";
import { accessTokenBinding, tokenResponse, type TokenResponse } from "./issue-tokens";
import { resourceNarrowing } from "./resource-narrowing";

/**
 * grant_type=refresh_token (RFC 6749 §6): the scope may narrow, never
 * widen. What a refreshed token may carry now: still on the app's allowed
 * list (full_access still allowed for it), and custom scopes only while the
 * user still holds their permissions. A lost permission narrows the next token.
 */
export async function refreshTokenGrant(ctx: OAuthContext, request: GrantRequest): Promise<TokenResponse> {
  const { params, client, now } = request;
  const token = params.get("refresh_token");
  if (!token) throw invalidRequest("refresh_token is required");
  const requested = parseScope(params.get("scope"));
  const narrowing = await resourceNarrowing(ctx, params);
  const { family, refreshToken, user } = await redeemRefreshToken(ctx, client, token, requested, now, narrowing, accessTokenBinding(request));
  const allowed = (requested.length ? requested : family.scopes).filter((s) => scopeAllowed(client, s));
  const scopes = await ctx.store.grantableScopes(family.userId, allowed);
  return tokenResponse(ctx, {
    client,
    userId: family.userId,
    user,
    familyId: family.familyId,
    scopes,
    resources: narrowing ? narrowing(family) : family.resources,
    authTime: family.authTime,
    // A refreshed ID token says how the user signed in for the original authorization.
    signIn: family.signIn,
    nonce: null,
    refreshToken,
    clientSecret: request.clientSecret,
    now,
    dpopJkt: accessTokenBinding(request),
  });
}
