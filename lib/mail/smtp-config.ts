import { z } from "zod";
import { parseEnv } from "../env-schema";

/**
 * Where outgoing mail (forgot-password links) goes, from the environment:
 * part of the one configuration (`getConfig().smtp`, lib/config.ts);
 * documented in .env.example and the README. Unset: no mail is sent (the
 * link goes to the server log in development only, lib/account/password-reset.ts).
 */
export interface SmtpConfig {
  /** `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465`; credentials percent-encoded. */
  url: string;
  /** The From address, e.g. `Connected Apps <no-reply@example.com>`. */
  from: string;
}

const envSchema = z.object({
  SMTP_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^smtps?:\/\/[^/?#\s]+/.test(v), "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587"),
  SMTP_FROM: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    // "Name <address>" or a bare address; no line breaks (header injection).
    .refine((v) => v === undefined || /^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(v), "must be an email address or Name <address>"),
});

export const SMTP_VARIABLES = Object.keys(envSchema.shape);

/** Parses the SMTP settings (undefined: no SMTP); `issuer` gives the default sender's domain. */
export function parseSmtpConfig(env: Record<string, string | undefined>, issuer: string): SmtpConfig | undefined {
  const e = parseEnv(envSchema, env);
  if (!e.SMTP_URL) {
    if (e.SMTP_FROM) throw new Error("SMTP_FROM: needs SMTP_URL");
    return undefined;
  }
  return { url: e.SMTP_URL, from: e.SMTP_FROM ?? `Connected Apps <no-reply@${new URL(issuer).hostname}>` };
}
