import { expect, test, type APIRequestContext } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { startTestDocumentServer, type TestDocumentServer } from "../lib/clients/cimd-test-server";
import { E2E_OWNER, signIn, signUp, uniqueEmail } from "./fixtures";
import { apiKey } from "./oauth/clients";
import { pkcePair } from "./oauth/flows";

// Client ID Metadata Documents in a real browser: the test serves the
// documents over https on 127.0.0.1 (the servers run with
// CIMD_ALLOW_LOOPBACK and the test CA, e2e/serve.mjs); the owner turns CIMD
// on with the management API and restores the setting afterwards.

const REDIRECT = "http://127.0.0.1/cimd-cb";
let docs: TestDocumentServer;
let previous: boolean;

async function setCimd(request: APIRequestContext, enabled: boolean): Promise<boolean> {
  const headers = { authorization: `Bearer ${apiKey()}` };
  const before = (await (await request.get("/api/v1/settings", { headers })).json()) as { cimd_enabled: boolean };
  const response = await request.patch("/api/v1/settings", { headers, data: { cimd_enabled: enabled } });
  expect(response.status(), await response.text()).toBe(200);
  return before.cimd_enabled;
}

function authorizeUrl(clientId: string): string {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: "openid profile",
    state: `s-${randomBytes(4).toString("hex")}`,
    code_challenge: pkcePair().challenge,
    code_challenge_method: "S256",
  });
  return `/oauth2/authorize?${params}`;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  docs = await startTestDocumentServer();
  previous = await setCimd(request, true);
});
test.afterAll(async ({ request }) => {
  await setCimd(request, previous);
  await docs?.close();
});

test("consent for a CIMD client shows its host and the localhost warning; Deny goes back", async ({ page }) => {
  const path = `/e2e-${randomBytes(4).toString("hex")}.json`;
  const clientId = `${docs.origin}${path}`;
  docs.json(path, { client_id: clientId, client_name: "CIMD E2E CLI", redirect_uris: [REDIRECT] });
  await page.route("http://127.0.0.1/cimd-cb**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback" }));
  await signUp(page, uniqueEmail(), "correct horse battery");
  await page.goto(authorizeUrl(clientId));
  await expect(page).toHaveURL(/\/consent\?/);
  await expect(page.getByTestId("consent-app-name")).toHaveText("CIMD E2E CLI");
  await expect(page.getByTestId("consent-client-id-host")).toHaveText(new URL(docs.origin).host);
  await expect(page.getByTestId("consent-client-id-note")).toContainText(new URL(docs.origin).host);
  await expect(page.getByTestId("consent-localhost-warning")).toBeVisible();
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1\/cimd-cb\?.*error=access_denied/);
});

test("a document that fails validation gets a page saying what is wrong", async ({ page }) => {
  const path = `/e2e-bad-${randomBytes(4).toString("hex")}.json`;
  docs.json(path, { client_id: "https://elsewhere.example/client.json", client_name: "Wrong", redirect_uris: [REDIRECT] });
  await signUp(page, uniqueEmail(), "correct horse battery");
  await page.goto(authorizeUrl(`${docs.origin}${path}`));
  await expect(page.getByText("The app's metadata document was refused")).toBeVisible();
  await expect(page.getByText(/client_id must be exactly its own URL/)).toBeVisible();
});

test("the owner sees the CIMD app, the overwrite warning, and can refresh it now", async ({ page, request }) => {
  const path = `/e2e-owner-${randomBytes(4).toString("hex")}.json`;
  const clientId = `${docs.origin}${path}`;
  docs.json(path, { client_id: clientId, client_name: "CIMD Owner View", redirect_uris: [REDIRECT] });
  // First use creates the app (the token endpoint resolves URL client_ids too).
  const token = await request.post("/oauth2/token", { form: { grant_type: "authorization_code", code: "x", client_id: clientId, redirect_uri: REDIRECT, code_verifier: "x".repeat(43) } });
  expect((await token.json()).error).toBe("invalid_grant");
  docs.json(path, { client_id: clientId, client_name: "CIMD Owner View renamed", redirect_uris: [REDIRECT] });
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(`/dashboard/apps/${encodeURIComponent(clientId)}`)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("CIMD Owner View");
  await expect(page.getByTestId("cimd-metadata")).toContainText("overwrites any edits");
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByText("The metadata document was fetched again.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("CIMD Owner View renamed");
});

test("the management API reads, updates and deletes a CIMD app by its URL client_id", async ({ request }) => {
  const path = `/e2e-api-${randomBytes(4).toString("hex")}.json`;
  const clientId = `${docs.origin}${path}`;
  docs.json(path, { client_id: clientId, client_name: "CIMD via API", redirect_uris: [REDIRECT] });
  await request.post("/oauth2/token", { form: { grant_type: "authorization_code", code: "x", client_id: clientId, redirect_uri: REDIRECT, code_verifier: "x".repeat(43) } });
  const headers = { authorization: `Bearer ${apiKey()}` };
  const url = `/api/v1/connected-apps/${encodeURIComponent(clientId)}`;
  const read = await request.get(url, { headers });
  expect(read.status(), await read.text()).toBe(200);
  expect(await read.json()).toMatchObject({ client_id: clientId, client_type: "third_party_public", creation_method: "cimd", name: "CIMD via API" });
  const patched = await request.patch(url, { headers, data: { description: "seen by the owner" } });
  expect(patched.status(), await patched.text()).toBe(200);
  expect((await request.delete(url, { headers })).status()).toBe(204);
  expect((await request.get(url, { headers })).status()).toBe(404);
});
