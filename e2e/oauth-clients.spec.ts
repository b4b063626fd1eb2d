import { expect, test } from "@playwright/test";
import { createHash } from "node:crypto";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import * as oauth from "oauth4webapi";
import * as client from "openid-client";
import { CLIENT_TYPES, apiKey, createApp, isConfidential, isFirstParty, signedInSession, type ClientType, type CreatedApp } from "./oauth/clients";
import { runAuthorization } from "./oauth/http-session";
import { listResourceServers } from "./oauth/resource-servers";
import { END_USERS } from "./servers.mjs";

// Unmodified OAuth/OIDC client libraries (openid-client 6 and oauth4webapi 3)
// against the running app, for each of the four client types: discovery,
// authorization (scripted sign-in and consent), code exchange, ID token,
// UserInfo, refresh, introspection, revocation. The libraries validate what
// they validate (issuer, audience, nonce, state, iss response parameter,
// expiry, signing algorithm, and with their non-repudiation options the
// RS256/ES256 signatures); this spec checks the rest (signatures with jose,
// at_hash, the RFC 9068 access token) against concrete values.

type AuthMethod = "client_secret_basic" | "client_secret_post" | "none";
type Library = "openid-client" | "oauth4webapi";

const SCOPE = "openid profile email offline_access";
/** A non-default lifetime, so expires_in and exp - iat are checked against the app's own setting. */
const ACCESS_TOKEN_TTL = 900;
const insecure = { [oauth.allowInsecureRequests]: true } as const;

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
  /** The ID token's claims, as the library validated them. */
  idClaims?: oauth.IDToken;
}

interface AuthorizationChecks {
  state: string;
  nonce?: string;
  verifier?: string;
}

/** One client library, configured for one app: the calls a relying party makes. */
interface Driver {
  library: Library;
  as: oauth.AuthorizationServer;
  authorizationUrl(params: URLSearchParams): URL;
  exchange(callback: URL, checks: AuthorizationChecks, expectIdToken: boolean): Promise<Tokens>;
  userinfo(accessToken: string, sub: string): Promise<oauth.UserInfoResponse>;
  refresh(refreshToken: string): Promise<Tokens>;
  /** The app introspects with its own client authentication. */
  introspectAsApp(token: string): Promise<oauth.IntrospectionResponse>;
  /** The owner introspects with a management-API key (`Authorization: Bearer <key>`). */
  introspectAsOwner(token: string): Promise<oauth.IntrospectionResponse>;
  revoke(token: string): Promise<void>;
}

/** Client authentication by the owner's API key, in the shape both libraries accept. */
function ownerKeyAuth(key: string): client.ClientAuth {
  return (_as, _client, _body, headers) => headers.set("authorization", `Bearer ${key}`);
}

function asymmetric(app: CreatedApp): boolean {
  return app.id_token_signed_response_alg !== "HS256";
}

async function openidClientDriver(baseURL: string, app: CreatedApp, method: AuthMethod): Promise<Driver> {
  const secret = app.client_secret;
  const auth =
    method === "client_secret_basic"
      ? client.ClientSecretBasic(secret)
      : method === "client_secret_post"
        ? client.ClientSecretPost(secret)
        : client.None();
  const metadata: Partial<client.ClientMetadata> = {
    id_token_signed_response_alg: app.id_token_signed_response_alg,
    ...(secret ? { client_secret: secret } : {}),
  };
  const config = await client.discovery(new URL(baseURL), app.client_id, metadata, auth, { execute: [client.allowInsecureRequests] });
  // Verify ID token signatures against the JWKS (openid-client cannot do this for HS256; checked with jose below).
  if (asymmetric(app)) client.enableNonRepudiationChecks(config);
  const owner = new client.Configuration(config.serverMetadata(), app.client_id, {}, ownerKeyAuth(apiKey()));
  client.allowInsecureRequests(owner);
  const withClaims = (tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): Tokens => ({ ...tokens, idClaims: tokens.claims() });
  return {
    library: "openid-client",
    as: config.serverMetadata(),
    authorizationUrl: (params) => client.buildAuthorizationUrl(config, params),
    exchange: async (callback, checks, expectIdToken) =>
      withClaims(
        await client.authorizationCodeGrant(config, callback, {
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          pkceCodeVerifier: checks.verifier,
          idTokenExpected: expectIdToken,
        }),
      ),
    userinfo: (accessToken, sub) => client.fetchUserInfo(config, accessToken, sub),
    refresh: async (refreshToken) => withClaims(await client.refreshTokenGrant(config, refreshToken)),
    introspectAsApp: (token) => client.tokenIntrospection(config, token),
    introspectAsOwner: (token) => client.tokenIntrospection(owner, token),
    revoke: (token) => client.tokenRevocation(config, token),
  };
}

