import { z } from "zod";
import type { Config } from "../config";
import { DEFAULT_REFRESH_REUSE_S, MAX_ACCESS_TOKEN_TTL_S, MAX_REFRESH_REUSE_S } from "../oauth/lifetimes";
import { isUnstorable, UNSTORABLE_MESSAGE } from "../text";
import { invalidInput } from "../domain-error";
import { fieldMessages } from "../zod-fields";
import { CLIENT_TYPES, credentialKind, DEFAULT_SCOPES, FULL_ACCESS, mayHoldFullAccess, policyFor, TOKEN_ENDPOINT_AUTH_METHODS, typesInWords, type ClientType, type ConnectedAppType } from "./policy";
import { redirectUriProblem } from "./redirect-uris";
import { jwksUriProblem, parseClientJwks, type ClientJwks } from "./client-jwks";

/** Text PostgreSQL can store (no NUL, no lone surrogates): bad input is a 400, never a failed query. */
const text = () => z.string().refine((v) => !isUnstorable(v), { error: UNSTORABLE_MESSAGE });

/** RFC 6749 §3.3 scope-token characters. */
export const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, { error: "is not a valid scope name" });
const httpsUrl = z
  .url({ protocol: /^https$/, error: "must be an https URL" })
  .max(2000)
  .nullable();

/** A client's public keys (client-jwks.ts): stored with only their public members; a private key is refused, saying so. */
const jwks = z.unknown().transform((value, ctx): ClientJwks => {
  const parsed = parseClientJwks(value);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  return parsed as ClientJwks;
});
const jwksUri = text().max(2000).refine((v) => jwksUriProblem(v) === null, { error: (issue) => jwksUriProblem(issue.input as string) ?? "is not a valid URL" });

/** Settings an owner may set, with their wire (snake_case) names. */
export const settingsShape = {
  name: text().trim().min(1, { error: "is required" }).max(100, { error: "must be at most 100 characters" }),
  description: text().trim().max(1000).nullable(),
  redirect_uris: z.array(text()).max(20, { error: "at most 20 redirect URIs" }),
  post_logout_redirect_uris: z.array(text()).max(20, { error: "at most 20 URIs" }),
  logo_uri: httpsUrl,
  client_uri: httpsUrl,
  allowed_scopes: z.array(scopeToken).max(100),
  skip_consent: z.boolean(),
  bypass_consent_for_offline_access: z.boolean(),
  full_access_allowed: z.boolean(),
  device_flow_enabled: z.boolean(),
  access_token_ttl_seconds: z.int().min(60, { error: "must be at least 60" }).max(MAX_ACCESS_TOKEN_TTL_S, { error: `must be at most ${MAX_ACCESS_TOKEN_TTL_S} (24 hours)` }),
  refresh_token_reuse_seconds: z.int().min(0, { error: "must be at least 0" }).max(MAX_REFRESH_REUSE_S, { error: `must be at most ${MAX_REFRESH_REUSE_S}` }),
  require_par: z.boolean(),
  require_dpop: z.boolean(),
  id_token_signed_response_alg: z.enum(["RS256", "ES256", "HS256"]),
  token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS, { error: `must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(", ")}` }),
  jwks: jwks.nullable(),
  jwks_uri: jwksUri.nullable(),
  status: z.enum(["active", "disabled"]),
};

export const createAppSchema = z
  .object({ client_type: z.enum(CLIENT_TYPES as [ConnectedAppType, ...ConnectedAppType[]], { error: `must be one of ${CLIENT_TYPES.join(", ")}` }) })
  .extend(settingsShape)
  .partial()
  .required({ client_type: true, name: true })
  .strict();

export const updateAppSchema = z.object(settingsShape).partial().extend({ client_type: z.string().optional() }).strict();

export type CreateAppInput = z.input<typeof createAppSchema>;
export type UpdateAppInput = z.input<typeof updateAppSchema>;
export type AppSettings = z.output<typeof createAppSchema>;

