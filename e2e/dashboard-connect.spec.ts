import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { E2E_OWNER, expectNoSidewaysScroll, signIn } from "./fixtures";
import { Provider } from "./oauth/flows";
import { apiKeyFiles } from "./servers.mjs";

// Issue 17 item 3: an app's Connect panel (endpoints, client_id, snippets for
// its type, each with a copy button) and the dashboard's getting-started checklist.

const SCREENSHOTS = path.dirname(apiKeyFiles("chromium").active);
const PHONE = { width: 390, height: 844 };

async function signInOwner(page: Page, to: string) {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(to)}`);
  await expect(page).toHaveURL(to);
}

test("a public app's Connect panel shows the endpoints and client_id with copy buttons, and PKCE snippets for its type", async ({ page, baseURL, context }) => {
  const provider = new Provider(baseURL);
  const app = await provider.createApp("first_party_public");
  await signInOwner(page, `/dashboard/apps/${app.clientId}`);
  const panel = page.getByTestId("connect-panel");
  await expect(panel.getByTestId("connect-issuer")).toHaveText(provider.issuer);
  await expect(panel.getByTestId("connect-discovery-url")).toHaveText(`${provider.issuer}/.well-known/openid-configuration`);
  await expect(panel.getByTestId("connect-token-endpoint")).toHaveText(`${provider.issuer}/oauth2/token`);
  await expect(panel.getByTestId("connect-client-id")).toHaveText(app.clientId);
  for (const name of ["Issuer", "Discovery URL", "Authorization endpoint", "Token endpoint", "UserInfo endpoint", "JWKS URI", "End session endpoint", "PAR endpoint"]) {
    await expect(panel.getByRole("button", { name: `Copy ${name}`, exact: true })).toBeVisible();
  }
  // A public type: oauth4webapi and MCP are offered, every snippet names the client_id and uses no secret.
  for (const id of ["openid-client", "auth-js", "oauth4webapi", "mcp", "management-api"]) {
    const snippet = panel.getByTestId(`snippet-${id}`);
    // The first snippet starts open; the others open on a click.
    if (id !== "openid-client") await snippet.locator("summary").click();
    await expect(snippet.locator("pre")).toContainText(app.clientId);
    await expect(snippet.getByRole("button", { name: /^Copy .* snippet$/ })).toBeVisible();
  }
  await expect(panel.getByTestId("snippet-openid-client").locator("pre")).toContainText("client.None()");
  await expect(panel.getByTestId("snippet-openid-client").locator("pre")).toContainText(`redirect_uri: "${app.redirectUris[0]}"`);
  await expect(panel.getByRole("link", { name: "OpenAPI document of the management API" })).toHaveAttribute("href", "/api/v1/openapi.json");

  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await panel.getByRole("button", { name: "Copy client ID for your code" }).click();
  await expect(panel.getByText("Copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(app.clientId);

  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);
  await panel.screenshot({ path: path.join(SCREENSHOTS, "connect-panel-phone.png") });
});

test("a confidential app's Connect panel offers no public-client snippets and no secret", async ({ page, baseURL }) => {
  const app = await new Provider(baseURL).createApp("third_party");
  await signInOwner(page, `/dashboard/apps/${app.clientId}`);
  const panel = page.getByTestId("connect-panel");
  await expect(panel.getByTestId("snippet-openid-client").locator("pre")).toContainText("process.env.CLIENT_SECRET");
  await expect(panel.getByTestId("snippet-oauth4webapi")).toHaveCount(0);
  await expect(panel.getByTestId("snippet-mcp")).toHaveCount(0);
  expect(await page.content()).not.toContain(app.clientSecret!);
});

test("the getting-started checklist is complete once an app got a token", async ({ page, baseURL }) => {
  const provider = new Provider(baseURL);
  await provider.tokens(await provider.createApp("first_party_public"));
  await signInOwner(page, "/dashboard");
  const list = page.getByTestId("getting-started");
  for (const step of ["owner", "app", "sign-in", "token"]) await expect(list.getByTestId(`step-${step}`)).toHaveAttribute("data-done", "true");
  await expect(list).toContainText("All done");
  await expect(page.getByTestId("app-count")).not.toHaveText("0");
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "dashboard-checklist-phone.png"), fullPage: true });
});