async function oauth4webapiDriver(baseURL: string, app: CreatedApp, method: AuthMethod): Promise<Driver> {
  const issuer = new URL(baseURL);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
  const c: oauth.Client = { client_id: app.client_id, id_token_signed_response_alg: app.id_token_signed_response_alg };
  const secret = app.client_secret!;
  const auth =
    method === "client_secret_basic"
      ? oauth.ClientSecretBasic(secret)
      : method === "client_secret_post"
        ? oauth.ClientSecretPost(secret)
        : oauth.None();
  const owner = ownerKeyAuth(apiKey());
  /** The library's checks of a token response, plus the ID token signature against the JWKS where it can. */
  const processed = async (response: Response, result: oauth.TokenEndpointResponse): Promise<Tokens> => {
    const idClaims = oauth.getValidatedIdTokenClaims(result);
    if (idClaims && asymmetric(app)) await oauth.validateApplicationLevelSignature(as, response, insecure);
    return { ...result, idClaims };
  };
  return {
    library: "oauth4webapi",
    as,
    authorizationUrl: (params) => {
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set("client_id", app.client_id);
      url.searchParams.set("response_type", "code");
      for (const [key, value] of params) url.searchParams.append(key, value);
      return url;
    },
    exchange: async (callback, checks, expectIdToken) => {
      const params = oauth.validateAuthResponse(as, c, callback, checks.state);
      const redirectUri = `${callback.origin}${callback.pathname}`;
      const response = await oauth.authorizationCodeGrantRequest(as, c, auth, params, redirectUri, checks.verifier ?? oauth.nopkce, insecure);
      const result = await oauth.processAuthorizationCodeResponse(as, c, response, {
        expectedNonce: checks.nonce,
        requireIdToken: expectIdToken,
      });
      return processed(response, result);
    },
    userinfo: async (accessToken, sub) =>
      oauth.processUserInfoResponse(as, c, sub, await oauth.userInfoRequest(as, c, accessToken, insecure)),
    refresh: async (refreshToken) => {
      const response = await oauth.refreshTokenGrantRequest(as, c, auth, refreshToken, insecure);
      return processed(response, await oauth.processRefreshTokenResponse(as, c, response));
    },
    introspectAsApp: async (token) =>
      oauth.processIntrospectionResponse(as, c, await oauth.introspectionRequest(as, c, auth, token, insecure)),
    introspectAsOwner: async (token) =>
      oauth.processIntrospectionResponse(as, c, await oauth.introspectionRequest(as, c, owner, token, insecure)),
    revoke: async (token) => {
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, c, auth, token, insecure));
    },
  };
}

function driverFor(library: Library, baseURL: string, app: CreatedApp, method: AuthMethod): Promise<Driver> {
  return library === "openid-client" ? openidClientDriver(baseURL, app, method) : oauth4webapiDriver(baseURL, app, method);
}

/** The error a call fails with (the test fails if it succeeds). */
async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** OIDC Core §3.1.3.6 for the SHA-256 algorithms (RS256, ES256, HS256). */
function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest().subarray(0, 16).toString("base64url");
}

