import type { ConnectedApp, PrismaClient, User } from "../../db/generated/client.ts";
import { invalidGrant } from "../errors";
import { accessTokenAudience, signAccessToken } from "../tokens/access-token";
import { signIdToken } from "../tokens/id-token";

/**
 * The user a token response is for. Only an ID token needs their claims; a
 * code or token family cannot outlive its user (foreign keys cascade), so
 * otherwise the id is enough and the query is saved.
 */
export async function userFor(prisma: PrismaClient, userId: string, scopes: string[]): Promise<Pick<User, "id" | "email" | "name">> {
  if (!scopes.includes("openid")) return { id: userId, email: "", name: null };
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
  if (!user) throw invalidGrant("The user of this authorization no longer exists");
  return user;
}

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** Mints the access token (and the ID token with `openid`) of a token response. */
export async function tokenResponse(
  prisma: PrismaClient,
  input: {
    issuer: string;
    app: ConnectedApp;
    user: Pick<User, "id" | "email" | "name">;
    familyId: string;
    scopes: string[];
    resources: string[];
    authTime: Date;
    nonce: string | null;
    refreshToken: string | null;
    clientSecret: string | null;
    now: Date;
  },
): Promise<TokenResponse> {
  const { token, expiresIn } = await signAccessToken(prisma, {
    issuer: input.issuer,
    userId: input.user.id,
    clientId: input.app.clientId,
    scopes: input.scopes,
    audience: accessTokenAudience(input.issuer, input.resources, input.scopes),
    familyId: input.familyId,
    ttlSeconds: input.app.accessTokenTtlSeconds,
    now: input.now,
  });
  const response: TokenResponse = { access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: input.scopes.join(" ") };
  if (input.refreshToken) response.refresh_token = input.refreshToken;
  if (input.scopes.includes("openid")) {
    response.id_token = await signIdToken(prisma, {
      issuer: input.issuer,
      app: input.app,
      user: input.user,
      scopes: input.scopes,
      authTime: input.authTime,
      nonce: input.nonce,
      accessToken: token,
      clientSecret: input.clientSecret,
      now: input.now,
    });
  }
  return response;
}
