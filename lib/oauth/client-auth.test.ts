import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApp } from "../clients/apps";
import { lastAuthenticationOf } from "../clients/last-authentication";
import { withClock } from "./context";
import { JWT_BEARER_ASSERTION } from "./client-assertion";
import { authenticateClient, readClientCredentials } from "./client-auth";
import { OAuthError } from "./oauth-error";

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

function failure(fn: () => unknown): { code: string; status: number; www?: string } | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    const err = e as OAuthError;
    return { code: err.code, status: err.status, ...(err.options.wwwAuthenticate ? { www: err.options.wwwAuthenticate } : {}) };
  }
}

describe("readClientCredentials", () => {
  it("reads client_secret_basic with RFC 6749 §2.3.1 form-decoding", () => {
    const header = `Basic ${Buffer.from("ca_x%3Ay:s+e%25cret").toString("base64")}`;
    expect(readClientCredentials(header, form({}))).toEqual({ clientId: "ca_x:y", secret: "s e%cret", method: "client_secret_basic" });
    expect(readClientCredentials(basic("ca_a", "s"), form({ client_id: "ca_a" })).method).toBe("client_secret_basic");
  });

  it("reads client_secret_post and none", () => {
    expect(readClientCredentials(null, form({ client_id: "ca_a", client_secret: "s" }))).toEqual({
      clientId: "ca_a",
      secret: "s",
      method: "client_secret_post",
    });
    expect(readClientCredentials(null, form({ client_id: "ca_a" }))).toEqual({ clientId: "ca_a", secret: null, method: "none" });
  });

  it("refuses two methods at once, mismatched ids, malformed Basic and missing credentials", () => {
    expect(failure(() => readClientCredentials(basic("ca_a", "s"), form({ client_secret: "s" })))).toMatchObject({ code: "invalid_request" });
    expect(failure(() => readClientCredentials(basic("ca_a", "s"), form({ client_id: "ca_b" })))).toMatchObject({ code: "invalid_request" });
    expect(failure(() => readClientCredentials("Basic !!!", form({})))).toEqual({ code: "invalid_client", status: 401, www: 'Basic realm="oauth2"' });
    expect(failure(() => readClientCredentials(`Basic ${Buffer.from("nocolon").toString("base64")}`, form({})))).toMatchObject({ code: "invalid_client" });
    expect(failure(() => readClientCredentials(`Basic ${Buffer.from("%zz:x").toString("base64")}`, form({})))).toMatchObject({ code: "invalid_client" });
    expect(failure(() => readClientCredentials(null, form({})))).toMatchObject({ code: "invalid_client", status: 401 });
  });
});

