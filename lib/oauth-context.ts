import { getConfig } from "./config";
import { derivedKey } from "./crypto/pepper";
import { getDb, type Database } from "./db";
import { changeFeed } from "./db/change-feed";
import { sqlOAuthStore } from "./db/oauth-store";
import { cachedStore } from "./oauth/cached-store";
import { createOAuthContext, type OAuthContext, type RemoteJwks } from "./oauth/context";
import { remoteJwksCache } from "./clients/remote-jwks";
import { trustedCas } from "./clients/cimd";
import type { PendingRequestLimits } from "./oauth/authorize/pending-limits";

/**
 * The composition root of the protocol core: the OAuth context of a
 * database (its SQL store, the issuer, the key that opens signing keys).
 * Routes use the process's; tests and scripts build one per database.
 */
export function oauthContextFor(
  db: Pick<Database, "sql" | "prisma" | "listen">,
  issuer: string,
  clock?: () => Date,
  pendingLimits?: PendingRequestLimits,
  remoteJwks?: RemoteJwks,
): OAuthContext {
  const feed = changeFeed(db);
  const store = cachedStore(sqlOAuthStore(db), feed);
  const ctx = createOAuthContext({
    store,
    issuer,
    keyFor: (purpose) => derivedKey(purpose),
    ...(clock ? { clock } : {}),
    ...(pendingLimits ? { pendingLimits } : {}),
    ...(remoteJwks ? { remoteJwks } : {}),
  });
  feed.subscribe((topic) => {
    if (topic === "keys") ctx.keys.invalidate();
  });
  return ctx;
}

// One per process, on globalThis like the database itself (next dev re-evaluates modules).
const KEY = Symbol.for("connected-apps.oauth-context");
type Holder = { [KEY]?: Promise<OAuthContext> };

/** The process's OAuth context, built on first use. */
export function getOAuthContext(): Promise<OAuthContext> {
  const holder = globalThis as Holder;
  holder[KEY] ??= getDb().then(
    (db) => {
      const { issuer, pendingRequests, cimd } = getConfig();
      // jwks_uri fetches follow the CIMD fetch settings: deadline, and in development and tests loopback and an extra CA.
      const fetch = { timeoutMs: cimd.fetchTimeoutMs, allowLoopback: cimd.allowLoopback, ca: trustedCas(cimd) };
      return oauthContextFor(db, issuer, undefined, pendingRequests, remoteJwksCache({ fetch }));
    },
    (error: unknown) => {
      delete holder[KEY];
      throw error;
    },
  );
  return holder[KEY];
}
