import { z } from "zod";
import { invalidInput } from "../domain-error";
import { isUnstorable } from "../text";
import { fieldMessages } from "../zod-fields";
import { CONNECTION_KINDS, PRESETS, type ConnectionKind } from "./presets";

const storable = (s: string) => !isUnstorable(s);

/** In URLs (the callback the owner registers upstream) and the `idp` claim. "email" names the built-in connection. */
export const connectionSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "must be 1-40 lower-case letters, digits or -, starting with a letter or digit" })
  .refine((slug) => slug !== "email", { error: "is the built-in email-and-password connection's name" });

const isLoopbackHost = (host: string) => host === "localhost" || host === "127.0.0.1" || host === "[::1]";

/**
 * An OpenID Connect issuer: https, or http on a loopback host (a development
 * IdP on this machine). Any address: pointing at an internal IdP is the
 * owner's choice (docs/reference/sign-in-connections.md).
 */
export const issuerUrl = z
  .string()
  .trim()
  .max(2000, { error: "must be at most 2,000 characters" })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        if (url.search || url.hash || url.username || url.password) return false;
        return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
      } catch {
        return false;
      }
    },
    { error: "must be an https URL without query or fragment (http only on localhost, 127.0.0.1 or [::1])" },
  );

const text = (max: number) =>
  z.string().trim().min(1, { error: "is required" }).max(max, { error: `must be at most ${max} characters` }).refine(storable, { error: "must not contain NUL characters" });

const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, { error: "must be scope tokens (RFC 6749 §3.3)" });
const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "must be a domain name such as example.com" });

const fields = {
  name: text(60),
  level: z.enum(["project", "app"]),
  enabled: z.boolean(),
  issuer: issuerUrl.nullable(),
  client_id: text(255),
  client_secret: text(1000),
  scopes: z.array(scopeToken).min(1, { error: "must list at least one scope" }).max(20).transform((list) => [...new Set(list)]),
  allowed_email_domains: z.array(emailDomain).max(50).transform((list) => [...new Set(list)]),
  link_verified_email: z.boolean(),
  /** App-level connections: the first-party apps (client_ids) that offer it. */
  apps: z.array(z.string().min(1).max(2000).refine(storable)).max(1000).transform((list) => [...new Set(list)]),
};

export const connectionCreateSchema = z.strictObject({
  slug: connectionSlug,
  kind: z.enum(CONNECTION_KINDS),
  ...fields,
  level: fields.level.default("project"),
  enabled: fields.enabled.default(true),
  issuer: fields.issuer.optional(),
  scopes: fields.scopes.optional(),
  allowed_email_domains: fields.allowed_email_domains.default([]),
  link_verified_email: fields.link_verified_email.default(false),
  apps: fields.apps.default([]),
});
export type ConnectionCreateInput = z.output<typeof connectionCreateSchema>;

// A patch has no defaults: a field left out stays as it is. The slug and kind are fixed (the callback URL registered upstream names the slug).
export const connectionPatchSchema = z.strictObject(
  Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]>;
  },
);
export type ConnectionPatch = z.output<typeof connectionPatchSchema>;

/** Parses with a zod schema, turning issues into invalid-input fields (wire names). */
export function parseConnectionInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidInput(fieldMessages(result.error, "is not a connection setting"));
}

/**
 * The settings a connection of `kind` ends up with: a preset's fixed issuer
 * and default scopes; a generic OpenID Connect connection needs its issuer
 * and asks for `openid`.
 */
export function settingsForKind(
  kind: ConnectionKind,
  given: { issuer?: string | null; scopes?: string[] },
): { issuer: string | null; scopes: string[] } {
  const preset = PRESETS[kind];
  const problems: Record<string, string> = {};
  let issuer: string | null;
  if (preset.issuer === "owner") {
    issuer = given.issuer ?? null;
    if (!issuer) problems.issuer = "is required for an OpenID Connect connection";
  } else {
    if (given.issuer && given.issuer !== preset.issuer) problems.issuer = `is fixed for ${preset.label}`;
    issuer = preset.issuer;
  }
  const scopes = given.scopes ?? [...preset.defaultScopes];
  if (preset.protocol === "oidc" && !scopes.includes("openid")) problems.scopes = "must include openid (an OpenID Connect sign-in)";
  if (Object.keys(problems).length) throw invalidInput(problems);
  return { issuer, scopes };
}
