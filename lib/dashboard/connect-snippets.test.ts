import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { signedInUser, testClient } from "@/tests/oauth-client";
import { CLIENT_TYPES, policyFor, type ConnectedAppType } from "../clients/policy";
import { ensureSigningKeys } from "../keys/signing-keys";
import { authorize } from "../oauth/authorize/flow";
import { discoveryDocument } from "../oauth/discovery";
import { handleTokenRequest } from "../oauth/token-endpoint";
import { connectEndpoints, connectSnippets, REDIRECT_URI_PLACEHOLDER, type ConnectTarget } from "./connect-snippets";

const off = { dcr_enabled: false, cimd_enabled: false, require_par: false };
const doc = discoveryDocument("https://id.example.com", off);

function target(clientType: ConnectedAppType, extra: Partial<ConnectTarget> = {}): ConnectTarget {
  const confidential = policyFor(clientType).confidential;
  return {
    discovery: doc,
    clientId: "ca_abc",
    clientType,
    redirectUris: [confidential ? "https://rp.example/cb" : "http://127.0.0.1/cb"],
    allowedScopes: ["openid", "profile", "email", "offline_access"],
    authMethod: confidential ? "client_secret_basic" : "none",
    ...extra,
  };
}
const snippet = (t: ConnectTarget, id: string) => connectSnippets(t).find((s) => s.id === id)?.text ?? "";

describe("connect endpoints", () => {
  it("lists the discovery document's endpoints under the issuer", () => {
    expect(connectEndpoints(doc)).toEqual([
      { label: "Issuer", value: "https://id.example.com" },
      { label: "Discovery URL", value: "https://id.example.com/.well-known/openid-configuration" },
      { label: "Authorization endpoint", value: "https://id.example.com/oauth2/authorize" },
      { label: "Token endpoint", value: "https://id.example.com/oauth2/token" },
      { label: "UserInfo endpoint", value: "https://id.example.com/oauth2/userinfo" },
      { label: "JWKS URI", value: "https://id.example.com/.well-known/jwks.json" },
      { label: "End session endpoint", value: "https://id.example.com/oauth2/end_session" },
      { label: "PAR endpoint", value: "https://id.example.com/oauth2/par" },
    ]);
  });
});

describe("connect snippets", () => {
  it("offers oauth4webapi and MCP to public types only", () => {
    for (const type of CLIENT_TYPES) {
      const ids = connectSnippets(target(type)).map((s) => s.id);
      expect(ids, type).toEqual(
        policyFor(type).confidential ? ["openid-client", "auth-js", "management-api"] : ["openid-client", "auth-js", "oauth4webapi", "mcp", "management-api"],
      );
    }
  });

  it.each(CLIENT_TYPES)("names the client_id and issuer in every snippet of a %s app, and never a secret value", (type) => {
    for (const { id, text } of connectSnippets(target(type))) {
      expect(text, id).toContain("ca_abc");
      expect(text, id).toContain("https://id.example.com");
      expect(text, id).not.toMatch(/client_?[sS]ecret:\s*"/);
    }
  });

  it.each(CLIENT_TYPES)("uses PKCE S256 in every authorization request of a %s app", (type) => {
    for (const id of ["openid-client", "oauth4webapi"]) {
      const text = snippet(target(type), id);
      if (text) expect(text).toContain('code_challenge_method: "S256"');
    }
    expect(snippet(target(type), "auth-js")).toContain('checks: ["pkce", "state"]');
  });

  it("authenticates a confidential app with a secret from the environment, a public one with none", () => {
    expect(snippet(target("first_party"), "openid-client")).toContain('"ca_abc", process.env.CLIENT_SECRET');
    expect(snippet(target("third_party"), "auth-js")).toContain("clientSecret: process.env.AUTH_CONNECTED_APPS_SECRET");
    expect(snippet(target("first_party_public"), "openid-client")).toContain('"ca_abc", undefined, client.None()');
    expect(snippet(target("third_party_public"), "auth-js")).toContain('token_endpoint_auth_method: "none"');
    expect(snippet(target("third_party_public"), "auth-js")).not.toContain("clientSecret");
    expect(snippet(target("third_party_public"), "oauth4webapi")).toContain("oauth.None()");
    expect(snippet(target("third_party_public"), "mcp")).toContain('token_endpoint_auth_method: "none"');
  });

  it("signs with the registered key of a private_key_jwt app instead of a secret", () => {
    const text = snippet(target("first_party", { authMethod: "private_key_jwt" }), "openid-client");
    expect(text).toContain("client.PrivateKeyJwt(");
    expect(text).not.toContain("CLIENT_SECRET");
  });

  it("uses the first registered redirect URI, or a placeholder it says to register", () => {
    const two = target("first_party", { redirectUris: ["https://a.example/cb", "https://b.example/cb"] });
    expect(snippet(two, "openid-client")).toContain('redirect_uri: "https://a.example/cb"');
    const none = snippet(target("first_party", { redirectUris: [] }), "openid-client");
    expect(none).toContain(`redirect_uri: "${REDIRECT_URI_PLACEHOLDER}"`);
    expect(none).toContain("Register this redirect URI");
  });

  it("asks for the OpenID scopes the app allows, else all its allowed scopes", () => {
    expect(snippet(target("first_party", { allowedScopes: ["openid", "email", "read:invoices"] }), "openid-client")).toContain('scope: "openid email"');
    expect(snippet(target("first_party", { allowedScopes: ["read:invoices"] }), "openid-client")).toContain('scope: "read:invoices"');
  });

  it("allows insecure requests only for an http issuer", () => {
    const local = { ...target("first_party_public"), discovery: discoveryDocument("http://localhost:3000", off) };
    expect(snippet(local, "openid-client")).toContain("client.allowInsecureRequests");
    expect(snippet(local, "oauth4webapi")).toContain("[oauth.allowInsecureRequests]: true");
    expect(snippet(target("first_party_public"), "openid-client")).not.toContain("allowInsecureRequests");
  });

  it("reads and patches the app over the management API with a key placeholder", () => {
    const text = snippet(target("first_party"), "management-api");
    expect(text).toContain("curl -s https://id.example.com/api/v1/connected-apps/ca_abc -H \"Authorization: Bearer $CA_API_KEY\"");
    expect(text).toContain("CA_API_KEY=ca_key_…");
  });
});

/** The string literal after `name: "` (or `name", "`) in a snippet. */
function literal(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`no ${pattern} in snippet`);
  return match[1];
}

