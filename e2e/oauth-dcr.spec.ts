import { expect, test, type APIRequestContext } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { E2E_OWNER, signIn } from "./fixtures";
import { apiKey, signedInSession } from "./oauth/clients";
import { runAuthorization } from "./oauth/http-session";

// Dynamic Client Registration (RFC 7591/7592) over HTTP, on each project's
// server: the owner turns DCR on with the management API (and restores the
// setting afterwards); a client registered by oauth4webapi signs a user in.
// Few registrations: the default rate limit (20 an hour, one bucket without
// TRUST_PROXY) is shared with every other spec on the server; the limit
// itself is tested in lib/clients/dcr.test.ts.

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const REDIRECT = "http://127.0.0.1/dcr-cb";
let counter = 0;
const uniqueName = (prefix: string) => `${prefix} ${Date.now().toString(36)}-${counter++}`;

async function setDcr(request: APIRequestContext, enabled: boolean): Promise<boolean> {
  const headers = { authorization: `Bearer ${apiKey()}` };
  const before = (await (await request.get("/api/v1/settings", { headers })).json()) as { dcr_enabled: boolean };
  const response = await request.patch("/api/v1/settings", { headers, data: { dcr_enabled: enabled } });
  expect(response.status(), await response.text()).toBe(200);
  return before.dcr_enabled;
}

test.describe.configure({ mode: "serial" });

let previous: boolean;
test.beforeAll(async ({ request }) => {
  previous = await setDcr(request, true);
});
test.afterAll(async ({ request }) => {
  await setDcr(request, previous);
});

