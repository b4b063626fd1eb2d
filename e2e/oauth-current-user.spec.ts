import { expect, test } from "@playwright/test";
import { openApiChecker, type OpenApiDocument } from "../tests/openapi-validate";
import { ALICE, BOB, ownerApiKey, Provider, type Reply, type TestApp } from "./oauth/flows";
import { listResourceServers } from "./oauth/resource-servers";

// The current-user API (/api/v1/me) as a third-party app uses it: a user's
// access token with read:current_user and update:current_user_metadata,
// RFC 6750 errors with their challenges, CORS for browser apps. Every reply
// is checked against the served OpenAPI document. Runs against the PGlite
// server and, with TEST_DATABASE_URL, the PostgreSQL one.

const CURRENT_USER = "read:current_user update:current_user_metadata";
const ORIGIN = "https://spa.example";

let checker: ReturnType<typeof openApiChecker> | undefined;

/** Calls /api/v1 + path from a browser app's origin; checks no-store, CORS and the OpenAPI document. */
async function call(op: Provider, method: string, path: string, token: string | null, body?: unknown): Promise<Reply> {
  checker ??= openApiChecker((await op.send("/api/v1/openapi.json")).json as OpenApiDocument);
  const headers: Record<string, string> = { origin: ORIGIN };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const reply = await op.send(`/api/v1${path}`, { method, headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  expect(reply.headers.get("cache-control"), `${method} ${path}`).toContain("no-store");
  expect(reply.headers.get("access-control-allow-origin"), `${method} ${path}`).toBe("*");
  expect(checker(method, path, reply.status, reply.text), `${method} ${path} → ${reply.status}`).toEqual([]);
  return reply;
}

const getMe = (op: Provider, token: string | null) => call(op, "GET", "/me", token);
const patchMetadata = (op: Provider, token: string | null, body: unknown) => call(op, "PATCH", "/me/metadata", token, body);

/** A third-party app allowed the current-user scopes (they are not among the defaults). */
const partnerApp = (op: Provider, type: "third_party" | "third_party_public" = "third_party_public") =>
  op.createApp(type, { allowed_scopes: ["openid", "profile", "email", "offline_access", "read:current_user", "update:current_user_metadata"] });

/** Empties the user's user_metadata (earlier tests of the run may have written to it). */
async function clearMetadata(op: Provider, token: string): Promise<void> {
  const current = (await getMe(op, token)).json.user_metadata as Record<string, unknown>;
  const reply = await patchMetadata(op, token, Object.fromEntries(Object.keys(current).map((key) => [key, null])));
  expect(reply.json).toEqual({});
}

function expectChallenge(reply: Reply, status: number, challenge: RegExp) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.json).toEqual({ error: expect.any(String), error_description: expect.any(String) });
  expect(reply.headers.get("www-authenticate")).toMatch(challenge);
}

