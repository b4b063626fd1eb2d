import type { PrismaClient } from "../db/generated/client.ts";
import { hitRateLimit } from "../rate-limit";

/**
 * Anonymous forms that cost a password hash per attempt — sign-up and the
 * first-owner setup — are limited per source address, in fixed windows held
 * in the database (every instance counts together). Only when a trusted
 * proxy names the address (TRUST_PROXY): otherwise every visitor shares one
 * bucket, and one stranger could close the form for everyone.
 */
export const FORM_LIMITS = {
  signup: { attempts: 20, windowSeconds: 60 * 60 },
  setup: { attempts: 20, windowSeconds: 60 * 60 },
} as const;

export type ThrottledForm = keyof typeof FORM_LIMITS;

/** Counts an attempt; returns the seconds to wait when the source is over its limit, else null. */
export async function formAttemptWait(
  prisma: PrismaClient,
  form: ThrottledForm,
  source: string | null,
  now = new Date(),
): Promise<number | null> {
  if (source === null) return null;
  const limit = FORM_LIMITS[form];
  const hit = await hitRateLimit(prisma, `${form}:source:${source}`, limit.attempts, limit.windowSeconds, now);
  return hit.allowed ? null : hit.retryAfter;
}

/** What the form says to a throttled source. */
export function tooManyAttempts(retryAfter: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfter / 60));
  return `Too many attempts from your network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
