import { expect, test as base, type APIRequestContext } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { openApiChecker, type OpenApiDocument } from "../tests/openapi-validate";
import { HttpSession, runAuthorization } from "./oauth/http-session";
import { END_USERS, apiKeyFiles } from "./servers.mjs";

// The management API against the running app (e2e/serve.mjs seeds the keys).
// Every response is checked against the served OpenAPI document: its status
// must be documented for the operation and its body must match the schema.

interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked against the document
  body: any;
}

interface CallOptions {
  /** A JSON value, or a raw string sent as is with Content-Type: application/json. */
  data?: unknown;
  raw?: string;
  /** The key to send; null sends no Authorization header. Defaults to the active e2e key. */
  key?: string | null;
  authorization?: string;
}

const readKey = (file: string) => readFileSync(file, "utf8").trim();
/** This project's keys (the server each Playwright project targets has its own database). */
const keys = () => apiKeyFiles(base.info().project.name);
let checker: ReturnType<typeof openApiChecker> | undefined;

class Api {
  constructor(private readonly request: APIRequestContext) {}

  /** Calls /api/v1 + path; asserts no-store and that the reply matches the OpenAPI document. */
  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const key = options.key === undefined ? readKey(keys().active) : options.key;
    const headers: Record<string, string> = {};
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    else if (key !== null) headers.authorization = `Bearer ${key}`;
    if (options.raw !== undefined) headers["content-type"] = "application/json";
    const response = await this.request.fetch(`/api/v1${path}`, {
      method,
      headers,
      // A Buffer goes as is (Playwright would JSON-encode a string sent as application/json).
      data: options.raw !== undefined ? Buffer.from(options.raw) : options.data,
    });
    const text = await response.text();
    const reply: Reply = { status: response.status(), headers: response.headers(), text, body: text ? JSON.parse(text) : null };
    expect(reply.headers["cache-control"], `${method} ${path}`).toBe("no-store");
    const check = await this.checker();
    expect(check(method, path.split("?")[0]!, reply.status, text), `${method} ${path} → ${reply.status}`).toEqual([]);
    return reply;
  }

  private async checker() {
    if (!checker) {
      const response = await this.request.get("/api/v1/openapi.json");
      expect(response.status()).toBe(200);
      checker = openApiChecker((await response.json()) as OpenApiDocument);
    }
    return checker;
  }

  /** Creates an app, expecting 201. */
  async create(data: Record<string, unknown>): Promise<Reply> {
    const reply = await this.call("POST", "/connected-apps", { data });
    expect(reply.status, reply.text).toBe(201);
    return reply;
  }
}

const test = base.extend<{ api: Api }>({
  api: async ({ request }, provide) => provide(new Api(request)),
});

const unique = () => randomBytes(6).toString("hex");
const CONFIDENTIAL_URI = "https://app.example.com/callback";
const PUBLIC_URI = "http://127.0.0.1/callback";

test("the OpenAPI document is served without authentication and describes the API", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const doc = await response.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      "/connected-apps",
      "/connected-apps/{client_id}",
      "/connected-apps/{client_id}/secret/rotate/start",
      "/connected-apps/{client_id}/secret/rotate/complete",
      "/connected-apps/{client_id}/secret/rotate/cancel",
      "/settings",
    ]),
  );
});

