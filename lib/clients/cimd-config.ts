/**
 * Settings of Client ID Metadata Documents, read from the environment
 * (documented in .env.example and the README).
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

function int(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < min) throw new Error(`${name} must be an integer of at least ${min}`);
  return Number(value);
}

export function parseCimdConfig(env: Record<string, string | undefined>): CimdConfig {
  const cacheMinSeconds = int(env.CIMD_CACHE_MIN_S, 300, "CIMD_CACHE_MIN_S", 0);
  const cacheMaxSeconds = int(env.CIMD_CACHE_MAX_S, 86_400, "CIMD_CACHE_MAX_S", 0);
  if (cacheMaxSeconds < cacheMinSeconds) throw new Error("CIMD_CACHE_MAX_S must not be below CIMD_CACHE_MIN_S");
  return {
    fetchTimeoutMs: int(env.CIMD_FETCH_TIMEOUT_MS, 5000, "CIMD_FETCH_TIMEOUT_MS", 100),
    allowLoopback: env.CIMD_ALLOW_LOOPBACK === "1" || env.CIMD_ALLOW_LOOPBACK === "true",
    cacheMinSeconds,
    cacheMaxSeconds,
    testCaFile: env.CIMD_TEST_CA_FILE?.trim() || undefined,
  };
}

let cached: CimdConfig | undefined;

export function getCimdConfig(): CimdConfig {
  cached ??= parseCimdConfig(process.env);
  return cached;
}
