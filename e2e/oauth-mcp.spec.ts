import { expect, test } from "@playwright/test";
import { auth, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { startTestDocumentServer } from "../lib/clients/cimd-test-server";
import { apiKey } from "./oauth/clients";
import { HttpSession, runAuthorization } from "./oauth/http-session";
import { END_USERS } from "./servers.mjs";

// An MCP client registers itself and obtains tokens with no owner action
// (issue 6): the MCP TypeScript SDK's auth(), driven headlessly, discovers
// the protected-resource and authorization-server metadata, registers (by
// DCR, or by a Client ID Metadata Document the test serves over https on
// 127.0.0.1 — the e2e servers allow loopback and trust the test CA), sends
// the user through authorize (scripted sign-in + consent), exchanges the code
// and refreshes.

const REDIRECT = "http://127.0.0.1:33418/callback";

/** An in-memory OAuthClientProvider: what an MCP client keeps between runs. */
class MemoryProvider implements OAuthClientProvider {
  /** Set for the CIMD route: the SDK then uses this URL as its client_id. */
  clientMetadataUrl?: string;
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier?: string;
  authorizationUrl?: URL;
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata: OAuthClientMetadata = {
    client_name: "MCP e2e client",
    redirect_uris: [REDIRECT],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }
}

async function setting(request: import("@playwright/test").APIRequestContext, data: Record<string, boolean>) {
  const response = await request.patch("/api/v1/settings", { headers: { authorization: `Bearer ${apiKey()}` }, data });
  expect(response.status()).toBe(200);
}

/** The whole flow: first run → registration and a redirect; the user consents; code exchange; a later run refreshes. */
async function connect(provider: MemoryProvider, baseURL: string, request: import("@playwright/test").APIRequestContext) {
  const serverUrl = new URL(baseURL);
  expect(await auth(provider, { serverUrl })).toBe("REDIRECT");
  expect(provider.authorizationUrl?.origin).toBe(serverUrl.origin);

  const session = new HttpSession(baseURL);
  await session.signIn(END_USERS[0]!.email, END_USERS[0]!.password);
  const { callback, sawConsent } = await runAuthorization(session, provider.authorizationUrl!, "allow");
  expect(sawConsent).toBe(true); // a self-registered app is third-party: always asked
  expect(callback!.origin + callback!.pathname).toBe(REDIRECT);
  const code = callback!.searchParams.get("code");
  expect(code).toBeTruthy();

  expect(await auth(provider, { serverUrl, authorizationCode: code! })).toBe("AUTHORIZED");
  const first = provider.saved!;
  // It asked for the scopes the protected-resource metadata lists, and the token works at UserInfo.
  expect(first.scope?.split(" ").sort()).toEqual(["email", "offline_access", "openid", "profile"]);
  expect(first.refresh_token).toBeTruthy();
  const me = await request.get("/oauth2/userinfo", { headers: { authorization: `Bearer ${first.access_token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(END_USERS[0]!.email);

  // A later run refreshes instead of asking the user again (public client: the refresh token rotates).
  expect(await auth(provider, { serverUrl })).toBe("AUTHORIZED");
  expect(provider.saved!.access_token).not.toBe(first.access_token);
  expect(provider.saved!.refresh_token).not.toBe(first.refresh_token);
}

test("the MCP SDK registers by DCR, authorizes, exchanges the code and refreshes", async ({ request, baseURL }) => {
  await setting(request, { dcr_enabled: true });
  try {
    const provider = new MemoryProvider();
    await connect(provider, baseURL!, request);
    expect(provider.client?.client_id).toMatch(/^ca_/);
  } finally {
    await setting(request, { dcr_enabled: false });
  }
});

test("the MCP SDK uses a Client ID Metadata Document as its client_id, with no registration", async ({ request, baseURL }) => {
  const docs = await startTestDocumentServer();
  await setting(request, { cimd_enabled: true, dcr_enabled: false });
  try {
    const provider = new MemoryProvider();
    provider.clientMetadataUrl = `${docs.origin}/mcp-client-${Date.now()}.json`;
    docs.json(new URL(provider.clientMetadataUrl).pathname, {
      client_id: provider.clientMetadataUrl,
      client_name: "MCP e2e client (CIMD)",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    });
    await connect(provider, baseURL!, request);
    expect(provider.client?.client_id).toBe(provider.clientMetadataUrl);
  } finally {
    await setting(request, { cimd_enabled: false });
    await docs.close();
  }
});
