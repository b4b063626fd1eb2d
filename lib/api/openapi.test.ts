import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openApiChecker, type OpenApiDocument } from "@/tests/openapi-validate";
import { createAppSchema, updateAppSchema } from "../clients/app-input";
import { APP_VIEW_FIELDS, type AppView } from "../clients/app-view";
import { API_ERROR_CODES } from "./errors";
import { openApiDocument } from "./openapi";

const V1 = path.resolve(import.meta.dirname, "../../app/api/v1");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
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

  it("is OpenAPI 3.1 with a bearer scheme required everywhere but on itself", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://id.example.com/api/v1" }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const [p, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { responses: object; security?: unknown[] }>)) {
        const open = p === "/openapi.json";
        expect(operation.security, `${method} ${p}`).toEqual(open ? [] : undefined);
        if (!open) expect(Object.keys(operation.responses), `${method} ${p}`).toEqual(expect.arrayContaining(["401", "500"]));
      }
    }
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
      token_endpoint_auth_methods: ["client_secret_basic", "client_secret_post"],
      redirect_uris: ["https://app.example.com/cb"],
      post_logout_redirect_uris: [],
      logo_uri: null,
      client_uri: null,
      allowed_scopes: ["openid"],
      skip_consent: false,
      bypass_consent_for_offline_access: false,
      full_access_allowed: false,
      access_token_ttl_seconds: 3600,
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
    });
  });
});