test("creates each of the four client types; the secret is shown once, only for confidential ones", async ({ api }) => {
  const types = [
    { client_type: "first_party", uri: CONFIDENTIAL_URI, firstParty: true, confidential: true },
    { client_type: "first_party_public", uri: PUBLIC_URI, firstParty: true, confidential: false },
    { client_type: "third_party", uri: CONFIDENTIAL_URI, firstParty: false, confidential: true },
    { client_type: "third_party_public", uri: "com.example.app:/callback", firstParty: false, confidential: false },
  ];
  for (const type of types) {
    const name = `four-types ${type.client_type} ${unique()}`;
    const created = await api.create({ client_type: type.client_type, name, redirect_uris: [type.uri] });
    const app = created.body;
    expect(app).toMatchObject({
      name,
      client_type: type.client_type,
      is_first_party: type.firstParty,
      is_public: !type.confidential,
      creation_method: "api",
      redirect_uris: [type.uri],
      status: "active",
      next_client_secret_last4: null,
    });
    expect(app.client_id).toMatch(/^ca_[\w-]{22}$/);
    expect(created.headers.location).toBe(`/api/v1/connected-apps/${app.client_id}`);

    if (type.confidential) {
      expect(app.client_secret).toMatch(/^[\w-]{43,}$/);
      expect(app.client_secret_last4).toBe(app.client_secret.slice(-4));
      expect(app.token_endpoint_auth_methods).toEqual(["client_secret_basic", "client_secret_post", "private_key_jwt"]);
      expect(app.token_endpoint_auth_method).toBe("client_secret_basic");
    } else {
      expect(app).not.toHaveProperty("client_secret");
      expect(app.client_secret_last4).toBeNull();
      expect(app.token_endpoint_auth_methods).toEqual(["none"]);
      expect(app.token_endpoint_auth_method).toBe("none");
    }

    // Never again: not on a read, not in a list.
    const read = await api.call("GET", `/connected-apps/${app.client_id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty("client_secret");
    const view = { ...app };
    delete view.client_secret;
    expect(read.body).toEqual(view);
    const listed = await api.call("GET", `/connected-apps?q=${encodeURIComponent(name)}`);
    expect(listed.body.data).toEqual([view]);
    if (type.confidential) {
      expect(read.text).not.toContain(app.client_secret);
      expect(listed.text).not.toContain(app.client_secret);
    }
  }
});

test("lists every app exactly once with cursor paging over 250 apps", async ({ api }) => {
  test.setTimeout(180_000);
  const tag = `paging-${unique()}`;
  const created = new Set<string>();
  for (let batch = 0; batch < 10; batch++) {
    const replies = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        api.create({ client_type: "third_party_public", name: `${tag} ${batch * 25 + i}` }),
      ),
    );
    for (const reply of replies) created.add(reply.body.client_id);
  }
  expect(created.size).toBe(250);

  // The search, page by page: 100 + 100 + 50, oldest first.
  const searched: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page: Reply = await api.call("GET", `/connected-apps?q=${tag}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.status).toBe(200);
    sizes.push(page.body.data.length);
    searched.push(...page.body.data.map((app: { client_id: string }) => app.client_id));
    cursor = page.body.next_cursor;
  } while (cursor);
  expect(sizes).toEqual([100, 100, 50]);
  expect(searched).toHaveLength(250);
  expect(new Set(searched)).toEqual(created);

  // Everything (other tests' apps too): no app twice, each of ours once.
  const all: string[] = [];
  cursor = null;
  let pages = 0;
  do {
    const page: Reply = await api.call("GET", `/connected-apps?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.body.data.length).toBeLessThanOrEqual(100);
    all.push(...page.body.data.map((app: { client_id: string }) => app.client_id));
    cursor = page.body.next_cursor;
    pages++;
  } while (cursor && pages < 100);
  expect(cursor).toBeNull();
  expect(new Set(all).size).toBe(all.length);
  expect(all.filter((id) => created.has(id))).toHaveLength(250);

  // The default page is 100; 1000 is the most; more is refused, not clamped.
  const firstPage = await api.call("GET", "/connected-apps");
  expect(firstPage.body.data).toHaveLength(100);
  const secondPage = await api.call("GET", `/connected-apps?cursor=${firstPage.body.next_cursor}&limit=1`);
  expect(secondPage.body.data[0].client_id).toBe(all[100]);
  const max = await api.call("GET", "/connected-apps?limit=1000");
  expect(max.status).toBe(200);
  expect(max.body.data).toHaveLength(Math.min(all.length, 1000));
  for (const limit of ["1001", "0", "-5", "ten"]) {
    const refused = await api.call("GET", `/connected-apps?limit=${limit}`);
    expect(refused.status, `limit=${limit}`).toBe(400);
    expect(refused.body).toMatchObject({ error: "invalid_request", fields: { limit: "must be an integer from 1 to 1000" } });
  }
  const unknownCursor = await api.call("GET", "/connected-apps?cursor=ca_doesnotexist");
  expect(unknownCursor.status).toBe(400);
  expect(unknownCursor.body.fields).toHaveProperty("cursor");

  // Deleting the app a page ended on does not end the listing early.
  const three = `three${unique()}`;
  for (let i = 0; i < 3; i++) await api.create({ client_type: "third_party_public", name: `${three} ${i}` });
  const one = await api.call("GET", `/connected-apps?q=${three}&limit=1`);
  expect((await api.call("DELETE", `/connected-apps/${one.body.data[0].client_id}`)).status).toBe(204);
  const rest = await api.call("GET", `/connected-apps?q=${three}&limit=10&cursor=${one.body.next_cursor}`);
  expect(rest.body.data.map((a: { name: string }) => a.name)).toEqual([`${three} 1`, `${three} 2`]);
});

test("gets, updates and deletes an app; unknown client_ids are 404", async ({ api }) => {
  const created = (await api.create({ client_type: "first_party", name: `crud ${unique()}`, redirect_uris: [CONFIDENTIAL_URI] })).body;
  const path = `/connected-apps/${created.client_id}`;

  const patched = await api.call("PATCH", path, {
    data: {
      name: "Renamed",
      description: "Now described",
      redirect_uris: [CONFIDENTIAL_URI, "https://app.example.com/other"],
      skip_consent: true,
      client_type: "first_party", // the same type is fine
    },
  });
  expect(patched.status, patched.text).toBe(200);
  expect(patched.body).toMatchObject({
    client_id: created.client_id,
    name: "Renamed",
    description: "Now described",
    redirect_uris: [CONFIDENTIAL_URI, "https://app.example.com/other"],
    skip_consent: true,
    client_secret_last4: created.client_secret_last4,
    created_at: created.created_at,
  });
  expect(patched.body).not.toHaveProperty("client_secret");
  expect((await api.call("GET", path)).body).toEqual(patched.body);

  const deleted = await api.call("DELETE", path);
  expect(deleted.status).toBe(204);
  expect(deleted.text).toBe("");

  for (const [method, p] of [
    ["GET", path],
    ["PATCH", path],
    ["DELETE", path],
    ["GET", "/connected-apps/ca_nosuchapp"],
    ["POST", "/connected-apps/ca_nosuchapp/secret/rotate/start"],
    ["POST", "/connected-apps/ca_nosuchapp/secret/rotate/complete"],
    ["POST", "/connected-apps/ca_nosuchapp/secret/rotate/cancel"],
  ] as const) {
    const reply = await api.call(method, p, method === "PATCH" ? { data: { name: "x" } } : {});
    expect(reply.status, `${method} ${p}`).toBe(404);
    expect(reply.body.error).toBe("not_found");
  }
});

test("refuses bad input with 400 and a message per field, never a 500", async ({ api }) => {
  const malformed = await api.call("POST", "/connected-apps", { raw: '{"client_type": "first_party", "name": ' });
  expect(malformed.status).toBe(400);
  expect(malformed.body).toEqual({ error: "invalid_request", error_description: "The request body is not valid JSON" });

  for (const raw of ["[]", '"an app"', "null", "42"]) {
    const notObject = await api.call("POST", "/connected-apps", { raw });
    expect(notObject.status, raw).toBe(400);
    expect(notObject.body).toEqual({ error: "invalid_request", error_description: "The request body must be a JSON object" });
  }

  const wrongType = await api.call("POST", "/connected-apps", { data: { client_type: "trusted", name: "x" } });
  expect(wrongType.status).toBe(400);
  expect(wrongType.body.error).toBe("invalid_body");
  expect(wrongType.body.fields.client_type).toContain("first_party_public");

  const missing = await api.call("POST", "/connected-apps", { data: { name: "x" } });
  expect(missing.status).toBe(400);
  expect(missing.body.fields).toHaveProperty("client_type");

  const unknownField = await api.call("POST", "/connected-apps", { data: { client_type: "first_party", name: "x", secret: "mine" } });
  expect(unknownField.status).toBe(400);
  expect(unknownField.body.fields).toEqual({ secret: "is not a known setting" });

  // A loopback URI is for public apps; a confidential one needs https.
  const badUri = await api.call("POST", "/connected-apps", {
    data: { client_type: "third_party", name: "x", redirect_uris: [PUBLIC_URI] },
  });
  expect(badUri.status).toBe(400);
  expect(badUri.body.fields["redirect_uris[0]"]).toContain(PUBLIC_URI);

  const skip = await api.call("POST", "/connected-apps", {
    data: { client_type: "third_party", name: "x", redirect_uris: [CONFIDENTIAL_URI], skip_consent: true },
  });
  expect(skip.status).toBe(400);
  expect(skip.body.fields).toEqual({ skip_consent: "only first-party apps may skip consent" });

  const app = (await api.create({ client_type: "third_party", name: `bad-input ${unique()}`, redirect_uris: [CONFIDENTIAL_URI] })).body;
  const path = `/connected-apps/${app.client_id}`;
  const retype = await api.call("PATCH", path, { data: { client_type: "first_party" } });
  expect(retype.status).toBe(400);
  expect(retype.body.fields.client_type).toContain("cannot be changed");
  const patchSkip = await api.call("PATCH", path, { data: { skip_consent: true } });
  expect(patchSkip.status).toBe(400);
  expect(patchSkip.body.fields).toHaveProperty("skip_consent");
  const patchTypes = await api.call("PATCH", path, { data: { name: 5, access_token_ttl_seconds: "long" } });
  expect(patchTypes.status).toBe(400);
  expect(Object.keys(patchTypes.body.fields).sort()).toEqual(["access_token_ttl_seconds", "name"]);
  expect((await api.call("PATCH", path, { raw: "{" })).status).toBe(400);
  expect((await api.call("PATCH", path, { raw: "[1]" })).status).toBe(400);
  // Nothing changed.
  const unchanged = await api.call("GET", path);
  expect(unchanged.body).toMatchObject({ client_type: "third_party", skip_consent: false, name: app.name });

  // Strings PostgreSQL cannot store are refused as input, not a 500.
  const nul = await api.call("POST", "/connected-apps", { data: { client_type: "first_party_public", name: "a\u0000b" } });
  expect(nul.status).toBe(400);
  expect(Object.keys(nul.body.fields)).toEqual(["name"]);
  expect((await api.call("PATCH", path, { raw: '{"description":"\\ud800"}' })).body.fields).toHaveProperty("description");
  expect((await api.call("GET", "/connected-apps?q=%00")).status).toBe(400);
  expect((await api.call("GET", "/connected-apps/ca_%00")).status).toBe(404);

  const huge = await api.call("POST", "/connected-apps", {
    data: { client_type: "first_party", name: "x", description: "d".repeat(70 * 1024) },
  });
  expect(huge.status).toBe(413);
  expect(huge.body.error).toBe("payload_too_large");
});

test("rotates a confidential app's secret: start, complete, cancel, and their conflicts", async ({ api }) => {
  const app = (await api.create({ client_type: "first_party", name: `rotation ${unique()}`, redirect_uris: [CONFIDENTIAL_URI] })).body;
  const rotate = (step: string) => api.call("POST", `/connected-apps/${app.client_id}/secret/rotate/${step}`);

  const noRotation = await rotate("complete");
  expect(noRotation.status).toBe(409);
  expect(noRotation.body.error).toBe("conflict");
  expect((await rotate("cancel")).status).toBe(409);

  const started = await rotate("start");
  expect(started.status, started.text).toBe(200);
  const secret: string = started.body.client_secret;
  expect(secret).toMatch(/^[\w-]{43,}$/);
  expect(secret).not.toBe(app.client_secret);
  expect(started.body).toMatchObject({ client_secret_last4: app.client_secret_last4, next_client_secret_last4: secret.slice(-4) });
  const during = await api.call("GET", `/connected-apps/${app.client_id}`);
  expect(during.body).toMatchObject({ client_secret_last4: app.client_secret_last4, next_client_secret_last4: secret.slice(-4) });
  expect(during.text).not.toContain(secret);
  expect((await rotate("start")).status).toBe(409); // one rotation at a time

  const completed = await rotate("complete");
  expect(completed.status).toBe(200);
  expect(completed.body).toMatchObject({ client_secret_last4: secret.slice(-4), next_client_secret_last4: null });
  expect(completed.body).not.toHaveProperty("client_secret");
  expect((await rotate("complete")).status).toBe(409);

  const again = await rotate("start");
  const discarded: string = again.body.client_secret;
  expect(again.body.next_client_secret_last4).toBe(discarded.slice(-4));
  const cancelled = await rotate("cancel");
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ client_secret_last4: secret.slice(-4), next_client_secret_last4: null });
  expect((await rotate("cancel")).status).toBe(409);

  const publicApp = (await api.create({ client_type: "first_party_public", name: `rotation public ${unique()}` })).body;
  for (const step of ["start", "complete", "cancel"]) {
    const reply = await api.call("POST", `/connected-apps/${publicApp.client_id}/secret/rotate/${step}`);
    expect(reply.status, step).toBe(409);
    expect(reply.body.error_description).toBe("Public apps have no client secret");
  }
});

test("refuses requests without a valid owner API key: 401 with a Bearer challenge", async ({ api }) => {
  const revoked = readKey(keys().revoked);
  const attempts: CallOptions[] = [
    { key: null },
    { key: "garbage" },
    { key: `ca_key_${randomBytes(32).toString("base64url")}` },
    { key: revoked },
    { authorization: "Basic b3duZXJAZTJlLnRlc3Q6b3duZXItcGFzc3dvcmQtZTJl" },
    { authorization: "Bearer" },
  ];
  for (const options of attempts) {
    for (const [method, path] of [
      ["GET", "/connected-apps"],
      ["POST", "/connected-apps"],
      ["GET", "/settings"],
      ["PATCH", "/settings"],
    ] as const) {
      const reply = await api.call(method, path, { ...options, ...(method === "GET" ? {} : { data: { dcr_enabled: true } }) });
      expect(reply.status, `${method} ${path} with ${JSON.stringify(options)}`).toBe(401);
      expect(reply.body.error).toBe("invalid_token");
      expect(reply.headers["www-authenticate"]).toMatch(/^Bearer realm="connected-apps"/);
    }
  }
  const noKey = await api.call("GET", "/connected-apps", { key: null });
  expect(noKey.headers["www-authenticate"]).toBe('Bearer realm="connected-apps"');
  const revokedKey = await api.call("GET", "/connected-apps", { key: revoked });
  expect(revokedKey.headers["www-authenticate"]).toContain('error="invalid_token"');

  // The active key works, in any case of the scheme name.
  expect((await api.call("GET", "/connected-apps?limit=1", { authorization: `bearer ${readKey(keys().active)}` })).status).toBe(200);
});

test("?fields= returns only the named fields; unknown names are a 400 listing the valid ones", async ({ api }) => {
  const app = (await api.create({ client_type: "first_party_public", name: `fields ${unique()}`, redirect_uris: [PUBLIC_URI] })).body;
  const one = await api.call("GET", `/connected-apps/${app.client_id}?fields=client_id,name`);
  expect(one.body).toEqual({ client_id: app.client_id, name: app.name });
  const derived = await api.call("GET", `/connected-apps/${app.client_id}?fields=is_public,is_first_party,logo_uri`);
  expect(derived.body).toEqual({ is_public: true, is_first_party: true, logo_uri: null });

  const list = await api.call("GET", `/connected-apps?q=${encodeURIComponent(app.name)}&fields=client_id,name`);
  expect(list.body).toEqual({ data: [{ client_id: app.client_id, name: app.name }], next_cursor: null });

  const unknown = await api.call("GET", `/connected-apps/${app.client_id}?fields=client_id,client_secret`);
  expect(unknown.status).toBe(400);
  expect(unknown.body.error).toBe("invalid_request");
  expect(unknown.body.error_description).toContain("Unknown fields: client_secret");
  expect(unknown.body.error_description).toContain("client_secret_last4");
  expect(unknown.body.error_description).toContain("is_first_party");
  expect((await api.call("GET", "/connected-apps?fields=nope")).status).toBe(400);
});

test("reads and changes the project settings", async ({ api }) => {
  const before = await api.call("GET", "/settings");
  expect(before.status).toBe(200);
  expect(Object.keys(before.body).sort()).toEqual(["access_token_alg", "cimd_enabled", "dcr_enabled", "password_signin_enabled", "require_par", "resource_servers", "signup_enabled"]);
  expect(before.body.access_token_alg).toBe("RS256");
  const servers: string[] = before.body.resource_servers;
  try {
    const on = await api.call("PATCH", "/settings", { data: { dcr_enabled: true, cimd_enabled: true } });
    expect(on.body).toEqual({ password_signin_enabled: true, signup_enabled: true, dcr_enabled: true, cimd_enabled: true, resource_servers: servers, access_token_alg: "RS256", require_par: false });
    const partial = await api.call("PATCH", "/settings", { data: { cimd_enabled: false } });
    expect(partial.body).toEqual({ password_signin_enabled: true, signup_enabled: true, dcr_enabled: true, cimd_enabled: false, resource_servers: servers, access_token_alg: "RS256", require_par: false });
    expect((await api.call("GET", "/settings")).body).toEqual({ password_signin_enabled: true, signup_enabled: true, dcr_enabled: true, cimd_enabled: false, resource_servers: servers, access_token_alg: "RS256", require_par: false });

    const bad = await api.call("PATCH", "/settings", { data: { dcr_enabled: "yes", registration: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_body");
    expect(Object.keys(bad.body.fields).sort()).toEqual(["dcr_enabled", "registration"]);
    expect((await api.call("PATCH", "/settings", { raw: "true" })).status).toBe(400);
    const badAlg = await api.call("PATCH", "/settings", { data: { access_token_alg: "HS256" } });
    expect(badAlg.status).toBe(400);
    expect(Object.keys(badAlg.body.fields)).toEqual(["access_token_alg"]);
    expect((await api.call("GET", "/settings")).body).toEqual({ password_signin_enabled: true, signup_enabled: true, dcr_enabled: true, cimd_enabled: false, resource_servers: servers, access_token_alg: "RS256", require_par: false });

    // Resource servers (RFC 8707): absolute https URIs, each checked, errors by index.
    const listed = [...servers, "https://mcp.settings.example/mcp"];
    expect((await api.call("PATCH", "/settings", { data: { resource_servers: listed } })).body.resource_servers).toEqual(listed);
    const badServers = await api.call("PATCH", "/settings", {
      data: { resource_servers: ["https://ok.example/mcp", "http://plain.example/mcp", "https://frag.example/#x", "not a uri"] },
    });
    expect(badServers.status).toBe(400);
    expect(Object.keys(badServers.body.fields).sort()).toEqual(["resource_servers[1]", "resource_servers[2]", "resource_servers[3]"]);
    expect(badServers.body.fields["resource_servers[1]"]).toMatch(/https/);
    expect((await api.call("GET", "/settings")).body.resource_servers).toEqual(listed);
  } finally {
    // Leave the toggles as found: other suites share this server.
    const restored = await api.call("PATCH", "/settings", { data: before.body });
    expect(restored.body).toEqual(before.body);
  }
});

test("runs against the database its project names", async ({ request }) => {
  const health = await (await request.get("/api/health")).json();
  expect(health.database.kind).toBe(base.info().project.name === "postgres" ? "postgres" : "pglite");
});

test("lists and revokes users' authorizations of apps", async ({ api, baseURL }) => {
  const app = (await api.create({ client_type: "third_party", name: `Granted ${unique()}`, redirect_uris: [CONFIDENTIAL_URI] })).body;
  const alice = END_USERS[0]!;
  const session = new HttpSession(baseURL!);
  await session.signIn(alice.email, alice.password);
  const authorizeUrl = `/oauth2/authorize?${new URLSearchParams({ client_id: app.client_id, response_type: "code", scope: "openid email" })}`;
  const { callback } = await runAuthorization(session, authorizeUrl, "allow");
  expect(callback?.searchParams.get("code")).toBeTruthy();

  const users = await api.call("GET", `/connected-apps/${app.client_id}/authorized-users`);
  expect(users.status).toBe(200);
  expect(users.body.data).toHaveLength(1);
  expect(users.body.data[0]).toMatchObject({ user: { email: alice.email, name: alice.name }, scopes: ["openid", "email"] });
  const userId: string = users.body.data[0].user.id;

  const apps = await api.call("GET", `/users/${userId}/authorized-apps`);
  expect(apps.body.data).toContainEqual(expect.objectContaining({ client_id: app.client_id, is_first_party: false, scopes: ["openid", "email"] }));

  expect((await api.call("DELETE", `/users/${userId}/authorized-apps/${app.client_id}`)).status).toBe(204);
  expect((await api.call("DELETE", `/users/${userId}/authorized-apps/${app.client_id}`)).status).toBe(404);
  expect((await api.call("GET", `/connected-apps/${app.client_id}/authorized-users`)).body.data).toEqual([]);
  // Consent is asked again.
  const again = await runAuthorization(session, authorizeUrl, "allow");
  expect(again.sawConsent).toBe(true);

  expect((await api.call("GET", "/users/00000000-0000-0000-0000-000000000000/authorized-apps")).status).toBe(404);
  expect((await api.call("GET", "/users/not-a-uuid/authorized-apps")).status).toBe(404);
  expect((await api.call("GET", "/connected-apps/ca_unknown/authorized-users")).status).toBe(404);
  expect((await api.call("GET", `/users/${userId}/authorized-apps`, { key: null })).status).toBe(401);
});

test("manages sign-in connections: the secret is write-only; password sign-in turns off only with a project-level connection", async ({ api, baseURL }) => {
  const slug = `okta-${unique()}`;
  const secret = `upstream-secret-${unique()}`;
  const okta = { slug, kind: "oidc", name: "Okta", issuer: "https://example.okta.com", client_id: "0oa-e2e", client_secret: secret };

  // The server may have project-level connections of its own (e2e/connections/seed.ts): off for this test, so that the rule shows.
  const others = ((await api.call("GET", "/connections")).body.data as { slug: string; level: string; enabled: boolean }[])
    .filter((c) => c.level === "project" && c.enabled)
    .map((c) => c.slug);
  for (const other of others) expect((await api.call("PATCH", `/connections/${other}`, { data: { enabled: false } })).status).toBe(200);
  let created: Awaited<ReturnType<typeof api.call>> | undefined;
  try {
    // No enabled project-level connection: password sign-in cannot be turned off.
    const refused = await api.call("PATCH", "/settings", { data: { password_signin_enabled: false } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: "conflict", error_description: expect.stringContaining("project-level connection") });

    created = await api.call("POST", "/connections", { data: okta });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/connections/${slug}`);
    expect(created.body).toMatchObject({ slug, kind: "oidc", level: "project", enabled: true, redirect_uri: `${baseURL}/signin/connections/${slug}/callback` });
    expect(created.text).not.toContain(secret);

    const bad = await api.call("POST", "/connections", { data: { ...okta, slug: "Not A Slug", issuer: "ftp://idp.example", extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_body");
    expect(Object.keys(bad.body.fields).sort()).toEqual(["extra", "issuer", "slug"]);
    expect((await api.call("POST", "/connections", { raw: "[1]" })).status).toBe(400);
    expect((await api.call("POST", "/connections", { data: okta })).status).toBe(409);
    expect((await api.call("GET", "/connections/no-such-connection")).status).toBe(404);
    expect((await api.call("PATCH", "/connections/no-such-connection", { data: { name: "x" } })).status).toBe(404);
    expect((await api.call("GET", "/connections", { key: null })).status).toBe(401);

    const listed = await api.call("GET", "/connections");
    expect(listed.body.data.map((c: { slug: string }) => c.slug)).toContain(slug);
    expect(listed.text).not.toContain(secret);

    const patched = await api.call("PATCH", `/connections/${slug}`, { data: { name: "Okta SSO", client_secret: "a-replaced-secret" } });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe("Okta SSO");
    expect(patched.text).not.toContain("a-replaced-secret");
    expect((await api.call("GET", `/connections/${slug}`)).body).toEqual(patched.body);

    // With it, password sign-in may go off; the connection then cannot be removed.
    const off = await api.call("PATCH", "/settings", { data: { password_signin_enabled: false } });
    try {
      expect(off.status).toBe(200);
      expect(off.body.password_signin_enabled).toBe(false);
      expect((await api.call("DELETE", `/connections/${slug}`)).status).toBe(409);
      expect((await api.call("PATCH", `/connections/${slug}`, { data: { enabled: false } })).status).toBe(409);
    } finally {
      expect((await api.call("PATCH", "/settings", { data: { password_signin_enabled: true } })).status).toBe(200);
    }
  } finally {
    if (created?.status === 201) expect((await api.call("DELETE", `/connections/${slug}`)).status).toBe(204);
    for (const other of others) await api.call("PATCH", `/connections/${other}`, { data: { enabled: true } });
  }
  expect((await api.call("GET", `/connections/${slug}`)).status).toBe(404);
  expect((await api.call("DELETE", `/connections/${slug}`, { key: null })).status).toBe(401);
});