/**
 * The RFC 9068 access token, checked as a resource server would: jose with
 * the JWKS (typ, iss, aud, signature) and oauth4webapi's validateJwtAccessToken.
 */
async function checkAccessToken(
  driver: Driver,
  token: string,
  expected: { clientId: string; sub: string; scope: string; aud: string | string[]; ttl: number },
): Promise<JWTPayload> {
  const header = decodeProtectedHeader(token);
  expect(header).toMatchObject({ typ: "at+jwt", alg: "RS256", kid: expect.any(String) });
  const jwks = createRemoteJWKSet(new URL(driver.as.jwks_uri!));
  const audiences = Array.isArray(expected.aud) ? expected.aud : [expected.aud];
  const { payload } = await jwtVerify(token, jwks, { issuer: driver.as.issuer, audience: audiences[0], typ: "at+jwt" });
  expect(payload).toMatchObject({
    iss: driver.as.issuer,
    sub: expected.sub,
    aud: expected.aud,
    client_id: expected.clientId,
    scope: expected.scope,
    jti: expect.any(String),
    iat: expect.any(Number),
    exp: expect.any(Number),
  });
  expect(payload.exp! - payload.iat!).toBe(expected.ttl);
  for (const audience of audiences) {
    const request = new Request(`${audience.replace(/\/$/, "")}/resource`, { headers: { authorization: `Bearer ${token}` } });
    const claims = await oauth.validateJwtAccessToken(driver.as, request, audience, insecure);
    expect(claims.jti).toBe(payload.jti);
  }
  return payload;
}

/** The ID token: the library's validated claims, our own checks, and its signature with jose. */
async function checkIdToken(
  driver: Driver,
  app: CreatedApp,
  tokens: Tokens,
  expected: { nonce?: string; user: (typeof END_USERS)[number]; sub?: string },
): Promise<oauth.IDToken> {
  expect(tokens.id_token).toEqual(expect.any(String));
  const claims = tokens.idClaims!;
  expect(claims).toMatchObject({
    iss: driver.as.issuer,
    aud: app.client_id,
    azp: app.client_id,
    sub: expected.sub ?? expect.any(String),
    at_hash: atHash(tokens.access_token),
    auth_time: expect.any(Number),
  });
  // Profile claims: in a first-party app's ID token; a third party reads them from UserInfo.
  const profile = { email: expected.user.email, email_verified: false, name: expected.user.name };
  if (isFirstParty(app.client_type)) expect(claims).toMatchObject(profile);
  else for (const claim of Object.keys(profile)) expect(claims).not.toHaveProperty(claim);
  if (expected.nonce) expect(claims.nonce).toBe(expected.nonce);
  else expect(claims).not.toHaveProperty("nonce");
  const header = decodeProtectedHeader(tokens.id_token!);
  expect(header.alg).toBe(app.id_token_signed_response_alg);
  const key =
    app.id_token_signed_response_alg === "HS256"
      ? new TextEncoder().encode(app.client_secret!)
      : createRemoteJWKSet(new URL(driver.as.jwks_uri!));
  const { payload } = await jwtVerify(tokens.id_token!, key, {
    issuer: driver.as.issuer,
    audience: app.client_id,
    algorithms: [app.id_token_signed_response_alg],
  });
  expect(payload.sub).toBe(claims.sub);
  return claims;
}

// openid-client bundles its own copy of oauth4webapi, so errors are recognised by name and code, not instanceof.

/** An OAuth error response (RFC 6749 §5.2) as both libraries report it. */
function expectErrorResponse(error: unknown, code: string, status: number) {
  expect(error).toMatchObject({ name: "ResponseBodyError", code: oauth.RESPONSE_BODY_ERROR, error: code, status });
}

function expectInvalidGrant(error: unknown) {
  expectErrorResponse(error, "invalid_grant", 400);
}

