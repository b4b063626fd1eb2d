import { expect, test, type Page } from "@playwright/test";
import { E2E_OWNER, signIn, signUp, uniqueEmail } from "./fixtures";
import { createApp } from "./oauth/clients";
import { deviceCli } from "./oauth/device-cli";

// The device authorization grant (RFC 8628) end to end: a CLI built from
// oauth4webapi's device-flow functions polls the server while an end user
// answers on /device in Chromium. Expiry (ten minutes) is tested in vitest
// with a moved clock (lib/oauth/device/device-flow.test.ts).

const PASSWORD = "correct horse battery";
// Polling waits the server's interval (5 s) between polls.
test.describe.configure({ timeout: 60_000 });

const issuer = () => new URL(test.info().project.use.baseURL!);

async function deviceApp(request: Parameters<typeof createApp>[0], body: Record<string, unknown> = {}) {
  return createApp(request, { client_type: "first_party_public", device_flow_enabled: true, allowed_scopes: ["openid", "profile", "offline_access"], ...body });
}

/** A new end user, signed in. */
async function signedIn(page: Page) {
  await signUp(page, uniqueEmail(), PASSWORD);
}

/** Types a code on /device as a person would. */
async function enterCode(page: Page, code: string) {
  await page.goto("/device");
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a CLI polls with oauth4webapi while the user approves on /device, then gets tokens", async ({ page, request }) => {
  const app = await deviceApp(request);
  const cli = await deviceCli(issuer(), app.client_id);
  const started = await cli.start("openid profile offline_access");
  expect(started.verification_uri).toBe(`${issuer().origin}/device`);
  const polling = cli.pollUntilDone(started);

  // Signed out, the complete URI goes through sign-in and back, keeping the code.
  const email = uniqueEmail();
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.context().clearCookies();
  await page.goto(started.verification_uri_complete!);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/device\?user_code=/);
  await expect(page.getByTestId("consent-app-name")).toHaveText(app.name);
  await expect(page.getByTestId("device-user-code")).toHaveText(started.user_code);
  // As on the consent page: who is about to approve, with a way to switch accounts that keeps the code.
  await expect(page.getByTestId("consent-account")).toContainText(email);
  await expect(page.getByRole("link", { name: "Not you? Use another account" })).toHaveAttribute("href", /callbackUrl=%2Fdevice%3Fuser_code%3D/);
  await expect(page.getByTestId("consent-scopes")).toContainText("offline_access");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByTestId("device-result")).toContainText("Your device is connected");

  const { tokens, polls } = await polling;
  expect(polls[0]).toBe("authorization_pending");
  expect(polls.at(-1)).toBe("tokens");
  expect(tokens?.scope).toBe("openid profile offline_access");
  expect(tokens?.refresh_token).toBeTruthy();
  expect(tokens?.id_token).toBeTruthy();
  // The code is spent: a second use is refused.
  expect(await cli.pollOnce(started.device_code)).toEqual({ error: "invalid_grant" });
});

test("a user who denies: the CLI gets access_denied", async ({ page, request }) => {
  const app = await deviceApp(request);
  const cli = await deviceCli(issuer(), app.client_id);
  const started = await cli.start("openid");
  await signedIn(page);
  await enterCode(page, started.user_code.toLowerCase());
  await expect(page.getByTestId("consent-app-name")).toHaveText(app.name);
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByTestId("device-result")).toContainText("You denied the request");
  expect(await cli.pollOnce(started.device_code)).toEqual({ error: "access_denied" });
});

test("a CLI polling too fast gets slow_down, and the interval it must keep grows", async ({ request }) => {
  const app = await deviceApp(request);
  const cli = await deviceCli(issuer(), app.client_id);
  const started = await cli.start("openid");
  expect(await cli.pollOnce(started.device_code)).toEqual({ error: "authorization_pending" });
  expect(await cli.pollOnce(started.device_code)).toEqual({ error: "slow_down" });
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  // 6 s is enough for the first interval, not for the one slow_down made 10 s.
  expect(await cli.pollOnce(started.device_code)).toEqual({ error: "slow_down" });
});

test("a device code polled twice at once after approval: exactly one poll gets tokens", async ({ page, request }) => {
  const app = await deviceApp(request);
  const cli = await deviceCli(issuer(), app.client_id);
  const started = await cli.start("openid");
  await signedIn(page);
  await page.goto(started.verification_uri_complete!);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByTestId("device-result")).toContainText("Your device is connected");
  const results = await Promise.all([cli.pollOnce(started.device_code), cli.pollOnce(started.device_code)]);
  expect(results.filter((r) => "tokens" in r)).toHaveLength(1);
  expect(results.filter((r) => "error" in r)).toEqual([{ error: "invalid_grant" }]);
});

test("a wrong code gets a readable message; guessing is stopped after ten wrong codes", async ({ page, request }) => {
  const app = await deviceApp(request);
  const cli = await deviceCli(issuer(), app.client_id);
  const started = await cli.start("openid");
  await signedIn(page);
  await enterCode(page, "ABC");
  await expect(page.getByText("A code has 8 letters")).toBeVisible();
  for (let i = 0; i < 10; i++) {
    await enterCode(page, "BCDF-GHJK");
    await expect(page.getByText("That code is not valid")).toBeVisible();
  }
  // The right code too, now: the limit is on the user, not on the code.
  await enterCode(page, started.user_code);
  await expect(page.getByText("Too many wrong codes")).toBeVisible();
  await expect(page.getByRole("button", { name: "Allow" })).toHaveCount(0);
});

test("an app without the device flow enabled is refused at the device authorization endpoint", async ({ request }) => {
  const app = await createApp(request, { client_type: "first_party_public" });
  const cli = await deviceCli(issuer(), app.client_id);
  await expect(cli.start("openid")).rejects.toMatchObject({ name: "ResponseBodyError", error: "unauthorized_client" });
});

test("the owner turns the device flow on on the app's page; then the app may start one", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "third_party_public" });
  const cli = await deviceCli(issuer(), app.client_id);
  await expect(cli.start("openid")).rejects.toMatchObject({ error: "unauthorized_client" });
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(`/dashboard/apps/${app.client_id}`)}`);
  const box = page.getByLabel("Enable the device flow");
  await expect(box).not.toBeChecked();
  await box.check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  expect((await cli.start("openid")).user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
});
