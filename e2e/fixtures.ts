import { expect, type Page } from "@playwright/test";

export { OWNER as E2E_OWNER } from "./servers.mjs";

let counter = 0;
/** A fresh end-user email per test (the database lives for the whole run). */
export function uniqueEmail(): string {
  return `user-${Date.now()}-${counter++}@e2e.test`;
}

export async function signIn(page: Page, email: string, password: string, path = "/signin") {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signUp(page: Page, email: string, password: string) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/** Nothing wider than the viewport (a phone must not scroll sideways). */
export async function expectNoSidewaysScroll(page: Page) {
  const { scroll, viewport } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(viewport);
}
