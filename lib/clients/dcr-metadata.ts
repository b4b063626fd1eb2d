import { createHash } from "node:crypto";
import { z } from "zod";
import type { ConnectedApp } from "../db/generated/client.ts";
import { OAuthError } from "../oauth/oauth-error";
import { isUnstorable } from "../text";
import { wireName } from "../zod-fields";
import { isLoopbackHttp } from "./redirect-uris";
import { DEFAULT_SCOPES, selfRegisteredType, type ClientType } from "./policy";

/**
 * Scopes a self-registered client may hold: its requested `scope`
 * intersected with this list (all of it when `scope` is absent). Never
 * full_access. `offline_access` follows the `refresh_token` grant type.
 */

/** Name given to a registration without `client_name` (the dashboard needs one). */
export const UNNAMED_CLIENT = "Unnamed client";

const SUPPORTED_GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
const AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post", "private_key_jwt"] as const;
export type RegisteredAuthMethod = (typeof AUTH_METHODS)[number];

const text = (max: number) =>
  z
    .string({ error: "must be a string" })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((v) => !isUnstorable(v), { error: "must not contain NUL characters or unpaired surrogates" });
const httpsUri = text(2000).refine((v) => URL.canParse(v) && new URL(v).protocol === "https:", { error: "must be an https URL" });
/** RFC 7591 §2 members this server registers; anything else is ignored. A null counts as absent. */
const metadataSchema = (maxRedirectUris: number) =>
  z.object({
    redirect_uris: z
      .array(text(2000), { error: "is required (an array of URIs)" })
      .min(1, { error: "must list at least one URI" })
      .max(maxRedirectUris, { error: `must list at most ${maxRedirectUris} URIs` }),
    client_name: text(100).trim().min(1, { error: "must not be empty" }).nullish(),
    client_uri: httpsUri.nullish(),
    logo_uri: httpsUri.nullish(),
    tos_uri: httpsUri.nullish(),
    policy_uri: httpsUri.nullish(),
    scope: text(1000).nullish(),
    grant_types: z
      .array(z.enum(SUPPORTED_GRANT_TYPES, { error: `supports only ${SUPPORTED_GRANT_TYPES.join(" and ")}` }))
      .min(1, { error: "must not be empty" })
      .nullish(),
    response_types: z.array(z.literal("code", { error: "supports only code" })).min(1, { error: "must not be empty" }).nullish(),
    token_endpoint_auth_method: z.enum(AUTH_METHODS, { error: `must be one of ${AUTH_METHODS.join(", ")}` }).nullish(),
    // private_key_jwt (RFC 7591 §2): checked as an owner's keys are (client-jwks.ts) when the app is stored.
    jwks: z.unknown().nullish(),
    jwks_uri: text(2000).nullish(),
    contacts: z.array(text(320).min(1)).max(10, { error: "must list at most 10 contacts" }).nullish(),
    software_id: text(200).nullish(),
    software_version: text(200).nullish(),
    application_type: z.enum(["web", "native"], { error: "must be web or native" }).nullish(),
  });

/** Registered metadata, normalized (sorted, de-duplicated, defaults applied). */
export interface DcrMetadata {
  clientType: ClientType;
  authMethod: RegisteredAuthMethod;
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  clientUri: string | null;
  logoUri: string | null;
  tosUri: string | null;
  policyUri: string | null;
  contacts: string[];
  softwareId: string | null;
  softwareVersion: string | null;
  applicationType: "web" | "native" | null;
  jwks: unknown;
  jwksUri: string | null;
}

const metadataError = (field: string, message: string) =>
  new OAuthError(field.startsWith("redirect_uris") ? "invalid_redirect_uri" : "invalid_client_metadata", `${field} ${message}`);

/**
 * Validates an RFC 7591 registration body (steps: shape and lengths, the
 * application_type's redirect URIs, scope intersection) into normalized
 * metadata. Throws `invalid_redirect_uri` / `invalid_client_metadata`
 * (RFC 7591 §3.2.2) whose description names the field. The client-type
 * policy (app-input) checks the redirect URIs again when the app is stored.
 */
export function parseDcrMetadata(body: unknown, maxRedirectUris: number): DcrMetadata {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new OAuthError("invalid_client_metadata", "the request body must be a JSON object");
  }
  const parsed = metadataSchema(maxRedirectUris).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw metadataError(wireName(issue.path), issue.message);
  }
  const m = parsed.data;
  const authMethod = m.token_endpoint_auth_method ?? "client_secret_basic"; // RFC 7591 §2 default
  const redirectUris = [...new Set(m.redirect_uris)].sort();
  checkApplicationType(m.application_type ?? null, m.redirect_uris);
  const grantTypes = [...new Set(m.grant_types ?? ["authorization_code"])].sort();
  if (!grantTypes.includes("authorization_code")) {
    throw metadataError("grant_types", "must include authorization_code (the only flow that issues tokens to a registered client)");
  }
  return {
    clientType: selfRegisteredType("dcr", authMethod),
    authMethod,
    name: m.client_name ?? UNNAMED_CLIENT,
    redirectUris,
    grantTypes,
    scopes: registeredScopes(m.scope ?? null, grantTypes.includes("refresh_token")),
    clientUri: onRedirectHost(m.client_uri, redirectUris),
    logoUri: onRedirectHost(m.logo_uri, redirectUris),
    tosUri: onRedirectHost(m.tos_uri, redirectUris),
    policyUri: onRedirectHost(m.policy_uri, redirectUris),
    contacts: [...new Set(m.contacts ?? [])].sort(),
    softwareId: m.software_id ?? null,
    softwareVersion: m.software_version ?? null,
    applicationType: m.application_type ?? null,
    jwks: m.jwks ?? null,
    jwksUri: m.jwks_uri ?? null,
  };
}

