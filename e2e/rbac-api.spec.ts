import { expect, test as base, type APIRequestContext } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { openApiChecker, type OpenApiDocument } from "../tests/openapi-validate";
import { apiKey } from "./oauth/clients";
import { ALICE, BOB, Provider } from "./oauth/flows";

// Custom scopes, roles and users' roles through the management API, against
// the running app (on PGlite, and on PostgreSQL in the "postgres" project).
// Every response is checked against the served OpenAPI document. Names are
// unique per test; whatever a test changes that others could see (the
// default role, the seeded users' roles) is put back.

interface Reply {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked against the document
  body: any;
}

let checker: ReturnType<typeof openApiChecker> | undefined;

class Api {
  constructor(private readonly request: APIRequestContext) {}

  /** Calls /api/v1 + path with the owner key (or `key`); asserts no-store and that the reply is as documented. */
  async call(method: string, path: string, options: { data?: unknown; raw?: string; key?: string | null } = {}): Promise<Reply> {
    const key = options.key === undefined ? apiKey() : options.key;
    const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
    if (options.raw !== undefined) headers["content-type"] = "application/json";
    const response = await this.request.fetch(`/api/v1${path}`, {
      method,
      headers,
      data: options.raw !== undefined ? Buffer.from(options.raw) : options.data,
    });
    const text = await response.text();
    const reply: Reply = { status: response.status(), text, body: text ? JSON.parse(text) : null };
    expect(response.headers()["cache-control"], `${method} ${path}`).toBe("no-store");
    checker ??= openApiChecker((await (await this.request.get("/api/v1/openapi.json")).json()) as OpenApiDocument);
    expect(checker(method, path.split("?")[0]!, reply.status, text), `${method} ${path} → ${reply.status}`).toEqual([]);
    return reply;
  }

  /** Calls and expects `status`, showing the body when it differs. */
  async expect(status: number, method: string, path: string, options: { data?: unknown; raw?: string; key?: string | null } = {}) {
    const reply = await this.call(method, path, options);
    expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(status);
    return reply;
  }

  /** The id of a seeded user, found by searching the user list. */
  async userId(email: string): Promise<string> {
    const list = await this.expect(200, "GET", `/users?q=${encodeURIComponent(email)}`);
    const user = list.body.data.find((u: { email: string }) => u.email === email);
    expect(user, email).toBeTruthy();
    return user.id;
  }
}

const test = base.extend<{ api: Api }>({ api: async ({ request }, provide) => provide(new Api(request)) });
const unique = () => randomBytes(4).toString("hex");
const enc = encodeURIComponent;

test("the OpenAPI document describes the scope, role and user endpoints", async ({ request }) => {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(["/scopes", "/scopes/{name}", "/roles", "/roles/{name}", "/default-role", "/users", "/users/{user_id}/roles", "/users/{user_id}/roles/{role}"]),
  );
  expect(doc.components.schemas.CreateCustomScope).toMatchObject({ required: ["name", "description"], additionalProperties: false });
});

test("custom scopes: create, list, change and delete, by a percent-encoded name", async ({ api }) => {
  const name = `read:invoices/${unique()}`;
  const created = await api.expect(201, "POST", "/scopes", { data: { name, description: "See your invoices", permissions: ["invoices.read", "invoices.read"] } });
  expect(created.body).toMatchObject({ name, description: "See your invoices", permissions: ["invoices.read"] });
  expect((await api.expect(200, "GET", "/scopes")).body.data).toContainEqual(created.body);

  const changed = await api.expect(200, "PATCH", `/scopes/${enc(name)}`, { data: { permissions: ["invoices.read", "invoices.export"] } });
  expect(changed.body).toMatchObject({ name, description: "See your invoices", permissions: ["invoices.read", "invoices.export"] });
  // `:` may also be sent as is (it is allowed in a path segment); `/` must be encoded.
  const described = await api.expect(200, "PATCH", `/scopes/${name.replace("/", "%2F")}`, { data: { description: "See and export your invoices" } });
  expect(described.body.description).toBe("See and export your invoices");

  const again = await api.expect(409, "POST", "/scopes", { data: { name, description: "Again" } });
  expect(again.body.error).toBe("conflict");
  expect((await api.expect(204, "DELETE", `/scopes/${enc(name)}`)).text).toBe("");
  await api.expect(404, "DELETE", `/scopes/${enc(name)}`);
  await api.expect(404, "PATCH", `/scopes/${enc(name)}`, { data: { description: "x" } });
  expect((await api.expect(200, "GET", "/scopes")).body.data.map((s: { name: string }) => s.name)).not.toContain(name);
});

