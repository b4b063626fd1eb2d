import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openApiChecker, type OpenApiDocument } from "@/tests/openapi-validate";
import { createAppSchema, updateAppSchema } from "../clients/app-input";
import { sessionExchangeRequestSchema } from "../oauth/session-exchange";
import { APP_VIEW_FIELDS, type AppView } from "../clients/app-view";
import { CURRENT_USER_SCOPES } from "./current-user";
import { API_ERROR_CODES } from "./api-error";
import { openApiDocument } from "./openapi";
import { USER_TOKEN_SCHEME } from "./openapi-current-user";
import { CLIENT_AUTH_SCHEME } from "./openapi-session-exchange";
import { userMetadataPatchSchema } from "./user-metadata";

const V1 = path.resolve(import.meta.dirname, "../../app/api/v1");
/** OPTIONS is left out: a CORS preflight is the browser's, not an API operation (checked separately below). */
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
const doc = openApiDocument("https://id.example.com");

/** Every route.ts under app/api/v1, as an OpenAPI path (`[client_id]` → `{client_id}`). */
function routeFiles(dir = V1): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}
const openApiPath = (file: string) =>
  "/" + path.relative(V1, path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");

describe("the OpenAPI document", () => {
  it("lists exactly the routes under app/api/v1 and the methods each exports", async () => {
    const implemented: Record<string, string[]> = {};
    for (const file of routeFiles()) {
      const exports = Object.keys(await import(file));
      implemented[openApiPath(file)] = exports.filter((name) => HTTP_METHODS.includes(name)).sort();
    }
    const documented = Object.fromEntries(
      Object.entries(doc.paths).map(([p, operations]) => [p, Object.keys(operations).map((m) => m.toUpperCase()).sort()]),
    );
    expect(Object.keys(implemented).length).toBeGreaterThanOrEqual(7);
    expect(documented).toEqual(implemented);
  });

  it("routes that answer CORS preflights allow exactly the methods they export", async () => {
    let preflighted = 0;
    for (const file of routeFiles()) {
      const route = (await import(file)) as Record<string, unknown>;
      if (typeof route.OPTIONS !== "function") continue;
      preflighted++;
      const response = (await (route.OPTIONS as () => Response | Promise<Response>)()) as Response;
      const methods = Object.keys(route).filter((name) => HTTP_METHODS.includes(name));
      expect(response.status, file).toBe(204);
      expect(response.headers.get("access-control-allow-origin"), file).toBe("*");
      expect(response.headers.get("access-control-allow-headers"), file).toContain("Authorization");
      expect(response.headers.get("access-control-allow-methods")!.split(", ").sort(), file).toEqual([...methods, "OPTIONS"].sort());
    }
    expect(preflighted).toBeGreaterThanOrEqual(2); // /me and /me/metadata
  });

  it("is OpenAPI 3.1 with the owner key required everywhere but on itself and the user-token endpoints", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://id.example.com/api/v1" }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    // The current-user API acts for a user: an OAuth access token with one scope per operation, never the owner key.
    const userScopes: Record<string, string> = { "get /me": "read:current_user", "patch /me/metadata": "update:current_user_metadata" };
    // Session exchange authenticates the app as the token endpoint does: Basic, or credentials in the form body.
    const clientAuthenticated: Record<string, unknown[]> = { "post /sessions/exchange": [{ [CLIENT_AUTH_SCHEME]: [] }, {}] };
    for (const [p, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { responses: object; security?: unknown[] }>)) {
        const open = p === "/openapi.json";
        const scope = userScopes[`${method} ${p}`];
        const expected = open ? [] : scope ? [{ [USER_TOKEN_SCHEME]: [scope] }] : clientAuthenticated[`${method} ${p}`];
        expect(operation.security, `${method} ${p}`).toEqual(expected);
        if (!open) expect(Object.keys(operation.responses), `${method} ${p}`).toEqual(expect.arrayContaining(["401", "500"]));
        if (scope) expect(Object.keys(operation.responses), `${method} ${p}`).toContain("403");
      }
    }
    expect(Object.keys(userScopes).every((op) => op.split(" ")[1]! in doc.paths)).toBe(true);
    expect(Object.keys(clientAuthenticated).every((op) => op.split(" ")[1]! in doc.paths)).toBe(true);
    expect(doc.components.securitySchemes[CLIENT_AUTH_SCHEME]).toMatchObject({ type: "http", scheme: "basic" });
    const flows = doc.components.securitySchemes[USER_TOKEN_SCHEME].flows.authorizationCode;
    expect(flows).toMatchObject({ authorizationUrl: "https://id.example.com/oauth2/authorize", tokenUrl: "https://id.example.com/oauth2/token" });
    expect(Object.keys(flows.scopes)).toEqual([...CURRENT_USER_SCOPES]);
  });

  it("has every path parameter declared and every reference resolvable", () => {
    const text = JSON.stringify(doc);
    for (const ref of new Set([...text.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!))) {
      const target = ref.split("/").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
    for (const [p, operations] of Object.entries(doc.paths)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(operations as Record<string, { parameters?: { $ref: string }[] }>)) {
        const declared = (operation.parameters ?? []).map((r) => (doc.components.parameters as Record<string, { name: string; in: string }>)[r.$ref.split("/").at(-1)!]!);
        expect(declared.filter((d) => d.in === "path").map((d) => d.name)).toEqual(names);
      }
    }
  });

  it("takes its request bodies from the zod schemas that validate them", () => {
    const strip = (s: object) => JSON.parse(JSON.stringify(s, (k, v) => (k === "description" || k === "$schema" ? undefined : v)));
    expect(strip(doc.components.schemas.CreateConnectedApp!)).toEqual(strip(z.toJSONSchema(createAppSchema, { io: "input" })));
    expect(strip(doc.components.schemas.UpdateConnectedApp!)).toEqual(strip(z.toJSONSchema(updateAppSchema, { io: "input" })));
    expect(doc.components.schemas.CreateConnectedApp).toMatchObject({ required: ["client_type", "name"], additionalProperties: false });
    expect(strip(doc.components.schemas.UserMetadataPatch!)).toEqual(strip(z.toJSONSchema(userMetadataPatchSchema, { io: "input" })));
  });

  it("describes the app view's fields, the error codes and the fields parameter from the code", () => {
    const app = doc.components.schemas.ConnectedApp as { properties: object; required: string[] };
    expect(Object.keys(app.properties)).toEqual([...APP_VIEW_FIELDS]);
    expect(app.required).toEqual([...APP_VIEW_FIELDS]);
    expect((doc.components.schemas.Error as { properties: { error: { enum: string[] } } }).properties.error.enum).toEqual(API_ERROR_CODES);
    expect(doc.components.parameters.Fields.schema.items.enum).toEqual([...APP_VIEW_FIELDS]);
  });

  describe("checked against responses (tests/openapi-validate.ts)", () => {
    const check = openApiChecker(doc as unknown as OpenApiDocument);
    const view: AppView = {
      client_id: "ca_abc",
      name: "App",
      description: null,
      client_type: "first_party",
      is_first_party: true,
      is_public: false,
      token_endpoint_auth_methods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
      token_endpoint_auth_method: "client_secret_basic",
      jwks: null,
      jwks_uri: null,
      jwks_key_ids: [],
      redirect_uris: ["https://app.example.com/cb"],
      post_logout_redirect_uris: [],
      logo_uri: null,
      client_uri: null,
      allowed_scopes: ["openid"],
      skip_consent: false,
      bypass_consent_for_offline_access: false,
      full_access_allowed: false,
      device_flow_enabled: false,
      access_token_ttl_seconds: 3600,
      refresh_token_reuse_seconds: 30,
      require_par: false,
      require_dpop: false,
      id_token_signed_response_alg: "RS256",
      creation_method: "api",
      status: "active",
      client_secret_last4: "abcd",
      next_client_secret_last4: null,
      created_at: "2026-11-23T21:00:00.000Z",
      updated_at: "2026-11-23T21:00:00.000Z",
    };
    const body = (value: unknown) => JSON.stringify(value);

    it("accepts documented responses", () => {
      expect(check("GET", "/connected-apps/ca_abc", 200, body(view))).toEqual([]);
      expect(check("GET", "/connected-apps/ca_abc", 200, body({ name: "App" }))).toEqual([]);
      expect(check("POST", "/connected-apps", 201, body({ ...view, client_secret: "s3cret" }))).toEqual([]);
      expect(check("POST", "/connected-apps", 201, body({ ...view, client_secret_last4: null }))).toEqual([]);
      expect(check("GET", "/connected-apps", 200, body({ data: [view, { client_id: "x" }], next_cursor: null }))).toEqual([]);
      expect(check("DELETE", "/connected-apps/ca_abc", 204, "")).toEqual([]);
      expect(check("PATCH", "/settings", 400, body({ error: "invalid_body", error_description: "x", fields: { a: "b" } }))).toEqual([]);
      expect(check("GET", "/me", 200, body({ sub: "u", user_metadata: {} }))).toEqual([]);
      expect(check("GET", "/me", 200, body({ sub: "u", name: "N", email: "e@x", email_verified: false, user_metadata: { a: { b: [1] } } }))).toEqual([]);
      expect(check("GET", "/me", 403, body({ error: "insufficient_scope", error_description: "x" }))).toEqual([]);
      expect(check("PATCH", "/me/metadata", 200, body({ theme: "dark" }))).toEqual([]);
    });

    it("refuses what the document does not describe", () => {
      expect(check("GET", "/connected-apps/ca_abc", 200, body({ ...view, client_secret: "leak" }))).not.toEqual([]);
      expect(check("PATCH", "/connected-apps/ca_abc", 200, body({ name: "App" }))).not.toEqual([]);
      expect(check("PATCH", "/connected-apps/ca_abc", 200, body({ ...view, is_public: "no" }))).not.toEqual([]);
      expect(check("PATCH", "/connected-apps/ca_abc", 200, body({ ...view, client_type: "mystery" }))).not.toEqual([]);
      expect(check("PATCH", "/connected-apps/ca_abc", 200, body({ ...view, created_at: "yesterday" }))).not.toEqual([]);
      expect(check("GET", "/connected-apps", 200, body({ data: [view] }))).not.toEqual([]);
      expect(check("GET", "/settings", 200, body({ dcr_enabled: true }))).not.toEqual([]);
      expect(check("GET", "/settings", 401, body({ error: "nope", error_description: "x" }))).not.toEqual([]);
      expect(check("GET", "/settings", 404, body({ error: "not_found", error_description: "x" }))).toEqual([
        "GET /settings does not document status 404",
      ]);
      expect(check("PUT", "/settings", 200, "{}")).toEqual(["PUT /settings is not in the document"]);
      expect(check("GET", "/nowhere", 200, "{}")).toEqual(["path /nowhere is not in the document"]);
      expect(check("DELETE", "/connected-apps/ca_abc", 204, "{}")).not.toEqual([]);
      expect(check("GET", "/settings", 200, "not json")).not.toEqual([]);
      expect(check("GET", "/me", 200, body({ sub: "u", user_metadata: {}, role: "owner" }))).not.toEqual([]);
      expect(check("GET", "/me", 200, body({ sub: "u" }))).not.toEqual([]);
      expect(check("PATCH", "/me/metadata", 200, body({ "bad key": 1 }))).not.toEqual([]);
      expect(check("GET", "/me", 403, body({ error: "forbidden", error_description: "x" }))).not.toEqual([]);
    });
  });

  it("describes session exchange: a form body from its zod schema, the link, and RFC 6749 errors", () => {
    const strip = (s: object) => JSON.parse(JSON.stringify(s, (k, v) => (k === "description" || k === "$schema" ? undefined : v)));
    const operation = doc.paths["/sessions/exchange"].post;
    expect(Object.keys(operation.requestBody.content)).toEqual(["application/x-www-form-urlencoded"]);
    expect(strip(doc.components.schemas.SessionExchangeRequest!)).toEqual(strip(z.toJSONSchema(sessionExchangeRequestSchema, { io: "input" })));
    expect(doc.components.schemas.SessionExchangeRequest).toMatchObject({ required: ["access_token"] });
    const check = openApiChecker(doc as unknown as OpenApiDocument);
    const link = { sign_in_url: "https://id.example.com/session/redeem?token=x", expires_in: 60 };
    expect(check("POST", "/sessions/exchange", 200, JSON.stringify(link))).toEqual([]);
    for (const [status, error] of [[400, "invalid_grant"], [400, "unauthorized_client"], [400, "invalid_request"], [401, "invalid_client"], [500, "server_error"]] as const) {
      expect(check("POST", "/sessions/exchange", status, JSON.stringify({ error, error_description: "x" })), error).toEqual([]);
    }
    expect(check("POST", "/sessions/exchange", 200, JSON.stringify({ ...link, access_token: "leak" }))).not.toEqual([]);
    expect(check("POST", "/sessions/exchange", 200, JSON.stringify({ sign_in_url: link.sign_in_url }))).not.toEqual([]);
    expect(check("POST", "/sessions/exchange", 400, JSON.stringify({ error: "invalid_body", error_description: "x" }))).not.toEqual([]);
    expect(check("POST", "/sessions/exchange", 403, JSON.stringify({ error: "invalid_grant", error_description: "x" }))).not.toEqual([]);
  });
});
