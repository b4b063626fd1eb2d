import { connectionCreateSchema, connectionPatchSchema } from "../connections/input";
import { PRESETS } from "../connections/presets";
import { connectionListSchema, connectionSchema } from "./connection-schemas";
import { componentSchemasOf, jsonContent, okResponse as ok, responseRef as response, schemaRef as ref } from "./openapi-components";

/**
 * The sign-in connection endpoints' part of the OpenAPI document
 * (lib/api/openapi.ts): paths, and component schemas generated from the zod
 * schemas that validate the requests and shape the responses.
 */


const TAG = "Sign-in connections";
const auth = { "401": response("Unauthorized"), "500": response("ServerError") };
const body = { "400": response("BadRequest"), "413": response("PayloadTooLarge") };
const missing = { "404": response("NotFound") };
const slug = { $ref: "#/components/parameters/ConnectionSlug" };

export const CONNECTIONS_TAG = {
  name: TAG,
  description:
    "Sources of users besides the built-in email and password (the `password_signin_enabled` setting): any OpenID Connect provider, " +
    "or the Google and GitHub presets. A project-level connection is offered to every app; an app-level one only to the first-party apps it names " +
    "(third-party apps never see one). Email and password sign-in can be turned off only while an enabled project-level connection remains, " +
    "and such a connection cannot then be disabled or deleted (409).",
};

const presetIssuers = Object.entries(PRESETS)
  .filter(([, preset]) => preset.issuer !== "owner")
  .map(([kind, preset]) => `\`${kind}\`: ${preset.issuer === null ? "none (fixed endpoints)" : preset.issuer}`)
  .join("; ");

/** Request-field text zod cannot give. */
const FIELD_DOCS: Record<string, string> = {
  slug: "1-40 lower-case letters, digits or -. Names the connection in its redirect URI and the `idp` claim; it cannot change later (`email` is the built-in's).",
  kind: "`oidc`: any OpenID Connect provider (Okta, Entra ID, Google Workspace, Keycloak…), found by discovery from `issuer`. `google`, `github`: presets.",
  issuer: `Required for \`oidc\`: the provider's issuer URL (https; http only on a loopback host). Fixed for presets (${presetIssuers}).`,
  client_secret: "Write-only: stored sealed, never returned. On update, a new value replaces the stored one; leave it out to keep it.",
  scopes: "Defaults to the kind's (`openid email profile` for OpenID Connect); an OpenID Connect connection must ask for `openid`.",
  level: "`project` (the default): offered to every app. `app`: only to the first-party apps listed in `apps`.",
  apps: "For an app-level connection: client_ids of first-party apps (the only type that may offer app-level connections). Replaces the list on update.",
  link_verified_email: "Link a first sign-in to an existing account with the same email, only when the upstream says the email is verified. Off by default: whoever controls the upstream account then controls the account here.",
  enabled: "A disabled connection is offered nowhere; its users keep their accounts.",
};

export function connectionParameters() {
  return { ConnectionSlug: { name: "slug", in: "path", required: true, description: "The connection's slug", schema: { type: "string" } } };
}

export function connectionSchemas() {
  const all = componentSchemasOf(
    { Connection: connectionSchema, ConnectionList: connectionListSchema },
    { CreateConnection: connectionCreateSchema, UpdateConnection: connectionPatchSchema },
  );
  for (const name of ["CreateConnection", "UpdateConnection"]) {
    const properties = all[name]!.properties as Record<string, Record<string, unknown>>;
    for (const [field, doc] of Object.entries(FIELD_DOCS)) if (properties[field]) properties[field].description = doc;
  }
  return all;
}

export function connectionPaths() {
  return {
    "/connections": {
      get: {
        summary: "List sign-in connections, oldest first",
        operationId: "listConnections",
        tags: [TAG],
        responses: { "200": ok("Every connection (never a client secret)", "ConnectionList"), ...auth },
      },
      post: {
        summary: "Add a sign-in connection",
        description: "Register the response's `redirect_uri` at the upstream. The client secret is never returned.",
        operationId: "createConnection",
        tags: [TAG],
        requestBody: { required: true, content: jsonContent(ref("CreateConnection")) },
        responses: {
          "201": {
            description: "Created",
            headers: { Location: { description: "The connection's URL", schema: { type: "string" } } },
            content: jsonContent(ref("Connection")),
          },
          ...body,
          "409": response("Conflict"),
          ...auth,
        },
      },
    },
    "/connections/{slug}": {
      get: {
        summary: "Get a sign-in connection",
        operationId: "getConnection",
        tags: [TAG],
        parameters: [slug],
        responses: { "200": ok("The connection (never its client secret)", "Connection"), ...missing, ...auth },
      },
      patch: {
        summary: "Update some settings of a sign-in connection",
        description: "Only the given fields change; `slug` and `kind` are fixed. 409 when it would leave no way to sign in (see the tag).",
        operationId: "updateConnection",
        tags: [TAG],
        parameters: [slug],
        requestBody: { required: true, content: jsonContent(ref("UpdateConnection")) },
        responses: { "200": ok("The updated connection", "Connection"), ...body, ...missing, "409": response("Conflict"), ...auth },
      },
      delete: {
        summary: "Delete a sign-in connection",
        description: "Its users keep their accounts and lose this way to sign in. 409 when it would leave no way to sign in (see the tag).",
        operationId: "deleteConnection",
        tags: [TAG],
        parameters: [slug],
        responses: { "204": { description: "Deleted" }, ...missing, "409": response("Conflict"), ...auth },
      },
    },
  };
}
