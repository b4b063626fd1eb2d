import { credentialKind, policyFor, type ConnectedAppType, type TokenEndpointAuthMethod } from "../clients/policy";
import type { discoveryDocument } from "../oauth/discovery";

/**
 * What the Connect panel of an app's dashboard page shows: this server's
 * endpoints and ready-to-paste client code for the app's type. Values come
 * from the discovery document the server serves, so they cannot drift from
 * it. No snippet ever holds a secret: secrets are shown once, at creation.
 */

type DiscoveryDocument = ReturnType<typeof discoveryDocument>;

export interface ConnectTarget {
  discovery: DiscoveryDocument;
  clientId: string;
  clientType: ConnectedAppType;
  redirectUris: readonly string[];
  allowedScopes: readonly string[];
  authMethod: TokenEndpointAuthMethod;
}

export interface ConnectSnippet {
  id: "openid-client" | "auth-js" | "oauth4webapi" | "mcp" | "management-api";
  title: string;
  text: string;
}

/** Shown when the app has no redirect URI yet; the snippets say to register it first. */
export const REDIRECT_URI_PLACEHOLDER = "https://app.example.com/callback";
const PUBLIC_REDIRECT_URI_PLACEHOLDER = "http://127.0.0.1:8080/callback";

/** The endpoints a client developer configures, in the order they meet them; PAR only when the server offers it. */
export function connectEndpoints(doc: DiscoveryDocument): { label: string; value: string }[] {
  return [
    { label: "Issuer", value: doc.issuer },
    { label: "Discovery URL", value: `${doc.issuer}/.well-known/openid-configuration` },
    { label: "Authorization endpoint", value: doc.authorization_endpoint },
    { label: "Token endpoint", value: doc.token_endpoint },
    { label: "UserInfo endpoint", value: doc.userinfo_endpoint },
    { label: "JWKS URI", value: doc.jwks_uri },
    { label: "End session endpoint", value: doc.end_session_endpoint },
    ...(doc.pushed_authorization_request_endpoint ? [{ label: "PAR endpoint", value: doc.pushed_authorization_request_endpoint }] : []),
  ];
}

/** The snippets for this app's type: public apps get the PKCE-only libraries and MCP, confidential ones a secret placeholder. */
export function connectSnippets(target: ConnectTarget): ConnectSnippet[] {
  // oauth4webapi and MCP clients run where no secret can be kept: offered to public types only.
  const publicOnly: ConnectSnippet[] = policyFor(target.clientType).confidential
    ? []
    : [
        { id: "oauth4webapi", title: "oauth4webapi (browser, mobile, CLI)", text: oauth4webapiSnippet(target) },
        { id: "mcp", title: "MCP client (TypeScript SDK)", text: mcpSnippet(target) },
      ];
  return [
    { id: "openid-client", title: "openid-client (Node.js)", text: openidClientSnippet(target) },
    { id: "auth-js", title: "Auth.js / NextAuth provider", text: authJsSnippet(target) },
    ...publicOnly,
    { id: "management-api", title: "Management API (curl)", text: managementApiSnippet(target) },
  ];
}

/** The first registered redirect URI, else a placeholder with a note to register it. */
function redirectUriOf(target: ConnectTarget): { uri: string; note: string } {
  const first = target.redirectUris[0];
  if (first) return { uri: first, note: "" };
  const placeholder = policyFor(target.clientType).confidential ? REDIRECT_URI_PLACEHOLDER : PUBLIC_REDIRECT_URI_PLACEHOLDER;
  return { uri: placeholder, note: "// Register this redirect URI in the app's Settings first: it has none yet.\n" };
}

/** The OpenID scopes the app may request (with offline_access for a refresh token), else all its allowed ones. */
function scopeOf(target: ConnectTarget): string {
  const usual = ["openid", "profile", "email", "offline_access"].filter((s) => target.allowedScopes.includes(s));
  return (usual.length ? usual : target.allowedScopes).join(" ");
}

const insecure = (doc: DiscoveryDocument) => doc.issuer.startsWith("http:");

function openidClientSnippet(target: ConnectTarget): string {
  const { discovery: doc, clientId } = target;
  const { uri, note } = redirectUriOf(target);
  const kind = credentialKind(target.authMethod);
  const auth =
    kind === "none"
      ? `undefined, client.None()`
      : kind === "key"
        ? `{}, client.PrivateKeyJwt({ key: privateKey, kid: "your-key-id" })`
        : `process.env.CLIENT_SECRET`;
  const options = insecure(doc) ? `, { execute: [client.allowInsecureRequests] }` : "";
  return `import * as client from "openid-client";

${note}${kind === "key" ? "// privateKey: the CryptoKey of the key pair registered for this app (private_key_jwt).\n" : kind === "secret" ? "// CLIENT_SECRET: shown once when the app was created (or by a secret rotation).\n" : ""}const config = await client.discovery(new URL("${doc.issuer}"), "${clientId}", ${auth}${options});
const codeVerifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: "${uri}",
  scope: "${scopeOf(target)}",
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: "S256",
  state,
});
// Send the browser to url; on its return to the redirect URI (callbackUrl: the URL it came back on):
const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: codeVerifier, expectedState: state });
const claims = tokens.claims(); // the ID token's claims: sub, …
`;
}

