import type { OAuthContext } from "./context";
import { MAX_ACCESS_TOKEN_TTL_S } from "./lifetimes";
import type { PurgeCutoffs, PurgedKind } from "./store";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Activity is shown for 30 days at most; a day more covers the first, partial one. */
export const ACTIVITY_RETENTION_MS = 31 * DAY_MS;
const MAX_ACCESS_TOKEN_MS = MAX_ACCESS_TOKEN_TTL_S * 1000;
/** Rows of each kind per statement: small enough that a batch never holds up the token path. */
export const PURGE_BATCH = 1000;

export interface PurgeOptions {
  /** Rows of each kind per statement (PURGE_BATCH). */
  batch?: number;
  /** The shortest pause between two batches, ms (20). */
  minPauseMs?: number;
  /**
   * At most this share of the time is spent purging (0.2): after a batch
   * that took t, the pause is t·(1 − share)/share. Deleting is real work for
   * the database, which shares the machine with the token path; a backlog
   * of 200,000 expired families purged flat out cost the token path 40 % of
   * its throughput, paced it takes longer and costs far less.
   */
  busyShare?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Deletes protocol rows nothing can use any more, in bounded batches with a
 * pause between them, so a large backlog (millions of expired tokens) never
 * stalls the token path or holds long locks: every batch walks an index on
 * when its rows stop mattering. Redeemed or expired codes are kept a day so
 * a late second use is still recognised (and revokes what the code issued).
 * A token family goes when no access token of it can be alive: at its own
 * expiry when it never had a refresh token, else once its newest refresh
 * token has been expired for longer than any access token lives (the last
 * refresh may have issued one just before). Device authorizations go at
 * their expiry (a spent one's family stands on its own); activity counts after
31 days. Safe to run on every instance at
 * once: each statement is an idempotent delete.
 */
export async function purgeExpired(ctx: OAuthContext, options: PurgeOptions = {}): Promise<Record<PurgedKind, number>> {
  const { batch = PURGE_BATCH, minPauseMs = 20, busyShare = 0.2 } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = ctx.clock();
  const lastAccessTokenIssuedBefore = new Date(now.getTime() - MAX_ACCESS_TOKEN_MS);
  const cutoffs: PurgeCutoffs = {
    now,
    codesBefore: new Date(now.getTime() - DAY_MS),
    refreshBefore: lastAccessTokenIssuedBefore,
    exchangesBefore: lastAccessTokenIssuedBefore,
    activityBefore: new Date(now.getTime() - ACTIVITY_RETENTION_MS),
  };
  const total: Record<PurgedKind, number> = {
    authorization_requests: 0,
    authorization_codes: 0,
    revoked_access_tokens: 0,
    refresh_tokens: 0,
    token_families: 0,
    session_exchanges: 0,
    client_assertions: 0,
    dpop_proofs: 0,
    upstream_logins: 0,
    device_authorizations: 0,
    pushed_authorization_requests: 0,
    activity_counts: 0,
  };
  for (;;) {
    const started = performance.now();
    const purged = await ctx.store.purgeExpired(cutoffs, batch);
    const took = performance.now() - started;
    for (const [kind, count] of Object.entries(purged)) total[kind as PurgedKind] += count;
    if (Object.values(purged).every((count) => count < batch)) return total;
    await sleep(Math.max(minPauseMs, (took * (1 - busyShare)) / busyShare));
  }
}

const PURGE_EVERY_MS = 15 * 60 * 1000;

/** Runs purgeExpired periodically in the server process (not keeping it alive). */
export function schedulePurge(ctx: OAuthContext): void {
  const run = () => purgeExpired(ctx).catch((e) => console.error("connected-apps: purging expired rows failed:", (e as Error).message));
  setInterval(run, PURGE_EVERY_MS).unref();
}
