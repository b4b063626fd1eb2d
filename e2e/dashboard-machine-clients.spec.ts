import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { E2E_OWNER, signIn } from "./fixtures";
import { apiKey } from "./oauth/clients";
import { listResourceServers } from "./oauth/resource-servers";

// The owner creates a machine client in the dashboard, grants it a resource
// server and scopes, sees its secret once, uses it, and rotates it; and
// switches one to a key (private_key_jwt) on its page.

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
  // The token request above: when and how it authenticated.
  await expect(page.getByTestId("last-authenticated")).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC with client_secret_basic/);
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

test("switch a machine client to private_key_jwt on its page: the key ids are shown, the secret is refused, an assertion gets a token", async ({ page, request, baseURL }) => {
  const created = await request.post("/api/v1/machine-clients", {
    headers: { authorization: `Bearer ${apiKey()}` },
    data: { name: `Keyed export ${Date.now().toString(36)}`, grants: [{ resource: API, scopes: ["export:read"] }] },
  });
  expect(created.status()).toBe(201);
  const { client_id: clientId, client_secret: secret } = (await created.json()) as { client_id: string; client_secret: string };
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const kid = `dash-${Date.now().toString(36)}`;

  const path = `/dashboard/machine-clients/${clientId}`;
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(path);
  await expect(page.getByTestId("auth-method")).toHaveText("client_secret_basic, client_secret_post");
  await expect(page.getByTestId("last-authenticated")).toContainText("Never");
  // Submit buttons are enabled once React runs the form (before, a click would post the plain form).
  await expect(page.getByRole("button", { name: "Save changes" })).toBeEnabled();
  await page.getByLabel("Token endpoint authentication").selectOption("private_key_jwt");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#field-jwks-error")).toContainText("needs the client's public keys");
  await page.getByLabel("Public keys (JWK Set, optional)").fill(JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid }] }));
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("auth-method")).toHaveText("private_key_jwt");
  await expect(page.getByTestId("key-ids")).toHaveText(kid);
  await expect(page.getByTestId("key-auth")).toBeVisible();
  await expect(page.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);

  expect((await tokenWith(baseURL!, clientId, secret)).status).toBe(401);
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(new URL(baseURL!).origin)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(privateKey);
  const response = await fetch(new URL("/oauth2/token", baseURL), {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion }),
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { scope: string }).scope).toBe("export:read");
  // The refused secret recorded nothing; the assertion did.
  await page.reload();
  await expect(page.getByTestId("last-authenticated")).toContainText("with private_key_jwt");

  // Deleting it says what it deletes, and takes its name typed.
  await page.getByRole("button", { name: "Delete machine client" }).click();
  const name = (await page.getByRole("heading", { level: 1 }).textContent())!;
  await page.getByLabel(`Type ${name} to confirm`).fill(name);
  await page.getByRole("button", { name: "Delete this machine client permanently" }).click();
  await expect(page).toHaveURL(/\/dashboard\/machine-clients(\?|$)/);
  expect((await request.get(`/api/v1/machine-clients/${clientId}`, { headers: { authorization: `Bearer ${apiKey()}` } })).status()).toBe(404);
});