/** A bearer challenge (RFC 6750 §3) with error=invalid_token. */
function expectInvalidToken(error: unknown) {
  expect(error).toMatchObject({ name: "WWWAuthenticateChallengeError", code: oauth.WWW_AUTHENTICATE_CHALLENGE, status: 401 });
  const challenges = (error as oauth.WWWAuthenticateChallengeError).cause;
  expect(challenges).toHaveLength(1);
  expect(challenges[0]).toMatchObject({ scheme: "bearer", parameters: { error: "invalid_token" } });
}

interface FlowCase {
  library: Library;
  type: ClientType;
  method: AuthMethod;
  pkce: boolean;
  alg?: "RS256" | "ES256" | "HS256";
  user?: (typeof END_USERS)[number];
  resource?: string;
}

/**
 * The whole life of one authorization, for a fresh app: authorize with
 * consent, exchange the code, ID token, access token, UserInfo, refresh,
 * introspection, revocation of the refresh token and what follows from it.
 */
async function fullFlow(request: Parameters<typeof createApp>[0], baseURL: string, flow: FlowCase) {
  const user = flow.user ?? END_USERS[0]!;
  const app = await createApp(request, {
    client_type: flow.type,
    access_token_ttl_seconds: ACCESS_TOKEN_TTL,
    ...(flow.alg ? { id_token_signed_response_alg: flow.alg } : {}),
  });
  expect(app.id_token_signed_response_alg).toBe(flow.alg ?? "RS256");
  const driver = await driverFor(flow.library, baseURL, app, flow.method);
  const issuer = driver.as.issuer;
  expect(issuer).toBe(baseURL.replace(/\/$/, ""));

  // Authorization request, as the library builds it.
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = flow.pkce ? client.randomPKCECodeVerifier() : undefined;
  const params = new URLSearchParams({ redirect_uri: app.redirect_uris[0]!, scope: SCOPE, state, nonce });
  if (verifier) {
    params.set("code_challenge", await client.calculatePKCECodeChallenge(verifier));
    params.set("code_challenge_method", "S256");
  }
  if (flow.resource) params.set("resource", flow.resource);
  const session = await signedInSession(baseURL, user);
  const { callback, sawConsent, visited } = await runAuthorization(session, driver.authorizationUrl(params), "allow");
  expect(sawConsent, `a fresh app asks for consent (went through ${visited.join(" → ")})`).toBe(true);
  expect(callback, `went through ${visited.join(" → ")}`).not.toBeNull();
  expect(`${callback!.origin}${callback!.pathname}`).toBe(app.redirect_uris[0]);
  expect(callback!.searchParams.get("iss")).toBe(issuer);
  expect(callback!.searchParams.get("state")).toBe(state);

  // Code exchange; the library checks state, iss, PKCE, nonce, ID token claims.
  const tokens = await driver.exchange(callback!, { state, nonce, verifier }, true);
  expect(tokens.token_type).toBe("bearer"); // both libraries lower-case it
  expect(tokens.scope).toBe(SCOPE);
  expect(tokens.expires_in).toBe(ACCESS_TOKEN_TTL);
  expect(tokens.refresh_token).toEqual(expect.any(String));
  const idClaims = await checkIdToken(driver, app, tokens, { nonce, user });
  const sub = idClaims.sub;
  const aud = flow.resource ? [flow.resource, issuer] : issuer;
  const expectedAccess = { clientId: app.client_id, sub, scope: SCOPE, aud, ttl: ACCESS_TOKEN_TTL };
  const firstAccess = await checkAccessToken(driver, tokens.access_token, expectedAccess);

  // UserInfo (the library checks that sub is the ID token's).
  expect(await driver.userinfo(tokens.access_token, sub)).toEqual({ sub, name: user.name, email: user.email, email_verified: false });

  // Refresh: public apps get a new refresh token, confidential ones keep theirs.
  const firstRefresh = tokens.refresh_token!;
  const refreshed = await driver.refresh(firstRefresh);
  expect(refreshed.scope).toBe(SCOPE);
  expect(refreshed.expires_in).toBe(ACCESS_TOKEN_TTL);
  expect(refreshed.access_token).not.toBe(tokens.access_token);
  if (isConfidential(flow.type)) expect(refreshed.refresh_token).toBe(firstRefresh);
  else {
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(firstRefresh);
  }
  await checkIdToken(driver, app, refreshed, { user, sub });
  const secondAccess = await checkAccessToken(driver, refreshed.access_token, expectedAccess);
  expect(secondAccess.jti).not.toBe(firstAccess.jti);
  const refreshToken = refreshed.refresh_token!;

  // Introspection by the owner's API key.
  expect(await driver.introspectAsOwner(refreshed.access_token)).toMatchObject({
    active: true,
    client_id: app.client_id,
    sub,
    scope: SCOPE,
    iss: issuer,
    aud: flow.resource ? [flow.resource, issuer] : [issuer],
    jti: secondAccess.jti,
    exp: secondAccess.exp,
    iat: secondAccess.iat,
    token_type: "Bearer",
  });
  expect(await driver.introspectAsOwner(refreshToken)).toMatchObject({ active: true, client_id: app.client_id, sub, scope: SCOPE, iss: issuer });
  if (!isConfidential(flow.type)) expect(await driver.introspectAsOwner(firstRefresh)).toEqual({ active: false });

  // Introspection by the app itself: confidential apps may, public ones cannot authenticate.
  if (isConfidential(flow.type)) {
    expect(await driver.introspectAsApp(refreshed.access_token)).toMatchObject({ active: true, client_id: app.client_id, sub, jti: secondAccess.jti });
    expect(await driver.introspectAsApp(refreshToken)).toMatchObject({ active: true, client_id: app.client_id, sub });
  } else {
    expectErrorResponse(await rejection(driver.introspectAsApp(refreshed.access_token)), "invalid_client", 401);
  }

  // Revoking the refresh token ends the whole authorization.
  await driver.revoke(refreshToken);
  for (const token of [tokens.access_token, refreshed.access_token, refreshToken]) {
    expect(await driver.introspectAsOwner(token)).toEqual({ active: false });
    if (isConfidential(flow.type)) expect(await driver.introspectAsApp(token)).toEqual({ active: false });
  }
  expectInvalidToken(await rejection(driver.userinfo(refreshed.access_token, sub)));
  expectInvalidGrant(await rejection(driver.refresh(refreshToken)));
  // Revoking again is still a success (RFC 7009 §2.2).
  await driver.revoke(refreshToken);
}

