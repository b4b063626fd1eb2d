import type { JWTPayload } from "jose";
import { randomToken } from "../../crypto/tokens";
import type { OAuthContext } from "../context";
import { seconds } from "../lifetimes";
import type { UserRecord } from "../store";
import { familyOfJti, machineClientOfJti } from "./families";
import { signJws, verifyJws } from "./jws";

export const ACCESS_TOKEN_TYP = "at+jwt";

export interface AccessTokenInput {
  issuer: string;
  /** `sub`: the user's id, or a machine client's client_id (RFC 9068 §2.2). */
  subject: string;
  clientId: string;
  scopes: string[];
  audience: string[];
  /** What the `jti` starts with: the token family's id, or a machine client's prefix (families.ts). */
  jtiPrefix: string;
  ttlSeconds: number;
  now: Date;
  /** RFC 9449 §6: the DPoP key (thumbprint) the token is bound to, as `cnf.jkt`; none: a bearer token. */
  dpopJkt?: string | null;
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
    sub: input.subject,
    aud: input.audience.length === 1 ? input.audience[0]! : input.audience,
    exp: iat + input.ttlSeconds,
    iat,
    jti: `${input.jtiPrefix}.${randomToken(12)}`,
    client_id: input.clientId,
    scope: input.scopes.join(" "),
    ...(input.dpopJkt ? { cnf: { jkt: input.dpopJkt } } : {}),
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
  /** RFC 9449 §6.1: present on a DPoP-bound token. */
  cnf?: { jkt: string };
}

/**
 * Verifies one of our access tokens: signature (by kid, RS256/ES256), `typ`,
 * issuer, expiry (and `nbf` if present) and the claims every token of ours
 * carries. Returns null for anything else (malformed, foreign, expired).
 * Revocation is a separate check (accessTokenStatus).
 */
export async function verifyAccessToken(ctx: OAuthContext, token: string, now: Date): Promise<AccessTokenClaims | null> {
  const verified = await verifyJws(token, ACCESS_TOKEN_TYP, (kid) => ctx.keys.verification(kid));
  if (!verified) return null;
  const claims = verified.payload;
  const at = seconds(now);
  if (claims.iss !== ctx.issuer) return null;
  if (typeof claims.sub !== "string" || typeof claims.jti !== "string" || typeof claims.client_id !== "string") return null;
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number" || claims.exp <= at) return null;
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > at)) return null;
  return { ...claims, scope: typeof claims.scope === "string" ? claims.scope : "" } as AccessTokenClaims;
}

/** The DPoP key thumbprint a verified token is bound to (RFC 9449 §6.1), or null for a bearer token. */
export function boundJkt(claims: AccessTokenClaims): string | null {
  const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt;
  return typeof jkt === "string" ? jkt : null;
}

/**
 * Whether a verified access token has been revoked: its family (code reuse,
 * replay, grant revoked) or itself (RFC 7009). One indexed read, which also
 * brings the user when `withUser` (UserInfo). A machine client's token has
 * no family and no user: its client's status decides.
 */
export async function accessTokenStatus(
  ctx: OAuthContext,
  claims: Pick<AccessTokenClaims, "jti" | "sub">,
  withUser = false,
): Promise<{ revoked: boolean; user: UserRecord | null }> {
  const machineClient = machineClientOfJti(claims.jti);
  if (machineClient) return { revoked: await ctx.store.machineTokenRevoked(machineClient, claims.jti), user: null };
  const familyId = familyOfJti(claims.jti);
  if (!familyId) return { revoked: true, user: null };
  return ctx.store.accessTokenStatus(familyId, claims.jti, withUser ? claims.sub : undefined);
}

export function audienceOf(claims: JWTPayload): string[] {
  return claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}
