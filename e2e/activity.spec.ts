import { expect, test, type Locator, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { E2E_OWNER, expectNoSidewaysScroll, signIn } from "./fixtures";
import { ALICE, ownerApiKey, Provider, type TestApp } from "./oauth/flows";
import { apiKeyFiles } from "./servers.mjs";

// Issue 17 item 5: activity over time. Real requests make the counts (a
// browser sign-in and consent inside an authorization request, a code
// exchange, refreshes, a refused refresh); the server flushes them within
// 5 s; the app page and the overview chart them.

const SCREENSHOTS = path.dirname(apiKeyFiles("chromium").active);
const PHONE = { width: 390, height: 844 };

/** A chart's total, and the last row of its table (the bucket that holds now). */
async function chartNumbers(panel: Locator, series: string): Promise<{ total: number; current: number; rows: number }> {
  const chart = panel.getByTestId(`activity-${series}`);
  const rows = chart.getByTestId("activity-table").locator("tbody tr");
  return {
    total: Number(await chart.getAttribute("data-total")),
    current: Number(await rows.last().locator("td").last().textContent()),
    rows: await rows.count(),
  };
}

/** Reloads until the flush has written what the requests counted (every 5 s on each instance). */
async function waitForCounts(page: Page, series: string, atLeast: number) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return Number(await page.getByTestId(`activity-${series}`).getAttribute("data-total"));
      },
      { timeout: 20_000, intervals: [1000] },
    )
    .toBeGreaterThanOrEqual(atLeast);
}

