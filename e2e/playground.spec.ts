import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { E2E_OWNER, expectNoSidewaysScroll, signIn } from "./fixtures";
import { apiKey, createApp } from "./oauth/clients";
import { apiKeyFiles, END_USERS, PLAYGROUND_E2E_FILE } from "./servers.mjs";

// Issue 17 item 4: the playground ("Try sign-in") per app. A real code flow
// with PKCE for the app, through a callback on this server registered only
// while the playground is on, the tokens decoded and checked, a refresh.

const SCREENSHOTS = path.dirname(apiKeyFiles("chromium").active);
const PHONE = { width: 390, height: 844 };

async function signInOwner(page: Page, to: string) {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(to)}`);
  await expect(page).toHaveURL(to);
}

async function redirectUris(request: APIRequestContext, clientId: string): Promise<string[]> {
  const response = await request.get(`/api/v1/connected-apps/${clientId}`, { headers: { authorization: `Bearer ${apiKey()}` } });
  return ((await response.json()) as { redirect_uris: string[] }).redirect_uris;
}

/**
 * Opens a confirmation (ConfirmAction): a click that lands before React
 * hydrated the page does nothing, so click until its heading shows.
 */
async function openConfirmation(scope: Locator, trigger: string, heading: string) {
  await expect(async () => {
    await scope.getByRole("button", { name: trigger }).click({ timeout: 1000 });
    await expect(scope.getByRole("heading", { name: heading })).toBeVisible({ timeout: 1000 });
  }).toPass();
}

/** "Try sign-in", then Allow on the consent page when the app asks (offline_access is asked for). */
async function trySignIn(page: Page) {
  await page.getByTestId("playground-panel").getByRole("button", { name: "Try sign-in" }).click();
  await page.waitForURL(/\/(consent|playground\/callback)\?/);
  if (new URL(page.url()).pathname === "/consent") await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL(/\/playground\/callback\?/);
}

/** The ID token checked (its nonce only after the code exchange: a refreshed ID token need not carry one), the claims and UserInfo shown. */
async function expectTokensShown(page: Page, checks = ["signature", "iss", "aud", "exp", "nonce"]) {
  for (const check of checks) await expect(page.getByTestId(`check-${check}`)).toContainText(`${check} valid`);
  await expect(page.getByTestId("id-token-claims")).toContainText('"aud"');
  await expect(page.getByTestId("userinfo")).toContainText(E2E_OWNER.email);
}

test("a public app: turn the playground on, sign in, see the tokens, refresh, turn it off", async ({ page, baseURL, request }) => {
  const app = await createApp(request, { client_type: "first_party_public", allowed_scopes: ["openid", "profile", "email", "offline_access"] });
  const callback = `${baseURL}/playground/callback`;
  await signInOwner(page, `/dashboard/apps/${app.client_id}`);
  const panel = page.getByTestId("playground-panel");
  await expect(panel.getByTestId("playground-status")).toHaveText("off");
  await openConfirmation(panel, "Turn on the playground", "Turn on the playground?");
  await panel.getByRole("button", { name: "Turn on", exact: true }).click();
  await expect(panel.getByTestId("playground-status")).toHaveText("on");
  expect(await redirectUris(request, app.client_id)).toEqual([app.redirect_uris[0], callback]);
  await panel.screenshot({ path: path.join(SCREENSHOTS, "playground-panel-desktop.png") });

  await trySignIn(page);
  await expectTokensShown(page);
  await expect(page.getByTestId("introspection")).toHaveCount(0);
  await expect(page.getByTestId("playground-access-token")).toContainText("A public app cannot introspect");
  await page.screenshot({ path: path.join(SCREENSHOTS, "playground-public-desktop.png"), fullPage: true });
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("playground-refreshed")).toHaveText("Refreshed once: these are the new tokens.");
  await expectTokensShown(page, ["signature", "iss", "aud", "exp"]);
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "playground-public-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // A reload finds the flow used.
  await page.reload();
  await expect(page.getByText("This playground sign-in was used already.")).toBeVisible();

  // Off while a sign-in is under way: the URI leaves the app, and /authorize refuses to send anything to it.
  await page.goto(`/dashboard/apps/${app.client_id}`);
  const authorize = /\/oauth2\/authorize\?/;
  await page.route(authorize, (route) => route.abort());
  // Held back (aborted) on its way to /authorize; unrouting before the abort happened would let it through.
  const [started] = await Promise.all([page.waitForEvent("requestfailed", (r) => authorize.test(r.url())), panel.getByRole("button", { name: "Try sign-in" }).click()]);
  await page.unroute(authorize);
  await page.goto(`/dashboard/apps/${app.client_id}`);
  await openConfirmation(panel, "Turn off the playground", "Turn off the playground?");
  await panel.getByRole("button", { name: "Turn off", exact: true }).click();
  await expect(panel.getByTestId("playground-status")).toHaveText("off");
  expect(await redirectUris(request, app.client_id)).toEqual([app.redirect_uris[0]]);
  await page.goto(started.url());
  await expect(page.getByRole("heading", { name: "Unregistered redirect URI" })).toBeVisible();
  await expect(page.getByText(callback).first()).toBeVisible();
  // A callback arriving now, with the flow's own state, is refused too.
  const state = new URL(started.url()).searchParams.get("state")!;
  await page.goto(`/playground/callback?code=any-code&state=${encodeURIComponent(state)}`);
  await expect(page.getByRole("alert").filter({ hasText: "The playground is off for this app" })).toBeVisible();
});

test("a confidential app: the owner pastes the secret for the exchange and the refresh; a dashboard-made one is refused an http callback", async ({ page, request }) => {
  const seeded = JSON.parse(readFileSync(PLAYGROUND_E2E_FILE, "utf8")) as { client_id: string; client_secret: string };
  // In production mode, a confidential app accepts only https redirect URIs: the playground says so and changes nothing.
  const made = await createApp(request, { client_type: "first_party" });
  await signInOwner(page, `/dashboard/apps/${made.client_id}`);
  await expect(page.getByTestId("playground-panel")).toContainText("The playground cannot be turned on for this app");
  await expect(page.getByTestId("playground-panel")).toContainText("must use https: confidential apps accept only https URLs");
  await expect(page.getByTestId("playground-panel").getByRole("button", { name: "Turn on the playground" })).toHaveCount(0);

  // The seeded app has the callback registered (as development mode allows).
  await page.goto(`/dashboard/apps/${seeded.client_id}`);
  await expect(page.getByTestId("playground-status")).toHaveText("on");
  await trySignIn(page);
  await page.getByLabel("Client secret").fill(seeded.client_secret);
  await page.getByRole("button", { name: "Exchange the code" }).click();
  await expectTokensShown(page);
  await expect(page.getByTestId("introspection")).toContainText('"active": true');
  expect(await page.content()).not.toContain(seeded.client_secret);
  await page.getByLabel("Client secret").fill(seeded.client_secret);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("playground-refreshed")).toBeVisible();
  await expect(page.getByTestId("introspection")).toContainText('"active": true');

  // A wrong secret: the token endpoint's own refusal, shown as a client receives it.
  await page.goto(`/dashboard/apps/${seeded.client_id}`);
  await trySignIn(page);
  await page.getByLabel("Client secret").fill("not-the-secret");
  await page.getByRole("button", { name: "Exchange the code" }).click();
  await expect(page.getByTestId("playground-refused")).toContainText("The token endpoint refused: invalid_client");
  await page.screenshot({ path: path.join(SCREENSHOTS, "playground-confidential-refused.png"), fullPage: true });
});

test("a third-party app: turning the playground on needs the owner's confirmation", async ({ page, baseURL, request }) => {
  const app = await createApp(request, { client_type: "third_party_public" });
  await signInOwner(page, `/dashboard/apps/${app.client_id}`);
  const panel = page.getByTestId("playground-panel");
  await openConfirmation(panel, "Turn on the playground", "Turn on the playground for a third-party app?");
  await expect(panel).toContainText("This app belongs to another developer");
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);
  await panel.screenshot({ path: path.join(SCREENSHOTS, "playground-third-party-phone.png") });
  await panel.getByRole("button", { name: "Go back" }).click();
  expect(await redirectUris(request, app.client_id)).toEqual(app.redirect_uris);
  await openConfirmation(panel, "Turn on the playground", "Turn on the playground for a third-party app?");
  await panel.getByRole("button", { name: "Yes, register the callback for this third-party app" }).click();
  await expect(panel.getByTestId("playground-status")).toHaveText("on");
  expect(await redirectUris(request, app.client_id)).toContain(`${baseURL}/playground/callback`);
});

test("another account may sign in during the flow: the owner's flow cookie lets the callback go on, with that account's tokens", async ({ page, baseURL, request }) => {
  const app = await createApp(request, { client_type: "first_party_public", redirect_uris: [`${baseURL}/playground/callback`], allowed_scopes: ["openid", "profile", "email", "offline_access"] });
  await signInOwner(page, `/dashboard/apps/${app.client_id}`);
  await page.getByTestId("playground-panel").getByRole("button", { name: "Try sign-in" }).click();
  await page.waitForURL(/\/consent\?/);
  await page.getByRole("link", { name: "Not you? Use another account" }).click();
  const alice = END_USERS[0]!;
  await page.getByLabel("Email").fill(alice.email);
  await page.getByLabel("Password").fill(alice.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("consent-account")).toContainText(alice.email);
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL(/\/playground\/callback\?/);
  await expect(page.getByTestId("check-nonce")).toContainText("nonce valid");
  await expect(page.getByTestId("userinfo")).toContainText(alice.email);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("playground-refreshed")).toBeVisible();
  // The dashboard stays the owner's: Alice is an end user.
  await page.goto(`/dashboard/apps/${app.client_id}`);
  await expect(page).toHaveURL(/\/account\?notice=owner-only/);
});
