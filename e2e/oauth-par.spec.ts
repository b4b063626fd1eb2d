import { expect, test, type Page } from "@playwright/test";
import * as client from "openid-client";
import { apiKey, CONFIDENTIAL_REDIRECT_URI, createApp, isConfidential, type CreatedApp } from "./oauth/clients";
import { E2E_OWNER, signIn } from "./fixtures";
import { basic } from "./oauth/flows";
import { END_USERS } from "./servers.mjs";

// Pushed authorization requests (RFC 9126) with openid-client, unmodified:
// the app pushes its parameters to /oauth2/par, the browser opens
// /oauth2/authorize with only client_id and request_uri, the user signs in
// and consents in Chromium, and the app exchanges the code. The client's
// redirect URI (https://rp.example/cb) is answered by Playwright.

const issuer = () => test.info().project.use.baseURL!;
const REDIRECT_URI = CONFIDENTIAL_REDIRECT_URI;
const USER = END_USERS[0]!;

/** openid-client configured for an app from the server's discovery document. */
async function configure(app: CreatedApp): Promise<client.Configuration> {
  const auth = isConfidential(app.client_type) ? client.ClientSecretBasic(app.client_secret!) : client.None();
  return client.discovery(new URL(issuer()), app.client_id, {}, auth, { execute: [client.allowInsecureRequests] });
}

/** What a relying party sends and later checks: PKCE, state and nonce. */
async function checks() {
  const verifier = client.randomPKCECodeVerifier();
  return {
    verifier,
    state: client.randomState(),
    nonce: client.randomNonce(),
    params: { code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256" },
  };
}

/**
 * Sends the browser to the authorization URL as a client's page would, with
 * the redirect URI answered by Playwright (location.assign, not page.goto:
 * see oauth-consent.spec.ts for the Playwright quirk).
 */
async function openAuthorization(page: Page, url: URL): Promise<void> {
  await page.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback" }));
  if (page.url() === "about:blank") await page.goto("/signin");
  await page.evaluate((href) => void setTimeout(() => window.location.assign(href), 0), url.href);
}

/** The callback the browser landed on, once it carries this state. */
async function callback(page: Page, state: string): Promise<URL> {
  await expect(page).toHaveURL(new RegExp(`^https://rp\\.example/cb\\?(.*&)?state=${state}(&|$)`));
  return new URL(page.url());
}

for (const type of ["third_party", "third_party_public"] as const) {
  test(`a ${type} app pushes its request with openid-client; the user signs in and consents; the code is exchanged`, async ({ page, request }) => {
    const app = await createApp(request, { client_type: type, redirect_uris: [REDIRECT_URI], allowed_scopes: ["openid", "profile", "email"] });
    const config = await configure(app);
    expect(config.serverMetadata().pushed_authorization_request_endpoint).toBe(`${issuer()}/oauth2/par`);
    const { verifier, state, nonce, params } = await checks();
    const url = await client.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT_URI, scope: "openid profile", state, nonce, ...params });
    // Nothing of the request travels through the browser but who asks and the reference.
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    expect(url.searchParams.get("request_uri")).toMatch(/^urn:ietf:params:oauth:request_uri:/);

    await openAuthorization(page, url);
    await expect(page).toHaveURL(/\/signin\?/);
    await page.getByLabel("Email").fill(USER.email);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/consent\?request=/);
    await expect(page.getByTestId("consent-app-name")).toHaveText(app.name);
    await page.getByRole("button", { name: "Allow" }).click();

    const tokens = await client.authorizationCodeGrant(config, await callback(page, state), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.scope).toBe("openid profile");
    expect(tokens.claims()).toMatchObject({ iss: issuer(), aud: app.client_id, nonce });

    // The same request_uri a second time: the error page, not a redirect.
    await openAuthorization(page, url);
    await expect(page).toHaveURL(/\/oauth2\/authorize\?/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This sign-in request is no longer valid");
  });
}

test("POST /oauth2/par answers 201 with no-store, and RFC 6749 JSON errors", async ({ request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  const form = { response_type: "code", scope: "openid", redirect_uri: REDIRECT_URI };
  const pushed = await request.post("/oauth2/par", { headers: { authorization: basic(app.client_id, app.client_secret!) }, form });
  expect(pushed.status()).toBe(201);
  expect(pushed.headers()["cache-control"]).toBe("no-store");
  expect(await pushed.json()).toEqual({ request_uri: expect.stringMatching(/^urn:ietf:params:oauth:request_uri:/), expires_in: 60 });
  const wrong = await request.post("/oauth2/par", { headers: { authorization: basic(app.client_id, "wrong") }, form });
  expect(wrong.status()).toBe(401);
  expect((await wrong.json()).error).toBe("invalid_client");
  const nested = await request.post("/oauth2/par", { headers: { authorization: basic(app.client_id, app.client_secret!) }, form: { ...form, request_uri: "urn:x" } });
  expect(nested.status()).toBe(400);
  expect((await nested.json()).error).toBe("invalid_request");
});

test("an app the owner sets to require PAR on its dashboard page has a plain request refused with invalid_request, and a pushed one accepted", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [REDIRECT_URI] });
  const path = `/dashboard/apps/${app.client_id}`;
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(path);
  const requirePar = page.getByLabel("Require pushed authorization requests");
  await expect(requirePar).not.toBeChecked();
  await requirePar.check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  const view = await request.get(`/api/v1/connected-apps/${app.client_id}`, { headers: { authorization: `Bearer ${apiKey()}` } });
  expect((await view.json()).require_par).toBe(true);

  const config = await configure(app);
  const { state, params } = await checks();
  await openAuthorization(page, client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: "openid", state, ...params }));
  const refused = await callback(page, state);
  expect(refused.searchParams.get("error")).toBe("invalid_request");
  expect(refused.searchParams.get("code")).toBeNull();
  // Pushed, the same request goes on (to consent: the owner is signed in, and a third-party app is asked).
  const pushed = await checks();
  await openAuthorization(page, await client.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT_URI, scope: "openid", state: pushed.state, ...pushed.params }));
  await expect(page).toHaveURL(/\/consent\?request=/);
});

test("the owner requires PAR of every app on the Settings page; discovery says so and plain requests are refused", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party_public", redirect_uris: [REDIRECT_URI] });
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard/settings")}`);
  const form = page.getByRole("form", { name: "Authorization requests" });
  const requirePar = form.getByRole("switch", { name: "Require pushed authorization requests" });
  await expect(requirePar).not.toBeChecked();
  try {
    await requirePar.check();
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText("Setting saved.")).toBeVisible();
    const config = await configure(app);
    expect(config.serverMetadata().require_pushed_authorization_requests).toBe(true);
    const { state, params } = await checks();
    await openAuthorization(page, client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: "openid", state, ...params }));
    expect((await callback(page, state)).searchParams.get("error")).toBe("invalid_request");
  } finally {
    const restored = await request.patch("/api/v1/settings", { headers: { authorization: `Bearer ${apiKey()}` }, data: { require_par: false } });
    expect(restored.status()).toBe(200);
  }
  expect((await (await request.get("/.well-known/openid-configuration")).json()).require_pushed_authorization_requests).toBe(false);
});
