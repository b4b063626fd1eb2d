import { jwksFieldDocs } from "./openapi-key-fields";
import { componentSchemasOf, SCHEMA, type JsonSchema } from "./openapi-components";
import { createAppSchema, updateAppSchema } from "../clients/app-input";
import { APP_VIEW_FIELDS } from "../clients/app-view";
import { CLIENT_TYPE_LABELS, CLIENT_TYPES, typesInWords } from "../clients/policy";
import { projectSettingsSchema } from "../settings";
import { MAX_BODY_BYTES } from "./body";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./list-query";
import { DEFAULT_REFRESH_REUSE_S, MAX_REFRESH_REUSE_S } from "../oauth/lifetimes";
import { currentUserPaths, currentUserSchemas, currentUserSecurityScheme, USER_TOKEN_SCHEME } from "./openapi-current-user";
import { CLIENT_AUTH_SCHEME, sessionExchangePaths, sessionExchangeSchemas, sessionExchangeSecurityScheme } from "./openapi-session-exchange";
import { rbacParameters, rbacPaths, rbacSchemas } from "./openapi-rbac";
import { MACHINE_CLIENTS_TAG, machineClientPaths, machineClientSchemas } from "./openapi-machine-clients";
import { CONNECTIONS_TAG, connectionParameters, connectionPaths, connectionSchemas } from "./openapi-connections";
import {
  apiErrorSchema,
  authorizedAppListSchema,
  authorizedUserListSchema,
  connectedAppFieldsSchema,
  connectedAppListSchema,
  connectedAppSchema,
  connectedAppWithSecretSchema,
  projectSettingsPatchSchema,
} from "./schemas";

/**
 * The management API's OpenAPI 3.1 document, served at
 * `GET /api/v1/openapi.json`. Component schemas are generated from the zod
 * schemas the code validates requests and types responses with; paths are
 * written here and checked against the route files by openapi.test.ts.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
export function openApiDocument(issuer: string) {
  return (cache[issuer] ??= buildDocument(issuer));
}
const cache: Record<string, ReturnType<typeof buildDocument>> = {};

const schemaRef = (name: string) => ({ $ref: `${SCHEMA}${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const paramRef = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const jsonContent = (schema: object) => ({ "application/json": { schema } });
const ok = (description: string, schema: string) => ({ description, content: jsonContent(schemaRef(schema)) });

/** "first-party apps" → "First-party apps". */
const sentence = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/** Wire names → documentation for the request-body properties zod cannot describe itself; per-type rules come from the policy table. */
function requestFieldDocs(): Record<string, string> {
  return {
    client_type:
      "One of four types, fixed at creation:\n" +
      CLIENT_TYPES.map((type) => `- \`${type}\`: ${CLIENT_TYPE_LABELS[type].summary}`).join("\n"),
    redirect_uris:
      `${sentence(typesInWords((p) => p.redirectUris === "confidential"))}: https only. ${sentence(typesInWords((p) => p.redirectUris === "public"))}: https, loopback (\`http://127.0.0.1\`, \`http://[::1]\`, \`http://localhost\`, any port) and private-use schemes (\`com.example.app:/cb\`).`,
    post_logout_redirect_uris: "Same rules as redirect_uris.",
    logo_uri: "An https URL, or null.",
    client_uri: "An https URL, or null.",
    skip_consent: `${sentence(typesInWords((p) => p.consentSkippable))} only.`,
    bypass_consent_for_offline_access: `${sentence(typesInWords((p) => p.consentSkippable))} only.`,
    full_access_allowed: `${sentence(typesInWords((p) => p.fullAccessEligible))} only.`,
    device_flow_enabled: `The device authorization grant (RFC 8628) for CLIs and TVs. ${sentence(typesInWords((p) => p.deviceFlow))} only; off by default.`,
    refresh_token_reuse_seconds: `Seconds (0 to ${MAX_REFRESH_REUSE_S}, default ${DEFAULT_REFRESH_REUSE_S}) after a refresh in which the spent refresh token may be presented once more without counting as a replay (the client lost the answer). Used by ${typesInWords((p) => p.refreshTokens === "rotate_with_replay_detection")}, whose refresh tokens rotate.`,
    require_par: "Whether the app must push its authorization requests first (RFC 9126, `POST /oauth2/par`) and open /oauth2/authorize with the `request_uri` it got; a plain authorization request is refused with `invalid_request`. Default false. The project's `require_par` setting requires it of every app.",
    require_dpop: "Default false. When true, every token request of the app must carry a DPoP proof (RFC 9449) holding the server's nonce (a `use_dpop_nonce` answer hands one out); without a proof the request fails with `invalid_dpop_proof`. Its access tokens are then always DPoP-bound.",
    id_token_signed_response_alg: `HS256 only for ${typesInWords((p) => p.idTokenAlgs.includes("HS256"))}, and not with private_key_jwt (HS256 is keyed with the client secret).`,
    token_endpoint_auth_method: `How the app authenticates at the token, introspection and revocation endpoints. ${sentence(typesInWords((p) => p.tokenEndpointAuthMethods.includes("private_key_jwt")))}: client_secret_basic or client_secret_post (the default; the app's secret, by either method) or private_key_jwt (a JWT signed with one of its keys, RFC 7523; needs jwks or jwks_uri). ${sentence(typesInWords((p) => !p.confidential))}: none. An app using private_key_jwt cannot authenticate with a secret, nor a secret app with a key.`,
    ...jwksFieldDocs("app"),
  };
}

