import { keyRing, type KeyRing } from "./keys/key-ring";
import type { OAuthStore } from "./store";

/**
 * Everything a protocol function needs, built once per process (and once
 * per test database) and passed in: the store, the issuer, the clock, the
 * signing keys. No protocol module reads the database or the configuration
 * by itself, so the core runs without Next and without a database client.
 */
export interface OAuthContext {
  store: OAuthStore;
  /** Public URL of this server, no trailing slash. */
  issuer: string;
  clock: () => Date;
  keys: KeyRing;
}

export function createOAuthContext(input: { store: OAuthStore; issuer: string; unsealKey: Buffer; clock?: () => Date }): OAuthContext {
  const clock = input.clock ?? (() => new Date());
  return { store: input.store, issuer: input.issuer, clock, keys: keyRing(input.store, input.unsealKey, clock) };
}

/** The same context, its clock stopped at `now` (tests: a request at another moment). */
export function withClock(ctx: OAuthContext, now: Date): OAuthContext {
  return { ...ctx, clock: () => now };
}
