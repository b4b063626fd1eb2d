import { expect, test } from "@playwright/test";
import { E2E_OWNER, signIn } from "./fixtures";
import { listResourceServers } from "./oauth/resource-servers";

// The owner creates a machine client in the dashboard, grants it a resource
// server and scopes, sees its secret once, uses it, and rotates it.

const API = "https://api.dashboard-m2m.example";

let restore: () => Promise<void>;
test.beforeAll(async () => {
  restore = await listResourceServers([API]);
});
test.afterAll(async () => {
  await restore?.();
});

async function tokenWith(baseURL: string, clientId: string, secret: string) {
  const response = await fetch(new URL("/oauth2/token", baseURL), {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("create a machine client, grant it a resource server and scopes, see the secret once, rotate", async ({ page, baseURL }) => {
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent("/dashboard/machine-clients")}`);
  await expect(page).toHaveURL("/dashboard/machine-clients");
  await expect(page.getByTestId("machine-client-explanation")).toContainText("create a connected app instead");
  await page.getByRole("link", { name: "Create machine client" }).click();

  const name = `Nightly export ${Date.now().toString(36)}`;
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByRole("checkbox", { name: API }).check();
  await page.getByRole("textbox", { name: `Scopes for ${API}` }).fill("export:read export:write");
  await page.getByRole("button", { name: "Create machine client" }).click();

  await expect(page.getByText("Machine client created: save its client secret now")).toBeVisible();
  const clientId = (await page.getByTestId("one-time-secret").locator("code").first().textContent())!;
  const secret = (await page.getByTestId("secret-value").textContent())!;
  expect(clientId).toMatch(/^ca_/);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const issued = await tokenWith(baseURL!, clientId, secret);
  expect(issued.status).toBe(200);
  expect(issued.body.scope).toBe("export:read export:write");

  await page.getByRole("button", { name: /I have saved it/ }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/machine-clients/${clientId}`));
  await expect(page.getByTestId("client-id")).toHaveText(clientId);
  // Shown once: the page shows only its last four characters.
  await expect(page.getByTestId("current-secret-last4")).toHaveText(`…${secret.slice(-4)}`);
  await expect(page.getByTestId("secret-value")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // Narrow the grant.
  await page.getByRole("textbox", { name: `Scopes for ${API}` }).fill("export:read");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  expect((await tokenWith(baseURL!, clientId, secret)).body.scope).toBe("export:read");

  // Rotate: a new secret shown once, both work, then complete.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("button", { name: "Create a new secret" }).click();
  await expect(page.getByText("New client secret: save it now")).toBeVisible();
  const next = (await page.getByTestId("secret-value").textContent())!;
  expect(next).not.toBe(secret);
  expect((await tokenWith(baseURL!, clientId, next)).status).toBe(200);
  expect((await tokenWith(baseURL!, clientId, secret)).status).toBe(200);
  await page.getByRole("button", { name: /I have saved it/ }).click();
  await expect(page.getByTestId("next-secret-last4")).toHaveText(`…${next.slice(-4)}`);
  await page.getByRole("button", { name: "Complete rotation" }).click();
  await page.getByRole("button", { name: "Yes, complete rotation" }).click();
  await expect(page.getByTestId("next-secret-last4")).toHaveCount(0);
  await expect(page.getByTestId("current-secret-last4")).toHaveText(`…${next.slice(-4)}`);
  expect((await tokenWith(baseURL!, clientId, secret)).status).toBe(401);
  expect((await tokenWith(baseURL!, clientId, next)).status).toBe(200);

  // Not a connected app: the apps list does not show it.
  await page.goto(`/dashboard/apps?q=${encodeURIComponent(name)}`);
  await expect(page.getByText("No app matches this search.")).toBeVisible();
});