test("while DCR is off the endpoint answers 404 and discovery does not name it", async ({ request }) => {
  await setDcr(request, false);
  try {
    const response = await request.post("/oauth2/register", { data: { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" } });
    expect(response.status()).toBe(404);
    expect(await response.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("not enabled") });
    const discovery = await (await request.get("/.well-known/oauth-authorization-server")).json();
    expect(discovery).not.toHaveProperty("registration_endpoint");
  } finally {
    await setDcr(request, true);
  }
});

test("a public client registered with oauth4webapi completes authorize, token and refresh", async ({ baseURL }) => {
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...insecure }));
  expect(as.registration_endpoint).toBe(`${baseURL}/oauth2/register`);
  const name = uniqueName("DCR CLI");
  const registration = await oauth.dynamicClientRegistrationRequest(
    as,
    { client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], scope: "openid email offline_access" },
    insecure,
  );
  expect(registration.status).toBe(201);
  expect(registration.headers.get("cache-control")).toContain("no-store");
  const registered = await oauth.processDynamicClientRegistrationResponse(registration);
  expect(registered).toMatchObject({ client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", scope: "openid email offline_access" });
  expect(registered).not.toHaveProperty("client_secret");

  const c: oauth.Client = { client_id: registered.client_id };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  for (const [key, value] of Object.entries({
    client_id: c.client_id,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid email offline_access",
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  })) url.searchParams.set(key, value);
  const session = await signedInSession(baseURL!);
  const { callback, sawConsent, visited } = await runAuthorization(session, url, "allow");
  expect(sawConsent, `third-party apps always ask (went through ${visited.join(" → ")})`).toBe(true);
  expect(callback, visited.join(" → ")).not.toBeNull();
  const params = oauth.validateAuthResponse(as, c, callback!, state);
  const tokenResponse = await oauth.authorizationCodeGrantRequest(as, c, oauth.None(), params, REDIRECT, verifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(as, c, tokenResponse, { requireIdToken: true });
  expect(tokens.access_token).toEqual(expect.any(String));
  expect(tokens.refresh_token).toEqual(expect.any(String));
  const refreshed = await oauth.processRefreshTokenResponse(as, c, await oauth.refreshTokenGrantRequest(as, c, oauth.None(), tokens.refresh_token!, insecure));
  expect(refreshed.access_token).not.toBe(tokens.access_token);
});

test("identical public registrations share a client; confidential ones get a new client and a secret each", async ({ request }) => {
  const body = { client_name: uniqueName("DCR dedup"), redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" };
  const [first, second] = [await request.post("/oauth2/register", { data: body }), await request.post("/oauth2/register", { data: body })];
  expect([first.status(), second.status()]).toEqual([201, 201]);
  const [a, b] = [await first.json(), await second.json()];
  expect(b.client_id).toBe(a.client_id);
  expect(a.registration_access_token).toEqual(expect.any(String));
  expect(b).not.toHaveProperty("registration_access_token");

  const confidential = { client_name: uniqueName("DCR web"), redirect_uris: ["https://rp.example/dcr-cb"], token_endpoint_auth_method: "client_secret_post" };
  const [x, y] = [await (await request.post("/oauth2/register", { data: confidential })).json(), await (await request.post("/oauth2/register", { data: confidential })).json()];
  expect(x.client_id).not.toBe(y.client_id);
  for (const c of [x, y]) expect(c).toMatchObject({ client_secret: expect.any(String), client_secret_expires_at: 0, token_endpoint_auth_method: "client_secret_post" });
});

test("refusals are RFC 7591 errors naming the field", async ({ request }) => {
  const bad = await request.post("/oauth2/register", { data: { redirect_uris: ["https://rp.example/cb#x"], token_endpoint_auth_method: "none" } });
  expect(bad.status()).toBe(400);
  expect(bad.headers()["cache-control"]).toContain("no-store");
  expect(await bad.json()).toMatchObject({ error: "invalid_redirect_uri", error_description: expect.stringContaining("redirect_uris[0]") });
  const scope = await request.post("/oauth2/register", { data: { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", scope: "full_access" } });
  expect(await scope.json()).toMatchObject({ error: "invalid_client_metadata", error_description: expect.stringContaining("scope") });
  const big = await request.post("/oauth2/register", { data: { redirect_uris: [REDIRECT], client_name: "x", padding: "p".repeat(20_000) } });
  expect(big.status()).toBe(400);
  expect(await big.json()).toMatchObject({ error: "invalid_client_metadata" });
});

test("RFC 7592 read, update and delete with the registration access token; the owner sees the app as DCR", async ({ request, page }) => {
  const name = uniqueName("DCR managed");
  const created = await (await request.post("/oauth2/register", { data: { client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" } })).json();
  const uri = new URL(created.registration_client_uri).pathname;
  const auth = { authorization: `Bearer ${created.registration_access_token}` };

  const wrong = await request.get(uri, { headers: { authorization: "Bearer wrong" } });
  expect(wrong.status()).toBe(401);
  expect(wrong.headers()["www-authenticate"]).toContain("invalid_token");
  expect((await request.delete(uri)).status()).toBe(401);

  const read = await request.get(uri, { headers: auth });
  expect(read.status()).toBe(200);
  expect(await read.json()).toMatchObject({ client_id: created.client_id, client_name: name, redirect_uris: [REDIRECT] });

  const owner = await request.get(`/api/v1/connected-apps/${created.client_id}`, { headers: { authorization: `Bearer ${apiKey()}` } });
  expect(await owner.json()).toMatchObject({ creation_method: "dcr", client_type: "third_party_public" });
  await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(`/dashboard/apps/${created.client_id}`)}`);
  await expect(page.getByText("via Dynamic Client Registration")).toBeVisible();

  const put = await request.put(uri, {
    headers: auth,
    data: { client_id: created.client_id, client_name: `${name} v2`, redirect_uris: ["http://127.0.0.1/dcr-cb2"], token_endpoint_auth_method: "none" },
  });
  expect(put.status(), await put.text()).toBe(200);
  expect(await put.json()).toMatchObject({ client_name: `${name} v2`, redirect_uris: ["http://127.0.0.1/dcr-cb2"] });

  expect((await request.delete(uri, { headers: auth })).status()).toBe(204);
  expect((await request.get(uri, { headers: auth })).status()).toBe(401);
  expect((await request.get(`/api/v1/connected-apps/${created.client_id}`, { headers: { authorization: `Bearer ${apiKey()}` } })).status()).toBe(404);
});