test("custom scopes: invalid input is a 400 naming each field", async ({ api }) => {
  const bad = await api.expect(400, "POST", "/scopes", { data: { name: "has space", description: "", permissions: ["ok", "not ok"] } });
  expect(bad.body.error).toBe("invalid_body");
  expect(Object.keys(bad.body.fields).sort()).toEqual(["description", "name", "permissions[1]"]);
  expect(bad.body.fields.description).toBe("is required");
  const builtIn = await api.expect(400, "POST", "/scopes", { data: { name: "openid", description: "Mine now" } });
  expect(builtIn.body.fields).toEqual({ name: "is a built-in scope" });
  await api.expect(400, "POST", "/scopes", { raw: "[1]" });
  await api.expect(400, "POST", "/scopes", { raw: "{" });
  const unknown = await api.expect(400, "POST", "/scopes", { data: { name: `x${unique()}`, description: "x", owner: "me" } });
  expect(unknown.body).toMatchObject({ error: "invalid_body", fields: { owner: "is not a known field" } });
  await api.expect(401, "GET", "/scopes", { key: null });
  await api.expect(401, "POST", "/scopes", { key: "ca_key_unknown", data: {} });
});

test("roles: create, list with user counts, change, delete; the default role is guarded", async ({ api }) => {
  const name = `Billing admins ${unique()}`;
  const created = await api.expect(201, "POST", "/roles", { data: { name, permissions: ["invoices.pay"] } });
  expect(created.body).toMatchObject({ name, description: null, permissions: ["invoices.pay"], is_default: false, user_count: 0 });
  await api.expect(409, "POST", "/roles", { data: { name } });
  const bad = await api.expect(400, "POST", "/roles", { data: { name: "-dash first", permissions: "invoices.pay" } });
  expect(Object.keys(bad.body.fields).sort()).toEqual(["name", "permissions"]);

  const changed = await api.expect(200, "PATCH", `/roles/${enc(name)}`, { data: { description: "Pay invoices", permissions: [] } });
  expect(changed.body).toMatchObject({ name, description: "Pay invoices", permissions: [] });
  await api.expect(404, "PATCH", `/roles/${enc(`${name} x`)}`, { data: { description: null } });

  const roles = (await api.expect(200, "GET", "/roles")).body.data;
  expect(roles.find((r: { name: string }) => r.name === name)).toMatchObject({ description: "Pay invoices" });
  const member = roles.find((r: { name: string }) => r.name === "member");
  expect(member.user_count).toBeGreaterThanOrEqual(2); // at least the two seeded users

  const before = (await api.expect(200, "GET", "/default-role")).body;
  try {
    expect((await api.expect(200, "PUT", "/default-role", { data: { default_role: name } })).body).toEqual({ default_role: name });
    expect((await api.expect(200, "GET", "/roles")).body.data.find((r: { name: string }) => r.name === name).is_default).toBe(true);
    const guarded = await api.expect(409, "DELETE", `/roles/${enc(name)}`);
    expect(guarded.body.error_description).toContain("default role");
    expect((await api.expect(200, "PUT", "/default-role", { data: { default_role: null } })).body).toEqual({ default_role: null });
    const unknown = await api.expect(400, "PUT", "/default-role", { data: { default_role: "no such role" } });
    expect(unknown.body.fields).toEqual({ default_role: "no role named no such role" });
    await api.expect(400, "PUT", "/default-role", { data: {} });
    await api.expect(400, "PUT", "/default-role", { data: { default_role: 7 } });
  } finally {
    await api.expect(200, "PUT", "/default-role", { data: before });
  }
  await api.expect(204, "DELETE", `/roles/${enc(name)}`);
  await api.expect(404, "DELETE", `/roles/${enc(name)}`);
});

