import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { E2E_OWNER, signIn } from "./fixtures";
import { ownerApiKey, pkcePair, Provider, randomState, type TestApp } from "./oauth/flows";

// DPoP (RFC 9449) as a client library does it: oauth4webapi's DPoP handle
// (its key pairs from generateKeyPair, its proofs, its nonce cache and
// retry signal), unmodified, against the running server over HTTP.
// Runs against the PGlite server and, with TEST_DATABASE_URL, the PostgreSQL one.

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const SCOPE = "openid offline_access read:current_user";

interface Setup {
  op: Provider;
  as: oauth.AuthorizationServer;
  app: TestApp;
  client: oauth.Client;
}

async function setUp(baseURL: string | undefined, settings: Record<string, unknown> = {}): Promise<Setup> {
  const op = new Provider(baseURL);
  const issuer = new URL(op.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
  const app = await op.createApp("first_party_public", { allowed_scopes: ["openid", "offline_access", "read:current_user"], skip_consent: true, bypass_consent_for_offline_access: true, ...settings });
  return { op, as, app, client: { client_id: app.clientId } };
}

/** Runs `request` and once more when the server asks for its nonce (oauth4webapi's handle has cached it by then). */
async function withNonceRetry<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    return request();
  }
}

/** The code flow with a DPoP handle at the token endpoint (`params`: more authorization parameters). */
async function dpopTokens({ op, as, app, client }: Setup, dpop: oauth.DPoPHandle, params: Record<string, string> = {}): Promise<oauth.TokenEndpointResponse> {
  const { verifier, challenge } = pkcePair();
  const state = randomState();
  const callback = await op.authorize(app, { scope: SCOPE, state, code_challenge: challenge, code_challenge_method: "S256", ...params });
  const parameters = oauth.validateAuthResponse(as, client, callback, state);
  return withNonceRetry(async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), parameters, app.redirectUris[0]!, verifier, { DPoP: dpop, ...insecure }),
    ),
  );
}

const userinfo = (s: Setup, token: string, dpop: oauth.DPoPHandle) =>
  withNonceRetry(async () => oauth.processUserInfoResponse(s.as, s.client, oauth.skipSubjectCheck, await oauth.userInfoRequest(s.as, s.client, token, { DPoP: dpop, ...insecure })));

async function me(s: Setup, token: string, dpop: oauth.DPoPHandle): Promise<Response> {
  return withNonceRetry(async () => {
    return oauth.protectedResourceRequest(token, "GET", new URL("/api/v1/me", s.op.origin), undefined, undefined, { DPoP: dpop, ...insecure });
  });
}

