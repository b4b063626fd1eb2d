import { expect, test } from "@playwright/test";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import * as oauth from "oauth4webapi";
import * as client from "openid-client";
import { E2E_OWNER, signIn } from "./fixtures";
import { createApp, signedInSession, type CreatedApp } from "./oauth/clients";
import { runAuthorization } from "./oauth/http-session";

// private_key_jwt (RFC 7523 §2.2) with unmodified client libraries against
// the running server: openid-client 6 and oauth4webapi 3 sign their own
// client assertions (aud = issuer, a fresh jti, exp a minute ahead) for the
// code exchange, refresh, introspection and revocation; raw requests check
// what the libraries never send (a replay, a secret beside the key).

const SCOPE = "openid offline_access";
const insecure = { [oauth.allowInsecureRequests]: true } as const;
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

interface KeyPair {
  alg: "RS256" | "ES256";
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(alg: "RS256" | "ES256"): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = `e2e-${alg}-${Date.now().toString(36)}`;
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: "sig" } };
}

async function keyedApp(request: Parameters<typeof createApp>[0], key: KeyPair): Promise<CreatedApp> {
  const app = await createApp(request, { client_type: "third_party", token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [key.jwk] } });
  expect(app).toMatchObject({ token_endpoint_auth_method: "private_key_jwt", jwks_key_ids: [key.kid] });
  expect(app).not.toHaveProperty("client_secret");
  return app;
}

/** A signed-in user's authorization of `app`, up to the callback URL. */
async function authorize(baseURL: string, app: CreatedApp, url: (params: URLSearchParams) => URL, state: string) {
  const params = new URLSearchParams({ redirect_uri: app.redirect_uris[0]!, scope: SCOPE, state });
  const { callback, visited } = await runAuthorization(await signedInSession(baseURL), url(params), "allow");
  expect(callback, `went through ${visited.join(" → ")}`).not.toBeNull();
  return callback!;
}

test.describe("private_key_jwt client authentication", () => {
  test("discovery advertises private_key_jwt and asymmetric assertion algorithms only", async ({ request }) => {
    const doc = (await (await request.get("/.well-known/openid-configuration")).json()) as Record<string, string[]>;
    expect(doc.token_endpoint_auth_methods_supported).toContain("private_key_jwt");
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256", "EdDSA"]);
  });

  test("openid-client (RS256): code exchange, refresh, introspection and revocation with a signed assertion", async ({ request, baseURL }) => {
    const key = await keyPair("RS256");
    const app = await keyedApp(request, key);
    const config = await client.discovery(new URL(baseURL!), app.client_id, {}, client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }), {
      execute: [client.allowInsecureRequests],
    });
    const state = client.randomState();
    const callback = await authorize(baseURL!, app, (params) => client.buildAuthorizationUrl(config, params), state);
    const tokens = await client.authorizationCodeGrant(config, callback, { expectedState: state, idTokenExpected: true });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.claims()?.aud).toBe(app.client_id);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(await client.tokenIntrospection(config, refreshed.access_token)).toMatchObject({ active: true, client_id: app.client_id });
    await client.tokenRevocation(config, refreshed.refresh_token!);
    expect(await client.tokenIntrospection(config, refreshed.access_token)).toMatchObject({ active: false });
  });

  test("oauth4webapi (ES256): code exchange, refresh, introspection and revocation with a signed assertion", async ({ request, baseURL }) => {
    const key = await keyPair("ES256");
    const app = await keyedApp(request, key);
    const issuer = new URL(baseURL!);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
    const c: oauth.Client = { client_id: app.client_id };
    const auth = oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
    const state = oauth.generateRandomState();
    const callback = await authorize(
      baseURL!,
      app,
      (params) => {
        const url = new URL(as.authorization_endpoint!);
        url.searchParams.set("client_id", app.client_id);
        url.searchParams.set("response_type", "code");
        for (const [name, value] of params) url.searchParams.set(name, value);
        return url;
      },
      state,
    );
    const params = oauth.validateAuthResponse(as, c, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, c, auth, params, app.redirect_uris[0]!, oauth.nopkce, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, c, response, { requireIdToken: true });
    const refreshed = await oauth.processRefreshTokenResponse(as, c, await oauth.refreshTokenGrantRequest(as, c, auth, tokens.refresh_token!, insecure));
    const introspected = await oauth.processIntrospectionResponse(as, c, await oauth.introspectionRequest(as, c, auth, refreshed.access_token, insecure));
    expect(introspected).toMatchObject({ active: true, client_id: app.client_id });
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, c, auth, refreshed.refresh_token!, insecure));
  });

  test("a replayed assertion, a foreign key and a secret are refused with invalid_client (401)", async ({ request, baseURL }) => {
    const key = await keyPair("ES256");
    const app = await keyedApp(request, key);
    const now = Math.floor(Date.now() / 1000);
    const sign = (privateKey: CryptoKey) =>
      new SignJWT({ jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: "ES256", kid: key.kid })
        .setIssuer(app.client_id)
        .setSubject(app.client_id)
        .setAudience(new URL(baseURL!).origin)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(privateKey);
    // Introspection of a token that does not exist: the answer says only whether the client got in.
    const introspect = (form: Record<string, string>) => request.post("/oauth2/introspect", { form: { token: "nothing", ...form } });
    const assertion = await sign(key.privateKey);
    const first = await introspect({ client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect(first.status()).toBe(200);
    expect(await first.json()).toEqual({ active: false });
    const replay = await introspect({ client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect(replay.status()).toBe(401);
    expect(await replay.json()).toMatchObject({ error: "invalid_client" });
    const stranger = await introspect({ client_assertion_type: JWT_BEARER, client_assertion: await sign((await keyPair("ES256")).privateKey) });
    expect(stranger.status()).toBe(401);
    const secret = await introspect({ client_id: app.client_id, client_secret: "anything" });
    expect(secret.status()).toBe(401);
  });

  test("the owner switches an app to private_key_jwt in the dashboard: a private key is refused, the public key's id is shown", async ({ page, request }) => {
    const app = await createApp(request, { client_type: "first_party" });
    const key = await keyPair("ES256");
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const path = `/dashboard/apps/${app.client_id}`;
    await signIn(page, E2E_OWNER.email, E2E_OWNER.password, `/signin?callbackUrl=${encodeURIComponent(path)}`);
    await expect(page).toHaveURL(path);
    await expect(page.getByTestId("auth-method")).toHaveText("client_secret_basic, client_secret_post");

    await page.getByLabel("Token endpoint authentication").selectOption("private_key_jwt");
    const jwks = page.getByLabel("Public keys (JWK Set, optional)");
    await jwks.fill(JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: "leaked" }] }));
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.locator("#field-jwks-error")).toContainText('keys[0] is a private key (it has "d")');

    await jwks.fill(JSON.stringify({ keys: [key.jwk] }));
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Settings saved.")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("auth-method")).toHaveText("private_key_jwt");
    await expect(page.getByTestId("key-ids")).toHaveText(key.kid);
    await expect(page.getByTestId("key-auth")).toBeVisible();
    await expect(page.getByLabel("Token endpoint authentication")).toHaveValue("private_key_jwt");
  });
});
