import { decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { randomToken } from "../../crypto/tokens";
import type { OAuthContext } from "../context";
import { seconds } from "../lifetimes";
import type { UserRecord } from "../store";
import { familyOfJti } from "./families";
import { signJws } from "./jws";

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

/** An RFC 9068 JWT access token, signed with the active key of the owner's algorithm (RS256 unless set to ES256). */
export async function signAccessToken(ctx: OAuthContext, input: AccessTokenInput): Promise<{ token: string; expiresIn: number }> {
  const alg = await ctx.store.accessTokenAlg();
  const { kid, key } = await ctx.keys.signing(alg);
  const iat = seconds(input.now);
  const token = await signJws({ alg, typ: ACCESS_TOKEN_TYP, kid }, {
    iss: input.issuer,
    sub: input.userId,
    aud: input.audience.length === 1 ? input.audience[0]! : input.audience,
    exp: iat + input.ttlSeconds,
    iat,
    jti: `${input.familyId}.${randomToken(12)}`,
    client_id: input.clientId,
    scope: input.scopes.join(" "),
  }, key);
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
export async function verifyAccessToken(ctx: OAuthContext, token: string, now: Date): Promise<AccessTokenClaims | null> {
  try {
    const { kid } = decodeProtectedHeader(token);
    if (typeof kid !== "string") return null;
    const key = await ctx.keys.verification(kid);
    if (!key) return null;
    const { payload } = await jwtVerify(token, key, {
      issuer: ctx.issuer,
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

/**
 * Whether a verified access token has been revoked: its family (code reuse,
 * replay, grant revoked) or itself (RFC 7009). One indexed read, which also
 * brings the user when `withUser` (UserInfo).
 */
export async function accessTokenStatus(
  ctx: OAuthContext,
  claims: Pick<AccessTokenClaims, "jti" | "sub">,
  withUser = false,
): Promise<{ revoked: boolean; user: UserRecord | null }> {
  const familyId = familyOfJti(claims.jti);
  if (!familyId) return { revoked: true, user: null };
  return ctx.store.accessTokenStatus(familyId, claims.jti, withUser ? claims.sub : undefined);
}

export function audienceOf(claims: JWTPayload): string[] {
  return claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}
