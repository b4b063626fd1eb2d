/**
 * Settings of Client ID Metadata Documents, read from the environment:
 * part of the one configuration (`getConfig().cimd`, lib/config.ts);
 * documented in .env.example and the README.
 */
export interface CimdConfig {
  /** Whole-fetch deadline (DNS, connect, response), CIMD_FETCH_TIMEOUT_MS. */
  fetchTimeoutMs: number;
  /** Development and tests only: let documents live on loopback addresses (CIMD_ALLOW_LOOPBACK=1). */
  allowLoopback: boolean;
  /** Bounds on how long a fetched document is trusted, whatever its Cache-Control says. */
  cacheMinSeconds: number;
  cacheMaxSeconds: number;
  /** Development and tests only: a PEM file of extra trusted CAs for document fetches (CIMD_TEST_CA_FILE). */
  testCaFile: string | undefined;
}

export const CIMD_VARIABLES = ["CIMD_FETCH_TIMEOUT_MS", "CIMD_ALLOW_LOOPBACK", "CIMD_CACHE_MIN_S", "CIMD_CACHE_MAX_S", "CIMD_TEST_CA_FILE"];

/** Parses the CIMD settings; bad values throw one error naming each variable, one per line. */
export function parseCimdConfig(env: Record<string, string | undefined>): CimdConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number): number => {
    const value = env[name];
    if (value === undefined || value.trim() === "") return fallback;
    if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < min) problems.push(`${name} must be an integer of at least ${min}`);
    return Number(value);
  };
  const cacheMinSeconds = int("CIMD_CACHE_MIN_S", 300, 0);
  const cacheMaxSeconds = int("CIMD_CACHE_MAX_S", 86_400, 0);
  const fetchTimeoutMs = int("CIMD_FETCH_TIMEOUT_MS", 5000, 100);
  if (!problems.length && cacheMaxSeconds < cacheMinSeconds) problems.push("CIMD_CACHE_MAX_S must not be below CIMD_CACHE_MIN_S");
  if (problems.length) throw new Error(problems.join("\n"));
  return {
    fetchTimeoutMs,
    allowLoopback: env.CIMD_ALLOW_LOOPBACK === "1" || env.CIMD_ALLOW_LOOPBACK === "true",
    cacheMinSeconds,
    cacheMaxSeconds,
    testCaFile: env.CIMD_TEST_CA_FILE?.trim() || undefined,
  };
}
