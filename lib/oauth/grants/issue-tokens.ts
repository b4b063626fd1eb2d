import type { OAuthContext } from "../context";
import { invalidGrant } from "../oauth-error";
import type { OAuthClient, SignInMethod, UserRecord } from "../store";
import { accessTokenAudience, signAccessToken } from "../tokens/access-token";
import { signIdToken } from "../tokens/id-token";

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** What a grant hands over to mint its response. */
export interface IssueInput {
  client: OAuthClient;
  userId: string;
  /** The user's claims, read with the grant (null: the user no longer exists). */
  user: UserRecord | null;
  familyId: string;
  scopes: string[];
  resources: string[];
  authTime: Date;
  signIn: SignInMethod;
  nonce: string | null;
  refreshToken: string | null;
  clientSecret: string | null;
  now: Date;
}

/** Mints the access token (and the ID token with `openid`) of a token response. */
export async function tokenResponse(ctx: OAuthContext, input: IssueInput): Promise<TokenResponse> {
  const { token, expiresIn } = await signAccessToken(ctx, {
    issuer: ctx.issuer,
    subject: input.userId,
    clientId: input.client.clientId,
    scopes: input.scopes,
    audience: accessTokenAudience(ctx.issuer, input.resources, input.scopes),
    jtiPrefix: input.familyId,
    ttlSeconds: input.client.accessTokenTtlSeconds,
    now: input.now,
  });
  const response: TokenResponse = { access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: input.scopes.join(" ") };
  if (input.refreshToken) response.refresh_token = input.refreshToken;
  if (input.scopes.includes("openid")) {
    // A code or token family cannot outlive its user (foreign keys cascade): only a race gets here without one.
    if (!input.user) throw invalidGrant("The user of this authorization no longer exists");
    response.id_token = await signIdToken(ctx, {
      client: input.client,
      user: input.user,
      scopes: input.scopes,
      authTime: input.authTime,
      signIn: input.signIn,
      nonce: input.nonce,
      accessToken: token,
      clientSecret: input.clientSecret,
      now: input.now,
    });
  }
  return response;
}
