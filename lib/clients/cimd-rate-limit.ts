import type { PrismaClient } from "../db/generated/client.ts";
import { hitRateLimit, peekRateLimit } from "../rate-limit";
import type { CimdConfig } from "./cimd-config";
import { CimdRateLimitError } from "./cimd-errors";

// The limit on new CIMD apps per source (CIMD_RATE_LIMIT per CIMD_RATE_LIMIT_WINDOW_SECONDS), held in
// the database like DCR's so it holds across instances. Like DCR, only apps that are stored count:
// URLs that fail cannot use up the bucket everyone shares when there is no TRUST_PROXY.

type Limits = Pick<CimdConfig, "rateLimit" | "rateLimitWindowSeconds">;
const key = (source: string) => `cimd:${source}`;

/** Before fetching the document of a new app: refused if the source has already created its share (counts nothing). */
export async function assertMayCreateCimdApp(prisma: PrismaClient, config: Limits, source: string, now: Date): Promise<void> {
  const result = await peekRateLimit(prisma, key(source), config.rateLimit, config.rateLimitWindowSeconds, now);
  if (!result.allowed) throw new CimdRateLimitError(result.retryAfter);
}

/**
 * Counts an app about to be stored, in one statement, and refuses it if
 * that goes over the limit: first uses of many documents at once, all past
 * the check above, still store no more than the limit.
 */
export async function countNewCimdApp(prisma: PrismaClient, config: Limits, source: string, now: Date): Promise<void> {
  const result = await hitRateLimit(prisma, key(source), config.rateLimit, config.rateLimitWindowSeconds, now);
  if (!result.allowed) throw new CimdRateLimitError(result.retryAfter);
}
