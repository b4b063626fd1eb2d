import { z } from "zod";
import { envInt as int, parseEnv } from "../env-schema";
import { B64TOKEN } from "../oauth/bearer-header";

/**
 * Limits of Dynamic Client Registration (RFC 7591), from the environment:
 * parsed beside the registration endpoint, part of the one configuration
 * (`getConfig().dcr`, lib/config.ts); documented in .env.example and the README.
 */
export interface DcrConfig {
  /** When set, `POST /oauth2/register` needs `Authorization: Bearer <this>` (RFC 7591 §3, initial access token). */
  initialAccessToken: string | undefined;
  /** Largest accepted registration body, in bytes. */
  maxBodyBytes: number;
  maxRedirectUris: number;
  /** New clients a source may register per window (refused and deduplicated registrations do not count). */
  rateLimit: number;
  rateLimitWindowSeconds: number;
}

const envSchema = z.object({
  DCR_INITIAL_ACCESS_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    // Clients send it in a Bearer header, which carries only these characters.
    .refine((v) => v === undefined || B64TOKEN.test(v), "must be a bearer token: letters, digits, - . _ ~ + / (and = at the end)"),
  DCR_MAX_BODY_BYTES: int(16_384, 1024, 1_048_576),
  DCR_MAX_REDIRECT_URIS: int(10, 1, 20),
  // 60 new clients per 10 minutes and source: room for a burst of MCP clients onboarding, and a flood blocks for minutes, not an hour.
  DCR_RATE_LIMIT: int(60, 1, 1_000_000),
  DCR_RATE_LIMIT_WINDOW_SECONDS: int(600, 1, 86_400),
});

export const DCR_VARIABLES = Object.keys(envSchema.shape);

/** Parses the DCR limits; bad values throw one error naming each variable, one per line. */
export function parseDcrConfig(env: Record<string, string | undefined>): DcrConfig {
  const e = parseEnv(envSchema, env);
  return {
    initialAccessToken: e.DCR_INITIAL_ACCESS_TOKEN,
    maxBodyBytes: e.DCR_MAX_BODY_BYTES,
    maxRedirectUris: e.DCR_MAX_REDIRECT_URIS,
    rateLimit: e.DCR_RATE_LIMIT,
    rateLimitWindowSeconds: e.DCR_RATE_LIMIT_WINDOW_SECONDS,
  };
}
