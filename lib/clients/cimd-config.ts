/**
 * Settings of Client ID Metadata Documents, read from the environment:
 * part of the one configuration (`getConfig().cimd`, lib/config.ts);
 * documented in .env.example and the README.
 */
export interface CimdConfig {
  /** Whole-fetch deadline (DNS, connect, response), CIMD_FETCH_TIMEOUT_MS; also the longest wait for a free fetch slot. */
  fetchTimeoutMs: number;
  /** Development and tests only: let documents live on loopback addresses (CIMD_ALLOW_LOOPBACK=1). */
  allowLoopback: boolean;
  /** Bounds on how long a fetched document is trusted, whatever its Cache-Control says. */
  cacheMinSeconds: number;
  cacheMaxSeconds: number;
  /** Development and tests only: a PEM file of extra trusted CAs for document fetches (CIMD_TEST_CA_FILE). */
  testCaFile: string | undefined;
  /** New CIMD apps a source may create per window, in the database (CIMD_RATE_LIMIT, CIMD_RATE_LIMIT_WINDOW_SECONDS). */
  rateLimit: number;
  rateLimitWindowSeconds: number;
  /** How long a failed document is answered from memory without fetching it again, per process (CIMD_FAILURE_CACHE_S; 0: never). */
  failureCacheSeconds: number;
  /** Document fetches one process runs at once (CIMD_MAX_CONCURRENT_FETCHES). */
  maxConcurrentFetches: number;
  /** A CIMD app nobody has authorized is removed this long after it was created (CIMD_UNUSED_RETENTION_DAYS). */
  unusedRetentionDays: number;
}

export const CIMD_VARIABLES = [
  "CIMD_FETCH_TIMEOUT_MS",
  "CIMD_ALLOW_LOOPBACK",
  "CIMD_CACHE_MIN_S",
  "CIMD_CACHE_MAX_S",
  "CIMD_TEST_CA_FILE",
  "CIMD_RATE_LIMIT",
  "CIMD_RATE_LIMIT_WINDOW_SECONDS",
  "CIMD_FAILURE_CACHE_S",
  "CIMD_MAX_CONCURRENT_FETCHES",
  "CIMD_UNUSED_RETENTION_DAYS",
];

/** Parses the CIMD settings; bad values throw one error naming each variable, one per line. */
export function parseCimdConfig(env: Record<string, string | undefined>): CimdConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max?: number): number => {
    const value = env[name];
    if (value === undefined || value.trim() === "") return fallback;
    if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < min || (max !== undefined && Number(value) > max)) {
      problems.push(max === undefined ? `${name} must be an integer of at least ${min}` : `${name} must be an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
  const cacheMinSeconds = int("CIMD_CACHE_MIN_S", 300, 0);
  const cacheMaxSeconds = int("CIMD_CACHE_MAX_S", 86_400, 0);
  const fetchTimeoutMs = int("CIMD_FETCH_TIMEOUT_MS", 5000, 100);
  // Like DCR: room for a burst of MCP clients, and a flood of documents blocks for minutes, not an hour.
  const rateLimit = int("CIMD_RATE_LIMIT", 60, 1, 1_000_000);
  const rateLimitWindowSeconds = int("CIMD_RATE_LIMIT_WINDOW_SECONDS", 600, 1, 86_400);
  const failureCacheSeconds = int("CIMD_FAILURE_CACHE_S", 60, 0, 3600);
  const maxConcurrentFetches = int("CIMD_MAX_CONCURRENT_FETCHES", 10, 1, 1000);
  const unusedRetentionDays = int("CIMD_UNUSED_RETENTION_DAYS", 7, 1, 3650);
  if (!problems.length && cacheMaxSeconds < cacheMinSeconds) problems.push("CIMD_CACHE_MAX_S must not be below CIMD_CACHE_MIN_S");
  if (problems.length) throw new Error(problems.join("\n"));
  return {
    fetchTimeoutMs,
    allowLoopback: env.CIMD_ALLOW_LOOPBACK === "1" || env.CIMD_ALLOW_LOOPBACK === "true",
    cacheMinSeconds,
    cacheMaxSeconds,
    testCaFile: env.CIMD_TEST_CA_FILE?.trim() || undefined,
    rateLimit,
    rateLimitWindowSeconds,
    failureCacheSeconds,
    maxConcurrentFetches,
    unusedRetentionDays,
  };
}
