import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { assertionForm, clientAssertion, newClientKey } from "@/tests/client-keys";
import { oauthError, signedInUser, VERIFIER } from "@/tests/oauth-client";
import type { Actor } from "../audit";
import { createApp, deleteApp, updateApp } from "../clients/apps";
import { createMachineClient } from "../clients/machine-clients";
import { hashToken } from "../crypto/tokens";
import { ensureSigningKeys } from "../keys/signing-keys";
import { updateProjectSettings } from "../settings";
import { authorize, type AuthorizeOutcome, type AuthSession } from "./authorize/flow";
import { spendPushedRequest } from "./authorize/pushed-request";
import type { OAuthContext } from "./context";
import { pushAuthorizationRequest, PUSHED_REQUEST_TTL_S } from "./par";
import { s256 } from "./pkce";
import { handleTokenRequest } from "./token-endpoint";

const actor: Actor = { type: "system", id: null, label: "test" };
const REDIRECT = "https://rp.example/cb";
const PKCE = { code_challenge: s256(VERIFIER), code_challenge_method: "S256" };

/** Where an outcome sends the browser, as a URL (throws on an error page). */
function redirected(outcome: AuthorizeOutcome): URL {
  if (outcome.type !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
  return new URL(outcome.location, "https://id.example.com");
}

/** The error page's title, or "redirect". */
const pageTitle = (outcome: AuthorizeOutcome) => (outcome.type === "error_page" ? outcome.title : "redirect");

// Several server instances on one PostgreSQL (three pools) race on a request_uri; PGlite races itself.
describe.each(testDatabases)("pushed authorization requests (RFC 9126) on $name", ({ name, target }) => {
  let db: TestDatabase;
  let others: TestDatabase[] = [];
  let session: AuthSession;
  beforeAll(async () => {
    const t = await target();
    db = await openTestDatabase(t);
    others = name === "postgres" ? await Promise.all([1, 2].map(() => openTestDatabase({ ...t, drop: async () => {} }))) : [];
    await ensureSigningKeys(db.prisma);
    session = await signedInUser(db.prisma, "par-user@example.com");
  });
  afterAll(async () => {
    for (const other of others) await other.dispose();
    await db?.dispose();
  });

  /** An app that skips consent (so /authorize answers with a code at once) and how it authenticates at /oauth2/par. */
  async function parClient(input: Record<string, unknown> = {}) {
    const { app, clientSecret } = await createApp(
      db.prisma,
      actor,
      { client_type: "first_party", name: "PAR app", redirect_uris: [REDIRECT, "https://rp.example/other"], skip_consent: true, ...input },
      "api",
    );
    const authorization = clientSecret ? `Basic ${Buffer.from(`${app.client_id}:${clientSecret}`).toString("base64")}` : null;
    const identify: Record<string, string> = clientSecret ? {} : { client_id: app.client_id };
    const push = (params: Record<string, string | readonly string[]>, ctx: OAuthContext = db.oauth, source: string | null = null) => {
      const form = new URLSearchParams(identify);
      for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) form.append(key, v);
      return pushAuthorizationRequest(ctx, { authorization, form, requester: { source } });
    };
    const pushed = async (params: Record<string, string> = {}) =>
      (await push({ response_type: "code", scope: "openid", redirect_uri: REDIRECT, state: "pushed-state", ...PKCE, ...params })).request_uri;
    const open = (requestUri: string, extra: Record<string, string> = {}, ctx: OAuthContext = db.oauth, now?: Date) =>
      authorize(ctx, new URLSearchParams({ client_id: app.client_id, request_uri: requestUri, ...extra }), session, now);
    const token = (form: Record<string, string>) => handleTokenRequest(db.oauth, { authorization, form: new URLSearchParams({ ...identify, ...form }) });
    return { clientId: app.client_id, push, pushed, open, token };
  }

  it("answers a confidential app (Basic) with a one-time request_uri for 60 s, stored only as its hash", async () => {
    const client = await parClient();
    const answer = await client.push({ response_type: "code", scope: "openid", redirect_uri: REDIRECT, ...PKCE });
    expect(answer.expires_in).toBe(60);
    expect(answer.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
    const row = await db.prisma.pushedAuthorizationRequest.findUniqueOrThrow({ where: { requestUriHash: hashToken(answer.request_uri) } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan((PUSHED_REQUEST_TTL_S - 2) * 1000);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual((PUSHED_REQUEST_TTL_S + 1) * 1000);
    expect(row.usedAt).toBeNull();
    expect(row.dpopJkt).toBeNull();
    const random = answer.request_uri.split(":").at(-1)!;
    expect(JSON.stringify(row)).not.toContain(random);
  });

  it("a pushed request signs the user in with the pushed parameters, and its code is exchanged with the pushed PKCE challenge", async () => {
    const client = await parClient({ allowed_scopes: ["openid", "profile", "email"] });
    // Quotes, a backslash and non-ASCII survive storage (PGlite executes prepared statements with literals).
    const state = `it's "pushed" \\ ü`;
    const requestUri = await client.pushed({ scope: "openid profile", redirect_uri: "https://rp.example/other", nonce: "pushed-nonce", state });
    // RFC 9126 §4: only the pushed parameters count; these are ignored.
    const url = redirected(await client.open(requestUri, { scope: "openid email", state: "query-state", redirect_uri: REDIRECT, response_type: "token", prompt: "none" }));
    expect(url.origin + url.pathname).toBe("https://rp.example/other");
    expect(url.searchParams.get("state")).toBe(state);
    const tokens = await client.token({ grant_type: "authorization_code", code: url.searchParams.get("code")!, redirect_uri: "https://rp.example/other", code_verifier: VERIFIER });
    expect(tokens.scope).toBe("openid profile");
    expect(JSON.parse(Buffer.from(tokens.id_token!.split(".")[1]!, "base64url").toString()).nonce).toBe("pushed-nonce");
  });

  it("a public app pushes with its client_id alone", async () => {
    const client = await parClient({ client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"] });
    const requestUri = await client.pushed({ redirect_uri: "http://127.0.0.1/cb" });
    expect(redirected(await client.open(requestUri)).searchParams.get("code")).toBeTruthy();
  });

  it("a request_uri used once is refused the second time (an error page, never a redirect)", async () => {
    const client = await parClient();
    const requestUri = await client.pushed();
    expect(redirected(await client.open(requestUri)).searchParams.get("code")).toBeTruthy();
    expect(pageTitle(await client.open(requestUri))).toBe("This sign-in request is no longer valid");
  });

  it("a request_uri is refused once its 60 seconds are over", async () => {
    const client = await parClient();
    const requestUri = await client.pushed();
    const late = new Date(Date.now() + (PUSHED_REQUEST_TTL_S + 1) * 1000);
    expect(pageTitle(await client.open(requestUri, {}, db.oauth, late))).toBe("This sign-in request is no longer valid");
  });

  it("another app's request_uri is refused and stays usable by the app that pushed it", async () => {
    const owner = await parClient();
    const other = await parClient();
    const requestUri = await owner.pushed();
    expect(pageTitle(await other.open(requestUri))).toBe("This sign-in request is no longer valid");
    expect(redirected(await owner.open(requestUri)).searchParams.get("code")).toBeTruthy();
  });

  it("a request_uri this server did not issue, or without client_id, is an error page", async () => {
    const client = await parClient();
    expect(pageTitle(await client.open("https://rp.example/request.jwt"))).toBe("Unsupported request_uri");
    expect(pageTitle(await client.open("urn:ietf:params:oauth:request_uri:never-issued"))).toBe("This sign-in request is no longer valid");
    const requestUri = await client.pushed();
    expect(pageTitle(await authorize(db.oauth, new URLSearchParams({ request_uri: requestUri }), session))).toBe("Missing client_id");
  });

  it("an empty request_uri is no pushed request: the plain parameters count", async () => {
    const client = await parClient();
    const plain = { client_id: client.clientId, response_type: "code", scope: "openid", redirect_uri: REDIRECT, state: "plain-state", ...PKCE };
    const url = redirected(await authorize(db.oauth, new URLSearchParams({ ...plain, request_uri: "" }), session));
    expect([url.searchParams.get("state"), Boolean(url.searchParams.get("code"))]).toEqual(["plain-state", true]);
  });

  it("a request_uri beside a repeated client_id is an error page naming the repeat", async () => {
    const client = await parClient();
    const requestUri = await client.pushed();
    const outcome = await authorize(db.oauth, new URLSearchParams([["client_id", client.clientId], ["client_id", client.clientId], ["request_uri", requestUri]]), session);
    expect(outcome).toMatchObject({ type: "error_page", title: "Invalid request", description: "client_id must not be repeated" });
  });

  it("a request_uri this server did not issue is refused with request_uri_not_supported (RFC 9126 §4)", async () => {
    const client = await parClient();
    const source = new URLSearchParams({ client_id: client.clientId, request_uri: "https://rp.example/request.jwt" });
    await expect(spendPushedRequest(db.oauth, source)).rejects.toMatchObject({ reason: "request_uri_not_supported" });
  });

  it("a pushed request whose stored parameters cannot be read is refused as spent, never a crash", async () => {
    const client = await parClient();
    const requestUri = await client.pushed();
    await db.prisma.pushedAuthorizationRequest.update({ where: { requestUriHash: hashToken(requestUri) }, data: { params: { redirectUri: 42 } } });
    expect(pageTitle(await client.open(requestUri))).toBe("This sign-in request is no longer valid");
  });

  it("an app deleted while its pushed request is being used is refused with the error page", async () => {
    const client = await parClient();
    const requestUri = await client.pushed();
    const store = db.oauth.store;
    const racing: OAuthContext = {
      ...db.oauth,
      store: {
        ...store,
        async usePushedRequest(...args: Parameters<typeof store.usePushedRequest>) {
          const used = await store.usePushedRequest(...args);
          await deleteApp(db.prisma, actor, client.clientId);
          return used;
        },
      },
    };
    expect(pageTitle(await client.open(requestUri, {}, racing))).toBe("This app is no longer available");
  });

  it("a redirect URI the app dropped, or the app disabled, after pushing is refused on use", async () => {
    const client = await parClient();
    const dropped = await client.pushed({ redirect_uri: "https://rp.example/other" });
    const disabled = await client.pushed();
    await updateApp(db.prisma, actor, client.clientId, { redirect_uris: [REDIRECT] });
    expect(pageTitle(await client.open(dropped))).toBe("This app is no longer available");
    await updateApp(db.prisma, actor, client.clientId, { status: "disabled" });
    expect(pageTitle(await client.open(disabled))).toBe("This app is no longer available");
  });

  it("concurrent uses of one request_uri on several instances: exactly one gets a code", async () => {
    const client = await parClient();
    const requestUri = await client.pushed();
    const instances = [db, ...others];
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => client.open(requestUri, {}, instances[i % instances.length]!.oauth)));
    expect(outcomes.filter((o) => o.type === "redirect")).toHaveLength(1);
    expect(outcomes.filter((o) => pageTitle(o) === "This sign-in request is no longer valid")).toHaveLength(11);
  });

  // The parameters are checked exactly as /oauth2/authorize checks them (request.test.ts), but answered as JSON.
  it.each([
    [{ prompt: "select_account" }, "invalid_request"],
    [{ max_age: "1.5" }, "invalid_request"],
    [{ resource: "/relative" }, "invalid_target"],
    [{ response_mode: "fragment" }, "invalid_request"],
    [{ request: "eyJ.x.y" }, "request_not_supported"],
    [{ request_uri: "urn:ietf:params:oauth:request_uri:x" }, "invalid_request"],
    [{ response_type: "token" }, "unsupported_response_type"],
    [{ scope: "openid admin" }, "invalid_scope"],
    [{ code_challenge_method: "plain" }, "invalid_request"],
    [{ redirect_uri: "https://evil.example/cb" }, "invalid_request"],
    [{ state: "s".repeat(1025) }, "invalid_request"],
    [{ scope: ["openid", "profile"] }, "invalid_request"],
  ] as const)("pushing %o is refused with %s", async (extra, error) => {
    const client = await parClient();
    expect(await oauthError(client.push({ response_type: "code", scope: "openid", redirect_uri: REDIRECT, ...PKCE, ...extra }))).toBe(error);
    expect(await db.prisma.pushedAuthorizationRequest.count({ where: { app: { clientId: client.clientId } } })).toBe(0);
  });

  it("a public app still needs PKCE, and with several redirect URIs must name one", async () => {
    const client = await parClient({ client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb", "http://127.0.0.1/two"] });
    expect(await oauthError(client.push({ response_type: "code", scope: "openid", redirect_uri: "http://127.0.0.1/cb" }))).toBe("invalid_request");
    expect(await oauthError(client.push({ response_type: "code", scope: "openid", ...PKCE }))).toBe("invalid_request");
  });

  it("client authentication is the token endpoint's: a wrong secret, a confidential app without one and a machine client are refused", async () => {
    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Auth", redirect_uris: [REDIRECT] }, "api");
    const form = new URLSearchParams({ response_type: "code", scope: "openid", ...PKCE });
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
    expect(await oauthError(pushAuthorizationRequest(db.oauth, { authorization: basic(app.client_id, `${clientSecret}x`), form }))).toBe("invalid_client");
    const idOnly = new URLSearchParams(form);
    idOnly.set("client_id", app.client_id);
    expect(await oauthError(pushAuthorizationRequest(db.oauth, { authorization: null, form: idOnly }))).toBe("invalid_client");
    const withSecret = new URLSearchParams(idOnly);
    withSecret.set("client_secret", clientSecret!);
    expect(await oauthError(pushAuthorizationRequest(db.oauth, { authorization: null, form: withSecret }))).toBe("ok");
    const machine = await createMachineClient(db.prisma, actor, { name: "Worker" }, "api");
    expect(await oauthError(pushAuthorizationRequest(db.oauth, { authorization: basic(machine.client.client_id, machine.clientSecret!), form }))).toBe("unauthorized_client");
  });

  it("an app with private_key_jwt pushes with a client assertion made for the PAR endpoint (RFC 9126 §2)", async () => {
    const key = await newClientKey("ES256");
    const client = await parClient({ token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [key.jwk] } });
    const assertion = await clientAssertion(client.clientId, key, { aud: "https://id.example.com/oauth2/par" });
    const form = assertionForm(assertion, { response_type: "code", scope: "openid", redirect_uri: REDIRECT, ...PKCE });
    const { request_uri } = await pushAuthorizationRequest(db.oauth, { authorization: null, form });
    expect(redirected(await client.open(request_uri)).searchParams.get("code")).toBeTruthy();
  });

  it("an app that requires PAR has its plain requests refused with invalid_request at its redirect URI", async () => {
    const client = await parClient({ require_par: true });
    const plain = new URLSearchParams({ client_id: client.clientId, response_type: "code", scope: "openid", redirect_uri: REDIRECT, state: "plain", ...PKCE });
    const url = redirected(await authorize(db.oauth, plain, session));
    expect(url.origin + url.pathname).toBe(REDIRECT);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ error: "invalid_request", state: "plain" });
    expect(url.searchParams.get("code")).toBeNull();
    expect(redirected(await client.open(await client.pushed())).searchParams.get("code")).toBeTruthy();
  });

  it("the project setting requires PAR of every app", async () => {
    const client = await parClient();
    const plain = new URLSearchParams({ client_id: client.clientId, response_type: "code", scope: "openid", redirect_uri: REDIRECT, ...PKCE });
    expect(redirected(await authorize(db.oauth, plain, session)).searchParams.get("code")).toBeTruthy();
    await updateProjectSettings(db.prisma, actor, { require_par: true });
    try {
      expect(redirected(await authorize(db.oauth, plain, session)).searchParams.get("error")).toBe("invalid_request");
      expect(redirected(await client.open(await client.pushed())).searchParams.get("code")).toBeTruthy();
    } finally {
      await updateProjectSettings(db.prisma, actor, { require_par: false });
    }
  });

  it("pushed requests are bounded per source: a flood evicts its sender's oldest", async () => {
    const client = await parClient();
    const ctx = { ...db.oauth, pendingLimits: { max: 10_000, perSource: 2 } };
    const push = async () => (await client.push({ response_type: "code", scope: "openid", redirect_uri: REDIRECT, ...PKCE }, ctx, "198.51.100.7")).request_uri;
    const [first, second, third] = [await push(), await push(), await push()];
    expect(pageTitle(await client.open(first))).toBe("This sign-in request is no longer valid");
    expect(pageTitle(await client.open(second))).toBe("redirect");
    expect(pageTitle(await client.open(third))).toBe("redirect");
  });
});
