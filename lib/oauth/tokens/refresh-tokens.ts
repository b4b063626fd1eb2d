import { hashToken, randomToken } from "../../crypto/tokens";
import { uuidv7 } from "../../crypto/uuid";
import { policyFor } from "../../clients/policy";
import type { OAuthContext } from "../context";
import { invalidGrant, OAuthError } from "../oauth-error";
import { after, REFRESH_TOKEN_TTL_S } from "../lifetimes";
import type { OAuthClient, RefreshRecord, UserRecord } from "../store";

/** A new opaque refresh token: 256 random bits; only its hash is stored. */
export function newRefreshToken(now: Date): { token: string; id: string; hash: string; expiresAt: Date } {
  const token = randomToken(32);
  return { token, id: uuidv7(now.getTime()), hash: hashToken(token), expiresAt: after(now, REFRESH_TOKEN_TTL_S) };
}

export interface RedeemedRefreshToken {
  family: RefreshRecord;
  /** The token the client holds now: the same one (sliding), or its successor (rotated). */
  refreshToken: string;
  user: UserRecord | null;
}

/**
 * Uses a refresh token for `requested` scopes (all of the family's when
 * empty). Public clients rotate: the token is spent by a conditional update,
 * so of concurrent uses exactly one wins, and any use of a spent token (a
 * replay: one of the copies was stolen) revokes the whole family, except
 * one more presentation within the app's reuse interval when nothing used
 * its successor (the answer to the first use was lost; see ROTATE_REFRESH).
 * Confidential clients keep the token and its expiry slides. A refused
 * request (another client's token, a wider scope) spends and slides nothing.
 */
export async function redeemRefreshToken(
  ctx: OAuthContext,
  client: Pick<OAuthClient, "id" | "clientType">,
  token: string,
  requested: string[],
  now: Date,
  /** A further check of the family before the token is used (a refused request must not spend it). */
  check?: ((family: RefreshRecord) => void) | null,
  /** Thumbprint of the request's DPoP proof key, or null: a token bound to a key (RFC 9449 §5) is used only with it. */
  dpopJkt: string | null = null,
): Promise<RedeemedRefreshToken> {
  const tokenHash = hashToken(token);
  const rotate = policyFor(client.clientType).refreshTokens === "rotate_with_replay_detection";
  if (check) {
    // One more round trip, only when the request needs it (resource indicators).
    check(await refuse(ctx, await ctx.store.findRefreshToken(tokenHash), client, requested, dpopJkt, now, { retryAllowed: rotate }));
  }
  const next = rotate ? newRefreshToken(now) : null;
  const result = await ctx.store.useRefreshToken({
    tokenHash,
    appId: client.id,
    requiredScopes: requested,
    dpopJkt,
    mode: next ? { kind: "rotate", next } : { kind: "slide", expiresAt: after(now, REFRESH_TOKEN_TTL_S) },
    now,
  });
  if (result.used) return { family: result.token, refreshToken: next?.token ?? token, user: result.user };
  const record = await refuse(ctx, result.token, client, requested, dpopJkt, now, { retryAllowed: false });
  // Every check held when the statement began, yet nothing was written:
  if (rotate) return replay(ctx, record.familyId, now); // a concurrent use spent it first
  throw invalidGrant("The refresh token has expired"); // it expired while being used
}

/**
 * A spent public token that may be presented once more: spent within its
 * app's reuse interval and not presented again yet. Whether its family saw
 * a later use is for the rotating statement to decide.
 */
function mayRetry(record: RefreshRecord, now: Date): boolean {
  if (record.rotatedAt === null || record.reusedAt !== null) return false;
  // A request that began before the token was spent is not a retry of that use but a concurrent one.
  const since = now.getTime() - record.rotatedAt.getTime();
  return since >= 0 && since < record.reuseSeconds * 1000;
}

/**
 * Throws the error for a token this request may not use (revoking the
 * family of a replayed one); returns it if every check holds. Before the
 * rotating statement, a spent token that may be retried is left to it
 * (`retryAllowed`); after it, a spent token it did not take is a replay.
 */
async function refuse(
  ctx: OAuthContext,
  record: RefreshRecord | null,
  client: Pick<OAuthClient, "id">,
  requested: string[],
  dpopJkt: string | null,
  now: Date,
  { retryAllowed }: { retryAllowed: boolean },
): Promise<RefreshRecord> {
  if (!record || record.appId !== client.id) throw invalidGrant("The refresh token is invalid");
  if (record.familyRevoked) throw invalidGrant("The refresh token has been revoked");
  if (record.expiresAt <= now) throw invalidGrant("The refresh token has expired");
  // Before replay detection: without the key the token is useless, so presenting it says nothing about the client's copy.
  if (record.dpopJkt !== null && record.dpopJkt !== dpopJkt) throw invalidGrant("The refresh token is bound to a DPoP key: send a DPoP proof made with it");
  // A spent token is a replay whatever else the request says.
  if (record.rotatedAt && !(retryAllowed && mayRetry(record, now))) return replay(ctx, record.familyId, now);
  const widened = requested.filter((s) => !record.scopes.includes(s));
  if (widened.length) throw new OAuthError("invalid_scope", `The refresh token was not granted: ${widened.join(" ")}`);
  return record;
}

async function replay(ctx: OAuthContext, familyId: string, now: Date): Promise<never> {
  await ctx.store.revokeFamily(familyId, now);
  throw invalidGrant("The refresh token was already used; every token of this authorization is revoked");
}
