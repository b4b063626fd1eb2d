import { expect, test, type Page } from "@playwright/test";
import { startSmtpListener } from "../tests/smtp-listener";
import { signIn, signUp, uniqueEmail } from "./fixtures";
import { resetLinkFor } from "./reset-mail";
import { SMTP_E2E_PORT } from "./servers.mjs";

/**
 * The account page and forgot-password, in Chromium, with the main e2e
 * server mailing through an SMTP listener started here (SMTP_URL points at
 * SMTP_E2E_PORT, e2e/serve.mjs).
 */

let smtp: Awaited<ReturnType<typeof startSmtpListener>>;

test.beforeAll(async () => {
  smtp = await startSmtpListener(SMTP_E2E_PORT);
});

test.afterAll(async () => {
  await smtp?.close();
});

async function signOut(page: Page) {
  await expect(async () => {
    await page.getByRole("button", { name: "Sign out" }).click({ timeout: 2000 });
    await expect(page).toHaveURL(/\/signin/, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
}

test("forgot password: the mailed link sets a new password once, and the new password signs in", async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, "first password e2e");
  await signOut(page);

  await page.getByRole("link", { name: "Forgot password?" }).click();
  // The sign-in page has an Email field too: fill the new page's.
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByTestId("reset-requested")).toBeVisible();
  const link = await resetLinkFor(smtp.inbox, email);
  await page.screenshot({ path: ".test-output/account-forgot-password.png" });

  await page.goto(link);
  await page.getByLabel("New password").fill("second password e2e");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your new password is set.");

  // Once only.
  await page.goto(link);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("This link has expired or was already used. Ask for a new one.");

  await signIn(page, email, "first password e2e");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await signIn(page, email, "second password e2e");
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("forgot password answers an unknown email exactly as a known one, and mails nothing", async ({ page }) => {
  const email = uniqueEmail();
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByTestId("reset-requested")).toHaveText(
    "If an account with a password uses this email, we sent it a link to choose a new password. The link works once, within 30 minutes.",
  );
  await page.waitForTimeout(500);
  expect(smtp.inbox.filter((m) => m.to.includes(email))).toEqual([]);
});

test("on the account page a user changes their password and name", async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, "first password e2e");

  const name = page.getByRole("form", { name: "Name" });
  await name.getByLabel("Name").fill("Grace Hopper");
  await name.getByRole("button", { name: "Save name" }).click();
  await expect(name.getByRole("status")).toHaveText("Name saved.");
  await page.reload();
  await expect(page.getByRole("form", { name: "Name" }).getByLabel("Name")).toHaveValue("Grace Hopper");

  const password = page.getByRole("form", { name: "Password" });
  await password.getByLabel("Current password").fill("not my password");
  await password.getByLabel("New password").fill("second password e2e");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByText("The current password is not correct")).toBeVisible();
  await password.getByLabel("Current password").fill("first password e2e");
  await password.getByLabel("New password").fill("second password e2e");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("status")).toHaveText("Password changed.");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: ".test-output/account-page-phone.png", fullPage: true });

  await signOut(page);
  await signIn(page, email, "second password e2e");
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("a user deletes their account by typing its email; they are signed out and cannot sign in again", async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, "first password e2e");
  await page.getByRole("button", { name: "Delete account" }).click();
  const form = page.getByRole("form", { name: "Delete account" });
  const confirm = form.getByRole("button", { name: "Delete my account permanently" });
  await expect(confirm).toBeDisabled();
  await form.getByLabel(`Type ${email} to confirm`).fill(email);
  await confirm.click();
  await expect(page).toHaveURL(/\/signin\?notice=account-deleted$/);
  await expect(page.getByText("Your account was deleted.")).toBeVisible();
  await signIn(page, email, "first password e2e");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
});
