import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { PrismaClient } from "../../db/generated/client.ts";
import { randomToken } from "../../crypto/tokens";
import { seconds } from "../lifetimes";
import { familyOfJti } from "./families";
import { signingKey, verificationKey } from "./keys";

export const ACCESS_TOKEN_TYP = "at+jwt";

export interface AccessTokenInput {
  issuer: string;
  userId: string;
  clientId: string;
  scopes: string[];
  audience: string[];
  familyId: string;
  ttlSeconds: number;
  now: Date;
}

/**
 * The audience of an access token: the requested resources (RFC 8707), else
 * the project's own API, whose identifier is the issuer. With `openid` the
 * issuer is always included, so the same token works at the UserInfo endpoint.
 */
export function accessTokenAudience(issuer: string, resources: string[], scopes: string[]): string[] {
  if (!resources.length) return [issuer];
  return scopes.includes("openid") && !resources.includes(issuer) ? [...resources, issuer] : resources;
}

/** An RFC 9068 JWT access token, signed RS256 with the active key. */
export async function signAccessToken(prisma: PrismaClient, input: AccessTokenInput): Promise<{ token: string; expiresIn: number }> {
  const { kid, key } = await signingKey(prisma, "RS256");
  const iat = seconds(input.now);
  const token = await new SignJWT({ client_id: input.clientId, scope: input.scopes.join(" ") })
    .setProtectedHeader({ alg: "RS256", typ: ACCESS_TOKEN_TYP, kid })
    .setIssuer(input.issuer)
    .setSubject(input.userId)
    .setAudience(input.audience.length === 1 ? input.audience[0]! : input.audience)
    .setJti(`${input.familyId}.${randomToken(12)}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.ttlSeconds)
    .sign(key);
  return { token, expiresIn: input.ttlSeconds };
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  client_id: string;
  scope: string;
  jti: string;
  exp: number;
  iat: number;
}

/**
 * Verifies one of our access tokens: signature (by kid, RS256/ES256), `typ`,
 * issuer and expiry. Returns null for anything else (malformed, foreign,
 * expired). Revocation is a separate check (accessTokenRevoked).
 */
export async function verifyAccessToken(prisma: PrismaClient, issuer: string, token: string, now = new Date()): Promise<AccessTokenClaims | null> {
  try {
    const { kid } = decodeProtectedHeader(token);
    if (typeof kid !== "string") return null;
    const key = await verificationKey(prisma, kid);
    if (!key) return null;
    const { payload } = await jwtVerify(token, key, {
      issuer,
      typ: ACCESS_TOKEN_TYP,
      algorithms: ["RS256", "ES256"],
      currentDate: now,
      requiredClaims: ["sub", "exp", "iat", "jti", "client_id"],
    });
    if (typeof payload.client_id !== "string" || typeof payload.jti !== "string") return null;
    return { ...payload, scope: typeof payload.scope === "string" ? payload.scope : "" } as AccessTokenClaims;
  } catch {
    return null;
  }
}

/** Whether a verified access token has been revoked: its family (code reuse, replay, grant revoked) or itself (RFC 7009). */
export async function accessTokenRevoked(prisma: PrismaClient, claims: Pick<AccessTokenClaims, "jti">): Promise<boolean> {
  const familyId = familyOfJti(claims.jti);
  if (!familyId) return true;
  const [family, revoked] = await Promise.all([
    prisma.tokenFamily.findUnique({ where: { id: familyId }, select: { revokedAt: true } }),
    prisma.revokedAccessToken.findUnique({ where: { jti: claims.jti }, select: { jti: true } }),
  ]);
  return !family || family.revokedAt !== null || revoked !== null;
}

export function audienceOf(claims: JWTPayload): string[] {
  return claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}
