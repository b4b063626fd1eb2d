import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { E2E_OWNER, signIn, signUp, uniqueEmail } from "./fixtures";
import { CONFIDENTIAL_REDIRECT_URI, createApp, isConfidential, type CreatedApp } from "./oauth/clients";
import { basic, pkcePair } from "./oauth/flows";
import { apiKeyFiles, END_USERS } from "./servers.mjs";

// The end user's side of the authorization code flow in a real browser:
// sign-in round trip, the consent page (Allow / Deny), remembered consent,
// first-party skip_consent, revoking an app on /account, and the owner's
// view of the app's authorized users. The client's redirect URI
// (https://rp.example/cb) is answered by Playwright, never by the network.

/** The issuer of the server this project targets (PGlite or PostgreSQL). */
const issuer = () => test.info().project.use.baseURL!;
/** Every app here registers it (also for the public types, which accept https too). */
const REDIRECT_URI = CONFIDENTIAL_REDIRECT_URI;
const PASSWORD = "correct horse battery";
/** .test-output/, where the launcher writes its key files too. */
const SCREENSHOTS = path.dirname(apiKeyFiles("chromium").active);

const unique = () => randomBytes(4).toString("hex");

interface AuthorizeOptions {
  scope?: string;
  state?: string;
  prompt?: string;
}

/** The authorization URL a client would send the browser to. */
function authorizationUrl(app: CreatedApp, options: AuthorizeOptions = {}): string {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: app.client_id,
    redirect_uri: REDIRECT_URI,
    scope: options.scope ?? "openid profile",
    state: options.state ?? `state-${unique()}`,
    nonce: `nonce-${unique()}`,
  });
  if (options.prompt) params.set("prompt", options.prompt);
  // PKCE is required for public apps (and optional for confidential ones: left out here).
  if (!isConfidential(app.client_type)) {
    params.set("code_challenge", pkcePair().challenge);
    params.set("code_challenge_method", "S256");
  }
  return `/oauth2/authorize?${params}`;
}

/** Answers the client's redirect URI in the browser, and records every visit to the consent page. */
async function interceptClient(page: Page): Promise<{ consentVisits: () => number }> {
  await page.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback" }));
  let visits = 0;
  page.on("request", (request) => {
    if (request.isNavigationRequest() && new URL(request.url()).pathname === "/consent") visits++;
  });
  return { consentVisits: () => visits };
}

/**
 * Sends the browser to an authorization URL the way a client's page would
 * (a link or script on the client's site). Two Playwright quirks (1.65,
 * Chromium) make a redirect straight to https://rp.example skip page.route
 * and go to DNS: navigating with page.goto, and waiting with waitForURL or
 * toHaveURL(predicate) while the redirect happens. So: location.assign, and
 * callers wait with toHaveURL(RegExp) on where the browser must end up.
 */
async function openAuthorization(page: Page, url: string): Promise<void> {
  await page.evaluate((href) => void setTimeout(() => window.location.assign(href), 0), new URL(url, issuer()).href);
}

/** Waits for the browser to land on the client's redirect URI with this state, and returns its query. */
async function callbackParams(page: Page, state: string): Promise<URLSearchParams> {
  expect(state).toMatch(/^[\w-]+$/);
  await expect(page).toHaveURL(new RegExp(`^https://rp\\.example/cb\\?(.*&)?state=${state}(&|$)`));
  const url = new URL(page.url());
  expect(url.origin + url.pathname).toBe(REDIRECT_URI);
  return url.searchParams;
}

/** Expects a successful authorization response: a code, the state sent, and the issuer (RFC 9207). */
async function expectCode(page: Page, state: string): Promise<string> {
  const params = await callbackParams(page, state);
  expect(params.get("error")).toBeNull();
  expect(params.get("iss")).toBe(issuer());
  const code = params.get("code");
  expect(code).toBeTruthy();
  return code!;
}