test.describe("current-user API", () => {
  // RFC 8707: a resource must be one of the project's resource servers.
  let restoreResources: () => Promise<void> = async () => {};
  test.beforeAll(async () => {
    restoreResources = await listResourceServers(["https://api.example.com"]);
  });
  test.afterAll(async () => restoreResources());

  test("a third-party app reads the user as consented and merges user_metadata", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await partnerApp(op);
    const tokens = await op.tokens(app, { scope: `openid profile email ${CURRENT_USER}` });
    expect(tokens.scope.split(" ").sort()).toEqual(["email", "openid", "profile", "read:current_user", "update:current_user_metadata"]);
    await clearMetadata(op, tokens.access_token);

    const sub = (await op.userinfo(tokens.access_token)).json.sub;
    expect((await getMe(op, tokens.access_token)).json).toEqual({
      sub,
      name: ALICE.name,
      email: ALICE.email,
      email_verified: false,
      user_metadata: {},
    });

    const first = await patchMetadata(op, tokens.access_token, { theme: "dark", prefs: { units: "metric", tags: ["a", "b"] } });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ theme: "dark", prefs: { units: "metric", tags: ["a", "b"] } });
    const second = await patchMetadata(op, tokens.access_token, { theme: null, lang: "fr" });
    expect(second.json).toEqual({ prefs: { units: "metric", tags: ["a", "b"] }, lang: "fr" });
    expect((await getMe(op, tokens.access_token)).json.user_metadata).toEqual(second.json);

    // Another app with only read:current_user sees the same metadata and no more claims than it was granted.
    const reader = await partnerApp(op, "third_party");
    const readOnly = await op.tokens(reader, { scope: "read:current_user" });
    expect((await getMe(op, readOnly.access_token)).json).toEqual({ sub, user_metadata: second.json });
  });

  test("browsers may call it: preflights allow the Authorization header and the route's methods", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    for (const [path, method] of [["/api/v1/me", "GET"], ["/api/v1/me/metadata", "PATCH"]] as const) {
      const reply = await op.send(path, {
        method: "OPTIONS",
        headers: { origin: ORIGIN, "access-control-request-method": method, "access-control-request-headers": "authorization, content-type" },
      });
      expect(reply.status, path).toBe(204);
      expect(reply.headers.get("access-control-allow-origin")).toBe("*");
      expect(reply.headers.get("access-control-allow-methods")).toContain(method);
      expect(reply.headers.get("access-control-allow-headers")).toMatch(/Authorization/i);
      expect(reply.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
    }
  });

  test("tokens are checked: missing, garbage, owner key, revoked and other-audience tokens get 401; a missing scope 403", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app: TestApp = await partnerApp(op, "third_party");

    // RFC 9728 §5.1: every challenge names the protected-resource metadata.
    const metadata = `resource_metadata="${new URL("/.well-known/oauth-protected-resource", baseURL).href}"`;
    expectChallenge(await getMe(op, null), 401, new RegExp(`^Bearer realm="connected-apps", scope="read:current_user", ${metadata}$`));
    expectChallenge(await patchMetadata(op, null, { a: 1 }), 401, /^Bearer realm="connected-apps", scope="update:current_user_metadata", resource_metadata="[^"]+"$/);
    const invalid = /^Bearer realm="connected-apps", error="invalid_token", error_description="[^"]+", scope="[^"]+", resource_metadata="[^"]+"$/;
    expectChallenge(await getMe(op, "garbage"), 401, invalid);
    // Owner API keys are for the management API: these endpoints act for a user.
    expectChallenge(await getMe(op, ownerApiKey()), 401, invalid);

    const revoked = await op.tokens(app, { scope: CURRENT_USER });
    expect((await getMe(op, revoked.access_token)).status).toBe(200);
    expect((await op.revoke(app, revoked.access_token)).status).toBe(200);
    expectChallenge(await getMe(op, revoked.access_token), 401, invalid);
    expectChallenge(await patchMetadata(op, revoked.access_token, { a: 1 }), 401, invalid);

    // A token for another resource server (RFC 8707) is not for this API.
    const elsewhere = await op.redeem(app, await op.obtainCode(app, { scope: "read:current_user", params: { resource: "https://api.example.com" } }));
    expect(elsewhere.status, elsewhere.text).toBe(200);
    expectChallenge(await getMe(op, elsewhere.json.access_token), 401, /error="invalid_token", error_description="The access token is not meant for this server"/);

    const profileOnly = await op.tokens(app, { scope: "openid profile" });
    const noRead = await getMe(op, profileOnly.access_token);
    expectChallenge(noRead, 403, /^Bearer realm="connected-apps", error="insufficient_scope", error_description="[^"]+", scope="read:current_user", resource_metadata="[^"]+"$/);
    expect(noRead.json.error).toBe("insufficient_scope");
    const readOnly = await op.tokens(app, { scope: "read:current_user" });
    expectChallenge(await patchMetadata(op, readOnly.access_token, { a: 1 }), 403, /scope="update:current_user_metadata", resource_metadata="[^"]+"$/);
  });

  test("metadata patches are validated; a refused one changes nothing", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await partnerApp(op);
    const token = (await op.tokens(app, { scope: CURRENT_USER, session: await op.signedIn(BOB) })).access_token;
    await clearMetadata(op, token);
    expect((await patchMetadata(op, token, { kept: true })).status).toBe(200);

    const badKey = await patchMetadata(op, token, { "a.b": 1, ok: { "white space": 1 } });
    expect(badKey.status).toBe(400);
    expect(badKey.json).toMatchObject({ error: "invalid_body", fields: { "a.b": expect.any(String), "ok.white space": expect.any(String) } });
    const deep = await patchMetadata(op, token, { a: { b: { c: { d: { e: { f: 1 } } } } } });
    expect(deep.json).toMatchObject({ error: "invalid_body", fields: { "a.b.c.d.e": expect.stringContaining("at most 5 levels") } });
    const tooBig = await patchMetadata(op, token, { big: "x".repeat(17_000) });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error_description).toContain("at most 16384 bytes");
    const notObject = await patchMetadata(op, token, "[1, 2]");
    expect(notObject.json.error).toBe("invalid_request");
    const nul = await patchMetadata(op, token, { text: "a\u0000b" });
    expect(nul.json).toMatchObject({ error: "invalid_body", fields: { text: expect.stringContaining("NUL") } });

    expect((await getMe(op, token)).json.user_metadata).toEqual({ kept: true });
  });

  test("concurrent patches from two apps keep every key", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const session = await op.signedIn(BOB);
    const [one, two] = [await partnerApp(op), await partnerApp(op, "third_party")];
    const tokens = [
      (await op.tokens(one, { scope: CURRENT_USER, session })).access_token,
      (await op.tokens(two, { scope: CURRENT_USER, session })).access_token,
    ];
    await clearMetadata(op, tokens[0]!);
    const PARALLEL = 20;
    const replies = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => patchMetadata(op, tokens[i % 2]!, { [`key${i}`]: i })));
    expect(replies.map((r) => r.status)).toEqual(Array(PARALLEL).fill(200));
    const expected = Object.fromEntries(Array.from({ length: PARALLEL }, (_, i) => [`key${i}`, i]));
    expect((await getMe(op, tokens[1]!)).json.user_metadata).toEqual(expected);
  });
});
