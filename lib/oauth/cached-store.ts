import type { ChangeFeed, ChangeTopic, OAuthStore } from "./store";

/** Longest a cached read is served even when no change was announced (a safety net, not the mechanism). */
export const CACHE_MAX_AGE_MS = 60_000;

/**
 * The store with the project settings the protocol reads on every request
 * (registration switches for discovery, resource servers) served from
 * memory. Every instance listens to the change feed (lib/db/change-feed.ts:
 * triggers NOTIFY at commit, each instance LISTENs; writes in this process
 * announce themselves at once), so a change anywhere empties the caches
 * everywhere. While the feed is not connected nothing is cached, and a read
 * that raced with a change is not kept. Clients are not cached: their
 * status and secrets are read with each request (one indexed read).
 */
export function cachedStore(store: OAuthStore, feed: ChangeFeed, clock: () => number = Date.now): OAuthStore {
  const settings = new Map<string, { at: number; value: unknown }>();
  let generation = 0;
  feed.subscribe((topic: ChangeTopic) => {
    if (topic !== "settings") return;
    generation++;
    settings.clear();
  });

  async function cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = settings.get(key);
    if (hit && feed.live() && clock() - hit.at < CACHE_MAX_AGE_MS) return hit.value as T;
    const before = generation;
    const value = await read();
    if (feed.live() && generation === before) settings.set(key, { at: clock(), value });
    return value;
  }

  return {
    ...store,
    registrationSettings: () => cached("registration", () => store.registrationSettings()),
    resourceServers: () => cached("resource_servers", () => store.resourceServers()),
  };
}