async function expectConsentPage(page: Page, app: CreatedApp, descriptions: string[]) {
  await expect(page).toHaveURL(/\/consent\?request=/);
  await expect(page.getByTestId("consent-app-name")).toHaveText(app.name);
  await expect(page.getByTestId("consent-app-host")).toHaveText("rp.example");
  await expect(page.getByText(app.client_type.startsWith("third_party") ? "Third-party app" : "First-party app", { exact: true })).toBeVisible();
  const scopes = page.getByTestId("consent-scopes").getByRole("listitem");
  await expect(scopes).toHaveCount(descriptions.length);
  for (const [i, description] of descriptions.entries()) await expect(scopes.nth(i)).toContainText(description);
}

const allow = (page: Page) => page.getByRole("button", { name: "Allow" }).click();
const deny = (page: Page) => page.getByRole("button", { name: "Deny" }).click();

/** A POST to a protocol endpoint with client_secret_basic (the confidential app's credentials). */
async function tokenRequest(request: APIRequestContext, app: CreatedApp, form: Record<string, string>, endpoint = "/oauth2/token") {
  const response = await request.post(endpoint, { headers: { authorization: basic(app.client_id, app.client_secret!) }, form });
  return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
}

/** Signs up a fresh end user (signed in afterwards). */
async function freshUser(page: Page): Promise<string> {
  const email = uniqueEmail();
  await signUp(page, email, PASSWORD);
  return email;
}

for (const type of ["third_party", "third_party_public"] as const) {
  test(`a signed-in user allows a ${type} app on the consent page and the app gets a code, state and iss`, async ({ page, request }) => {
    const app = await createApp(request, { client_type: type, redirect_uris: [REDIRECT_URI] });
    await interceptClient(page);
    await freshUser(page);
    const state = `state-${unique()}`;
    await openAuthorization(page, authorizationUrl(app, { state }));
    await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
    await expect(page.getByText("It is not made by the owner of this site.")).toBeVisible();
    await expect(page.getByTestId("consent-localhost-warning")).toHaveCount(0);
    await allow(page);
    await expectCode(page, state);
  });
}

test("an app whose redirect URIs are all on this device (localhost) is shown with a warning", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party_public", redirect_uris: ["http://127.0.0.1/cb", "http://localhost:8123/cb"] });
  await freshUser(page);
  const url = new URL(authorizationUrl(app, { state: `state-${unique()}` }), issuer());
  url.searchParams.set("redirect_uri", "http://127.0.0.1/cb");
  await openAuthorization(page, url.href);
  await expect(page).toHaveURL(/\/consent\?request=/);
  await expect(page.getByTestId("consent-localhost-warning")).toContainText("only to a program on this device");
});

test("a signed-out user is sent to sign in and comes back to the same consent request", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  await interceptClient(page);
  const email = await freshUser(page);
  await page.context().clearCookies();

  const state = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state, scope: "openid email" }));
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();

  await expectConsentPage(page, app, ["Sign you in with your account", "See your email address"]);
  await allow(page);
  await expectCode(page, state);
});

test("a first-party app that skips consent goes straight through; prompt=consent still asks", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "first_party", redirect_uris: [REDIRECT_URI], skip_consent: true });
  const client = await interceptClient(page);
  await freshUser(page);

  const state = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state }));
  await expectCode(page, state);
  expect(client.consentVisits()).toBe(0);

  const again = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state: again, prompt: "consent" }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  await expect(page.getByText("It is not made by the owner of this site.")).toHaveCount(0);
  await allow(page);
  await expectCode(page, again);
});

test("a first-party app that does not skip consent asks", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "first_party", redirect_uris: [REDIRECT_URI] });
  await interceptClient(page);
  await freshUser(page);
  const state = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  await allow(page);
  await expectCode(page, state);
});

