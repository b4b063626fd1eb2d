import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { E2E_PORT, FRESH_SERVER_LOG } from "./servers.mjs";

const FRESH = `http://localhost:${E2E_PORT + 1}`;

/** The setup URL the owner-less server printed to its log, once it has. */
async function printedSetupUrl(): Promise<string> {
  let url = "";
  await expect
    .poll(
      () => {
        const log = readFileSync(FRESH_SERVER_LOG, "utf8");
        url = log.match(/https?:\/\/\S+\/setup\?token=[\w-]+/)?.[0] ?? "";
        return url;
      },
      { timeout: 60_000, message: "the fresh server never printed a setup URL" },
    )
    .not.toBe("");
  return url;
}

test("PORT without ISSUER gives a matching issuer: setup URL, discovery and the start-up log agree", async ({ request }) => {
  const url = await printedSetupUrl();
  expect(new URL(url).origin).toBe(FRESH);
  const discovery = await (await request.get(`${FRESH}/.well-known/openid-configuration`)).json();
  expect(discovery.issuer).toBe(FRESH);
  expect(discovery.token_endpoint).toBe(`${FRESH}/oauth2/token`);
  const log = readFileSync(FRESH_SERVER_LOG, "utf8");
  expect(log).toContain(`issuer ${FRESH} (ISSUER unset: derived from PORT ${E2E_PORT + 1}`);
  expect(log).toContain(`listening on port ${E2E_PORT + 1} on every interface`);
});

test("a fresh server prints a one-time setup URL that creates the first owner, once", async ({ page }) => {
  const url = await printedSetupUrl();
  expect(url.startsWith(`${FRESH}/setup?token=`)).toBe(true);

  // Nobody becomes owner by signing up first.
  await page.goto(`${FRESH}/signup`);
  await page.getByLabel("Email").fill("first-visitor@e2e.test");
  await page.getByLabel("Password").fill("first visitor password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(`${FRESH}/account`);
  await expect(page.getByText("End user")).toBeVisible();
  await page.goto(`${FRESH}/dashboard`);
  await expect(page).toHaveURL(`${FRESH}/account?notice=owner-only`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  await page.goto(url);
  await page.getByLabel("Email").fill("founder@e2e.test");
  await page.getByLabel("Password").fill("founder password");
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).toHaveURL(`${FRESH}/dashboard`);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  // A fresh server: only the owner exists, so the checklist's next step is the first app.
  const checklist = page.getByTestId("getting-started");
  await expect(checklist.getByTestId("step-owner")).toHaveAttribute("data-done", "true");
  for (const step of ["app", "sign-in", "token"]) await expect(checklist.getByTestId(`step-${step}`)).toHaveAttribute("data-done", "false");
  await expect(checklist.getByRole("link", { name: "Create app" })).toHaveAttribute("href", "/dashboard/apps/new");

  // The link is spent.
  await page.goto(url);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("invalid, expired or already used");
});