function componentSchemas(): Record<string, JsonSchema> {
  const all = componentSchemasOf(
    { ConnectedApp: connectedAppSchema, ConnectedAppFields: connectedAppFieldsSchema, ConnectedAppWithSecret: connectedAppWithSecretSchema, ConnectedAppList: connectedAppListSchema, ProjectSettings: projectSettingsSchema, AuthorizedUserList: authorizedUserListSchema, AuthorizedAppList: authorizedAppListSchema, Error: apiErrorSchema },
    { CreateConnectedApp: createAppSchema, UpdateConnectedApp: updateAppSchema, ProjectSettingsPatch: projectSettingsPatchSchema },
  );
  for (const name of ["CreateConnectedApp", "UpdateConnectedApp"]) {
    const properties = all[name]!.properties as Record<string, JsonSchema>;
    for (const [field, doc] of Object.entries(requestFieldDocs())) {
      if (properties[field]) properties[field].description = doc;
    }
  }
  (all.UpdateConnectedApp!.properties as Record<string, JsonSchema>).client_type!.description =
    "Accepted only if it equals the app's current type: the type cannot be changed.";
  return all;
}

function buildDocument(issuer: string) {
  const authErrors = { "401": responseRef("Unauthorized"), "500": responseRef("ServerError") };
  const bodyErrors = { "400": responseRef("BadRequest"), "413": responseRef("PayloadTooLarge") };
  const appErrors = { "404": responseRef("NotFound") };
  const rotation = (summary: string, operationId: string, response: object) => ({
    post: {
      summary,
      operationId,
      tags: ["Connected apps"],
      parameters: [paramRef("ClientId")],
      responses: { "200": response, ...appErrors, "409": responseRef("Conflict"), ...authErrors },
    },
  });

  return {
    openapi: "3.1.0",
    info: {
      title: "Connected Apps Management API",
      version: "1",
      description:
        "Owner automation for connected apps (OAuth clients), machine clients, custom scopes, roles, users' roles, sign-in connections and project settings. Authenticate with an owner API key " +
        "(`npm run admin -- create-api-key`) as `Authorization: Bearer <key>`. Every response carries " +
        "`Cache-Control: no-store`; every error is `{ error, error_description, fields? }`. " +
        "The current-user endpoints (`/me`) take a user's OAuth access token instead (see their security scheme), " +
        "and session exchange (`/sessions/exchange`) the app's client authentication.",
    },
    servers: [{ url: `${issuer}/api/v1` }],
    security: [{ bearerAuth: [] }],
    tags: [{ name: "Connected apps" }, MACHINE_CLIENTS_TAG, { name: "Authorizations" }, { name: "Scopes and roles" }, { name: "Users" }, CONNECTIONS_TAG, { name: "Settings" }, { name: "Current user" }, { name: "Sessions" }, { name: "Meta" }],
    paths: {
      "/connected-apps": {
        get: {
          summary: "List connected apps, oldest first, with cursor paging",
          operationId: "listConnectedApps",
          tags: ["Connected apps"],
          parameters: [paramRef("Cursor"), paramRef("Limit"), paramRef("Search"), paramRef("Fields")],
          responses: { "200": ok("One page of apps", "ConnectedAppList"), "400": responseRef("BadRequest"), ...authErrors },
        },
        post: {
          summary: "Create a connected app",
          description: "Confidential types get a client secret, returned in this response only.",
          operationId: "createConnectedApp",
          tags: ["Connected apps"],
          requestBody: { required: true, content: jsonContent(schemaRef("CreateConnectedApp")) },
          responses: {
            "201": {
              description: "Created. `client_secret` is present (once) for confidential types only.",
              headers: { Location: { description: "The app's URL", schema: { type: "string" } } },
              content: jsonContent({ anyOf: [schemaRef("ConnectedAppWithSecret"), schemaRef("ConnectedApp")] }),
            },
            ...bodyErrors,
            ...authErrors,
          },
        },
      },
      "/connected-apps/{client_id}": {
        get: {
          summary: "Get a connected app",
          operationId: "getConnectedApp",
          tags: ["Connected apps"],
          parameters: [paramRef("ClientId"), paramRef("Fields")],
          responses: { "200": ok("The app (never its secret)", "ConnectedAppFields"), "400": responseRef("BadRequest"), ...appErrors, ...authErrors },
        },
        patch: {
          summary: "Update some settings of a connected app",
          description: "Only the given fields change; the result is checked against the type's rules as a whole.",
          operationId: "updateConnectedApp",
          tags: ["Connected apps"],
          parameters: [paramRef("ClientId")],
          requestBody: { required: true, content: jsonContent(schemaRef("UpdateConnectedApp")) },
          responses: { "200": ok("The updated app", "ConnectedApp"), ...bodyErrors, ...appErrors, ...authErrors },
        },
        delete: {
          summary: "Delete a connected app",
          operationId: "deleteConnectedApp",
          tags: ["Connected apps"],
          parameters: [paramRef("ClientId")],
          responses: { "204": { description: "Deleted" }, ...appErrors, ...authErrors },
        },
      },
      "/connected-apps/{client_id}/secret/rotate/start": rotation(
        "Start a secret rotation: issue a second secret (returned once); both work until complete or cancel",
        "startSecretRotation",
        ok("The app and its new secret", "ConnectedAppWithSecret"),
      ),
      "/connected-apps/{client_id}/secret/rotate/complete": rotation(
        "Complete a secret rotation: the new secret becomes the only one",
        "completeSecretRotation",
        ok("The app", "ConnectedApp"),
      ),
      "/connected-apps/{client_id}/secret/rotate/cancel": rotation(
        "Cancel a secret rotation: discard the new secret",
        "cancelSecretRotation",
        ok("The app", "ConnectedApp"),
      ),
      "/connected-apps/{client_id}/authorized-users": {
        get: {
          summary: "List the users who have authorized an app",
          operationId: "listAuthorizedUsers",
          tags: ["Authorizations"],
          parameters: [paramRef("ClientId")],
          responses: { "200": ok("Users and the scopes they granted", "AuthorizedUserList"), ...appErrors, ...authErrors },
        },
      },
      "/users/{user_id}/authorized-apps": {
        get: {
          summary: "List the apps a user has authorized",
          operationId: "listAuthorizedApps",
          tags: ["Authorizations"],
          parameters: [paramRef("UserId")],
          responses: { "200": ok("Apps and the scopes granted to them", "AuthorizedAppList"), "404": responseRef("NotFound"), ...authErrors },
        },
      },
      "/users/{user_id}/authorized-apps/{client_id}": {
        delete: {
          summary: "Revoke a user's authorization of an app",
          description:
            "Ends the grant and every token issued under it (refresh tokens stop working, access tokens introspect as inactive); " +
            "the app must ask for consent again.",
          operationId: "revokeAuthorizedApp",
          tags: ["Authorizations"],
          parameters: [paramRef("UserId"), paramRef("ClientId")],
          responses: { "204": { description: "Revoked" }, "404": responseRef("NotFound"), ...authErrors },
        },
      },
      "/settings": {
        get: {
          summary: "Get the project settings",
          operationId: "getSettings",
          tags: ["Settings"],
          responses: { "200": ok("The settings", "ProjectSettings"), ...authErrors },
        },
        patch: {
          summary: "Change some project settings",
          operationId: "updateSettings",
          tags: ["Settings"],
          requestBody: { required: true, content: jsonContent(schemaRef("ProjectSettingsPatch")) },
          description: "409 when turning `password_signin_enabled` off while no enabled project-level sign-in connection exists.",
          responses: { "200": ok("All settings after the change", "ProjectSettings"), ...bodyErrors, "409": responseRef("Conflict"), ...authErrors },
        },
      },
      ...currentUserPaths(),
      ...sessionExchangePaths(),
      ...machineClientPaths(),
      ...connectionPaths(),
      ...rbacPaths(),
      "/openapi.json": {
        get: {
          summary: "This document",
          operationId: "getOpenApiDocument",
          tags: ["Meta"],
          security: [],
          responses: { "200": { description: "The OpenAPI 3.1 document", content: jsonContent({ type: "object" }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An owner API key (`ca_key_…`)" },
        [USER_TOKEN_SCHEME]: currentUserSecurityScheme(issuer),
        [CLIENT_AUTH_SCHEME]: sessionExchangeSecurityScheme(),
      },
      parameters: {
        ...rbacParameters(),
        ...connectionParameters(),
        ClientId: { name: "client_id", in: "path", required: true, schema: { type: "string" } },
        UserId: { name: "user_id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
        Cursor: {
          name: "cursor",
          in: "query",
          description: "`next_cursor` of the previous page (opaque); 400 if it is not one",
          schema: { type: "string" },
        },
        Limit: {
          name: "limit",
          in: "query",
          description: `Page size, default ${DEFAULT_PAGE_SIZE}`,
          schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
        },
        Search: {
          name: "q",
          in: "query",
          description: "Only apps whose name (any case) or client_id contains this text",
          schema: { type: "string", maxLength: 200 },
        },
        Fields: {
          name: "fields",
          in: "query",
          description: "Comma-separated fields to return (all when absent); unknown names are a 400",
          style: "form",
          explode: false,
          schema: { type: "array", items: { type: "string", enum: [...APP_VIEW_FIELDS] } },
        },
      },
      responses: {
        BadRequest: {
          description: "`invalid_request` (malformed JSON, not an object, bad query parameter) or `invalid_body` (invalid fields, see `fields`)",
          content: jsonContent(schemaRef("Error")),
        },
        Unauthorized: {
          description: "`invalid_token`: no, unknown or revoked API key",
          headers: { "WWW-Authenticate": { description: "A Bearer challenge (RFC 6750 §3)", schema: { type: "string" } } },
          content: jsonContent(schemaRef("Error")),
        },
        NotFound: { description: "`not_found`: no such app, connection or other resource", content: jsonContent(schemaRef("Error")) },
        Conflict: {
          description: "`conflict`: e.g. a rotation is already in progress, none is, the app is public (no secret), a name is taken, or the change would leave no way to sign in",
          content: jsonContent(schemaRef("Error")),
        },
        PayloadTooLarge: {
          description: `\`payload_too_large\`: the body is over ${MAX_BODY_BYTES} bytes`,
          content: jsonContent(schemaRef("Error")),
        },
        ServerError: { description: "`server_error`: an unexpected failure (details are logged, not sent)", content: jsonContent(schemaRef("Error")) },
      },
      schemas: { ...componentSchemas(), ...currentUserSchemas(), ...sessionExchangeSchemas(), ...rbacSchemas(), ...machineClientSchemas(), ...connectionSchemas() },
    },
  };
}