/** What a new app gets for each setting it does not name. */
export const DEFAULT_SETTINGS = {
  description: null,
  redirect_uris: [] as string[],
  post_logout_redirect_uris: [] as string[],
  logo_uri: null,
  client_uri: null,
  allowed_scopes: [...DEFAULT_SCOPES] as string[],
  skip_consent: false,
  bypass_consent_for_offline_access: false,
  full_access_allowed: false,
  device_flow_enabled: false,
  access_token_ttl_seconds: 3600,
  refresh_token_reuse_seconds: DEFAULT_REFRESH_REUSE_S,
  require_par: false,
  require_dpop: false,
  id_token_signed_response_alg: "RS256" as const,
  jwks: null,
  jwks_uri: null,
  status: "active" as const,
};

export type FullSettings = Required<{ [K in keyof typeof settingsShape]: z.output<(typeof settingsShape)[K]> }>;

/** Zod issues as per-field messages, in the words of app settings. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  return fieldMessages(error, "is not a known setting");
}

/**
 * What the deployment relaxes: under `next dev` confidential types may use
 * http://localhost redirect URIs. Passed in by the caller (the app layer reads
 * the configuration once); strict when not said.
 */
export type InputRules = Pick<Config, "development">;
export const STRICT: InputRules = { development: false };

/** Parses create input and fills defaults; throws an invalid-input DomainError. */
export function parseCreateInput(input: unknown, rules: InputRules): { clientType: ClientType; settings: FullSettings } {
  const parsed = createAppSchema.safeParse(input);
  if (!parsed.success) {
    const type = (input as { client_type?: unknown } | null)?.client_type;
    throw invalidInput({
      ...(CLIENT_TYPES.includes(type as ConnectedAppType) ? redirectUriProblems(type as ClientType, input, rules) : {}),
      ...fieldErrors(parsed.error),
    });
  }
  const { client_type, ...rest } = parsed.data;
  // A new app authenticates with the first method its type lists (a secret, or none for public types) unless told otherwise.
  const method = { token_endpoint_auth_method: policyFor(client_type).tokenEndpointAuthMethods[0]! };
  const settings = { ...DEFAULT_SETTINGS, ...method, ...stripUndefined(rest) } as FullSettings;
  checkAgainstPolicy(client_type, settings, rules);
  return { clientType: client_type, settings };
}

/** Parses a partial update, merges it over the current settings and checks the result. */
export function parseUpdateInput(
  clientType: ClientType,
  current: FullSettings,
  input: unknown,
  rules: InputRules,
): Partial<FullSettings> {
  const parsed = updateAppSchema.safeParse(input);
  if (!parsed.success) {
    throw invalidInput({ ...redirectUriProblems(clientType, input, rules), ...fieldErrors(parsed.error) });
  }
  const { client_type, ...patch } = parsed.data;
  if (client_type !== undefined && client_type !== clientType) {
    throw invalidInput({ client_type: "cannot be changed after creation; create a new app instead" });
  }
  const changes = stripUndefined(patch) as Partial<FullSettings>;
  checkAgainstPolicy(clientType, { ...current, ...changes }, rules);
  return changes;
}

/**
 * Per-URI problems of the redirect URI lists in (possibly otherwise invalid)
 * input, so one submission reports them together with any other mistake.
 */
function redirectUriProblems(type: ClientType, input: unknown, rules: InputRules): Record<string, string> {
  const rule = policyFor(type).redirectUris;
  const fields: Record<string, string> = {};
  for (const list of ["redirect_uris", "post_logout_redirect_uris"] as const) {
    const uris = (input as Record<string, unknown> | null)?.[list];
    if (!Array.isArray(uris)) continue;
    uris.forEach((uri, i) => {
      if (typeof uri !== "string") return;
      const problem = redirectUriProblem(uri, rule, rules);
      if (problem) fields[`${list}[${i}]`] = `${uri} ${problem}`;
    });
    if (new Set(uris).size !== uris.length) fields[list] ??= "must not contain duplicates";
  }
  return fields;
}