/** The error code of a library call that the server refused. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return error.error;
    if (error instanceof oauth.WWWAuthenticateChallengeError) return error.cause[0]?.parameters.error ?? "challenge";
    throw error;
  }
}

test.describe("DPoP with oauth4webapi", () => {
  test("the server advertises the proof algorithms", async ({ baseURL }) => {
    const { as } = await setUp(baseURL);
    expect(as.dpop_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256", "EdDSA", "Ed25519"]);
  });

  test("a bound access token works at UserInfo and /api/v1/me with a proof, and fails without one or with another key", async ({ baseURL }) => {
    const s = await setUp(baseURL);
    const dpop = oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"));
    const tokens = await dpopTokens(s, dpop);
    expect(tokens.token_type).toBe("dpop");
    expect(await userinfo(s, tokens.access_token, dpop)).toMatchObject({ sub: expect.any(String) });
    const reply = await me(s, tokens.access_token, dpop);
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { sub: string }).sub).toEqual(expect.any(String));

    // Without a proof: the bound token as Bearer, or with the DPoP scheme and no DPoP header.
    const bearer = await s.op.send("/api/v1/me", { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP .*error="invalid_token"/);
    const noProof = await s.op.send("/oauth2/userinfo", { headers: { authorization: `DPoP ${tokens.access_token}` } });
    expect(noProof.status).toBe(401);
    expect(noProof.headers.get("www-authenticate")).toMatch(/^DPoP .*error="invalid_dpop_proof".*algs="RS256 PS256 ES256 EdDSA Ed25519"/);

    const thief = oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"));
    expect(await refusal(userinfo(s, tokens.access_token, thief))).toBe("invalid_token");
    expect(await refusal(me(s, tokens.access_token, thief))).toBe("invalid_token");
  });

  test("a replayed proof is refused", async ({ baseURL }) => {
    const s = await setUp(baseURL);
    const dpop = oauth.DPoP(s.client, await oauth.generateKeyPair("EdDSA"));
    const tokens = await dpopTokens(s, dpop);
    let proof: string | null = null;
    const recording: typeof fetch = (input, init) => {
      proof = new Headers(init?.headers).get("dpop");
      return fetch(input, init);
    };
    await withNonceRetry(async () =>
      oauth.processUserInfoResponse(s.as, s.client, oauth.skipSubjectCheck, await oauth.userInfoRequest(s.as, s.client, tokens.access_token, { DPoP: dpop, [oauth.customFetch]: recording, ...insecure })),
    );
    expect(proof).toEqual(expect.any(String));
    const replay = await s.op.send("/oauth2/userinfo", { headers: { authorization: `DPoP ${tokens.access_token}`, dpop: proof! } });
    expect(replay.status).toBe(401);
    expect(replay.json.error).toBe("invalid_dpop_proof");
    expect(replay.json.error_description).toMatch(/used before/);
  });

  test("a DPoP-bound public refresh token refreshes with its key only", async ({ baseURL }) => {
    const s = await setUp(baseURL);
    const keys = await oauth.generateKeyPair("ES256");
    const tokens = await dpopTokens(s, oauth.DPoP(s.client, keys));
    const refresh = (dpop: oauth.DPoPHandle, token: string) =>
      withNonceRetry(async () => oauth.processRefreshTokenResponse(s.as, s.client, await oauth.refreshTokenGrantRequest(s.as, s.client, oauth.None(), token, { DPoP: dpop, ...insecure })));

    const other = oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"));
    expect(await refusal(refresh(other, tokens.refresh_token!))).toBe("invalid_grant");
    const plain = await s.op.refresh(s.app, tokens.refresh_token!);
    expect(plain.status).toBe(400);
    expect(plain.json.error).toBe("invalid_grant");
    // Neither refusal spent the token or revoked its family.
    const refreshed = await refresh(oauth.DPoP(s.client, keys), tokens.refresh_token!);
    expect(refreshed.token_type).toBe("dpop");
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  });

  test("nonce round trip: an app requiring DPoP gets use_dpop_nonce with DPoP-Nonce, and the retry succeeds", async ({ baseURL }) => {
    const s = await setUp(baseURL, { require_dpop: true });
    const dpop = oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"));
    const { verifier, challenge } = pkcePair();
    const state = randomState();
    const callback = await s.op.authorize(s.app, { scope: SCOPE, state, code_challenge: challenge, code_challenge_method: "S256" });
    const parameters = oauth.validateAuthResponse(s.as, s.client, callback, state);
    const request = () => oauth.authorizationCodeGrantRequest(s.as, s.client, oauth.None(), parameters, s.app.redirectUris[0]!, verifier, { DPoP: dpop, ...insecure });

    const first = await request();
    expect(first.status).toBe(400);
    expect(first.headers.get("dpop-nonce")).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    const error = await oauth.processAuthorizationCodeResponse(s.as, s.client, first).catch((e: unknown) => e);
    expect(oauth.isDPoPNonceError(error)).toBe(true);
    const tokens = await oauth.processAuthorizationCodeResponse(s.as, s.client, await request());
    expect(tokens.token_type).toBe("dpop");

    // At UserInfo a nonce is always required: a new handle of the same key (no nonce cached) is told one, and its retry passes.
    const keyPair = await oauth.generateKeyPair("ES256");
    const bound = await dpopTokens(s, oauth.DPoP(s.client, keyPair));
    const newHandle = oauth.DPoP(s.client, keyPair);
    const asked = await (async () =>
      oauth.processUserInfoResponse(s.as, s.client, oauth.skipSubjectCheck, await oauth.userInfoRequest(s.as, s.client, bound.access_token, { DPoP: newHandle, ...insecure })))().catch(
      (e: unknown) => e,
    );
    expect(oauth.isDPoPNonceError(asked)).toBe(true);
    expect(await userinfo(s, bound.access_token, newHandle)).toMatchObject({ sub: expect.any(String) });
  });

  test("require_dpop refuses a token request without a proof", async ({ baseURL }) => {
    const s = await setUp(baseURL, { require_dpop: true });
    const { verifier, challenge } = pkcePair();
    const callback = await s.op.authorize(s.app, { scope: SCOPE, code_challenge: challenge, code_challenge_method: "S256" });
    const reply = await s.op.redeem(s.app, { code: callback.searchParams.get("code")!, verifier, redirectUri: s.app.redirectUris[0]! });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: "invalid_dpop_proof", error_description: "This app requires a DPoP proof with every token request" });
  });

  test("introspection shows a bound token's cnf.jkt and token_type DPoP", async ({ baseURL }) => {
    const s = await setUp(baseURL);
    const dpop = oauth.DPoP(s.client, await oauth.generateKeyPair("RS256"));
    const tokens = await dpopTokens(s, dpop);
    expect(await s.op.introspect(tokens.access_token)).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: await dpop.calculateThumbprint() } });
  });

  test("dpop_jkt binds the authorization code to the handle's key", async ({ baseURL }) => {
    const s = await setUp(baseURL);
    const dpop = oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"));
    const tokens = await dpopTokens(s, dpop, { dpop_jkt: await dpop.calculateThumbprint() });
    expect(tokens.token_type).toBe("dpop");
    const other = oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"));
    expect(await refusal(dpopTokens(s, other, { dpop_jkt: await dpop.calculateThumbprint() }))).toBe("invalid_grant");
  });

  test("the owner turns Require DPoP on in the dashboard, and the app's token requests then need a proof", async ({ page, baseURL }) => {
    const s = await setUp(baseURL);
    await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(`/dashboard/apps/${s.app.clientId}`)}`);
    await expect(page).toHaveURL(`/dashboard/apps/${s.app.clientId}`);
    const box = page.getByLabel("Require DPoP");
    await expect(box).not.toBeChecked();
    await box.check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Settings saved.")).toBeVisible();
    const view = await s.op.send(`/api/v1/connected-apps/${s.app.clientId}`, { headers: { authorization: `Bearer ${ownerApiKey()}` } });
    expect(view.json.require_dpop).toBe(true);

    const { verifier, challenge } = pkcePair();
    const callback = await s.op.authorize(s.app, { scope: SCOPE, code_challenge: challenge, code_challenge_method: "S256" });
    const reply = await s.op.redeem(s.app, { code: callback.searchParams.get("code")!, verifier, redirectUri: s.app.redirectUris[0]! });
    expect(reply.json.error).toBe("invalid_dpop_proof");
  });

  test("a proof at the PAR endpoint binds the pushed request's code to the handle's key", async ({ baseURL }) => {
    const s = await setUp(baseURL);
    const dpop = oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"));
    const { verifier, challenge } = pkcePair();
    const state = randomState();
    const pushed = await withNonceRetry(async () =>
      oauth.processPushedAuthorizationResponse(
        s.as,
        s.client,
        await oauth.pushedAuthorizationRequest(
          s.as,
          s.client,
          oauth.None(),
          new URLSearchParams({ response_type: "code", redirect_uri: s.app.redirectUris[0]!, scope: SCOPE, state, code_challenge: challenge, code_challenge_method: "S256" }),
          { DPoP: dpop, ...insecure },
        ),
      ),
    );
    const callback = await s.op.authorize(s.app, { request_uri: pushed.request_uri, redirect_uri: undefined, scope: undefined, state: undefined, response_type: undefined });
    const parameters = oauth.validateAuthResponse(s.as, s.client, callback, state);
    const redeem = (handle: oauth.DPoPHandle) =>
      withNonceRetry(async () =>
        oauth.processAuthorizationCodeResponse(
          s.as,
          s.client,
          await oauth.authorizationCodeGrantRequest(s.as, s.client, oauth.None(), parameters, s.app.redirectUris[0]!, verifier, { DPoP: handle, ...insecure }),
        ),
      );
    expect(await refusal(redeem(oauth.DPoP(s.client, await oauth.generateKeyPair("ES256"))))).toBe("invalid_grant");
    expect((await redeem(dpop)).token_type).toBe("dpop");
  });
});
