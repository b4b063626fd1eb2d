import type { OAuthContext } from "../context";

/**
 * Limits on guessing user codes (RFC 8628 §5.1), counted in the database so
 * they hold across instances: wrong codes per signed-in user (an account
 * guessing) and wrong codes of everyone together (many accounts guessing,
 * which no per-user limit sees). With 2.6·10^10 codes and a thousand live
 * at once, a user's 10 per quarter hour find one with a chance of 1 in 2.5
 * million, everyone's 1,000 of 1 in 25,000.
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
