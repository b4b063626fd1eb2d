import type { PrismaClient } from "../db/generated/client.ts";
import { authenticateClient, readClientCredentials } from "./client-auth";
import { invalidRequest, unsupportedGrantType } from "./errors";
import { authorizationCodeGrant } from "./grants/authorization-code";
import type { TokenResponse } from "./grants/issue-tokens";
import { refreshTokenGrant } from "./grants/refresh-token";
import { readParams } from "./params";

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
} as const;

/**
 * The token endpoint (RFC 6749 §3.2): which grant, which client, then the
 * grant itself. client_credentials, password and every other grant type are
 * refused: connected apps always act for a user (DESIGN.md).
 */
export async function handleTokenRequest(
  prisma: PrismaClient,
  issuer: string,
  request: { authorization: string | null; form: URLSearchParams },
  now = new Date(),
): Promise<TokenResponse> {
  const params = readParams(request.form);
  const grantType = params.get("grant_type");
  if (!grantType) throw invalidRequest("grant_type is required");
  if (!Object.hasOwn(GRANTS, grantType)) throw unsupportedGrantType(grantType);
  const credentials = readClientCredentials(request.authorization, request.form);
  const app = await authenticateClient(prisma, credentials);
  return GRANTS[grantType as keyof typeof GRANTS](prisma, { issuer, app, clientSecret: credentials.secret, params, now });
}
