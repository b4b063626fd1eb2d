import { expect, test } from "@playwright/test";
import { E2E_OWNER, signIn, signUp, uniqueEmail } from "./fixtures";
import { apiKey } from "./oauth/clients";

test("an end user signs up, lands on the account page, signs out and signs back in", async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, "correct horse battery");
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await expect(page.getByText("End user")).toBeVisible();

  // The button works once React has hydrated it; on a cold server the first click can come earlier.
  await expect(async () => {
    await page.getByRole("button", { name: "Sign out" }).click({ timeout: 2000 });
    await expect(page).toHaveURL(/\/signin/, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);

  await signIn(page, email.toUpperCase(), "correct horse battery");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("signing up with an email that has an account answers as sign-in would, and leaves that account alone", async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, "correct horse battery");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("another password");
  await page.getByRole("button", { name: "Create account" }).click();
  // Not "this email has an account": the same words as any failed sign-in.
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await signIn(page, email, "correct horse battery");
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("while the owner has closed sign-up, the sign-up page says so and sign-in offers no link to it", async ({ page, request }) => {
  const headers = { authorization: `Bearer ${apiKey()}` };
  const set = async (signup_enabled: boolean) => expect((await request.patch("/api/v1/settings", { headers, data: { signup_enabled } })).status()).toBe(200);
  await set(false);
  try {
    await page.goto("/signup");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Sign-up is closed on this server; ask its owner for an account.");
    await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);
    await page.goto("/signin");
    await expect(page.getByRole("link", { name: "Create one" })).toHaveCount(0);
  } finally {
    await set(true);
  }
  await page.goto("/signin");
  await expect(page.getByRole("link", { name: "Create one" })).toBeVisible();
});

test("before the page's script runs, the sign-in form cannot send the password in a URL", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto("/signin");
    const form = page.locator("form").filter({ has: page.getByLabel("Password") });
    await expect(form).toHaveAttribute("method", "post");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
  } finally {
    await context.close();
  }
});

test("a wrong password is refused and the user stays signed out", async ({ page }) => {
  await signIn(page, E2E_OWNER.email, "not-the-password");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin/);
});

test("after 10 wrong passwords the account is locked for a while, even for the right one, and says so", async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, "correct horse battery");
  await page.context().clearCookies();
  for (let i = 0; i < 10; i++) {
    await signIn(page, email, `wrong password ${i}`);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  }
  await signIn(page, email, "correct horse battery");
  // Windows are fixed (aligned to the clock), so the wait is at most 15 minutes.
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Too many failed sign-ins for this account\. Try again in ([1-9]|1[0-5]) minutes?, or ask the owner to unlock it\.$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin/);

  // The owner sees the lock on the users page and lifts it; the right password then signs in at once.
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, "/signin?callbackUrl=%2Fdashboard%2Fusers");
  await expect(page).toHaveURL(/\/dashboard\/users$/);
  const locked = page.getByRole("list", { name: "Locked sign-ins" }).getByRole("listitem").filter({ hasText: email });
  await expect(locked).toContainText("Locked until");
  await locked.getByRole("button", { name: "Unlock" }).click();
  await locked.getByRole("button", { name: "Yes, unlock" }).click();
  await expect(page.getByRole("list", { name: "Locked sign-ins" }).getByText(email)).toHaveCount(0);
  await page.context().clearCookies();
  await signIn(page, email, "correct horse battery");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("the owner signs in from the dashboard link and reaches the dashboard", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard$/);
  await page.getByLabel("Email").fill(E2E_OWNER.email);
  await page.getByLabel("Password").fill(E2E_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Dashboard" })).toBeVisible();
});

test("an end user is refused the dashboard", async ({ page }) => {
  await signUp(page, uniqueEmail(), "correct horse battery");
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/account\?notice=owner-only$/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("only for project owners");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toHaveCount(0);
});

test("the sign-in page never redirects off-site after sign-in", async ({ page }) => {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, "/signin?callbackUrl=https%3A%2F%2Fevil.example%2F");
  // Refused destinations fall back to where a sign-in lands: the dashboard, for the owner.
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a setup link with a wrong token shows an error, not a form", async ({ page }) => {
  await page.goto("/setup?token=not-a-real-token");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("invalid, expired or already used");
  await expect(page.getByLabel("Password")).toHaveCount(0);
});

test("the health endpoint reports the app and the embedded database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(await response.json()).toMatchObject({ status: "ok", database: { status: "ok", kind: "pglite" } });
});

test("pages work on a phone-sized screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/signin");
  const button = page.getByRole("button", { name: "Sign in" });
  await expect(button).toBeVisible();
  const box = await button.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(375);
});
