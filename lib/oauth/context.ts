import { SEAL_PURPOSE } from "./keys/algorithms";
import { keyRing, type KeyRing } from "./keys/key-ring";
import { DEFAULT_PENDING_LIMITS, type PendingRequestLimits } from "./authorize/pending-limits";
import type { OAuthStore } from "./store";
import type { ClientJwks } from "../clients/client-jwks";
import { remoteJwksCache } from "../clients/remote-jwks";
import { lastAuthenticationRecorder, type LastAuthentication } from "./last-authentication";
import { activityCounter, type ActivityCounter } from "../activity/counter";

/** The JWK Sets clients publish at their jwks_uri (lib/clients/remote-jwks.ts). */
export interface RemoteJwks {
  /**
   * The set at `uri`, cached or fetched. `refresh`: an assertion named a kid
   * the set lacks, so fetch it again unless it was fetched lately. Rejects
   * when the set cannot be fetched or holds anything but public signing keys.
   */
  get(uri: string, options?: { refresh?: boolean }): Promise<ClientJwks>;
}

/** Without a configuration: the strict fetch (public addresses, the system's CAs, 5 s). */
const STRICT_REMOTE_JWKS = { timeoutMs: 5000, allowLoopback: false };

/**
 * Everything a protocol function needs, built once per process (and once
 * per test database) and passed in: the store, the issuer, the clock, the
 * signing keys, the keys derived from the server secret. No protocol module
 * reads the database or the configuration by itself, so the core runs
 * without Next and without a database client.
 */
export interface OAuthContext {
  store: OAuthStore;
  /** Public URL of this server, no trailing slash. */
  issuer: string;
  clock: () => Date;
  keys: KeyRing;
  /** A key derived from the server secret for one purpose (form tokens, sealed signing keys): the same on every instance. */
  keyFor: (purpose: string) => Buffer;
  /** Bounds on stored pending authorization requests (the configuration's, or the defaults). */
  pendingLimits: PendingRequestLimits;
  /** Clients' keys published at a jwks_uri (private_key_jwt). */
  remoteJwks: RemoteJwks;
  /** When each client last authenticated (throttled writes, per process). */
  lastAuthentication: LastAuthentication;
  /** Activity counted in memory and flushed to the store every few seconds (lib/activity/counter.ts). */
  activity: ActivityCounter;
}

export function createOAuthContext(input: {
  store: OAuthStore;
  issuer: string;
  keyFor: (purpose: string) => Buffer;
  clock?: () => Date;
  pendingLimits?: PendingRequestLimits;
  remoteJwks?: RemoteJwks;
  lastAuthentication?: LastAuthentication;
  activity?: ActivityCounter;
}): OAuthContext {
  const clock = input.clock ?? (() => new Date());
  return {
    store: input.store,
    issuer: input.issuer,
    clock,
    keys: keyRing(input.store, input.keyFor(SEAL_PURPOSE), clock),
    keyFor: input.keyFor,
    pendingLimits: input.pendingLimits ?? DEFAULT_PENDING_LIMITS,
    remoteJwks: input.remoteJwks ?? remoteJwksCache({ fetch: STRICT_REMOTE_JWKS }),
    lastAuthentication: input.lastAuthentication ?? lastAuthenticationRecorder(input.store),
    activity: input.activity ?? activityCounter(input.store),
  };
}

/** The same context, its clock stopped at `now` (tests: a request at another moment). */
export function withClock(ctx: OAuthContext, now: Date): OAuthContext {
  return { ...ctx, clock: () => now };
}
