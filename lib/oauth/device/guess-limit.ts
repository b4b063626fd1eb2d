import type { OAuthContext } from "../context";

/**
 * Limits on guessing user codes (RFC 8628 §5.1), counted in the database so
 * they hold across instances: wrong codes per signed-in user (an account
 * guessing) and wrong codes of everyone together (many accounts guessing,
 * which no per-user limit sees). With 2.6·10^10 codes, a user's 10 per
 * quarter hour, or everyone's 1,000, find one of a thousand live codes with
 * a chance below 1 in 25 million, resp. 1 in 250,000 per ten-minute life.
 */
export const WRONG_CODES_PER_USER = { limit: 10, windowSeconds: 15 * 60 };
export const WRONG_CODES_OVERALL = { limit: 1000, windowSeconds: 15 * 60 };

const keys = (userId: string) => [
  { key: `device-code:user:${userId}`, ...WRONG_CODES_PER_USER },
  { key: "device-code:all", ...WRONG_CODES_OVERALL },
];

/** Whether this user may try a code now (nothing counted). */
export async function mayGuess(ctx: OAuthContext, userId: string, now: Date): Promise<boolean> {
  const checks = await Promise.all(keys(userId).map((k) => ctx.store.peekRateLimit({ ...k, now })));
  return checks.every(Boolean);
}

/** Counts a code that matched no usable device authorization. */
export async function countWrongCode(ctx: OAuthContext, userId: string, now: Date): Promise<void> {
  for (const k of keys(userId)) await ctx.store.hitRateLimit({ ...k, now });
}
