import { policyFor } from "../../clients/policy";
import type { OAuthContext } from "../context";
import { invalidGrant } from "../oauth-error";
import type { OAuthClient, SignInMethod, UserRecord } from "../store";
import { accessTokenAudience, signAccessToken } from "../tokens/access-token";
import { signIdToken } from "../tokens/id-token";
import type { GrantRequest } from "../token-endpoint";

export interface TokenResponse {
  access_token: string;
  /** RFC 9449 §5: DPoP when the access token is bound to the request's proof key. */
  token_type: "Bearer" | "DPoP";
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
  /** The DPoP key the access token is bound to (accessTokenBinding), or null. */
  dpopJkt: string | null;
}

/**
 * RFC 9449 §5: a token request with a DPoP proof gets an access token
 * bound to its key (`cnf.jkt`, token_type DPoP), whatever the grant or client.
 */
export function accessTokenBinding(request: Pick<GrantRequest, "dpop">): string | null {
  return request.dpop?.jkt ?? null;
}

/** RFC 9449 §5: the token_type of an access token bound to `jkt` (or to nothing). */
export const tokenType = (jkt: string | null): TokenResponse["token_type"] => (jkt ? "DPoP" : "Bearer");

/**
 * RFC 9449 §5: the key a new token family's refresh tokens are bound to.
 * Only a public client's: a confidential client's refresh token is already
 * bound to its credentials, so it may change DPoP keys (or use none).
 */
export function refreshTokenBinding(request: Pick<GrantRequest, "dpop" | "client">): string | null {
  return policyFor(request.client.clientType).confidential ? null : accessTokenBinding(request);
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
    dpopJkt: input.dpopJkt,
  });
  const response: TokenResponse = { access_token: token, token_type: tokenType(input.dpopJkt), expires_in: expiresIn, scope: input.scopes.join(" ") };
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
