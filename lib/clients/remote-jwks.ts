import type { RemoteJwks } from "../oauth/context";
import { fetchPublicJson, type CimdFetchOptions } from "./cimd-fetch";
import { MAX_JWKS_BYTES, parseClientJwks, type ClientJwks } from "./client-jwks";

export interface RemoteJwksOptions {
  /** How to fetch: the SSRF-safe fetch of metadata documents, with the same deadline, CA and loopback switches. */
  fetch: CimdFetchOptions;
  /** Bounds on how long a fetched set is used: its Cache-Control max-age within them, `defaultSeconds` without one. */
  minSeconds?: number;
  maxSeconds?: number;
  defaultSeconds?: number;
  /** A URL is fetched at most once in this interval, whatever asks (jose's remote JWK Set cooldown is 30 s too). */
  cooldownMs?: number;
  /** URLs remembered per process; the least recently fetched go first. */
  maxEntries?: number;
  clock?: () => number;
}

/** A jwks_uri's answer cannot be used: not fetched, or not a set of public signing keys. */
export class RemoteJwksError extends Error {
  override name = "RemoteJwksError";
}

type Entry = { at: number; until: number; keys: ClientJwks } | { at: number; until: number; error: Error };

/**
 * The JWK Sets clients publish at their jwks_uri, per process: fetched with
 * the metadata-document fetcher (public addresses only, no redirects, a
 * size cap), validated like registered keys (a private key makes the whole
 * set unusable), cached for its Cache-Control lifetime within bounds, and
 * fetched again early when a client signs with a kid the cached set lacks
 * (`refresh`): a key rotation. Every fetch of a URL, whether asked for by
 * age, by an unknown kid or after a failure, waits out the cooldown since
 * the last one, and concurrent requests share one fetch, so assertions
 * naming made-up kids cost at most one fetch per URL per cooldown.
 * In memory: the keys are public, and each instance fetching its own copy
 * costs little (the replay check is in the database).
 */
export function remoteJwksCache(options: RemoteJwksOptions): RemoteJwks {
  const { minSeconds = 60, maxSeconds = 3600, defaultSeconds = 300, cooldownMs = 30_000, maxEntries = 1000 } = options;
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, Entry>();
  const running = new Map<string, Promise<ClientJwks>>();

  async function fetchSet(uri: string): Promise<ClientJwks> {
    const now = clock();
    let entry: Entry;
    try {
      const fetched = await fetchPublicJson(new URL(uri), options.fetch, { maxBytes: MAX_JWKS_BYTES, what: "JWK Set" });
      const keys = parseClientJwks(fetched.body);
      if (typeof keys === "string") throw new RemoteJwksError(`The JWK Set at ${uri} ${keys}`);
      const seconds = Math.min(Math.max(fetched.maxAgeSeconds ?? defaultSeconds, minSeconds), maxSeconds);
      entry = { at: now, until: now + seconds * 1000, keys };
    } catch (error) {
      entry = { at: now, until: now + cooldownMs, error: error as Error };
    }
    entries.delete(uri);
    entries.set(uri, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    if ("error" in entry) throw entry.error;
    return entry.keys;
  }

  return {
    get(uri, { refresh = false } = {}) {
      const entry = entries.get(uri);
      const now = clock();
      const due = !entry || now >= entry.until || refresh;
      const cooling = entry !== undefined && now - entry.at < cooldownMs;
      if (entry && (!due || cooling)) {
        if ("error" in entry) return Promise.reject(entry.error);
        return Promise.resolve(entry.keys);
      }
      let flight = running.get(uri);
      if (!flight) {
        flight = fetchSet(uri).finally(() => running.delete(uri));
        running.set(uri, flight);
      }
      return flight;
    },
  };
}
