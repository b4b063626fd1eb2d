import type { ChangeFeed, ChangeTopic, OAuthClient, OAuthStore } from "./store";

/** Longest a cached read is served even when no change was announced (a safety net, not the mechanism). */
export const CACHE_MAX_AGE_MS = 60_000;
/** Clients remembered per process; the least recently read go first. */
export const CLIENT_CACHE_SIZE = 10_000;

interface Entry {
  at: number;
  value: unknown;
}

/**
 * The store with the reads every token request repeats served from memory:
 * clients (status, type, secret hashes, scopes), and the project settings
 * the protocol reads (registration switches, resource servers). Every
 * instance listens to the change feed (lib/db/change-feed.ts: triggers
 * NOTIFY at commit, each instance LISTENs; writes in this process announce
 * themselves at once), so a secret rotation, a disabled, edited or deleted
 * app, or a settings change anywhere empties the caches everywhere. While
 * the feed is not connected nothing is cached; a read that raced with a
 * change is not kept; unknown client_ids are not remembered.
 */
export function cachedStore(store: OAuthStore, feed: ChangeFeed, clock: () => number = Date.now): OAuthStore {
  const caches: Record<"clients" | "settings", Map<string, Entry>> = { clients: new Map(), settings: new Map() };
  const generation = { clients: 0, settings: 0 };
  feed.subscribe((topic: ChangeTopic) => {
    if (topic === "keys") return;
    generation[topic]++;
    caches[topic].clear();
  });

  async function cached<T>(topic: "clients" | "settings", key: string, read: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const cache = caches[topic];
    const hit = cache.get(key);
    if (hit && feed.live() && clock() - hit.at < CACHE_MAX_AGE_MS) {
      // Most recently used last, so the oldest is first to go.
      cache.delete(key);
      cache.set(key, hit);
      return hit.value as T;
    }
    const before = generation[topic];
    const value = await read();
    if (feed.live() && generation[topic] === before && keep(value)) {
      cache.delete(key);
      cache.set(key, { at: clock(), value });
      if (cache.size > CLIENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return value;
  }

  return {
    ...store,
    findClient: (clientId) => cached<OAuthClient | null>("clients", clientId, () => store.findClient(clientId), (client) => client !== null),
    registrationSettings: () => cached("settings", "registration", () => store.registrationSettings()),
    accessTokenAlg: () => cached("settings", "access_token_alg", () => store.accessTokenAlg()),
    resourceServers: () => cached("settings", "resource_servers", () => store.resourceServers()),
    pushedRequestsRequired: () => cached("settings", "require_par", () => store.pushedRequestsRequired()),
  };
}
