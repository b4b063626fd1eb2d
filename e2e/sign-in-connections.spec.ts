import { expect, test, type Browser, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import * as client from "openid-client";
import { apiKey, createApp, type CreatedApp } from "./oauth/clients";
import { CONNECTIONS_E2E } from "./servers.mjs";

// Sign-in connections in Chromium: the main server's users come from an
// upstream OpenID Connect provider, which is a second server of this project
// on 127.0.0.1 (e2e/serve.mjs starts it; e2e/connections/seed.ts registers
// the main server there and the two connections here). The client is
// openid-client, as a relying party of the main server.

const { slugs, users, upstreamIssuer } = CONNECTIONS_E2E;
const [carol, dave] = users as [(typeof users)[number], (typeof users)[number]];
const seeded = () => JSON.parse(readFileSync(CONNECTIONS_E2E.file, "utf8")) as { first_party: { client_id: string; client_secret: string; redirect_uri: string } };
const REDIRECT_URI = "https://rp.example/cb";

test.describe.configure({ mode: "serial" });

interface Authorization {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

async function authorizationFor(clientId: string): Promise<Authorization> {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const params = new URLSearchParams({
    client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "openid", state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
  });
  return { url: `${CONNECTIONS_E2E.mainIssuer}/oauth2/authorize?${params}`, state, nonce, verifier };
}

/** A fresh browser (no session anywhere) on the way to the main server's sign-in page for an authorization; the client's redirect URI answers in the browser. */
async function startAuthorization(browser: Browser, clientId: string): Promise<{ page: Page; authz: Authorization; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback" }));
  const authz = await authorizationFor(clientId);
  // location.assign rather than page.goto: a redirect straight to https://rp.example would skip page.route (see oauth-consent.spec.ts).
  await page.goto(`${CONNECTIONS_E2E.mainIssuer}/api/health`);
  await page.evaluate((href) => void setTimeout(() => window.location.assign(href), 0), authz.url);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  return { page, authz, close: () => context.close() };
}

/** At the upstream: its own sign-in page, with its own password. */
async function signInUpstream(page: Page, user: { email: string; password: string }) {
  await expect(page).toHaveURL(new RegExp(`^${upstreamIssuer.replace(/[.]/g, "\\.")}/signin`));
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function callbackParams(page: Page, state: string): Promise<URL> {
  await expect(page).toHaveURL(new RegExp(`^https://rp\\.example/cb\\?(.*&)?state=${state}(&|$)`));
  return new URL(page.url());
}

async function tokensFor(app: CreatedApp, callback: URL, authz: Authorization) {
  const config = await client.discovery(new URL(CONNECTIONS_E2E.mainIssuer), app.client_id, {}, client.ClientSecretBasic(app.client_secret!), {
    execute: [client.allowInsecureRequests],
  });
  client.enableNonRepudiationChecks(config);
  const tokens = await client.authorizationCodeGrant(config, callback, { expectedState: authz.state, expectedNonce: authz.nonce, pkceCodeVerifier: authz.verifier });
  return tokens.claims()!;
}

let thirdParty: CreatedApp;
let firstSub: string;

test.beforeAll(async ({ request }) => {
  thirdParty = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
});

test("a third-party app offers the project-level connection only; signing in through the upstream ends in tokens for this server's user, amr fed, idp the slug", async ({ browser }) => {
  const { page, authz, close } = await startAuthorization(browser, thirdParty.client_id);
  await expect(page.getByRole("link", { name: "Continue with Upstream IdP" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Continue with Upstream for one app" })).toHaveCount(0);
  await expect(page.getByLabel("Password")).toBeVisible();
  const started = page.waitForResponse((r) => new URL(r.url()).pathname === `/signin/connections/${slugs.project}/start`);
  await page.getByRole("link", { name: "Continue with Upstream IdP" }).click();
  // Off to the upstream with state, PKCE and a nonce; the browser-binding cookie is HttpOnly, SameSite=Lax, only for the connection routes.
  const start = await started;
  expect(start.status()).toBe(302);
  const upstreamRequest = new URL(start.headers()["location"]!);
  expect(upstreamRequest.origin).toBe(upstreamIssuer);
  expect(Object.fromEntries(upstreamRequest.searchParams)).toMatchObject({
    response_type: "code", redirect_uri: `${CONNECTIONS_E2E.mainIssuer}/signin/connections/${slugs.project}/callback`, code_challenge_method: "S256",
  });
  expect(upstreamRequest.searchParams.get("nonce")).toBeTruthy();
  expect(await start.headerValue("set-cookie")).toMatch(/^ca_upstream_[\w-]{16}=[\w-]{43}; Max-Age=600; Path=\/signin\/connections\/; HttpOnly; SameSite=Lax$/);
  await signInUpstream(page, carol);
  // The upstream's own consent page for the main server (a first-party app there that asks every time it is new).
  await expect(page).toHaveURL(new RegExp(`^${upstreamIssuer.replace(/[.]/g, "\\.")}/consent`));
  await page.getByRole("button", { name: "Allow" }).click();
  // Back on the main server, signed in: its consent for the third-party app.
  await expect(page).toHaveURL(new RegExp(`^${CONNECTIONS_E2E.mainIssuer}/consent\\?request=`));
  await page.getByRole("button", { name: "Allow" }).click();
  const callback = await callbackParams(page, authz.state);
  expect(callback.searchParams.get("error")).toBeNull();
  const claims = await tokensFor(thirdParty, callback, authz);
  expect(claims).toMatchObject({ amr: ["fed"], idp: slugs.project, iss: CONNECTIONS_E2E.mainIssuer });
  firstSub = claims.sub;
  // This server's user id (a UUID), not the upstream's subject.
  expect(firstSub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  await close();
});

test("a second sign-in through the upstream is the same user", async ({ browser }) => {
  const { page, authz, close } = await startAuthorization(browser, thirdParty.client_id);
  await page.getByRole("link", { name: "Continue with Upstream IdP" }).click();
  await signInUpstream(page, carol);
  // Consent remembered on both servers: straight back to the client.
  const callback = await callbackParams(page, authz.state);
  const claims = await tokensFor(thirdParty, callback, authz);
  expect(claims.sub).toBe(firstSub);
  expect(claims).toMatchObject({ amr: ["fed"], idp: slugs.project });
  await close();
});

test("a first-party app offers its app-level connection as well", async ({ browser }) => {
  const { page, close } = await startAuthorization(browser, seeded().first_party.client_id);
  await expect(page.getByRole("link", { name: "Continue with Upstream IdP" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Continue with Upstream for one app" })).toBeVisible();
  await close();
});

test("a user who denies at the upstream comes back to the client as access_denied", async ({ browser }) => {
  const { page, authz, close } = await startAuthorization(browser, thirdParty.client_id);
  await page.getByRole("link", { name: "Continue with Upstream IdP" }).click();
  await signInUpstream(page, dave);
  await expect(page).toHaveURL(new RegExp(`^${upstreamIssuer.replace(/[.]/g, "\\.")}/consent`));
  await page.getByRole("button", { name: "Deny" }).click();
  const callback = await callbackParams(page, authz.state);
  expect(callback.searchParams.get("error")).toBe("access_denied");
  expect(callback.searchParams.get("iss")).toBe(CONNECTIONS_E2E.mainIssuer);
  expect(callback.searchParams.get("code")).toBeNull();
  await close();
});

test("turning email-and-password sign-in off removes the form", async ({ browser, request }) => {
  const patch = (value: boolean) =>
    request.patch(`${CONNECTIONS_E2E.mainIssuer}/api/v1/settings`, { headers: { authorization: `Bearer ${apiKey("chromium")}` }, data: { password_signin_enabled: value } });
  expect((await patch(false)).status()).toBe(200);
  try {
    const { page, close } = await startAuthorization(browser, thirdParty.client_id);
    await expect(page.getByRole("link", { name: "Continue with Upstream IdP" })).toBeVisible();
    await expect(page.getByLabel("Password")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Create one" })).toHaveCount(0);
    await close();
  } finally {
    expect((await patch(true)).status()).toBe(200);
  }
});
