/**
 * Turns the dashboard's app forms (FormData) into the wire-named input of
 * lib/clients/apps.ts. Only fields present in the form are sent, so a form
 * that shows fewer settings (the policy hides some for a type) never
 * overwrites the others. Validation itself stays in lib/clients.
 */

/** Settings the forms can hold, with the label each is shown under. */
export const APP_FIELD_LABELS = {
  client_type: "App type",
  name: "Name",
  description: "Description",
  redirect_uris: "Redirect URIs",
  post_logout_redirect_uris: "Post-logout redirect URIs",
  logo_uri: "Logo URL",
  client_uri: "Home page URL",
  allowed_scopes: "Allowed scopes",
  skip_consent: "Skip the consent screen",
  bypass_consent_for_offline_access: "Skip consent for offline access",
  full_access_allowed: "Allow full_access",
  device_flow_enabled: "Enable the device flow",
  access_token_ttl_seconds: "Access token lifetime",
  refresh_token_reuse_seconds: "Refresh token reuse interval",
  require_par: "Require pushed authorization requests",
  require_dpop: "Require DPoP",
  id_token_signed_response_alg: "ID token signing algorithm",
  token_endpoint_auth_method: "Client authentication",
  jwks: "Public keys (JWK Set)",
  jwks_uri: "JWK Set URL",
  status: "Status",
} as const;

export type AppFieldName = keyof typeof APP_FIELD_LABELS;

const LIST_FIELDS = ["redirect_uris", "post_logout_redirect_uris"] as const;
const NULLABLE_TEXT = ["description", "logo_uri", "client_uri", "jwks_uri"] as const;
const PLAIN_TEXT = ["name", "id_token_signed_response_alg", "token_endpoint_auth_method", "status"] as const;
const SECONDS_FIELDS = ["access_token_ttl_seconds", "refresh_token_reuse_seconds"] as const;
const BOOLEAN_FIELDS = new Set(["skip_consent", "bypass_consent_for_offline_access", "full_access_allowed", "device_flow_enabled", "require_par", "require_dpop"]);

/** Each checkbox comes with a hidden `booleans` entry naming it, so an unchecked box still means `false`. */
export const BOOLEAN_MARKER = "booleans";

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

/** One entry per non-empty line (a textarea of URIs). */
export function linesOf(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Scopes separated by spaces, commas or new lines. */
export function scopesOf(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/**
 * The settings present in an app form. `fields` holds problems found before
 * the input reaches lib/clients (a lifetime that is not a whole number).
 */
export function settingsFromForm(form: FormData): { input: Record<string, unknown>; fields: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const fields: Record<string, string> = {};
  for (const name of PLAIN_TEXT) {
    const value = text(form, name);
    if (value !== undefined) input[name] = value;
  }
  for (const name of NULLABLE_TEXT) {
    const value = text(form, name);
    if (value !== undefined) input[name] = value.trim() === "" ? null : value.trim();
  }
  for (const name of LIST_FIELDS) {
    const value = text(form, name);
    if (value !== undefined) input[name] = linesOf(value);
  }
  // A JWK Set is pasted as JSON; blank means none.
  const jwks = text(form, "jwks")?.trim();
  if (jwks !== undefined) {
    try {
      input.jwks = jwks === "" ? null : (JSON.parse(jwks) as unknown);
    } catch {
      fields.jwks = "is not valid JSON (paste a JWK Set: {\"keys\": [ … ]})";
    }
  }
  const scopes = text(form, "allowed_scopes");
  if (scopes !== undefined) input.allowed_scopes = scopesOf(scopes);
  for (const name of SECONDS_FIELDS) {
    const value = text(form, name)?.trim();
    if (value === undefined) continue;
    if (/^\d{1,9}$/.test(value)) input[name] = Number(value);
    else fields[name] = "must be a whole number of seconds";
  }
  for (const name of form.getAll(BOOLEAN_MARKER)) {
    if (typeof name === "string" && BOOLEAN_FIELDS.has(name)) input[name] = form.get(name) === "on";
  }
  return { input, fields };
}

/** The create form: the chosen type plus the settings it shows. */
export function createInputFromForm(form: FormData): { input: Record<string, unknown>; fields: Record<string, string> } {
  const { input, fields } = settingsFromForm(form);
  return { input: { client_type: text(form, "client_type") ?? "", ...input }, fields };
}

/**
 * Messages for one form field out of a result's `fields`: the field itself
 * and its list items (`redirect_uris` collects `redirect_uris[0]`, …).
 */
export function messagesFor(fields: Record<string, string> | undefined, name: string): string[] {
  if (!fields) return [];
  return Object.entries(fields)
    .filter(([key]) => key === name || key.startsWith(`${name}[`))
    .map(([, message]) => message);
}

/** Messages whose field the form does not show (so they can be listed at the top instead). */
export function unplacedMessages(fields: Record<string, string> | undefined, shown: readonly string[]): string[] {
  if (!fields) return [];
  return Object.entries(fields)
    .filter(([key]) => !shown.some((name) => key === name || key.startsWith(`${name}[`)))
    .map(([key, message]) => `${APP_FIELD_LABELS[key as AppFieldName] ?? key}: ${message}`);
}