test("users: listed with their roles, searched and paged; roles given and taken away", async ({ api }) => {
  const page = await api.expect(200, "GET", "/users?limit=1");
  expect(page.body.data).toHaveLength(1);
  expect(page.body.next_cursor).toEqual(expect.any(String));
  const next = await api.expect(200, "GET", `/users?limit=1&cursor=${page.body.next_cursor}`);
  expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
  const bad = await api.expect(400, "GET", "/users?cursor=nope");
  expect(bad.body).toMatchObject({ error: "invalid_request", fields: { cursor: expect.any(String) } });
  await api.expect(400, "GET", "/users?limit=0");

  const search = await api.expect(200, "GET", `/users?q=${enc(ALICE.email.toUpperCase())}`);
  expect(search.body.data).toEqual([
    { id: expect.any(String), email: ALICE.email, name: ALICE.name, role: "member", roles: expect.arrayContaining(["member"]), created_at: expect.any(String) },
  ]);
  const aliceId = search.body.data[0].id;

  const role = `auditor ${unique()}`;
  await api.expect(201, "POST", "/roles", { data: { name: role, permissions: ["books.read", "books.audit"] } });
  try {
    await api.expect(204, "PUT", `/users/${aliceId}/roles/${enc(role)}`);
    await api.expect(204, "PUT", `/users/${aliceId}/roles/${enc(role)}`); // idempotent
    const held = (await api.expect(200, "GET", `/users/${aliceId}/roles`)).body;
    expect(held.roles).toContain(role);
    expect(held.permissions).toEqual(expect.arrayContaining(["books.audit", "books.read"]));
    expect((await api.expect(200, "GET", "/roles")).body.data.find((r: { name: string }) => r.name === role).user_count).toBe(1);
    expect((await api.call("GET", `/users?q=${enc(ALICE.email)}`)).body.data[0].roles).toContain(role);

    await api.expect(204, "DELETE", `/users/${aliceId}/roles/${enc(role)}`);
    const notHeld = await api.expect(404, "DELETE", `/users/${aliceId}/roles/${enc(role)}`);
    expect(notHeld.body.error_description).toContain("does not hold");
    expect((await api.expect(200, "GET", `/users/${aliceId}/roles`)).body.roles).not.toContain(role);
  } finally {
    await api.call("DELETE", `/roles/${enc(role)}`);
  }
  await api.expect(404, "PUT", `/users/${aliceId}/roles/no-such-role`);
  await api.expect(404, "PUT", "/users/00000000-0000-7000-8000-000000000000/roles/member");
  await api.expect(404, "GET", "/users/not-a-uuid/roles");
  await api.expect(404, "DELETE", "/users/not-a-uuid/roles/member");
  await api.expect(401, "GET", "/users", { key: null });
  await api.expect(401, "PUT", `/users/${aliceId}/roles/member`, { key: null });
});

test("tokens carry a custom scope only while the user holds its permissions", async ({ api, baseURL }) => {
  const provider = new Provider(baseURL);
  const tag = unique();
  const scope = `read:ledger-${tag}`;
  const role = `bookkeeper ${tag}`;
  await api.expect(201, "POST", "/scopes", { data: { name: scope, description: "See your ledger", permissions: [`ledger-${tag}.read`] } });
  await api.expect(201, "POST", "/roles", { data: { name: role, permissions: [`ledger-${tag}.read`] } });
  const bobId = await api.userId(BOB.email);
  const app = await provider.createApp("third_party", { allowed_scopes: ["openid", "offline_access", scope] });
  const introspect = async (token: string) =>
    (await provider.postForm("/oauth2/introspect", { token }, { authorization: `Bearer ${apiKey()}` })).json;
  try {
    // Without the role, consent lists the scope as one Bob cannot grant, and the token leaves it out.
    const session = await provider.signedIn(BOB);
    const consent = await session.fetch(provider.authorizeUrl(app, { scope: `openid offline_access ${scope}` }));
    const page = await session.fetch(consent.headers.get("location")!);
    const ungrantable = (await page.text()).match(/<ul[^>]*data-testid="consent-ungrantable"[^>]*>(.*?)<\/ul>/)?.[1] ?? "";
    expect(ungrantable).toContain("see your ledger");
    expect(ungrantable).toContain(scope);
    const without = await provider.tokens(app, { scope: `openid offline_access ${scope}`, session });
    expect(without.scope).toBe("openid offline_access");

    await api.expect(204, "PUT", `/users/${bobId}/roles/${enc(role)}`);
    const granted = await provider.tokens(app, { scope: `openid offline_access ${scope}`, session });
    expect(granted.scope).toBe(`openid offline_access ${scope}`);
    expect(await introspect(granted.access_token)).toMatchObject({ active: true, scope: `openid offline_access ${scope}` });

    // Taking the role away narrows the next refresh; giving it back restores it.
    await api.expect(204, "DELETE", `/users/${bobId}/roles/${enc(role)}`);
    const narrowed = await provider.refresh(app, granted.refresh_token!);
    expect(narrowed.json.scope).toBe("openid offline_access");
    expect(await introspect(narrowed.json.access_token)).toMatchObject({ active: true, scope: "openid offline_access" });
    await api.expect(204, "PUT", `/users/${bobId}/roles/${enc(role)}`);
    expect((await provider.refresh(app, granted.refresh_token!)).json.scope).toBe(`openid offline_access ${scope}`);

    // So does a role that loses the permission, and a deleted scope.
    await api.expect(200, "PATCH", `/roles/${enc(role)}`, { data: { permissions: [] } });
    expect((await provider.refresh(app, granted.refresh_token!)).json.scope).toBe("openid offline_access");
    await api.expect(200, "PATCH", `/roles/${enc(role)}`, { data: { permissions: [`ledger-${tag}.read`] } });
    await api.expect(204, "DELETE", `/scopes/${enc(scope)}`);
    expect((await provider.refresh(app, granted.refresh_token!)).json.scope).toBe("openid offline_access");
  } finally {
    await api.call("DELETE", `/roles/${enc(role)}`);
    await api.call("DELETE", `/scopes/${enc(scope)}`);
  }
});