test("Deny sends access_denied with state and iss back to the app, and grants nothing", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  const client = await interceptClient(page);
  await freshUser(page);

  const state = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  await deny(page);
  const params = await callbackParams(page, state);
  expect(params.get("error")).toBe("access_denied");
  expect(params.get("state")).toBe(state);
  expect(params.get("iss")).toBe(issuer());
  expect(params.get("code")).toBeNull();

  // Nothing was remembered: the next request asks again, and the account lists no app.
  await openAuthorization(page, authorizationUrl(app));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  expect(client.consentVisits()).toBe(2);
  await page.goto("/account");
  await expect(page.getByText("You have not authorized any apps.")).toBeVisible();
});

test("consent is remembered for the same scopes and asked again when the scopes grow", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  const client = await interceptClient(page);
  await freshUser(page);

  const first = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state: first }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  await allow(page);
  await expectCode(page, first);
  expect(client.consentVisits()).toBe(1);

  // Same scopes (and a subset): no consent page.
  for (const scope of ["openid profile", "openid"]) {
    const state = `state-${unique()}`;
    await openAuthorization(page, authorizationUrl(app, { state, scope }));
    await expectCode(page, state);
    expect(client.consentVisits(), scope).toBe(1);
  }

  // More scopes: asked again.
  const more = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state: more, scope: "openid profile email" }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name", "See your email address"]);
  await allow(page);
  await expectCode(page, more);
  expect(client.consentVisits()).toBe(2);

  // Now the larger set is remembered too.
  const after = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state: after, scope: "openid profile email" }));
  await expectCode(page, after);
  expect(client.consentVisits()).toBe(2);
});

test("revoking an app on the account page ends its refresh token and the next authorization asks again", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  const client = await interceptClient(page);
  await freshUser(page);

  const state = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state, scope: "openid profile offline_access" }));
  await expectConsentPage(page, app, [
    "Sign you in with your account",
    "See your name",
    "Stay connected when you are not using it (refresh tokens)",
  ]);
  await allow(page);
  const code = await expectCode(page, state);

  const exchanged = await tokenRequest(request, app, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
  const refreshToken = exchanged.body.refresh_token as string;
  expect(refreshToken).toEqual(expect.any(String));
  // The refresh token works before the revocation (so a failure afterwards is the revocation's doing).
  const before = await tokenRequest(request, app, { grant_type: "refresh_token", refresh_token: refreshToken });
  expect(before.status, JSON.stringify(before.body)).toBe(200);
  const accessToken = exchanged.body.access_token as string;
  const userinfo = () => request.get("/oauth2/userinfo", { headers: { authorization: `Bearer ${accessToken}` } });
  expect((await userinfo()).status()).toBe(200);

  await page.goto("/account");
  const entry = page.getByTestId("authorized-app").filter({ hasText: app.name });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("rp.example");
  await expect(entry).toContainText("Third-party");
  await expect(entry).toContainText("see your name");
  await entry.getByRole("button", { name: "Revoke access" }).click();
  const confirmation = entry.getByRole("group", { name: `Revoke ${app.name}?` });
  await expect(confirmation).toContainText("loses access to your account");
  await confirmation.getByRole("button", { name: "Revoke access" }).click();
  await expect(page.getByTestId("authorized-app").filter({ hasText: app.name })).toHaveCount(0);
  await expect(page.getByText("You have not authorized any apps.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("You have not authorized any apps.")).toBeVisible();

  const after = await tokenRequest(request, app, { grant_type: "refresh_token", refresh_token: refreshToken });
  expect(after.status).toBe(400);
  expect(after.body.error).toBe("invalid_grant");
  // The access tokens of the revoked grant stop working on this server too.
  expect((await userinfo()).status()).toBe(401);
  const introspection = await tokenRequest(request, app, { token: accessToken }, "/oauth2/introspect");
  expect(introspection.status).toBe(200);
  expect(introspection.body).toEqual({ active: false });

  const again = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state: again }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  expect(client.consentVisits()).toBe(2);
});