// The openid-client snippet, run as written against this server's discovery document, authorization and token endpoints.
describe.each(testDatabases)("the openid-client snippet on $name", ({ target: dbTarget }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await dbTarget());
    await ensureSigningKeys(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /**
   * A fresh app of the type, its snippet, and the authorization request
   * openid-client builds from the values the snippet names, answered by
   * `authorize` for a signed-in user. The server's own functions answer
   * openid-client's requests: discovery with the document, the token
   * endpoint with handleTokenRequest (public clients: no Authorization).
   */
  async function signInWithSnippet(clientType: "first_party" | "first_party_public", allowedScopes: string[], email: string) {
    const confidential = policyFor(clientType).confidential;
    const app = await testClient(db, { client_type: clientType, redirect_uris: [confidential ? "https://rp.example/cb" : "http://127.0.0.1/cb"] });
    const served = discoveryDocument(db.oauth.issuer, off);
    const text = snippet(
      { discovery: served, clientId: app.clientId, clientType, redirectUris: [app.redirectUri], allowedScopes, authMethod: confidential ? "client_secret_basic" : "none" },
      "openid-client",
    );
    const issuer = literal(text, /client\.discovery\(new URL\("([^"]+)"\)/);
    expect(literal(text, /new URL\("[^"]+"\), "([^"]+)"/)).toBe(app.clientId);
    const server: client.CustomFetch = async (url, init) => {
      if (url === served.token_endpoint) return Response.json(await handleTokenRequest(db.oauth, { authorization: null, form: new URLSearchParams(String(init.body)) }));
      expect(url).toBe(`${issuer}/.well-known/openid-configuration`);
      return Response.json(served);
    };
    const config = await client.discovery(new URL(issuer), app.clientId, undefined, client.None(), { [client.customFetch]: server });
    const codeVerifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: literal(text, /redirect_uri: "([^"]+)"/),
      scope: literal(text, /scope: "([^"]+)"/),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state: "s",
    });
    expect(`${url.origin}${url.pathname}`).toBe(served.authorization_endpoint);
    const outcome = await authorize(db.oauth, url.searchParams, await signedInUser(db.prisma, email));
    if (outcome.type !== "redirect") throw new Error(`expected a redirect, got ${outcome.type}`);
    return { app, config, codeVerifier, callbackUrl: new URL(outcome.location) };
  }

  it.each(["first_party", "first_party_public"] as const)("builds an authorization request a %s app gets a code for", async (clientType) => {
    const { app, callbackUrl } = await signInWithSnippet(clientType, ["openid", "profile", "email", "offline_access"], `snippet-${clientType}@example.com`);
    expect(callbackUrl.searchParams.get("code")).toBeTruthy();
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(app.redirectUri);
  });

  it("finishes a public app's sign-in as the snippet does: code for tokens, with the ID token's claims", async () => {
    const { app, config, codeVerifier, callbackUrl } = await signInWithSnippet("first_party_public", ["openid", "profile"], "snippet-tokens@example.com");
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: codeVerifier, expectedState: "s" });
    expect(tokens.claims()?.aud).toBe(app.clientId);
    expect(tokens.scope).toBe("openid profile");
  });
});
