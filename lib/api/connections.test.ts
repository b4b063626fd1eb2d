import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { openApiChecker, type OpenApiDocument } from "@/tests/openapi-validate";
import * as collection from "@/app/api/v1/connections/route";
import * as item from "@/app/api/v1/connections/[slug]/route";
import * as settings from "@/app/api/v1/settings/route";
import { listAudit } from "../audit";
import { createApiKey } from "../auth/api-keys";
import { getConfig } from "../config";
import { upstreamConnection } from "../connections/connections";
import { openApiDocument } from "./openapi";

// The routes open the process's database; here, the test's.
let db: TestDatabase;
vi.mock("@/lib/db", async (original) => ({ ...(await original<object>()), getPrisma: async () => db.prisma }));

const doc = openApiDocument("https://id.example.com");
const check = openApiChecker(doc as unknown as OpenApiDocument);
const SECRET = "upstream-secret-never-echoed";
const okta = { slug: "okta", kind: "oidc", name: "Okta", issuer: "https://example.okta.com", client_id: "0oa-client", client_secret: SECRET };

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe.each(testDatabases)("the connection endpoints on $name", ({ target }) => {
  let key: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    const owner = await db.prisma.user.create({ data: { email: `owner-${randomBytes(4).toString("hex")}@example.com`, passwordHash: "unused", role: "owner" } });
    key = (await createApiKey(db.prisma, owner.id, "connections-test")).key;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** Calls a route as Next.js would; checks the answer against the OpenAPI document; returns status and raw and parsed body. */
  async function call(route: Route, method: string, path: string, options: { body?: unknown; params?: Record<string, string>; auth?: boolean } = {}) {
    const request = new Request(`http://localhost/api/v1${path}`, {
      method,
      headers: { ...(options.auth !== false && { authorization: `Bearer ${key}` }), ...(options.body !== undefined && { "content-type": "application/json" }) },
      ...(options.body !== undefined && { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    });
    const response = await route(request, { params: Promise.resolve(options.params ?? {}) });
    const text = await response.text();
    expect(check(method, path, response.status, text)).toEqual([]);
    expect(response.headers.get("cache-control")).toBe("no-store");
    return { status: response.status, text, body: text ? JSON.parse(text) : null, location: response.headers.get("location") };
  }

  it("creates (201, with the redirect URI to register upstream), lists and gets a connection; the secret never leaves", async () => {
    const created = await call(collection.POST as Route, "POST", "/connections", { body: okta });
    expect(created.status).toBe(201);
    expect(created.location).toBe("/api/v1/connections/okta");
    expect(created.body).toMatchObject({ slug: "okta", kind: "oidc", level: "project", enabled: true, scopes: ["openid", "email", "profile"], apps: [] });
    expect(created.body.redirect_uri).toBe(`${getConfig().issuer}/signin/connections/okta/callback`);
    const listed = await call(collection.GET as Route, "GET", "/connections");
    expect(listed.body.data.map((c: { slug: string }) => c.slug)).toEqual(["okta"]);
    const got = await call(item.GET as Route, "GET", "/connections/okta", { params: { slug: "okta" } });
    expect(got.body).toEqual(created.body);
    for (const text of [created.text, listed.text, got.text]) expect(text).not.toContain(SECRET);
    expect(JSON.stringify((await listAudit(db.prisma, { limit: 50 })).events)).not.toContain(SECRET);
  });

  it("answers bad input with field errors in the API's error shape, never a 500", async () => {
    const bad = await call(collection.POST as Route, "POST", "/connections", {
      body: { slug: "Bad Slug", kind: "oidc", name: "", issuer: "http://idp.example.com", client_id: "x", client_secret: "y", colour: "red" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_body");
    expect(Object.keys(bad.body.fields).sort()).toEqual(["colour", "issuer", "name", "slug"]);
    const noIssuer = await call(collection.POST as Route, "POST", "/connections", { body: { ...okta, slug: "no-issuer", issuer: undefined } });
    expect(noIssuer.body).toMatchObject({ error: "invalid_body", fields: { issuer: expect.stringContaining("required") } });
    const notJson = await call(collection.POST as Route, "POST", "/connections", { body: "{" });
    expect(notJson).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    const appLevel = await call(collection.POST as Route, "POST", "/connections", { body: { ...okta, slug: "app-level", level: "app", apps: ["ca_nobody"] } });
    expect(appLevel.body).toMatchObject({ error: "invalid_body", fields: { "apps[0]": "ca_nobody is not an app" } });
  });

  it("answers 409 when the slug is taken, 404 for an unknown one, 401 without a key", async () => {
    expect(await call(collection.POST as Route, "POST", "/connections", { body: { ...okta, name: "Again" } })).toMatchObject({ status: 409, body: { error: "conflict" } });
    for (const [route, method] of [
      [item.GET, "GET"],
      [item.PATCH, "PATCH"],
      [item.DELETE, "DELETE"],
    ] as const) {
      const missing = await call(route as Route, method, "/connections/ghost", { params: { slug: "ghost" }, ...(method === "PATCH" && { body: { name: "x" } }) });
      expect(missing, method).toMatchObject({ status: 404, body: { error: "not_found" } });
    }
    expect((await call(collection.GET as Route, "GET", "/connections", { auth: false })).status).toBe(401);
    expect((await call(item.DELETE as Route, "DELETE", "/connections/okta", { params: { slug: "okta" }, auth: false })).status).toBe(401);
  });

  it("PATCH changes settings and replaces the secret without echoing it", async () => {
    const patched = await call(item.PATCH as Route, "PATCH", "/connections/okta", { params: { slug: "okta" }, body: { name: "Okta SSO", client_secret: "a-brand-new-secret" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ slug: "okta", name: "Okta SSO" });
    expect(patched.text).not.toContain("a-brand-new-secret");
    expect((await upstreamConnection(db.prisma, "okta"))?.clientSecret).toBe("a-brand-new-secret");
    const fixed = await call(item.PATCH as Route, "PATCH", "/connections/okta", { params: { slug: "okta" }, body: { slug: "renamed" } });
    expect(fixed).toMatchObject({ status: 400, body: { fields: { slug: expect.any(String) } } });
  });

  it("refuses (409) password sign-in off without a project-level connection, and removing the last one while it is off", async () => {
    await call(item.PATCH as Route, "PATCH", "/connections/okta", { params: { slug: "okta" }, body: { enabled: false } });
    const refused = await call(settings.PATCH as Route, "PATCH", "/settings", { body: { password_signin_enabled: false } });
    expect(refused).toMatchObject({ status: 409, body: { error: "conflict", error_description: expect.stringContaining("project-level connection") } });

    await call(item.PATCH as Route, "PATCH", "/connections/okta", { params: { slug: "okta" }, body: { enabled: true } });
    const off = await call(settings.PATCH as Route, "PATCH", "/settings", { body: { password_signin_enabled: false } });
    expect(off).toMatchObject({ status: 200, body: { password_signin_enabled: false } });
    expect((await call(item.DELETE as Route, "DELETE", "/connections/okta", { params: { slug: "okta" } })).status).toBe(409);
    await call(settings.PATCH as Route, "PATCH", "/settings", { body: { password_signin_enabled: true } });
  });

  it("DELETE answers 204 and the connection is gone", async () => {
    const deleted = await call(item.DELETE as Route, "DELETE", "/connections/okta", { params: { slug: "okta" } });
    expect(deleted).toMatchObject({ status: 204, text: "" });
    expect((await call(item.GET as Route, "GET", "/connections/okta", { params: { slug: "okta" } })).status).toBe(404);
  });
});