function authJsSnippet(target: ConnectTarget): string {
  const { discovery: doc, clientId } = target;
  const kind = credentialKind(target.authMethod);
  const credentials =
    kind === "none"
      ? `  // A public app has no secret: the token request sends client_id and the PKCE verifier.\n  client: { token_endpoint_auth_method: "none" },\n`
      : kind === "key"
        ? `  // This app authenticates with private_key_jwt: give Auth.js the key (see its "client" and "token" options).\n  client: { token_endpoint_auth_method: "private_key_jwt" },\n`
        : `  clientSecret: process.env.AUTH_CONNECTED_APPS_SECRET, // shown once when the app was created\n`;
  return `// auth.ts (Auth.js v5 / next-auth): add to providers. Register
// <your site>/api/auth/callback/connected-apps as a redirect URI of this app.
{
  id: "connected-apps",
  name: "Connected Apps",
  type: "oidc",
  issuer: "${doc.issuer}",
  clientId: "${clientId}",
${credentials}  checks: ["pkce", "state"], // PKCE S256: required for public apps, always accepted
  authorization: { params: { scope: "${scopeOf(target)}" } },
}
`;
}

function oauth4webapiSnippet(target: ConnectTarget): string {
  const { discovery: doc, clientId } = target;
  const { uri, note } = redirectUriOf(target);
  const options = insecure(doc) ? ", [oauth.allowInsecureRequests]: true" : "";
  return `import * as oauth from "oauth4webapi";

${note}const issuer = new URL("${doc.issuer}");
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc"${options} }));
const client = { client_id: "${clientId}" };
const redirectUri = "${uri}";
const codeVerifier = oauth.generateRandomCodeVerifier();
const state = oauth.generateRandomState();
const url = new URL(as.authorization_endpoint);
url.search = new URLSearchParams({
  client_id: client.client_id,
  redirect_uri: redirectUri,
  response_type: "code",
  scope: "${scopeOf(target)}",
  code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: "S256", // required for this app
  state,
}).toString();
// Send the user to url; on return (callbackUrl: the URL the redirect URI was opened with):
const params = oauth.validateAuthResponse(as, client, callbackUrl, state);
const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, codeVerifier${insecure(doc) ? ", { [oauth.allowInsecureRequests]: true }" : ""});
const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
`;
}

function mcpSnippet(target: ConnectTarget): string {
  const { discovery: doc, clientId } = target;
  const { uri, note } = redirectUriOf(target);
  return `// MCP client with @modelcontextprotocol/sdk, using this app instead of registering one.
// The MCP server must be a resource server of this project (Dashboard → Settings → Resource servers)
// whose protected-resource metadata names ${doc.issuer} as its authorization server.
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";

${note}// store (where your client keeps tokens and the PKCE verifier) and openBrowser are yours.
const authProvider: OAuthClientProvider = {
  redirectUrl: "${uri}",
  clientMetadata: { redirect_uris: ["${uri}"], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], scope: "${scopeOf(target)}" },
  // Pre-registered: the SDK skips Dynamic Client Registration and uses PKCE (S256).
  clientInformation: () => ({ client_id: "${clientId}", issuer: "${doc.issuer}" }),
  tokens: () => store.tokens,
  saveTokens: (tokens) => { store.tokens = tokens; },
  redirectToAuthorization: (url) => openBrowser(url),
  saveCodeVerifier: (verifier) => { store.verifier = verifier; },
  codeVerifier: () => store.verifier,
};
const transport = new StreamableHTTPClientTransport(new URL("https://mcp.example.com/mcp"), { authProvider });
`;
}

function managementApiSnippet(target: ConnectTarget): string {
  const { discovery: doc, clientId } = target;
  const app = `${doc.issuer}/api/v1/connected-apps/${encodeURIComponent(clientId)}`;
  return `# An owner API key (Dashboard → API keys); it is shown once.
CA_API_KEY=ca_key_…
curl -s ${app} -H "Authorization: Bearer $CA_API_KEY"
# Change its redirect URIs:
curl -s -X PATCH ${app} -H "Authorization: Bearer $CA_API_KEY" \\
  -H 'Content-Type: application/json' -d '{"redirect_uris":["${redirectUriOf(target).uri}"]}'
`;
}