describe("readClientCredentials with a client assertion", () => {
  const jwt = (claims: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify({ alg: "ES256" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;
  const withAssertion = (assertion: string) => form({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion });

  it("reads the client from the assertion's sub", () => {
    expect(readClientCredentials(null, withAssertion(jwt({ sub: "ca_a" })))).toMatchObject({ clientId: "ca_a", method: "private_key_jwt", secret: null });
  });

  it("says what is wrong: an assertion missing, or not a JWT (RFC 6749 §5.2 error_description)", () => {
    const description = (f: URLSearchParams) => {
      try {
        readClientCredentials(null, f);
        return "ok";
      } catch (e) {
        return (e as OAuthError).message;
      }
    };
    expect(description(form({ client_assertion_type: JWT_BEARER_ASSERTION }))).toBe("invalid_client: client_assertion is required with client_assertion_type");
    expect(description(withAssertion("not.a.jwt"))).toBe("invalid_client: client_assertion is not a JWT");
  });

  it.each([
    ["no sub", {}],
    ["an empty sub", { sub: "" }],
    ["a numeric sub", { sub: 7 }],
    ["a sub that is a list", { sub: ["ca_a"] }],
    ["a sub with a NUL character", { sub: "ca_\u0000a" }],
    ["a sub with an unpaired surrogate", { sub: "ca_\ud800" }],
  ])("refuses an assertion with %s as invalid_client", (_what, claims) => {
    expect(failure(() => readClientCredentials(null, withAssertion(jwt(claims))))).toMatchObject({ code: "invalid_client", status: 401 });
  });
});

describe.each(testDatabases)("authenticateClient on $name", ({ target }) => {
  let db: TestDatabase;
  const actor = { type: "system" as const, id: null, label: "test" };
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const attempt = async (creds: Parameters<typeof authenticateClient>[1]) =>
    authenticateClient(db.oauth, creds).then(
      (app) => app.clientId,
      (e: OAuthError) => `${e.code}${e.options.wwwAuthenticate ? " +challenge" : ""}`,
    );

  it("lets a confidential app in with its secret by basic or post, and nothing else", async () => {
    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "third_party", name: "c" }, "api");
    const id = app.client_id;
    expect(await attempt({ clientId: id, secret: clientSecret, method: "client_secret_basic" })).toBe(id);
    expect(await attempt({ clientId: id, secret: clientSecret, method: "client_secret_post" })).toBe(id);
    expect(await attempt({ clientId: id, secret: "wrong", method: "client_secret_basic" })).toBe("invalid_client +challenge");
    expect(await attempt({ clientId: id, secret: "wrong", method: "client_secret_post" })).toBe("invalid_client");
    expect(await attempt({ clientId: id, secret: null, method: "none" })).toBe("invalid_client");
    expect(await attempt({ clientId: "ca_unknown", secret: clientSecret, method: "client_secret_post" })).toBe("invalid_client");
  });

  it("checks secrets under the pepper of its context's server secret: another server secret lets nobody in", async () => {
    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "third_party", name: "peppered" }, "api");
    const otherSecret = { ...db.oauth, keyFor: (purpose: string) => createHmac("sha256", "another server secret").update(purpose).digest() };
    const creds = { clientId: app.client_id, secret: clientSecret, method: "client_secret_post" as const };
    expect(await attempt(creds)).toBe(app.client_id);
    await expect(authenticateClient(otherSecret, creds)).rejects.toMatchObject({ code: "invalid_client" });
  });

  it("lets a public app in with none only", async () => {
    const { app } = await createApp(db.prisma, actor, { client_type: "first_party_public", name: "p" }, "api");
    expect(await attempt({ clientId: app.client_id, secret: null, method: "none" })).toBe(app.client_id);
    expect(await attempt({ clientId: app.client_id, secret: "x", method: "client_secret_post" })).toBe("invalid_client");
  });

  it("records when and how a client last authenticated, at most once a minute, and nothing for a refusal", async () => {
    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "third_party", name: "seen" }, "api");
    const id = app.client_id;
    const t0 = new Date(Date.now() + 3_600_000);
    const at = (ms: number) => withClock(db.oauth, new Date(t0.getTime() + ms));
    await expect(authenticateClient(at(0), { clientId: id, secret: "wrong", method: "client_secret_basic" })).rejects.toMatchObject({ code: "invalid_client" });
    await expect(authenticateClient(at(0), { clientId: id, secret: null, method: "none" })).rejects.toMatchObject({ code: "invalid_client" });
    expect(await lastAuthenticationOf(db.prisma, id)).toBeNull();

    await authenticateClient(at(0), { clientId: id, secret: clientSecret, method: "client_secret_basic" });
    expect(await lastAuthenticationOf(db.prisma, id)).toEqual({ at: t0, method: "client_secret_basic" });
    // Within the minute: not written again.
    await authenticateClient(at(59_000), { clientId: id, secret: clientSecret, method: "client_secret_post" });
    expect(await lastAuthenticationOf(db.prisma, id)).toEqual({ at: t0, method: "client_secret_basic" });
    await authenticateClient(at(60_000), { clientId: id, secret: clientSecret, method: "client_secret_post" });
    expect(await lastAuthenticationOf(db.prisma, id)).toEqual({ at: new Date(t0.getTime() + 60_000), method: "client_secret_post" });

    // A public client is recorded too (identified by its client_id), each client on its own.
    const { app: pub } = await createApp(db.prisma, actor, { client_type: "first_party_public", name: "seen-public" }, "api");
    await authenticateClient(at(60_000), { clientId: pub.client_id, secret: null, method: "none" });
    expect(await lastAuthenticationOf(db.prisma, pub.client_id)).toEqual({ at: new Date(t0.getTime() + 60_000), method: "none" });
  });

  it("lets a failure to look up a metadata-document client through as a server error, not a refusal of the client", async () => {
    const down = new Error("the database is unreachable");
    const ctx = { ...db.oauth, store: { ...db.oauth.store, refreshMetadataClient: () => Promise.reject(down) } };
    await expect(authenticateClient(ctx, { clientId: "https://app.example/client.json", secret: null, method: "none" })).rejects.toBe(down);
  });

  it("refuses a disabled app", async () => {
    const { app } = await createApp(db.prisma, actor, { client_type: "first_party_public", name: "d", status: "disabled" }, "api");
    expect(await attempt({ clientId: app.client_id, secret: null, method: "none" })).toBe("invalid_client");
  });
});