/** The named policy checks of lib/clients/policy.ts applied to full settings. */
function checkAgainstPolicy(type: ClientType, s: FullSettings, rules: InputRules): void {
  const policy = policyFor(type);
  const fields: Record<string, string> = redirectUriProblems(type, s, rules);
  const skippable = typesInWords((p) => p.consentSkippable);
  if (s.skip_consent && !policy.consentSkippable) fields.skip_consent = `only ${skippable} may skip consent`;
  if (s.bypass_consent_for_offline_access && !policy.consentSkippable) {
    fields.bypass_consent_for_offline_access = `only ${skippable} may bypass consent for offline_access`;
  }
  if (s.full_access_allowed && !policy.fullAccessEligible) {
    fields.full_access_allowed = `only ${typesInWords((p) => p.fullAccessEligible)} may be allowed full_access`;
  }
  if (s.allowed_scopes.includes(FULL_ACCESS) && !mayHoldFullAccess({ clientType: type, fullAccessAllowed: s.full_access_allowed })) {
    fields.allowed_scopes = policy.fullAccessEligible
      ? "full_access needs full_access_allowed"
      : `${typesInWords((p) => !p.fullAccessEligible)} can never get full_access`;
  }
  if (s.device_flow_enabled && !policy.deviceFlow) {
    fields.device_flow_enabled = `only ${typesInWords((p) => p.deviceFlow)} may use the device flow`;
  }
  if (!policy.idTokenAlgs.includes(s.id_token_signed_response_alg)) {
    fields.id_token_signed_response_alg = `must be one of ${policy.idTokenAlgs.join(", ")} for this app type`;
  }
  Object.assign(fields, keyProblems(type, s));
  if (Object.keys(fields).length) throw invalidInput(fields);
}

/** The settings keyProblems reads: the method, the keys, and the ID token algorithm (HS256 needs a secret). */
export type KeySettings = Pick<FullSettings, "token_endpoint_auth_method" | "jwks" | "jwks_uri" | "id_token_signed_response_alg">;

/**
 * The authentication method and its keys, for connected apps and machine
 * clients alike: a method the type allows; private_key_jwt with exactly one
 * of jwks and jwks_uri (RFC 7591 §2); keys only for types that can use
 * them; no HS256 ID tokens without a secret to key them with.
 */
export function keyProblems(type: ClientType, s: KeySettings): Record<string, string> {
  const methods = policyFor(type).tokenEndpointAuthMethods;
  const keyTypes = typesInWords((p) => p.tokenEndpointAuthMethods.includes("private_key_jwt"));
  const fields: Record<string, string> = {};
  if (!methods.includes(s.token_endpoint_auth_method)) fields.token_endpoint_auth_method = `must be one of ${methods.join(", ")} for this type`;
  if (!methods.includes("private_key_jwt")) {
    if (s.jwks) fields.jwks = `only ${keyTypes} may register keys`;
    if (s.jwks_uri) fields.jwks_uri = `only ${keyTypes} may register keys`;
    return fields;
  }
  if (s.jwks && s.jwks_uri) fields.jwks_uri = "cannot be set together with jwks: register the keys or where to fetch them, not both";
  if (credentialKind(s.token_endpoint_auth_method) === "key") {
    if (!s.jwks && !s.jwks_uri) fields.jwks = "private_key_jwt needs the client's public keys: set jwks or jwks_uri";
    if (s.id_token_signed_response_alg === "HS256") {
      fields.id_token_signed_response_alg = "HS256 is keyed with the client secret, which an app using private_key_jwt does not have";
    }
  }
  return fields;
}

/** The members of `value` that are set (a parsed partial input, without the keys zod left undefined). */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
