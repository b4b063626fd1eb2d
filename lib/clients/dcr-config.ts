import { z } from "zod";
import { B64TOKEN } from "../oauth/bearer-header";

/**
 * Limits of Dynamic Client Registration (RFC 7591), from the environment.
 * Kept apart from lib/config.ts so the registration endpoint's knobs live
 * with it; every variable is documented in .env.example and the README.
 */
export interface DcrConfig {
  /** When set, `POST /oauth2/register` needs `Authorization: Bearer <this>` (RFC 7591 §3, initial access token). */
  initialAccessToken: string | undefined;
  /** Largest accepted registration body, in bytes. */
  maxBodyBytes: number;
  maxRedirectUris: number;
  /** Registrations allowed per source address per window (see rateLimitKey). */
  rateLimit: number;
  rateLimitWindowSeconds: number;
  /** Trust the first `X-Forwarded-For` hop as the source address (only behind a proxy that sets it). */
  trustProxy: boolean;
}

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : Number(v)))
    .pipe(z.number({ error: "must be a number" }).int().min(min).max(max));

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
  DCR_RATE_LIMIT: int(20, 1, 1_000_000),
  DCR_RATE_LIMIT_WINDOW_SECONDS: int(3600, 1, 86_400),
  TRUST_PROXY: z.string().trim().optional().transform((v) => v === "1" || v === "true"),
});

/** Parses the DCR limits; a bad value throws a readable error naming the variable. */
export function parseDcrConfig(env: Record<string, string | undefined>): DcrConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    initialAccessToken: e.DCR_INITIAL_ACCESS_TOKEN,
    maxBodyBytes: e.DCR_MAX_BODY_BYTES,
    maxRedirectUris: e.DCR_MAX_REDIRECT_URIS,
    rateLimit: e.DCR_RATE_LIMIT,
    rateLimitWindowSeconds: e.DCR_RATE_LIMIT_WINDOW_SECONDS,
    trustProxy: e.TRUST_PROXY,
  };
}

let cached: DcrConfig | undefined;

export function getDcrConfig(): DcrConfig {
  cached ??= parseDcrConfig(process.env);
  return cached;
}