/**
 * A self-asserted page or logo URL, kept only when it is on the host of one
 * of the client's redirect URIs (RFC 7591 §5 lets the server drop what it
 * will not trust): otherwise a client could borrow another app's logo and
 * address and send users somewhere else entirely. Dropped, not refused:
 * MCP clients with only loopback redirect URIs often name their project
 * page, and registration must still work for them.
 */
function onRedirectHost(uri: string | null | undefined, redirectUris: readonly string[]): string | null {
  if (!uri) return null;
  const host = new URL(uri).hostname;
  return redirectUris.some((r) => URL.canParse(r) && new URL(r).protocol === "https:" && new URL(r).hostname === host) ? uri : null;
}

/**
 * OIDC Registration §2 application_type, checked only when sent (MCP clients
 * register loopback redirect URIs without it): web → https only; native →
 * loopback http or a private-use scheme (RFC 8252 §7.1, §7.3).
 */
function checkApplicationType(type: "web" | "native" | null, uris: string[]): void {
  uris.forEach((uri, i) => {
    if (!type || !URL.canParse(uri)) return;
    const url = new URL(uri);
    const custom = !["http:", "https:"].includes(url.protocol);
    if (type === "web" && url.protocol !== "https:") {
      throw metadataError(`redirect_uris[${i}]`, "must use https for application_type web");
    }
    if (type === "native" && !isLoopbackHttp(url) && !custom) {
      throw metadataError(`redirect_uris[${i}]`, "must be a loopback http URI or a private-use scheme for application_type native");
    }
  });
}

/** The requested scopes within DEFAULT_SCOPES; offline_access exactly when refresh tokens are asked for. */
function registeredScopes(scope: string | null, refresh: boolean): string[] {
  const requested = scope === null ? [...DEFAULT_SCOPES] : scope.split(" ").filter(Boolean);
  const allowed: string[] = DEFAULT_SCOPES.filter(
    (s) => s !== "offline_access" && requested.includes(s),
  );
  if (refresh) allowed.push("offline_access");
  if (allowed.length === 0) {
    throw metadataError("scope", `must include at least one of ${DEFAULT_SCOPES.join(", ")}`);
  }
  return allowed;
}

/**
 * The deduplication key of a public registration: SHA-256 of its normalized
 * metadata. Equal keys ⇔ equal registrations, so the unique column makes two
 * identical registrations at once one client.
 */
export function dedupKey(m: DcrMetadata): string {
  return createHash("sha256").update(JSON.stringify(m), "utf8").digest("base64url");
}

/** Settings for app-input's validation (the client-type policy table). */
export function appInputOf(m: DcrMetadata) {
  return {
    client_type: m.clientType,
    name: m.name,
    redirect_uris: m.redirectUris,
    logo_uri: m.logoUri,
    client_uri: m.clientUri,
    allowed_scopes: m.scopes,
    token_endpoint_auth_method: m.authMethod,
    jwks: m.jwks,
    jwks_uri: m.jwksUri,
  };
}

/** Columns of the RFC 7591 metadata app-input does not know. */
export function extraColumnsOf(m: DcrMetadata) {
  return {
    contacts: m.contacts,
    tosUri: m.tosUri,
    policyUri: m.policyUri,
    softwareId: m.softwareId,
    softwareVersion: m.softwareVersion,
    applicationType: m.applicationType,
  };
}

/**
 * The RFC 7591 §3.2.1 / RFC 7592 §3 client information of a stored app
 * (without credentials). Absent optional members are left out, never null.
 * `token_endpoint_auth_method` is the registered one (a secret client may
 * use either secret method).
 */
export function clientInformation(app: ConnectedApp, registrationClientUri: string) {
  const optional = {
    client_uri: app.clientUri,
    logo_uri: app.logoUri,
    tos_uri: app.tosUri,
    policy_uri: app.policyUri,
    software_id: app.softwareId,
    software_version: app.softwareVersion,
    application_type: app.applicationType,
    jwks_uri: app.jwksUri,
  };
  return {
    client_id: app.clientId,
    client_id_issued_at: Math.floor(app.createdAt.getTime() / 1000),
    client_name: app.name,
    redirect_uris: app.redirectUris,
    grant_types: app.allowedScopes.includes("offline_access") ? ["authorization_code", "refresh_token"] : ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: app.tokenEndpointAuthMethod,
    scope: app.allowedScopes.join(" "),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
    ...(app.contacts.length ? { contacts: app.contacts } : {}),
    ...(app.jwks ? { jwks: app.jwks } : {}),
    registration_client_uri: registrationClientUri,
  };
}
