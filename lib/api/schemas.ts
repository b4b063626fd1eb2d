import { z } from "zod";
import { APP_VIEW_FIELDS, type AppView } from "../clients/app-view";
import { TOKEN_ENDPOINT_AUTH_METHODS } from "../clients/policy";
import { CLIENT_ASSERTION_ALGS } from "../clients/client-jwks";
import { AppStatus, ClientType, CreationMethod } from "../db/generated/enums.ts";
import { projectSettingsSchema } from "../settings";
import { API_ERROR_CODES } from "./api-error";

/**
 * Wire schemas of the management API's responses. They type the responses
 * (every app goes through `toWireApp`) and become the OpenAPI document's
 * component schemas (lib/api/openapi.ts), so the two cannot drift apart.
 */

const authMethods = TOKEN_ENDPOINT_AUTH_METHODS;

/** A public JWK as the app and machine-client views show it (only the members a signature check needs). */
const jwkSchema = z.object({
  kty: z.enum(["RSA", "EC", "OKP"]),
  kid: z.string().optional(),
  use: z.literal("sig").optional(),
  alg: z.enum(CLIENT_ASSERTION_ALGS).optional(),
  n: z.string().optional(),
  e: z.string().optional(),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
});

/** A registered JWK Set (private_key_jwt), as connected apps and machine clients show it. */
export const clientJwksSchema = z.object({ keys: z.array(jwkSchema) });
export const JWKS_KEY_IDS_DOC = "The registered keys' kids (a key without one: `thumbprint:` and its RFC 7638 thumbprint); empty for a jwks_uri";

/** A connected app as every endpoint returns it (AppView, lib/clients/app-view.ts). Never holds a secret. */
export const connectedAppSchema = z
  .object({
    client_id: z.string().meta({ description: "Public identifier (`ca_` + 128 random bits)" }),
    name: z.string(),
    description: z.string().nullable(),
    client_type: z.enum(ClientType).meta({ description: "Fixed at creation" }),
    is_first_party: z.boolean().meta({ description: "Derived from client_type" }),
    is_public: z.boolean().meta({ description: "Derived from client_type: true when the app has no client secret" }),
    token_endpoint_auth_methods: z.array(z.enum(authMethods)).meta({ description: "Derived from client_type" }),
    redirect_uris: z.array(z.string()),
    post_logout_redirect_uris: z.array(z.string()),
    logo_uri: z.string().nullable(),
    client_uri: z.string().nullable(),
    allowed_scopes: z.array(z.string()),
    skip_consent: z.boolean(),
    bypass_consent_for_offline_access: z.boolean(),
    full_access_allowed: z.boolean(),
    device_flow_enabled: z.boolean().meta({ description: "May use the device authorization grant (RFC 8628): POST /oauth2/device_authorization and grant_type urn:ietf:params:oauth:grant-type:device_code" }),
    access_token_ttl_seconds: z.int(),
    refresh_token_reuse_seconds: z.int().meta({
      description: "Public apps: seconds after a refresh in which the spent refresh token may be presented once more (a lost answer) without counting as a replay; 0 to 60",
    }),
    require_par: z.boolean().meta({
      description: "Its authorization requests must be pushed first (RFC 9126, `POST /oauth2/par`); a plain one is refused with `invalid_request`",
    }),
    require_dpop: z.boolean().meta({ description: "Token requests must carry a DPoP proof (RFC 9449) with the server's nonce: every access token is sender-constrained" }),
    id_token_signed_response_alg: z.enum(["RS256", "ES256", "HS256"]),
    token_endpoint_auth_method: z.enum(authMethods).meta({ description: "How the app authenticates at the token endpoint; a secret app never authenticates with a key, nor a key app with a secret" }),
    jwks: clientJwksSchema.nullable().meta({ description: "private_key_jwt: the app's public keys (JWK Set)" }),
    jwks_uri: z.string().nullable().meta({ description: "private_key_jwt: where the app publishes its public keys (https)" }),
    jwks_key_ids: z.array(z.string()).meta({ description: JWKS_KEY_IDS_DOC }),
    creation_method: z.enum(CreationMethod),
    status: z.enum(AppStatus),
    client_secret_last4: z.string().nullable().meta({ description: "Last four characters of the current secret; null for public apps" }),
    next_client_secret_last4: z
      .string()
      .nullable()
      .meta({ description: "Last four characters of the second secret while a rotation is in progress" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ description: "A connected app (OAuth client). Never holds a secret." });

export type WireApp = z.output<typeof connectedAppSchema>;

/** What a read returns: the app, or only the fields named by `?fields=`. */
export const connectedAppFieldsSchema = connectedAppSchema.partial().meta({
  description: "A connected app: every field, or only those named by the `fields` query parameter",
});

/** Create and start-rotation responses: the app plus its new secret, shown this once. */
export const connectedAppWithSecretSchema = connectedAppSchema
  .extend({
    client_secret: z.string().meta({ description: "The new client secret. Shown only in this response; store it now." }),
  })
  .meta({ description: "A confidential app and its new client secret (shown once)" });

export const connectedAppListSchema = z
  .object({
    data: z.array(connectedAppFieldsSchema),
    next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
  })
  .meta({ description: "One page of connected apps, oldest first" });

/** One user's authorization of one app (a grant), as seen from the app. */
export const authorizedUserSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
    scopes: z.array(z.string()).meta({ description: "Every scope the user has granted this app" }),
    granted_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ description: "A user who has authorized the app" });

export const authorizedUserListSchema = z
  .object({ data: z.array(authorizedUserSchema) })
  .meta({ description: "The users who authorized an app, most recent first (at most 100)" });

/** One user's authorization of one app, as seen from the user. */
export const authorizedAppSchema = z
  .object({
    client_id: z.string(),
    name: z.string(),
    is_first_party: z.boolean(),
    scopes: z.array(z.string()),
    granted_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ description: "An app the user has authorized" });

export const authorizedAppListSchema = z
  .object({ data: z.array(authorizedAppSchema) })
  .meta({ description: "The apps a user has authorized, most recent first" });

export const projectSettingsPatchSchema = projectSettingsSchema.partial().strict();

export const apiErrorSchema = z
  .object({
    error: z.enum(API_ERROR_CODES),
    error_description: z.string(),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: "A message per invalid field, by wire name (e.g. `redirect_uris[0]`)" }),
  })
  .meta({ description: "Every error response" });

/**
 * An AppView as sent on the wire. Parsing (rather than passing the object
 * through) makes the schema an allowlist: a field added to AppView is not
 * sent until it is described here, and a mismatch fails loudly in tests.
 */
export function toWireApp(view: AppView): WireApp {
  return connectedAppSchema.parse(view);
}

// Compile-time: the wire schema has exactly the fields of AppView (and of
// APP_VIEW_FIELDS, which `?fields=` accepts), and what it lets through is an AppView.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const wireMatchesAppView: [
  SameKeys<WireApp, AppView>,
  SameKeys<WireApp, Record<(typeof APP_VIEW_FIELDS)[number], unknown>>,
  WireApp extends AppView ? true : false,
] = [true, true, true];
void wireMatchesAppView;

/** A create or start-rotation response: the app plus its new secret, when it has one (never `client_secret: null`). */
export function toWireAppWithSecret(view: AppView, clientSecret: string | null): WireApp | z.output<typeof connectedAppWithSecretSchema> {
  const app = toWireApp(view);
  return clientSecret === null ? app : { ...app, client_secret: clientSecret };
}
