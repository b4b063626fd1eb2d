import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { E2E_OWNER, expectNoSidewaysScroll, signIn, signUp, uniqueEmail } from "./fixtures";
import { CONFIDENTIAL_REDIRECT_URI, createApp } from "./oauth/clients";
import { apiKeyFiles } from "./servers.mjs";

// What a newcomer meets around the flows (issue 17): error pages a developer
// can act on, where sign-in lands, signing out of the dashboard, the favicon,
// the skip link, dark mode, and no page promising what the server does not do.

const SCREENSHOTS = path.dirname(apiKeyFiles("chromium").active);
const PHONE = { width: 390, height: 844 };

async function signInOwner(page: Page, path = "/dashboard") {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(path);
}

const unregistered = (clientId: string) =>
  `/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: "https://evil.example/cb?<tag>", response_type: "code", scope: "openid" })}`;

test.describe("an unregistered redirect URI", () => {
  test("anyone sees the app and the refused address, not what is registered, and can go back", async ({ page, request }) => {
    const app = await createApp(request, { client_type: "first_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI, "https://rp.example/internal"] });
    await page.goto("/");
    const response = await page.goto(unregistered(app.client_id));
    expect(response!.status()).toBe(400);
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert.getByRole("heading", { name: "Unregistered redirect URI" })).toBeVisible();
    await expect(alert).toContainText(app.name);
    await expect(alert).toContainText(app.client_id);
    await expect(page.getByTestId("refused-value")).toHaveText("https://evil.example/cb?<tag>");
    await expect(alert).not.toContainText("https://rp.example/internal");
    await expect(alert).toContainText("Only the app's developer and this server's owner can see them.");
    // The site's own header, and a way back.
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connected Apps" })).toBeVisible();
    await alert.getByRole("button", { name: "Go back" }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test("the owner also sees the registered URIs and a link to the app's settings; it fits a phone", async ({ page, request }) => {
    const app = await createApp(request, { client_type: "first_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI, "https://rp.example/internal"] });
    await signInOwner(page);
    await page.setViewportSize(PHONE);
    await page.goto(unregistered(app.client_id));
    const registered = page.getByTestId("registered-values").getByRole("listitem");
    await expect(registered).toHaveText([CONFIDENTIAL_REDIRECT_URI, "https://rp.example/internal"]);
    await expectNoSidewaysScroll(page);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "error-page-owner-phone.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(SCREENSHOTS, "error-page-owner-dark.png"), fullPage: true });
    await page.getByRole("link", { name: "Open the app's settings" }).click();
    await expect(page.getByRole("heading", { name: app.name })).toBeVisible();
  });

  test("sign-out: an unregistered post-logout address is named the same way", async ({ page, request }) => {
    const app = await createApp(request, { client_type: "first_party", post_logout_redirect_uris: ["https://rp.example/bye"] });
    await page.goto(`/oauth2/end_session?${new URLSearchParams({ client_id: app.client_id, post_logout_redirect_uri: "https://evil.example/bye" })}`);
    await expect(page.getByRole("heading", { name: "Unregistered post-logout redirect URI" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("alert")).toContainText(app.name);
    await expect(page.getByTestId("refused-value")).toHaveText("https://evil.example/bye");
    await expect(page.getByRole("main")).not.toContainText("https://rp.example/bye");
  });

  test("an unknown client_id is named back to the requester", async ({ page }) => {
    await page.goto(unregistered("ca_no_such_app"));
    await expect(page.getByRole("heading", { name: "Unknown app" })).toBeVisible();
    await expect(page.getByTestId("refused-value")).toHaveText("ca_no_such_app");
  });
});

test("a confidential app's redirect URIs: each problem is named, and none offers localhost", async ({ page, request }) => {
  const app = await createApp(request, { client_type: "first_party", redirect_uris: [CONFIDENTIAL_REDIRECT_URI] });
  await signInOwner(page, `/dashboard/apps/${app.client_id}`);
  const uris = page.getByLabel("Redirect URIs", { exact: true });
  const accepts = "confidential apps accept only https URLs (http on 127.0.0.1, [::1] or localhost too while the server runs in development mode)";
  await expect(page.getByText(`This app type accepts ${accepts.replace("confidential apps accept ", "")}.`)).toBeVisible();
  const errors = page.locator("#field-redirect_uris-error").getByRole("listitem");
  // The form saves through React: a click before hydration would submit the page's plain form instead.
  await expect(async () => {
    await uris.fill(`${CONFIDENTIAL_REDIRECT_URI}\nhttp://crm.partner.test/cb\nhttp://localhost:8080/cb#x`);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(errors).toHaveCount(2, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await expect(errors).toHaveText([
    `http://crm.partner.test/cb must use https: ${accepts}`,
    `http://localhost:8080/cb#x must not contain a fragment (#); must use https: ${accepts}`,
  ]);
  await expect(page.locator("#field-redirect_uris-error")).not.toContainText("http is accepted only on");
});

test("sign-in without a destination: the owner lands on the dashboard, an end user on the account page", async ({ page, browser }) => {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  const member = await browser.newContext();
  try {
    const memberPage = await member.newPage();
    await signUp(memberPage, uniqueEmail(), "correct horse battery");
    await memberPage.context().clearCookies();
    await memberPage.goto("/signed-in");
    await expect(memberPage).toHaveURL(/\/signin\?callbackUrl=%2Fsigned-in$/);
  } finally {
    await member.close();
  }
});

test("the dashboard says who is signed in and signs out; at phone width too", async ({ page }) => {
  await signInOwner(page);
  await page.setViewportSize(PHONE);
  const account = page.getByTestId("dashboard-account");
  await expect(account).toContainText(`Signed in as ${E2E_OWNER.email}`);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "dashboard-phone.png"), fullPage: true });
  await expect(async () => {
    await account.getByRole("button", { name: "Sign out" }).click({ timeout: 2000 });
    await expect(page).toHaveURL(/\/signin/, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard$/);
});

test("every page has a favicon, and no request for one fails", async ({ page, request }) => {
  const failed: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400 && /icon/.test(new URL(response.url()).pathname)) failed.push(response.url());
  });
  await page.goto("/signin");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  expect((await request.get(href!)).status()).toBe(200);
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toContain("image/");
  expect(failed).toEqual([]);
});

test("the first Tab reaches 'Skip to content', which moves focus to the page's content", async ({ page }) => {
  await page.goto("/signin");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  await page.keyboard.press("Tab");
  // The next stop is inside the content, past the header's links.
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);
});

test("dark mode follows the system setting", async ({ page }) => {
  await signInOwner(page, "/dashboard/settings");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const card = () => page.evaluate(() => getComputedStyle(document.querySelector("[class~='bg-surface']")!).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = { body: await background(), card: await card() };
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = { body: await background(), card: await card() };
  expect(dark.body).not.toBe(light.body);
  expect(dark.card).not.toBe(light.card);
  // Dark means dark: the page's text is lighter than its background.
  const luminance = await page.evaluate(() => {
    const probe = (color: string) => {
      const canvas = document.createElement("canvas").getContext("2d")!;
      canvas.fillStyle = color;
      canvas.fillRect(0, 0, 1, 1);
      const [r, g, b] = canvas.getImageData(0, 0, 1, 1).data;
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const style = getComputedStyle(document.body);
    return { text: probe(style.color), background: probe(style.backgroundColor) };
  });
  expect(luminance.background).toBeLessThan(60);
  expect(luminance.text).toBeGreaterThan(180);
  await page.screenshot({ path: path.join(SCREENSHOTS, "settings-dark.png"), fullPage: true });
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "settings-dark-phone.png"), fullPage: true });
});

test("no dashboard page promises what the server does not do", async ({ page }) => {
  await signInOwner(page);
  for (const path of ["/dashboard", "/dashboard/apps", "/dashboard/apps/new", "/dashboard/machine-clients", "/dashboard/connections", "/dashboard/scopes", "/dashboard/roles", "/dashboard/users", "/dashboard/api-keys", "/dashboard/audit", "/dashboard/settings", "/account", "/"]) {
    await page.goto(path);
    const text = await page.locator("body").innerText();
    expect(text, path).not.toMatch(/later release|coming soon|no effect yet|not (?:yet )?implemented|\bTODO\b/i);
  }
});

test("before React runs, a dashboard form cannot be sent, and would post, never put its fields in a URL; buttons that open a form wait", async ({ page, browser, baseURL }) => {
  await signInOwner(page, "/dashboard/connections/new");
  // The same session in a browser that runs no script: the page as it is before hydration.
  const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
  const bare = await noScript.newPage();
  for (const path of ["/dashboard/connections/new", "/dashboard/apps/new", "/dashboard/settings"]) {
    await bare.goto(path);
    const forms = bare.locator("main form:not([method='get'])");
    expect(await forms.count(), path).toBeGreaterThan(0);
    for (const form of await forms.all()) expect(await form.getAttribute("method"), path).toBe("post");
    const submits = bare.locator("main form button[type='submit']");
    for (const button of await submits.all()) await expect(button, path).toBeDisabled();
  }
  // A button that only opens a form or dialog does nothing before React: it waits too, so a click is never lost.
  await bare.goto("/account");
  await expect(bare.getByRole("button", { name: "Delete account" })).toBeDisabled();
  await noScript.close();
});