test("consent names the signed-in account; 'Not you?' signs in another one and keeps the request", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  await interceptClient(page);
  const email = await freshUser(page);
  const state = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  const account = page.getByTestId("consent-account");
  await expect(account).toContainText(`Signed in as ${email}`);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(SCREENSHOTS, "consent-account-phone.png"), fullPage: true });

  await account.getByRole("link", { name: "Not you? Use another account" }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Foauth2%2Fauthorize%2Fresume%3Frequest%3D/);
  await expect(page.getByTestId("signin-for-app")).toContainText(app.name);
  const other = END_USERS[1]!;
  await page.getByLabel("Email").fill(other.email);
  await page.getByLabel("Password").fill(other.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectConsentPage(page, app, ["Sign you in with your account", "See your name"]);
  await expect(page.getByTestId("consent-account")).toContainText(`Signed in as ${other.name} (${other.email})`);
  await allow(page);
  await expectCode(page, state);
});

test("the owner sees the user who authorized an app under Authorized users, and revokes it", async ({ page, request, browser }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  await interceptClient(page);
  const email = await freshUser(page);
  const state = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state, scope: "openid email" }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your email address"]);
  await allow(page);
  await expectCode(page, state);

  const ownerContext = await browser.newContext();
  try {
    const owner = await ownerContext.newPage();
    await signIn(owner, E2E_OWNER.email, E2E_OWNER.password);
    await expect(owner).toHaveURL(/\/dashboard$/);
    await owner.goto(`/dashboard/apps/${app.client_id}`);
    await expect(owner.getByRole("heading", { name: app.name })).toBeVisible();
    const users = owner.getByTestId("app-users").getByRole("listitem");
    await expect(users).toHaveCount(1);
    await expect(users.first()).toContainText(email);
    await expect(users.first()).toContainText("openid email");
    await users.first().getByRole("button", { name: "Revoke" }).click();
    const confirmation = owner.getByRole("group", { name: `Revoke ${email}'s authorization?` });
    await expect(confirmation).toContainText("loses access to this account at once");
    await confirmation.getByRole("button", { name: "Revoke authorization" }).click();
    await expect(owner.getByText("No one has authorized this app yet.")).toBeVisible();
  } finally {
    await ownerContext.close();
  }
  // The grant is gone: the user is asked again.
  const again = `state-${unique()}`;
  await openAuthorization(page, authorizationUrl(app, { state: again, scope: "openid email" }));
  await expectConsentPage(page, app, ["Sign you in with your account", "See your email address"]);
});

test("the consent page fits a phone screen; screenshots at phone and desktop width", async ({ page, request }) => {
  const app = await createApp(request, {
    client_type: "third_party",
    redirect_uris: [REDIRECT_URI],
    name: `Acme Calendar Synchronisation for Teams and Families ${unique()}`,
    client_uri: "https://integrations.rp.example",
  });
  await interceptClient(page);
  await freshUser(page);
  mkdirSync(SCREENSHOTS, { recursive: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await openAuthorization(page, authorizationUrl(app, { scope: "openid profile email offline_access" }));
  await expect(page.getByTestId("consent-app-name")).toHaveText(app.name);
  await expect(page.getByTestId("consent-app-host")).toHaveText("integrations.rp.example");
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await width()).toBeLessThanOrEqual(390);
  for (const name of ["Allow", "Deny"]) {
    const box = await page.getByRole("button", { name }).boundingBox();
    expect(box, name).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, name).toBeLessThanOrEqual(390);
  }
  // A long name must not squeeze the app's icon.
  // Polled: under load the first layout can come before the stylesheet (CI saw an unstyled 374×18 once).
  const icon = page.locator("section div[aria-hidden]").first();
  await expect.poll(async () => {
    const box = await icon.boundingBox();
    return box && [Math.round(box.width), Math.round(box.height)];
  }).toEqual([48, 48]);
  await page.screenshot({ path: path.join(SCREENSHOTS, "consent-phone.png"), fullPage: true });

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByRole("button", { name: "Allow" })).toBeVisible();
  expect(await width()).toBeLessThanOrEqual(1280);
  await page.screenshot({ path: path.join(SCREENSHOTS, "consent-desktop.png"), fullPage: true });
});
