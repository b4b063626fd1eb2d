import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { E2E_OWNER, expectNoSidewaysScroll, signIn, signUp, uniqueEmail } from "./fixtures";
import { apiKey, CONFIDENTIAL_REDIRECT_URI, createApp } from "./oauth/clients";
import { apiKeyFiles } from "./servers.mjs";

// Issue 17, item 6: a sign-in, a failed sign-in and a consent in the browser
// are recorded; the owner filters the audit log by action, app, date and
// actor, follows a name's link, pages with the filters kept and downloads
// the filtered CSV.

const PASSWORD = "correct horse battery";
const WRONG = "Not-The-Password-42";
const SCREENSHOTS = path.dirname(apiKeyFiles("chromium").active);
const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

async function filter(page: Page, values: { actor?: string; action?: string; app?: string; from?: string; to?: string }) {
  await page.goto("/dashboard/audit");
  if (values.actor !== undefined) await page.getByLabel("Actor").fill(values.actor);
  if (values.action !== undefined) await page.getByLabel("Action").selectOption(values.action);
  if (values.app !== undefined) await page.getByLabel("App", { exact: true }).selectOption(values.app);
  if (values.from !== undefined) await page.getByLabel("From (UTC)").fill(values.from);
  if (values.to !== undefined) await page.getByLabel("To (UTC)").fill(values.to);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/\/dashboard\/audit\?/);
}

test("sign-ins, a failed sign-in and a consent are in the audit log; the owner filters, follows a link, pages and downloads the CSV", async ({ page, browser, request }) => {
  test.slow(); // three browsers' worth of flows and a dozen page loads
  const app = await createApp(request, { client_type: "third_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI] });
  const email = uniqueEmail();

  // The end user: an account, then an authorization in a fresh browser — a wrong password first, then the right one, then Allow.
  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signUp(user, email, PASSWORD);
  await userContext.clearCookies();
  await user.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback" }));
  const query = new URLSearchParams({ response_type: "code", client_id: app.client_id, redirect_uri: CONFIDENTIAL_REDIRECT_URI, scope: "openid profile", state: "audit-e2e" });
  await user.goto(`/oauth2/authorize?${query}`);
  await expect(user).toHaveURL(/\/signin\?/);
  await user.getByLabel("Email").fill(email);
  await user.getByLabel("Password").fill(WRONG);
  await user.getByRole("button", { name: "Sign in" }).click();
  await expect(user.getByText("Incorrect email or password.")).toBeVisible();
  await user.getByLabel("Password").fill(PASSWORD);
  await user.getByRole("button", { name: "Sign in" }).click();
  await expect(user).toHaveURL(/\/consent\?request=/);
  await user.getByRole("button", { name: "Allow" }).click();
  await expect(user).toHaveURL(/^https:\/\/rp\.example\/cb\?/);
  await userContext.close();

  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, "/signin?callbackUrl=%2Fdashboard%2Faudit");
  await expect(page).toHaveURL(/\/dashboard\/audit$/);

  // By action and actor: the failed sign-in, with its reason and never the password.
  await filter(page, { actor: email, action: "user.sign_in_failed" });
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("wrong password");
  await expect(page.locator("body")).not.toContainText(WRONG);
  // The target is the account, by its email, linked to the users list.
  await expect(rows.first().getByTestId("audit-target")).toHaveText(email);

  // By action and app: the sign-in inside the authorization request names the app.
  await filter(page, { action: "user.signed_in", app: app.client_id });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("password");
  await expect(rows.first().getByRole("link", { name: app.name })).toBeVisible();

  // By app and date: the consent, today (UTC); nothing from tomorrow on.
  await filter(page, { action: "consent.granted", app: app.client_id, from: today(), to: today() });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("openid profile");
  await expect(rows.first().getByTestId("audit-actor")).toHaveText(email);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(SCREENSHOTS, "audit-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "audit-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  // The app's name links to its page.
  await rows.first().getByTestId("audit-target").click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/apps/${app.client_id}$`));

  // A deleted app: its id, cut short on one line (the whole id in its text and tooltip), and "(deleted)".
  const gone = await createApp(request, { client_type: "third_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI] });
  expect((await request.delete(`/api/v1/connected-apps/${gone.client_id}`, { headers: { authorization: `Bearer ${apiKey()}` } })).status()).toBe(204);
  await page.goto(`/dashboard/audit?app=${gone.client_id}`);
  await expect(rows).toHaveCount(2);
  const deleted = rows.first().getByTestId("audit-target");
  await expect(deleted).toContainText("(deleted)");
  await expect(deleted.getByTitle(gone.client_id)).toHaveText(gone.client_id);
  expect(await deleted.getByTitle(gone.client_id).evaluate((el) => el.getBoundingClientRect().height)).toBeLessThan(24);
  await page.goto("/dashboard/audit");
  await page.screenshot({ path: path.join(SCREENSHOTS, "audit-all-desktop.png"), fullPage: true });

  await filter(page, { app: app.client_id, from: tomorrow() });
  await expect(page.getByText("No event matches these filters.")).toBeVisible();

  // A bad value in the address: a readable message, not an error page.
  const bad = await page.goto("/dashboard/audit?from=2026-02-30&action=nope");
  expect(bad?.status()).toBe(200);
  await expect(page.getByText("is not a date in the calendar")).toBeVisible();
  await expect(page.getByText("Action is not an action the audit log records")).toBeVisible();

  // Pages of the filtered list keep the filter: the user's sign-up sign-in, the failure, the sign-in and the consent.
  await page.goto(`/dashboard/audit?actor=${encodeURIComponent(email)}&per_page=3`);
  await expect(rows).toHaveCount(3);
  await page.getByRole("link", { name: "Older events →" }).click();
  await expect(page).toHaveURL(new RegExp(`actor=${encodeURIComponent(email).replace(/[.]/g, "\\.")}.*cursor=`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("user.signed_in");

  // The CSV of the filtered rows.
  await page.goto(`/dashboard/audit?actor=${encodeURIComponent(email)}`);
  await expect(rows).toHaveCount(4);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "audit-actor-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-csv").click()]);
  expect(download.suggestedFilename()).toBe(`audit-log-${today()}.csv`);
  const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe("time_utc,actor_type,actor,action,target_id,target,details");
  expect(lines.slice(1).map((line) => line.split(",")[3])).toEqual(["consent.granted", "user.signed_in", "user.sign_in_failed", "user.signed_in"]);
  expect(lines[1]).toContain(`,${app.client_id},${app.name},`);
  expect(csv).not.toContain(WRONG);
  expect(csv).not.toContain(PASSWORD);
  // Owner only: signed out, the CSV is a redirect to sign in.
  const anonymous = await request.get(`/dashboard/audit/export?actor=${encodeURIComponent(email)}`, { maxRedirects: 0 });
  expect([302, 303, 307]).toContain(anonymous.status());
});
