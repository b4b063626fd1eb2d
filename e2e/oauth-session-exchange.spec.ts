import { expect, test } from "@playwright/test";
import { HttpSession, runAuthorization } from "./oauth/http-session";
import { ALICE, basic, BOB, ownerApiKey, pkcePair, Provider, randomState, type Reply, type TestApp } from "./oauth/flows";

// Session exchange (DESIGN.md, first-party only): a first-party app's
// backend trades a fresh full_access access token for a one-time link that
// signs the same user in to the identity provider in a browser. In Chromium:
// the link signs a fresh browser in and works once. Over HTTP: the session
// it makes is a real one, and every refusal (replays, other apps' tokens,
// third-party apps, tokens without full_access, revoked tokens, bad client
// authentication, bad links). Each test creates its own apps.

const EXCHANGE = "/api/v1/sessions/exchange";
const provider = () => new Provider(test.info().project.use.baseURL);

/** A first-party app allowed full_access that skips consent (the expected real-world set-up). */
function exchanger(op: Provider, clientType: "first_party" | "first_party_public" = "first_party", settings: Record<string, unknown> = {}) {
  return op.createApp(clientType, {
    full_access_allowed: true,
    skip_consent: true,
    allowed_scopes: ["openid", "profile", "email", "offline_access", "full_access"],
    ...settings,
  });
}

/** A fresh access token of `app` for `user` (signs in over HTTP, runs the code flow). */
async function accessToken(op: Provider, app: TestApp, user = ALICE, scope = "openid email full_access"): Promise<string> {
  return (await op.tokens(app, { scope, session: await op.signedIn(user) })).access_token;
}

/** `POST /api/v1/sessions/exchange` authenticated as `app` (Basic for confidential apps, client_id in the form for public ones). */
function exchange(op: Provider, app: TestApp, form: Record<string, string>, secret = app.clientSecret): Promise<Reply> {
  const headers: Record<string, string> = secret ? { authorization: basic(app.clientId, secret) } : {};
  return op.postForm(EXCHANGE, secret ? form : { ...form, client_id: app.clientId }, headers);
}

/** An RFC 6749 §5.2 error: status, `error`, never cached. */
function expectOAuthError(reply: Reply, status: number, error: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.json?.error, reply.text).toBe(error);
  expect(reply.json?.error_description).toEqual(expect.any(String));
  expect(reply.headers.get("cache-control")).toContain("no-store");
}

async function signInUrl(op: Provider, app: TestApp, token: string, extra: Record<string, string> = {}): Promise<string> {
  const reply = await exchange(op, app, { access_token: token, ...extra });
  expect(reply.status, reply.text).toBe(200);
  expect(reply.headers.get("cache-control")).toContain("no-store");
  expect(reply.json.expires_in).toBe(60);
  expect(reply.json.sign_in_url).toMatch(new RegExp(`^${op.origin}/session/redeem\\?token=[\\w-]{43}(&|$)`));
  return reply.json.sign_in_url;
}

test("in a browser, the link signs a fresh browser in as the token's user, once", async ({ page, browser }) => {
  const op = provider();
  const app = await exchanger(op);
  const link = await signInUrl(op, app, await accessToken(op, app, BOB));

  await page.goto(link);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(BOB.email);
  const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  // A session like any other: it survives a reload.
  await page.reload();
  await expect(page.getByTestId("account-email")).toHaveText(BOB.email);

  const other = await browser.newContext();
  try {
    const second = await other.newPage();
    const response = await second.goto(link);
    expect(response?.status()).toBe(400);
    await expect(second.getByRole("heading", { name: "This sign-in link has already been used" })).toBeVisible();
    expect(await other.cookies()).toEqual([]);
    await second.goto("/account");
    await expect(second).toHaveURL(/\/signin/);
  } finally {
    await other.close();
  }
});

test("a public first-party app's link leads on to return_to: another app's authorization, without signing in again", async () => {
  const op = provider();
  const mobile = await exchanger(op, "first_party_public");
  const web = await exchanger(op);
  const pkce = pkcePair();
  const state = randomState();
  const authorize = op.authorizeUrl(web, { scope: "openid email", state, code_challenge: pkce.challenge, code_challenge_method: "S256" });
  const returnTo = authorize.pathname + authorize.search;
  const link = await signInUrl(op, mobile, await accessToken(op, mobile), { return_to: returnTo });

  const browser = new HttpSession(op.origin); // no cookies: never signed in here
  const redeemed = await browser.fetch(link);
  expect(redeemed.status).toBe(303);
  expect(redeemed.headers.get("location")).toBe(op.url(returnTo));
  expect(redeemed.headers.get("cache-control")).toContain("no-store");
  expect(browser.hasCookie("next-auth.session-token")).toBe(true);
  const result = await runAuthorization(browser, redeemed.headers.get("location")!);
  expect(result.visited).not.toContain("/signin");
  expect(result.callback?.searchParams.get("state")).toBe(state);
  const tokens = await op.redeem(web, { code: result.callback!.searchParams.get("code")!, verifier: pkce.verifier, redirectUri: web.redirectUris[0]! });
  expect(tokens.status, tokens.text).toBe(200);
  const userinfo = await op.userinfo(tokens.json.access_token);
  expect(userinfo.json.email).toBe(ALICE.email);
});

