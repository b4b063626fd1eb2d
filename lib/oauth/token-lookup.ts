import { hashToken } from "../crypto/tokens";
import { tokenType } from "./grants/issue-tokens";
import type { OAuthContext } from "./context";
import { seconds } from "./lifetimes";
import { accessTokenStatus, audienceOf, boundJkt, verifyAccessToken } from "./tokens/access-token";

/** What introspection and revocation need to know about a presented token. */
export type PresentedToken =
  | { kind: "access_token"; active: boolean; clientId: string; jti: string; exp: number; claims: Record<string, unknown> }
  | { kind: "refresh_token"; active: boolean; clientId: string; familyId: string; claims: Record<string, unknown> };

/**
 * Identifies a token this server issued: a JWT is one of our access tokens
 * (verified by signature), anything else is looked up as a refresh token by
 * hash. Null when it is neither (unknown, foreign, malformed, expired JWT).
 */
export async function lookUpToken(ctx: OAuthContext, token: string, now: Date): Promise<PresentedToken | null> {
  if (token.split(".").length === 3) {
    const claims = await verifyAccessToken(ctx, token, now);
    if (!claims) return null;
    const { revoked } = await accessTokenStatus(ctx, claims);
    const jkt = boundJkt(claims);
    return {
      kind: "access_token",
      active: !revoked,
      clientId: claims.client_id,
      jti: claims.jti,
      exp: claims.exp,
      claims: {
        scope: claims.scope,
        client_id: claims.client_id,
        sub: claims.sub,
        aud: audienceOf(claims),
        iss: claims.iss,
        exp: claims.exp,
        iat: claims.iat,
        jti: claims.jti,
        // RFC 9449 §6.2: a bound token says so, and to which key.
        token_type: tokenType(jkt),
        ...(jkt ? { cnf: { jkt } } : {}),
      },
    };
  }
  const record = await ctx.store.findRefreshToken(hashToken(token));
  if (!record) return null;
  const active = !record.familyRevoked && !record.rotatedAt && record.expiresAt > now;
  return {
    kind: "refresh_token",
    active,
    clientId: record.clientId,
    familyId: record.familyId,
    claims: {
      scope: record.scopes.join(" "),
      client_id: record.clientId,
      sub: record.userId,
      iss: ctx.issuer,
      exp: seconds(record.expiresAt),
      iat: seconds(record.createdAt),
      token_type: "refresh_token",
    },
  };
}
