import { expect, test, type Browser, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { startSmtpListener } from "../tests/smtp-listener";
import { signIn, signUp, uniqueEmail } from "./fixtures";
import { createApp, type CreatedApp } from "./oauth/clients";
import { resetLinkFor } from "./reset-mail";
import { SMTP_E2E_PORT } from "./servers.mjs";

/**
 * A password change or reset ends the account's other sessions (users.session_epoch,
 * lib/auth/session-epoch.ts), in Chromium with two browser contexts (two
 * browsers) of one user. The main e2e server mails through the SMTP listener
 * started here (e2e/serve.mjs).
 */

let smtp: Awaited<ReturnType<typeof startSmtpListener>>;

test.beforeAll(async () => {
  smtp = await startSmtpListener(SMTP_E2E_PORT);
});

test.afterAll(async () => {
  await smtp?.close();
});

/** A third-party app: a signed-in user's authorization request shows its consent page. */
let app: CreatedApp;
test.beforeEach(async ({ request }) => {
  app ??= await createApp(request, { client_type: "third_party" });
});

/** A fresh browser: its own cookies. */
async function newBrowserPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

function authorizationUrl(): string {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: app.client_id,
    redirect_uri: app.redirect_uris[0]!,
    scope: "openid",
    state: randomBytes(6).toString("hex"),
  });
  return `/oauth2/authorize?${params}`;
}

/** Signs in on the sign-in page and waits to land on the account page. */
async function signInToAccount(page: Page, email: string, password: string) {
  await signIn(page, email, password);
  await expect(page.getByTestId("account-email")).toHaveText(email);
}

/** Signed in: the account page shows the user, and an authorization request reaches the consent page. */
async function expectSignedIn(page: Page, email: string) {
  await page.goto("/account");
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await page.goto(authorizationUrl());
  await expect(page).toHaveURL(/\/consent\?request=/);
}

/** Signed out: the account page and an authorization request both send the browser to the sign-in page (not an error page). */
async function expectSentToSignIn(page: Page) {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.goto(authorizationUrl());
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Foauth2%2Fauthorize%2Fresume%3Frequest%3D/);
  await expect(page.getByTestId("signin-for-app")).toContainText(app.name);
}

test("changing the password ends the account's other sessions; the browser that changed it stays signed in", async ({ browser }) => {
  const email = uniqueEmail();
  const here = await newBrowserPage(browser);
  const elsewhere = await newBrowserPage(browser);
  await signUp(here, email, "first password e2e");
  await signInToAccount(elsewhere, email, "first password e2e");
  await expectSignedIn(elsewhere, email);

  await here.goto("/account");
  const password = here.getByRole("form", { name: "Password" });
  await password.getByLabel("Current password").fill("first password e2e");
  await password.getByLabel("New password").fill("second password e2e");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("status")).toHaveText("Password changed.");
  // The page re-rendered after the change with this browser's re-issued session.
  await expect(here.getByTestId("account-email")).toHaveText(email);
  await expectSignedIn(here, email);

  await expectSentToSignIn(elsewhere);
  await elsewhere.screenshot({ path: ".test-output/sessions-ended-desktop.png" });
  await elsewhere.setViewportSize({ width: 390, height: 844 });
  await elsewhere.screenshot({ path: ".test-output/sessions-ended-phone.png", fullPage: true });

  // Signing in again (with the new password) gives that browser a session that stands.
  await signInToAccount(elsewhere, email, "second password e2e");
  await expectSignedIn(elsewhere, email);
  await expectSignedIn(here, email);
  await here.context().close();
  await elsewhere.context().close();
});

test("a forgot-password reset ends every session of the account", async ({ browser }) => {
  const email = uniqueEmail();
  const signedIn = await newBrowserPage(browser);
  await signUp(signedIn, email, "first password e2e");
  await expectSignedIn(signedIn, email);

  const other = await newBrowserPage(browser);
  await other.goto("/forgot-password");
  await other.getByLabel("Email").fill(email);
  await other.getByRole("button", { name: "Send the link" }).click();
  await expect(other.getByTestId("reset-requested")).toBeVisible();
  await other.goto(await resetLinkFor(smtp.inbox, email));
  await other.getByLabel("New password").fill("reset password e2e");
  await other.getByRole("button", { name: "Set new password" }).click();
  await expect(other.getByRole("status")).toContainText("Your new password is set.");

  await expectSentToSignIn(signedIn);
  await signInToAccount(signedIn, email, "reset password e2e");
  await expectSignedIn(signedIn, email);
  await signedIn.context().close();
  await other.context().close();
});
