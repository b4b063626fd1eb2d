import type { OAuthContext } from "../context";
import { redeemAuthorizationCode } from "../codes";
import { invalidRequest } from "../oauth-error";
import type { GrantRequest } from "../token-endpoint";
import { accessTokenBinding, refreshTokenBinding, tokenResponse, type TokenResponse } from "./issue-tokens";
import { resourceNarrowing } from "./resource-narrowing";

/** grant_type=authorization_code (RFC 6749 §4.1.3, PKCE RFC 7636 §4.5). */
export async function authorizationCodeGrant(ctx: OAuthContext, request: GrantRequest): Promise<TokenResponse> {
  const { params, client, now } = request;
  const code = params.get("code");
  if (!code) throw invalidRequest("code is required");
  const narrowing = await resourceNarrowing(ctx, params);
  let resources: string[] | undefined;
  const redeemed = await redeemAuthorizationCode(
    ctx,
    {
      code,
      clientAppId: client.id,
      redirectUri: params.get("redirect_uri"),
      codeVerifier: params.get("code_verifier"),
      dpopJkt: accessTokenBinding(request),
      familyDpopJkt: refreshTokenBinding(request),
      // invalid_target thrown here leaves the code unspent.
      ...(narrowing ? { check: (c) => void (resources = narrowing(c)) } : {}),
    },
    now,
  );
  return tokenResponse(ctx, {
    client,
    userId: redeemed.code.userId,
    user: redeemed.user,
    familyId: redeemed.familyId,
    scopes: redeemed.code.scopes,
    resources: resources ?? redeemed.code.resources,
    authTime: redeemed.code.authTime,
    signIn: redeemed.code.signIn,
    nonce: redeemed.code.nonce,
    refreshToken: redeemed.refreshToken,
    clientSecret: request.clientSecret,
    now,
    dpopJkt: accessTokenBinding(request),
  });
}
