import { concurrencyLimit, type ConcurrencyLimit } from "../concurrency-limit";
import type { CimdConfig } from "./cimd-config";
import { documentFlights, type DocumentFlights } from "./cimd-flights";

/**
 * What bounds a process's document fetches: how many run at once
 * (CIMD_MAX_CONCURRENT_FETCHES) and one flight per client_id with its
 * failures remembered (CIMD_FAILURE_CACHE_S). In memory, per process:
 * docs/decisions.md, "Hardening (issue 13)".
 */
export interface CimdGuards {
  fetches: ConcurrencyLimit;
  flights: DocumentFlights;
}

export function cimdGuards(config: Pick<CimdConfig, "maxConcurrentFetches" | "failureCacheSeconds">): CimdGuards {
  return { fetches: concurrencyLimit(config.maxConcurrentFetches), flights: documentFlights(config.failureCacheSeconds * 1000) };
}

// On globalThis: Next bundles each route (and server.ts its start-up) with its own copy of this module, and the cap is per process.
const KEY = Symbol.for("connected-apps.cimd-guards");
type Holder = { [KEY]?: CimdGuards };

/** The process's guards, made from the configuration of the first caller (the process's one configuration). */
export function processCimdGuards(config: CimdConfig): CimdGuards {
  const holder = globalThis as Holder;
  holder[KEY] ??= cimdGuards(config);
  return holder[KEY];
}