const LIBRARIES: Library[] = ["openid-client", "oauth4webapi"];

test.describe("real OAuth client libraries against the running app", () => {
  // RFC 8707: a resource must be one of the project's resource servers.
  let restoreResources: () => Promise<void> = async () => {};
  test.beforeAll(async () => {
    restoreResources = await listResourceServers(["https://api.rp.example/", "https://files.rp.example/v1"]);
  });
  test.afterAll(async () => restoreResources());

  // Every type with both libraries. Confidential apps authenticate with
  // client_secret_basic; openid-client also uses PKCE with them, oauth4webapi
  // does not (PKCE is recommended, not required, for confidential apps).
  for (const library of LIBRARIES) {
    for (const [i, type] of CLIENT_TYPES.entries()) {
      const confidential = isConfidential(type);
      const pkce = !confidential || library === "openid-client";
      const method: AuthMethod = confidential ? "client_secret_basic" : "none";
      test(`${library}: ${type} (${method}${pkce ? ", PKCE" : ""}), full flow`, async ({ request, baseURL }) => {
        await fullFlow(request, baseURL!, { library, type, method, pkce, user: END_USERS[i % 2] });
      });
    }
  }

  test("oauth4webapi: third_party with client_secret_post and PKCE, full flow", async ({ request, baseURL }) => {
    await fullFlow(request, baseURL!, { library: "oauth4webapi", type: "third_party", method: "client_secret_post", pkce: true });
  });

  // ID token algorithms other than the default, for the confidential types.
  const algCases: FlowCase[] = [
    { library: "openid-client", type: "first_party", method: "client_secret_basic", pkce: true, alg: "ES256" },
    { library: "oauth4webapi", type: "third_party", method: "client_secret_basic", pkce: false, alg: "ES256" },
    { library: "openid-client", type: "third_party", method: "client_secret_post", pkce: false, alg: "HS256" },
    { library: "oauth4webapi", type: "first_party", method: "client_secret_basic", pkce: true, alg: "HS256" },
  ];
  for (const flow of algCases) {
    test(`${flow.library}: ${flow.type} with ${flow.alg} ID tokens (${flow.method}), full flow`, async ({ request, baseURL }) => {
      await fullFlow(request, baseURL!, { ...flow, user: END_USERS[1] });
    });
  }

  test("openid-client: resource (RFC 8707) with openid puts the resource and the issuer in aud, through refresh", async ({ request, baseURL }) => {
    await fullFlow(request, baseURL!, {
      library: "openid-client",
      type: "third_party_public",
      method: "none",
      pkce: true,
      resource: "https://api.rp.example/",
    });
  });

  test("oauth4webapi: two resources without openid are exactly the access token's aud", async ({ request, baseURL }) => {
    const app = await createApp(request, { client_type: "first_party_public", access_token_ttl_seconds: ACCESS_TOKEN_TTL });
    const driver = await driverFor("oauth4webapi", baseURL!, app, "none");
    const resources = ["https://api.rp.example/", "https://files.rp.example/v1"];
    const scope = "profile offline_access";
    const state = oauth.generateRandomState();
    const verifier = oauth.generateRandomCodeVerifier();
    const params = new URLSearchParams({
      redirect_uri: app.redirect_uris[0]!,
      scope,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    for (const resource of resources) params.append("resource", resource);
    const session = await signedInSession(baseURL!, END_USERS[1]);
    const { callback, sawConsent } = await runAuthorization(session, driver.authorizationUrl(params), "allow");
    expect(sawConsent).toBe(true);
    expect(callback).not.toBeNull();

    const tokens = await driver.exchange(callback!, { state, verifier }, false);
    expect(tokens).not.toHaveProperty("id_token");
    expect(tokens.scope).toBe(scope);
    const sub = (await driver.introspectAsOwner(tokens.access_token)).sub!;
    const expected = { clientId: app.client_id, sub, scope, aud: resources, ttl: ACCESS_TOKEN_TTL };
    await checkAccessToken(driver, tokens.access_token, expected);
    expect(await driver.introspectAsOwner(tokens.access_token)).toMatchObject({ active: true, aud: resources, client_id: app.client_id });

    // The refreshed access token keeps the audience; without openid and the issuer in aud, UserInfo refuses it.
    const refreshed = await driver.refresh(tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await checkAccessToken(driver, refreshed.access_token, expected);
    expectInvalidToken(await rejection(driver.userinfo(refreshed.access_token, sub)));
  });

  test("openid-client rejects an ID token whose nonce is not the one it sent", async ({ request, baseURL }) => {
    const app = await createApp(request, { client_type: "third_party" });
    const driver = await driverFor("openid-client", baseURL!, app, "client_secret_basic");
    const state = client.randomState();
    const params = new URLSearchParams({ redirect_uri: app.redirect_uris[0]!, scope: "openid", state, nonce: client.randomNonce() });
    const session = await signedInSession(baseURL!, END_USERS[0]);
    const { callback } = await runAuthorization(session, driver.authorizationUrl(params), "allow");
    expect(callback).not.toBeNull();
    const expectedNonce = client.randomNonce();
    const error = await rejection(driver.exchange(callback!, { state, nonce: expectedNonce }, true));
    // openid-client's ClientError wraps oauth4webapi's error, whose cause names the claim.
    expect(error).toMatchObject({
      name: "ClientError",
      code: oauth.JWT_CLAIM_COMPARISON,
      cause: { message: 'unexpected ID Token "nonce" claim value', cause: { claim: "nonce", expected: expectedNonce } },
    });
  });
});
