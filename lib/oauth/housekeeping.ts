import type { OAuthContext } from "./context";
import { MAX_ACCESS_TOKEN_TTL_S } from "./lifetimes";
import type { PurgeCutoffs, PurgedKind } from "./store";

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_ACCESS_TOKEN_MS = MAX_ACCESS_TOKEN_TTL_S * 1000;
/** Rows of each kind per statement: small enough that a batch never holds up the token path. */
export const PURGE_BATCH = 1000;
const PAUSE_MS = 20;

/**
 * Deletes protocol rows nothing can use any more, in bounded batches with a
 * pause between them, so a large backlog (millions of expired tokens) never
 * stalls the token path or holds long locks: every batch walks an index on
 * when its rows stop mattering. Redeemed or expired codes are kept a day so
 * a late second use is still recognised (and revokes what the code issued).
 * A token family goes when no access token of it can be alive: at its own
 * expiry when it never had a refresh token, else once its newest refresh
 * token has been expired for longer than any access token lives (the last
 * refresh may have issued one just before). Safe to run on every instance at
 * once: each statement is an idempotent delete.
 */
export async function purgeExpired(ctx: OAuthContext, batch = PURGE_BATCH, pauseMs = PAUSE_MS): Promise<Record<PurgedKind, number>> {
  const now = ctx.clock();
  const lastAccessTokenIssuedBefore = new Date(now.getTime() - MAX_ACCESS_TOKEN_MS);
  const cutoffs: PurgeCutoffs = {
    now,
    codesBefore: new Date(now.getTime() - DAY_MS),
    refreshBefore: lastAccessTokenIssuedBefore,
    exchangesBefore: lastAccessTokenIssuedBefore,
  };
  const total: Record<PurgedKind, number> = {
    authorization_requests: 0,
    authorization_codes: 0,
    revoked_access_tokens: 0,
    refresh_tokens: 0,
    token_families: 0,
    session_exchanges: 0,
  };
  for (;;) {
    const purged = await ctx.store.purgeExpired(cutoffs, batch);
    for (const [kind, count] of Object.entries(purged)) total[kind as PurgedKind] += count;
    if (Object.values(purged).every((count) => count < batch)) return total;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

const PURGE_EVERY_MS = 15 * 60 * 1000;

/** Runs purgeExpired periodically in the server process (not keeping it alive). */
export function schedulePurge(ctx: OAuthContext): void {
  const run = () => purgeExpired(ctx).catch((e) => console.error("connected-apps: purging expired rows failed:", (e as Error).message));
  setInterval(run, PURGE_EVERY_MS).unref();
}
