import { expect, test } from "@playwright/test";
import { auth, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { apiKey } from "./oauth/clients";
import { HttpSession, runAuthorization } from "./oauth/http-session";
import { END_USERS } from "./servers.mjs";

// An MCP client registers itself and obtains tokens with no owner action
// (issue 6): the MCP TypeScript SDK's auth(), driven headlessly, discovers
// the protected-resource and authorization-server metadata, registers by DCR,
// sends the user through authorize (scripted sign-in + consent), exchanges
// the code and refreshes.

const REDIRECT = "http://127.0.0.1:33418/callback";

/** An in-memory OAuthClientProvider: what an MCP client keeps between runs. */
class MemoryProvider implements OAuthClientProvider {
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

async function setDcr(request: import("@playwright/test").APIRequestContext, on: boolean) {
  const response = await request.patch("/api/v1/settings", { headers: { authorization: `Bearer ${apiKey()}` }, data: { dcr_enabled: on } });
  expect(response.status()).toBe(200);
}

test("the MCP SDK registers by DCR, authorizes, exchanges the code and refreshes", async ({ request, baseURL }) => {
  await setDcr(request, true);
  try {
    const provider = new MemoryProvider();
    const serverUrl = new URL(baseURL!);
    expect(await auth(provider, { serverUrl })).toBe("REDIRECT");
    expect(provider.client?.client_id).toMatch(/^ca_/);
    expect(provider.authorizationUrl?.origin).toBe(serverUrl.origin);

    const session = new HttpSession(baseURL!);
    await session.signIn(END_USERS[0]!.email, END_USERS[0]!.password);
    const { callback, sawConsent } = await runAuthorization(session, provider.authorizationUrl!, "allow");
    expect(sawConsent).toBe(true); // a self-registered app is third-party: always asked
    expect(callback?.origin + callback!.pathname).toBe(REDIRECT);
    const code = callback!.searchParams.get("code");
    expect(code).toBeTruthy();

    expect(await auth(provider, { serverUrl, authorizationCode: code! })).toBe("AUTHORIZED");
    const first = provider.saved!;
    expect(first.access_token).toBeTruthy();
    expect(first.refresh_token).toBeTruthy();

    // It asked for the scopes the protected-resource metadata lists, and the token works at UserInfo.
    expect(first.scope?.split(" ").sort()).toEqual(["email", "offline_access", "openid", "profile"]);
    const me = await request.get("/oauth2/userinfo", { headers: { authorization: `Bearer ${first.access_token}` } });
    expect(me.status()).toBe(200);
    expect((await me.json()).email).toBe(END_USERS[0]!.email);

    // A later run refreshes instead of asking the user again (public client: the refresh token rotates).
    expect(await auth(provider, { serverUrl })).toBe("AUTHORIZED");
    expect(provider.saved!.access_token).not.toBe(first.access_token);
    expect(provider.saved!.refresh_token).not.toBe(first.refresh_token);
  } finally {
    await setDcr(request, false);
  }
});