test("an access token is exchanged once, a link redeemed once", async () => {
  const op = provider();
  const app = await exchanger(op);
  const token = await accessToken(op, app);
  const link = await signInUrl(op, app, token);
  expectOAuthError(await exchange(op, app, { access_token: token }), 400, "invalid_grant");

  const first = await fetch(link, { redirect: "manual" });
  expect(first.status).toBe(303);
  expect(first.headers.getSetCookie().join("\n")).toMatch(/^next-auth\.session-token=[^;]+;.*HttpOnly; SameSite=Lax/m);
  const second = await fetch(link, { redirect: "manual" });
  expect(second.status).toBe(400);
  expect(second.headers.getSetCookie()).toEqual([]);
  expect(second.headers.get("location")).toBeNull();
  expect(await second.text()).toContain("This sign-in link has already been used");
});

test("refuses another app's token, a token without full_access, a revoked token and a malformed one: invalid_grant", async () => {
  const op = provider();
  const mine = await exchanger(op);
  const theirs = await exchanger(op);
  expectOAuthError(await exchange(op, mine, { access_token: await accessToken(op, theirs) }), 400, "invalid_grant");
  expectOAuthError(await exchange(op, mine, { access_token: await accessToken(op, mine, ALICE, "openid email") }), 400, "invalid_grant");

  const revoked = await accessToken(op, mine);
  expect((await op.revoke(mine, revoked)).status).toBe(200);
  expectOAuthError(await exchange(op, mine, { access_token: revoked }), 400, "invalid_grant");
  expectOAuthError(await exchange(op, mine, { access_token: "not.a.token" }), 400, "invalid_grant");
  // None of that spent anything: a fresh token still works.
  await signInUrl(op, mine, await accessToken(op, mine));
});

test("third-party apps can never exchange, and first-party apps only with full_access enabled: unauthorized_client", async () => {
  const op = provider();
  const refused = await op.send("/api/v1/connected-apps", {
    method: "POST",
    headers: { authorization: `Bearer ${ownerApiKey()}`, "content-type": "application/json" },
    body: JSON.stringify({ client_type: "third_party", name: "No", redirect_uris: ["https://rp.example/cb"], full_access_allowed: true }),
  });
  expect(refused.status, refused.text).toBe(400);
  for (const clientType of ["third_party", "third_party_public"] as const) {
    const app = await op.createApp(clientType);
    const token = await accessToken(op, app, ALICE, "openid email");
    expectOAuthError(await exchange(op, app, { access_token: token }), 400, "unauthorized_client");
  }
  const plain = await exchanger(op, "first_party", { full_access_allowed: false, allowed_scopes: ["openid", "email"] });
  expectOAuthError(await exchange(op, plain, { access_token: await accessToken(op, plain, ALICE, "openid email") }), 400, "unauthorized_client");
  // And a first-party app without full_access cannot get a token holding it.
  const callback = await op.authorize(plain, { scope: "openid full_access", code_challenge: pkcePair().challenge, code_challenge_method: "S256" });
  expect(callback.searchParams.get("error")).toBe("invalid_scope");
});

test("client authentication as at the token endpoint; form bodies only", async () => {
  const op = provider();
  const app = await exchanger(op);
  const token = await accessToken(op, app);
  const wrong = await exchange(op, app, { access_token: token }, "not-the-secret");
  expectOAuthError(wrong, 401, "invalid_client");
  expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic /);
  expectOAuthError(await op.postForm(EXCHANGE, { access_token: token, client_id: app.clientId }), 401, "invalid_client");
  expectOAuthError(await op.postForm(EXCHANGE, { access_token: token }), 401, "invalid_client");
  const json = await op.send(EXCHANGE, {
    method: "POST",
    headers: { authorization: basic(app.clientId, app.clientSecret!), "content-type": "application/json" },
    body: JSON.stringify({ access_token: token }),
  });
  expectOAuthError(json, 400, "invalid_request");
  expectOAuthError(await exchange(op, app, {}), 400, "invalid_request");
  expectOAuthError(await exchange(op, app, { access_token: token, return_to: "https://evil.example/" }), 400, "invalid_request");
  expect((await op.send(EXCHANGE)).status).toBe(405);
  // client_secret_post works too, and nothing above spent the token.
  await signInUrl(op, { ...app, clientSecret: null }, token, { client_secret: app.clientSecret! });
});

test("a bad or missing link gets a readable page, never a session; HEAD does not spend a link", async () => {
  const op = provider();
  for (const path of ["/session/redeem", "/session/redeem?token=nope", `/session/redeem?token=${"A".repeat(43)}`]) {
    const reply = await op.send(path);
    expect(reply.status, path).toBe(400);
    expect(reply.headers.get("content-type")).toContain("text/html");
    expect(reply.headers.getSetCookie()).toEqual([]);
    expect(reply.text).toContain("This sign-in link is not valid");
  }
  const app = await exchanger(op, "first_party_public");
  const link = await signInUrl(op, app, await accessToken(op, app));
  expect((await fetch(link, { method: "HEAD", redirect: "manual" })).status).toBe(200);
  const redeemed = await fetch(`${link}&return_to=${encodeURIComponent("https://evil.example/")}`, { redirect: "manual" });
  expect(redeemed.status).toBe(303);
  // An off-site return_to falls back to where a sign-in lands (/signed-in: the account page for an end user).
  expect(redeemed.headers.get("location")).toBe(op.url("/signed-in"));
});