test("an app's activity charts what its requests did, per hour and per day, and the overview adds it to the project", async ({ browser, baseURL }) => {
  test.slow();
  const provider = new Provider(baseURL);
  const app: TestApp = await provider.createApp("third_party");
  const state = randomBytes(6).toString("hex");

  // An end user signs in inside the app's authorization request and consents, in Chromium.
  const user = await browser.newPage();
  await user.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback" }));
  await user.goto("/signin");
  const authorizeUrl = provider.authorizeUrl(app, { state, scope: "openid offline_access" }).href;
  // location.assign, not goto: Playwright then lets page.route answer the final redirect (see oauth-consent.spec.ts).
  await user.evaluate((href) => void setTimeout(() => window.location.assign(href), 0), authorizeUrl);
  await expect(user).toHaveURL(/\/signin\?callbackUrl=/);
  await user.getByLabel("Email").fill(ALICE.email);
  await user.getByLabel("Password").fill(ALICE.password);
  await user.getByRole("button", { name: "Sign in" }).click();
  await expect(user).toHaveURL(/\/consent\?request=/);
  await user.getByRole("button", { name: "Allow" }).click();
  await expect(user).toHaveURL(new RegExp(`^https://rp\\.example/cb\\?(.*&)?state=${state}`));
  const code = new URL(user.url()).searchParams.get("code")!;
  await user.close();

  // The app's backend: one code exchange, two refreshes, one refused refresh.
  const issued = await provider.redeem(app, { code, verifier: undefined, redirectUri: app.redirectUris[0]! });
  expect(issued.status).toBe(200);
  expect((await provider.refresh(app, issued.json.refresh_token)).status).toBe(200);
  expect((await provider.refresh(app, issued.json.refresh_token)).status).toBe(200);
  expect((await provider.refresh(app, "not-a-refresh-token")).status).toBe(400);

  const owner = await browser.newPage({ colorScheme: "light" });
  await signIn(owner, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard/apps")}`);
  await expect(owner).toHaveURL(/\/dashboard\/apps$/);
  // The app list says when the app was last used (its last authentication at the token endpoint).
  const row = owner.getByTestId("app-row").filter({ hasText: app.clientId });
  await expect(row.getByTestId("last-used").locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);

  await owner.goto(`/dashboard/apps/${app.clientId}`);
  await waitForCounts(owner, "error", 1);
  const panel = owner.getByTestId("activity");
  await expect(panel).toHaveAttribute("data-period", "24h");
  // The last bucket is this hour (a request near the hour's end may fall in the one before: totals are checked, the hour's numbers when they agree).
  const expected = { sign_in: 1, consent: 1, token: 3, refresh: 2, error: 1 };
  for (const [series, n] of Object.entries(expected)) {
    const numbers = await chartNumbers(panel, series);
    expect(numbers, series).toMatchObject({ total: n, rows: 24 });
    expect(numbers.current, series).toBeLessThanOrEqual(n);
  }
  // The chart is an image with a title that states the numbers, and the same numbers are in its table.
  const tokens = panel.getByTestId("activity-token");
  await expect(tokens.locator("svg[role=img] title")).toHaveText("Tokens issued, the last 24 hours: 3 in total, at most 3 in one hour");
  await expect(tokens.locator("svg rect")).toHaveCount(await tokens.getByTestId("activity-table").locator("tbody td:last-child").filter({ hasNotText: /^0$/ }).count());
  await tokens.locator("summary").click();
  await expect(tokens.getByTestId("activity-table")).toBeVisible();
  await panel.screenshot({ path: path.join(SCREENSHOTS, "activity-app-24h.png") });

  // The period switch: 7 days by day, and 30 days.
  await panel.getByRole("link", { name: "7 days" }).click();
  await expect(owner).toHaveURL(/\?activity=7d#activity$/);
  await expect(owner.getByTestId("activity")).toHaveAttribute("data-period", "7d");
  await expect(owner.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "page");
  for (const [series, n] of Object.entries(expected)) {
    // Today is the last day: unless the requests straddled midnight (UTC), it holds them all.
    expect(await chartNumbers(owner.getByTestId("activity"), series), series).toMatchObject({ total: n, rows: 7 });
  }
  await expect(owner.getByTestId("activity-token").locator("svg title")).toHaveText(/^Tokens issued, the last 7 days: 3 in total, at most 3 in one day$/);
  await owner.getByRole("link", { name: "30 days" }).click();
  await expect(owner.getByTestId("activity")).toHaveAttribute("data-period", "30d");
  expect(await chartNumbers(owner.getByTestId("activity"), "refresh")).toMatchObject({ total: 2, rows: 30 });
  await owner.setViewportSize(PHONE);
  await expectNoSidewaysScroll(owner);
  await owner.getByTestId("activity").screenshot({ path: path.join(SCREENSHOTS, "activity-app-30d-phone.png") });

  // The project: this app's counts and everything else (other specs' apps, sign-ins outside any app).
  await owner.goto("/dashboard?activity=24h");
  const project = owner.getByTestId("activity");
  for (const [series, n] of Object.entries(expected)) {
    expect((await chartNumbers(project, series)).total, series).toBeGreaterThanOrEqual(n);
  }
  // The owner's own sign-in belongs to no app: the project counts it, the app did not.
  await waitForCounts(owner, "sign_in", 2);
  await expectNoSidewaysScroll(owner);
  await project.screenshot({ path: path.join(SCREENSHOTS, "activity-project-phone.png") });
  await owner.close();

  const dark = await browser.newPage({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  await signIn(dark, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard?activity=7d")}`);
  await expect(dark.getByTestId("activity")).toHaveAttribute("data-period", "7d");
  await dark.getByTestId("activity").screenshot({ path: path.join(SCREENSHOTS, "activity-project-7d-dark.png") });
  await dark.close();
});

test("a machine client's page charts its tokens and errors only", async ({ browser, baseURL }) => {
  const provider = new Provider(baseURL);
  const owner = await browser.newPage();
  const created = await provider.send("/api/v1/machine-clients", {
    method: "POST",
    headers: { authorization: `Bearer ${ownerApiKey()}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `activity machine ${randomBytes(3).toString("hex")}` }),
  });
  expect(created.status).toBe(201);
  const machine: TestApp = { clientId: created.json.client_id, clientSecret: created.json.client_secret, clientType: "first_party", redirectUris: [] };
  // No resource server granted: refused (unauthorized_client), and counted as the client's error.
  expect((await provider.token(machine, { grant_type: "client_credentials" })).status).toBe(400);
  await signIn(owner, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(`/dashboard/machine-clients/${machine.clientId}?activity=7d`)}`);
  await expect(owner).toHaveURL(/\/dashboard\/machine-clients\/.*\?activity=7d$/);
  await waitForCounts(owner, "error", 1);
  const panel = owner.getByTestId("activity");
  await expect(panel.getByRole("figure")).toHaveCount(2);
  expect(await chartNumbers(panel, "token")).toMatchObject({ total: 0, rows: 7 });
  expect(await chartNumbers(panel, "error")).toMatchObject({ total: 1, current: 1, rows: 7 });
  await owner.close();
});
