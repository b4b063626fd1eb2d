import type { PrismaClient } from "./db/generated/client.ts";

/**
 * A fixed-window counter held in the database (`rate_limit_windows`), so the
 * limit holds across server instances. One statement increments or creates
 * the window's row; returns whether this hit is within `limit`, and when not,
 * the seconds until the window ends (for Retry-After).
 */
export async function hitRateLimit(
  prisma: PrismaClient,
  key: string,
  limit: number,
  windowSeconds: number,
  now = new Date(),
): Promise<RateLimitResult> {
  const { start, retryAfter } = windowAt(now, windowSeconds);
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO "rate_limit_windows" ("key", "window_start", "count") VALUES (${key}, ${start}::timestamptz, 1)
    ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = "rate_limit_windows"."count" + 1
    RETURNING "count"`;
  const count = Number(row!.count);
  // The first hit of a window clears this key's finished windows, so the table stays small.
  if (count === 1) await prisma.rateLimitWindow.deleteMany({ where: { key, windowStart: { lt: start } } });
  if (count <= limit) return { allowed: true, count };
  return { allowed: false, count, retryAfter };
}

/**
 * Whether one more hit of `key` would be within `limit`, without counting
 * it: for refusing early what will only count if it succeeds (a new CIMD
 * app is counted once it is about to be stored, but refused before the fetch).
 */
export async function peekRateLimit(prisma: PrismaClient, key: string, limit: number, windowSeconds: number, now = new Date()): Promise<RateLimitResult> {
  const { start, retryAfter } = windowAt(now, windowSeconds);
  const row = await prisma.rateLimitWindow.findUnique({ where: { key_windowStart: { key, windowStart: start } }, select: { count: true } });
  const count = row?.count ?? 0;
  return count < limit ? { allowed: true, count } : { allowed: false, count, retryAfter };
}

export type RateLimitResult = { allowed: true; count: number } | { allowed: false; count: number; retryAfter: number };

/** The fixed window `now` falls in, and the seconds until it ends (at least 1, for Retry-After). */
function windowAt(now: Date, windowSeconds: number): { start: Date; retryAfter: number } {
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  return { start, retryAfter: Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000)) };
}

/** Forgets a key's windows (a successful sign-in, an owner's unlock). */
export async function clearRateLimit(prisma: PrismaClient, key: string): Promise<number> {
  return (await prisma.rateLimitWindow.deleteMany({ where: { key } })).count;
}

/** The bucket of every request whose source is not known. */
export const SHARED_BUCKET = "global";

/**
 * The rate-limit bucket of a request. Route handlers do not see the peer
 * address, so: the last `X-Forwarded-For` entry when the operator says a
 * proxy sets it (TRUST_PROXY=1), otherwise one bucket shared by everyone.
 */
export function sourceBucket(headers: Headers, trustProxy: boolean): string {
  return trustedSource(headers, trustProxy) ?? SHARED_BUCKET;
}

/**
 * The requester's address as the trusted proxy names it; null without
 * TRUST_PROXY (then nobody can be told apart). The last entry is the one
 * the proxy in front of us added: a proxy that appends keeps whatever the
 * client sent in front of it, so an earlier entry would let a client pick
 * its own bucket.
 */
export function trustedSource(headers: Headers, trustProxy: boolean): string | null {
  if (!trustProxy) return null;
  const last = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return last ? last.slice(0, 64) : "unknown";
}
