import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { ClientCredentialsProvider, PrivateKeyJwtProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";
import { createRemoteJWKSet, exportJWK, exportPKCS8, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from "jose";
import * as oauth from "oauth4webapi";
import * as client from "openid-client";
import { apiKey, createApp } from "./oauth/clients";
import { listResourceServers } from "./oauth/resource-servers";

// A machine client (created with the management API) obtains client-credentials
// tokens with unmodified openid-client 6, oauth4webapi 3 and the MCP
// TypeScript SDK's client-credentials providers, with a secret and with a
// key (private_key_jwt, RS256 and ES256), through the fast path (chromium
// project) and through Next's routes (postgres project).

const BILLING = "https://billing.m2m.example";
const REPORTS = "https://reports.m2m.example/api";
const insecure = { [oauth.allowInsecureRequests]: true } as const;

interface MachineClient {
  client_id: string;
  client_secret: string;
  grants: { resource: string; scopes: string[] }[];
}

interface KeyPair {
  alg: "RS256" | "ES256";
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(alg: KeyPair["alg"]): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid: `m2m-${alg}-${Date.now().toString(36)}`, privateKey, jwk: { ...(await exportJWK(publicKey)), use: "sig" } };
}
const jwksOf = (key: KeyPair) => ({ keys: [{ ...key.jwk, kid: key.kid }] });

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

/** A machine client created with private_key_jwt and `key`'s public half: the response holds no secret. */
async function createKeyedMachineClient(request: APIRequestContext, grants: MachineClient["grants"], key: KeyPair): Promise<Omit<MachineClient, "client_secret">> {
  const response = await request.post("/api/v1/machine-clients", {
    headers: { authorization: `Bearer ${apiKey()}` },
    data: { name: `e2e keyed machine ${Date.now().toString(36)}`, grants, token_endpoint_auth_method: "private_key_jwt", jwks: jwksOf(key) },
  });
  const text = await response.text();
  expect(response.status(), text).toBe(201);
  const created = JSON.parse(text) as MachineClient;
  expect(created).toMatchObject({ token_endpoint_auth_method: "private_key_jwt", jwks_key_ids: [key.kid], client_secret_last4: null });
  expect(created).not.toHaveProperty("client_secret");
  return created;
}

async function patchMachineClient(request: APIRequestContext, clientId: string, data: Record<string, unknown>) {
  const response = await request.patch(`/api/v1/machine-clients/${clientId}`, { headers: { authorization: `Bearer ${apiKey()}` }, data });
  expect(response.status(), await response.text()).toBe(200);
}

/**
 * An MCP server's protected-resource metadata (RFC 9728), served on
 * 127.0.0.1: `resource` names the granted API and this server is its
 * authorization server, so the SDK's auth() discovers us from it as an
 * MCP client would.
 */
async function servePrm(issuer: string, resource: string, scopes: string[]): Promise<{ url: URL; close: () => Promise<void> }> {
  const body = JSON.stringify({ resource, authorization_servers: [issuer], scopes_supported: scopes, bearer_methods_supported: ["header"] });
  const server: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource`), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What a resource server checks: signature (JWKS), issuer, audience, typ; a machine token has sub = client_id. */
async function verifyMachineToken(baseURL: string, token: string, m: Pick<MachineClient, "client_id">, audience: string) {
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

test.describe("with a key (private_key_jwt)", () => {
  test("openid-client (RS256): a machine client created with a key (no secret) gets a token and introspects with it; a key it did not register is refused", async ({ baseURL, request }) => {
    const key = await keyPair("RS256");
    const m = await createKeyedMachineClient(request, [{ resource: BILLING, scopes: ["invoices:read", "invoices:write"] }], key);
    const config = await client.discovery(new URL(baseURL!), m.client_id, {}, client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }), {
      execute: [client.allowInsecureRequests],
    });
    const tokens = await client.clientCredentialsGrant(config, { scope: "invoices:write" });
    expect(tokens).toMatchObject({ token_type: "bearer", scope: "invoices:write" });
    expect(tokens.refresh_token).toBeUndefined();
    await verifyMachineToken(baseURL!, tokens.access_token, m, BILLING);
    // Introspection with the same key authentication sees it as the client's own token.
    expect(await client.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, sub: m.client_id, scope: "invoices:write" });
    // A key it did not register is refused.
    const stranger = await keyPair("RS256");
    const forged = await client.discovery(new URL(baseURL!), m.client_id, {}, client.PrivateKeyJwt({ key: stranger.privateKey, kid: key.kid }), {
      execute: [client.allowInsecureRequests],
    });
    await expect(client.clientCredentialsGrant(forged, {})).rejects.toMatchObject({ error: "invalid_client" });
  });

  test("oauth4webapi (ES256): a secret client switched to a key is refused with its secret and gets tokens with the key; switched back, the key is refused", async ({ baseURL, request }) => {
    const key = await keyPair("ES256");
    const m = await createMachineClient(request, [{ resource: REPORTS, scopes: ["reports:read"] }]);
    const issuer = new URL(baseURL!);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
    const c: oauth.Client = { client_id: m.client_id };
    const withKey = oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
    const grant = async (authentication: oauth.ClientAuth) =>
      oauth.processClientCredentialsResponse(as, c, await oauth.clientCredentialsGrantRequest(as, c, authentication, new URLSearchParams({ scope: "reports:read" }), insecure));

    await expect(grant(withKey)).rejects.toMatchObject({ error: "invalid_client" });
    await patchMachineClient(request, m.client_id, { token_endpoint_auth_method: "private_key_jwt", jwks: jwksOf(key) });
    // Refused with Basic: a 401 with the Basic challenge (RFC 6749 §5.2), which oauth4webapi reports as such.
    const basic = await grant(oauth.ClientSecretBasic(m.client_secret)).catch((e: unknown) => e);
    expect(basic).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect(basic).toMatchObject({ status: 401, cause: [expect.objectContaining({ scheme: "basic" })] });
    expect(await (basic as oauth.WWWAuthenticateChallengeError).response.json()).toMatchObject({ error: "invalid_client" });
    await expect(grant(oauth.ClientSecretPost(m.client_secret))).rejects.toMatchObject({ error: "invalid_client" });
    const result = await grant(withKey);
    expect(result).toMatchObject({ token_type: "bearer", scope: "reports:read" });
    await verifyMachineToken(baseURL!, result.access_token, m, REPORTS);

    await patchMachineClient(request, m.client_id, { token_endpoint_auth_method: "client_secret_basic", jwks: null });
    await expect(grant(withKey)).rejects.toMatchObject({ error: "invalid_client" });
    expect((await grant(oauth.ClientSecretBasic(m.client_secret))).scope).toBe("reports:read");
  });
});

test.describe("MCP TypeScript SDK client-credentials providers", () => {
  // An MCP server at BILLING publishes its metadata; the SDK's auth() discovers this server from it and asks for its scopes and resource.
  let prm: Awaited<ReturnType<typeof servePrm>>;
  test.beforeAll(async ({ baseURL }) => {
    prm = await servePrm(baseURL!, BILLING, ["invoices:read"]);
  });
  test.afterAll(async () => {
    await prm?.close();
  });

  const connect = (provider: ClientCredentialsProvider | PrivateKeyJwtProvider) => auth(provider, { serverUrl: new URL(BILLING), resourceMetadataUrl: prm.url });

  test("ClientCredentialsProvider (client_secret_basic) obtains a token for the MCP server", async ({ baseURL, request }) => {
    const m = await createMachineClient(request, [{ resource: BILLING, scopes: ["invoices:read"] }]);
    const provider = new ClientCredentialsProvider({ clientId: m.client_id, clientSecret: m.client_secret, expectedIssuer: baseURL! });
    expect(await connect(provider)).toBe("AUTHORIZED");
    const tokens = provider.tokens()!;
    expect(tokens).toMatchObject({ token_type: expect.stringMatching(/^bearer$/i), scope: "invoices:read" });
    await verifyMachineToken(baseURL!, tokens.access_token, m, BILLING);
  });

  test("PrivateKeyJwtProvider (ES256, a PEM key, no kid) obtains a token for the MCP server", async ({ baseURL, request }) => {
    const key = await keyPair("ES256");
    const m = await createKeyedMachineClient(request, [{ resource: BILLING, scopes: ["invoices:read"] }], key);
    const provider = new PrivateKeyJwtProvider({ clientId: m.client_id, privateKey: await exportPKCS8(key.privateKey), algorithm: "ES256", expectedIssuer: baseURL! });
    expect(await connect(provider)).toBe("AUTHORIZED");
    await verifyMachineToken(baseURL!, provider.tokens()!.access_token, m, BILLING);
  });
});
