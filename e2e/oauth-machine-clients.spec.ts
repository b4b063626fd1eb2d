import { expect, test, type APIRequestContext } from "@playwright/test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import * as client from "openid-client";
import { apiKey, createApp } from "./oauth/clients";
import { listResourceServers } from "./oauth/resource-servers";

// A machine client (created with the management API) obtains client-credentials
// tokens with unmodified openid-client 6 and oauth4webapi 3, through the
// fast path (chromium project) and through Next's routes (postgres project).

const BILLING = "https://billing.m2m.example";
const REPORTS = "https://reports.m2m.example/api";
const insecure = { [oauth.allowInsecureRequests]: true } as const;

interface MachineClient {
  client_id: string;
  client_secret: string;
  grants: { resource: string; scopes: string[] }[];
}

let restore: () => Promise<void>;
test.beforeAll(async () => {
  restore = await listResourceServers([BILLING, REPORTS]);
});
test.afterAll(async () => {
  await restore?.();
});

async function createMachineClient(request: APIRequestContext, grants: MachineClient["grants"]): Promise<MachineClient> {
  const response = await request.post("/api/v1/machine-clients", {
    headers: { authorization: `Bearer ${apiKey()}` },
    data: { name: `e2e machine ${Date.now().toString(36)}`, grants },
  });
  const text = await response.text();
  expect(response.status(), text).toBe(201);
  const created = JSON.parse(text) as MachineClient;
  expect(created.client_secret).toEqual(expect.any(String));
  return created;
}

/** What a resource server checks: signature (JWKS), issuer, audience, typ; a machine token has sub = client_id. */
async function verifyMachineToken(baseURL: string, token: string, m: MachineClient, audience: string) {
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL("/.well-known/jwks.json", baseURL)), { issuer: baseURL, audience, typ: "at+jwt" });
  expect(payload.sub).toBe(m.client_id);
  expect(payload.client_id).toBe(m.client_id);
  return payload;
}

test("discovery lists client_credentials", async ({ baseURL }) => {
  const doc = (await (await fetch(new URL("/.well-known/openid-configuration", baseURL))).json()) as { grant_types_supported: string[] };
  expect(doc.grant_types_supported).toContain("client_credentials");
});

test("openid-client: client credentials with a secret (Basic), one resource granted; introspection tells a machine token apart", async ({ baseURL, request }) => {
  const m = await createMachineClient(request, [{ resource: BILLING, scopes: ["invoices:read", "invoices:write"] }]);
  const config = await client.discovery(new URL(baseURL!), m.client_id, m.client_secret, client.ClientSecretBasic(m.client_secret), {
    execute: [client.allowInsecureRequests],
  });
  const tokens = await client.clientCredentialsGrant(config, { scope: "invoices:read" });
  expect(tokens).toMatchObject({ token_type: "bearer", scope: "invoices:read", expires_in: 3600 });
  expect(tokens.refresh_token).toBeUndefined();
  expect(tokens.id_token).toBeUndefined();
  const claims = await verifyMachineToken(baseURL!, tokens.access_token, m, BILLING);
  expect(claims.scope).toBe("invoices:read");

  const introspected = await client.tokenIntrospection(config, tokens.access_token);
  expect(introspected).toMatchObject({ active: true, sub: m.client_id, client_id: m.client_id, aud: [BILLING], scope: "invoices:read" });

  await expect(client.clientCredentialsGrant(config, { scope: "invoices:delete" })).rejects.toMatchObject({ error: "invalid_scope" });
  await expect(client.clientCredentialsGrant(config, { resource: REPORTS })).rejects.toMatchObject({ error: "invalid_target" });
});

test("oauth4webapi: client credentials with client_secret_post, several resources granted: resource required", async ({ baseURL, request }) => {
  const m = await createMachineClient(request, [
    { resource: BILLING, scopes: ["invoices:read"] },
    { resource: REPORTS, scopes: ["reports:read"] },
  ]);
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
  const c: oauth.Client = { client_id: m.client_id };
  const auth = oauth.ClientSecretPost(m.client_secret);
  const grant = (parameters: Record<string, string>) => oauth.clientCredentialsGrantRequest(as, c, auth, new URLSearchParams(parameters), insecure);

  const result = await oauth.processClientCredentialsResponse(as, c, await grant({ resource: REPORTS }));
  expect(result).toMatchObject({ token_type: "bearer", scope: "reports:read" });
  expect(result.refresh_token).toBeUndefined();
  await verifyMachineToken(baseURL!, result.access_token, m, REPORTS);

  await expect(oauth.processClientCredentialsResponse(as, c, await grant({}))).rejects.toMatchObject({ error: "invalid_target" });
  const wrong = oauth.ClientSecretPost("not-the-secret");
  const refused = await oauth.clientCredentialsGrantRequest(as, c, wrong, new URLSearchParams({ resource: REPORTS }), insecure);
  await expect(oauth.processClientCredentialsResponse(as, c, refused)).rejects.toMatchObject({ error: "invalid_client" });
});

test("a connected app asking for client_credentials gets unauthorized_client", async ({ baseURL, request }) => {
  const app = await createApp(request, { client_type: "first_party" });
  const config = await client.discovery(new URL(baseURL!), app.client_id, app.client_secret!, client.ClientSecretBasic(app.client_secret!), {
    execute: [client.allowInsecureRequests],
  });
  await expect(client.clientCredentialsGrant(config, { resource: BILLING })).rejects.toMatchObject({ error: "unauthorized_client" });
});
