import { z } from "zod";
import { envInt, parseEnv } from "../../env-schema";

/**
 * Bounds on stored pending authorization requests (a row per sign-in or
 * consent in progress, created by anyone who opens /oauth2/authorize).
 * Reaching a bound evicts that source's, or everyone's, oldest requests
 * rather than refusing new ones: a flood then costs its sender their own
 * older requests, and costs others only when it outruns `max` within the
 * time a user takes to sign in. From the environment, documented in
 * .env.example and the README.
 */
export interface PendingRequestLimits {
  /** Pending requests kept in total (AUTHORIZE_PENDING_MAX). */
  max: number;
  /** Kept per source address, when TRUST_PROXY names it (AUTHORIZE_PENDING_PER_SOURCE). */
  perSource: number;
}

export const DEFAULT_PENDING_LIMITS: PendingRequestLimits = { max: 10_000, perSource: 50 };

const envSchema = z.object({
  AUTHORIZE_PENDING_MAX: envInt(DEFAULT_PENDING_LIMITS.max, 100, 10_000_000),
  AUTHORIZE_PENDING_PER_SOURCE: envInt(DEFAULT_PENDING_LIMITS.perSource, 1, 1_000_000),
});

export const PENDING_VARIABLES = Object.keys(envSchema.shape);

/** Parses the bounds; bad values throw one error naming each variable, one per line. */
export function parsePendingLimits(env: Record<string, string | undefined>): PendingRequestLimits {
  const e = parseEnv(envSchema, env);
  return { max: e.AUTHORIZE_PENDING_MAX, perSource: e.AUTHORIZE_PENDING_PER_SOURCE };
}
