import { expect, test } from "@playwright/test";
import { HttpSession } from "./oauth/http-session";
import {
  ALICE,
  basic,
  BOB,
  CONFIDENTIAL_REDIRECT,
  FORM,
  ownerApiKey,
  pkcePair,
  Provider,
  PUBLIC_REDIRECT,
  randomState,
  type Reply,
  type TestApp,
} from "./oauth/flows";

// The protocol endpoints under attack: wrong clients, replayed codes and
// refresh tokens, broken PKCE, malformed bodies and headers. Every case
// asserts the status, the RFC error code and the headers that matter, and
// no case may ever produce a 500. Each test creates its own apps.

/** Error codes of RFC 6749 §4.1.2.1 / §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1, RFC 8707, OIDC Core §3.1.2.6. */
const RFC_ERRORS = new Set([
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "unsupported_response_type",
  "invalid_scope",
  "access_denied",
  "invalid_token",
  "insufficient_scope",
  "invalid_target",
  "unsupported_token_type",
  "login_required",
  "consent_required",
  "interaction_required",
]);

/** An RFC 6749 §5.2 error response: status, JSON `error`, never cached. */
function expectOAuthError(reply: Reply, status: number, error: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get("content-type") ?? "").toContain("application/json");
  expect(reply.json?.error, reply.text).toBe(error);
  expect(typeof reply.json?.error_description === "string" || reply.json?.error_description === undefined).toBe(true);
  expect(reply.headers.get("cache-control")).toContain("no-store");
}

/** The authorization endpoint's error page: 400 HTML and, above all, no redirect. */
function expectErrorPage(reply: Reply) {
  expect(reply.status, reply.text.slice(0, 500)).toBe(400);
  expect(reply.headers.get("location")).toBeNull();
  expect(reply.headers.get("content-type") ?? "").toContain("text/html");
  expect(reply.text).not.toMatch(/[?&]code=/);
}

/** A redirect of an authorization error to the app's registered URI, with state and iss (RFC 9207). */
function expectErrorRedirect(reply: Reply, op: Provider, redirectUri: string, error: string, state: string | undefined | null) {
  expect([302, 303], reply.text.slice(0, 500)).toContain(reply.status);
  const location = new URL(reply.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  expect(location.searchParams.get("error")).toBe(error);
  expect(location.searchParams.get("code")).toBeNull();
  expect(location.searchParams.get("iss")).toBe(op.issuer);
  // null: not checked (which of two repeated values would be echoed is unspecified).
  if (state === undefined) expect(location.searchParams.has("state")).toBe(false);
  else if (state !== null) expect(location.searchParams.get("state")).toBe(state);
}

async function sessionReply(session: HttpSession, url: string | URL, init?: RequestInit): Promise<Reply> {
  const response = await session.fetch(url, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Starts an authorization as a signed-in user and opens the consent page; returns its form fields. */
async function openConsent(op: Provider, app: TestApp, session: HttpSession, state = randomState()) {
  const pair = pkcePair();
  const start = await session.fetch(op.authorizeUrl(app, { state, code_challenge: pair.challenge, code_challenge_method: "S256" }));
  expect(start.status).toBe(302);
  const consentUrl = new URL(start.headers.get("location")!, op.origin);
  expect(consentUrl.pathname).toBe("/consent");
  const page = await session.fetch(consentUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const field = (name: string) => html.match(new RegExp(`name="${name}" value="([^"]+)"`))?.[1];
  const request = field("request");
  const csrf = field("csrf");
  expect(request).toBeTruthy();
  expect(csrf).toBeTruthy();
  return { page, request: request!, csrf: csrf!, state, verifier: pair.verifier };
}

function decide(session: HttpSession, form: Record<string, string>) {
  return sessionReply(session, "/oauth2/authorize/decision", { method: "POST", headers: FORM, body: new URLSearchParams(form) });
}

const UNKNOWN_APP: TestApp = { clientId: "ca_00000000000000000000000000000000", clientSecret: null, clientType: "first_party_public", redirectUris: [PUBLIC_REDIRECT] };

test.describe("authorization endpoint", () => {
  test("unknown client_id: error page, no redirect", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    expectErrorPage(await op.send(op.authorizeUrl(UNKNOWN_APP).toString()));
  });

  test("unregistered redirect_uri: error page, no redirect", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    expectErrorPage(await op.send(op.authorizeUrl(app, { redirect_uri: "https://attacker.example/cb" }).toString()));
    // A registered URI with something appended is not the registered URI either.
    expectErrorPage(await op.send(op.authorizeUrl(app, { redirect_uri: `${CONFIDENTIAL_REDIRECT}/../evil` }).toString()));
  });

  test("missing redirect_uri with several registered: error page", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party", { redirect_uris: [CONFIDENTIAL_REDIRECT, "https://rp.example/other"] });
    expectErrorPage(await op.send(op.authorizeUrl(app, { redirect_uri: undefined }).toString()));
  });

  test("response_type=token: unsupported_response_type redirected with state and iss", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const state = randomState();
    const reply = await op.send(op.authorizeUrl(app, { response_type: "token", state }).toString());
    expectErrorRedirect(reply, op, CONFIDENTIAL_REDIRECT, "unsupported_response_type", state);
  });

  test("public client without PKCE: invalid_request redirected", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party_public");
    const state = randomState();
    expectErrorRedirect(await op.send(op.authorizeUrl(app, { state }).toString()), op, PUBLIC_REDIRECT, "invalid_request", state);
  });

  test("code_challenge_method=plain: invalid_request, even for a confidential client", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    for (const type of ["first_party", "first_party_public"] as const) {
      const app = await op.createApp(type);
      const state = randomState();
      const verifier = pkcePair().verifier;
      const reply = await op.send(op.authorizeUrl(app, { state, code_challenge: verifier, code_challenge_method: "plain" }).toString());
      expectErrorRedirect(reply, op, app.redirectUris[0]!, "invalid_request", state);
    }
  });

  test("prompt=none without a session: login_required redirected", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const state = randomState();
    expectErrorRedirect(await op.send(op.authorizeUrl(app, { prompt: "none", state }).toString()), op, CONFIDENTIAL_REDIRECT, "login_required", state);
  });

  test("prompt=none signed in but consent not yet given: consent_required redirected", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party");
    const session = await op.signedIn();
    const state = randomState();
    const reply = await sessionReply(session, op.authorizeUrl(app, { prompt: "none", state }));
    expectErrorRedirect(reply, op, CONFIDENTIAL_REDIRECT, "consent_required", state);
  });

  test("scope the app is not allowed: invalid_scope redirected", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party", { allowed_scopes: ["openid"] });
    const state = randomState();
    const reply = await op.send(op.authorizeUrl(app, { scope: "openid email", state }).toString());
    expectErrorRedirect(reply, op, CONFIDENTIAL_REDIRECT, "invalid_scope", state);
  });

  test("repeated parameters are refused (never a code, never another redirect target)", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const session = await op.signedIn();
    const other = await op.createApp("first_party");
    // client_id and redirect_uri repeated: nothing trustworthy to redirect to.
    const twoClients = op.authorizeUrl(app);
    twoClients.searchParams.append("client_id", other.clientId);
    expectErrorPage(await sessionReply(session, twoClients));
    const twoRedirects = op.authorizeUrl(app);
    twoRedirects.searchParams.append("redirect_uri", "https://attacker.example/cb");
    expectErrorPage(await sessionReply(session, twoRedirects));
    // Any other parameter repeated: refused too (on the error page or as invalid_request at the registered URI).
    for (const name of ["state", "scope", "response_type", "code_challenge"]) {
      const url = op.authorizeUrl(app, { code_challenge: pkcePair().challenge, code_challenge_method: "S256" });
      url.searchParams.append(name, name === "scope" ? "profile" : name === "response_type" ? "code" : pkcePair().challenge);
      const reply = await sessionReply(session, url);
      if (reply.headers.get("location") === null) expectErrorPage(reply);
      else expectErrorRedirect(reply, op, CONFIDENTIAL_REDIRECT, "invalid_request", null);
    }
  });

  test("resource that is not an absolute URI: invalid_target redirected", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const state = randomState();
    const reply = await op.send(op.authorizeUrl(app, { resource: "/api/things", state }).toString());
    expectErrorRedirect(reply, op, CONFIDENTIAL_REDIRECT, "invalid_target", state);
  });

  // PostgreSQL cannot store U+0000 in text or jsonb: such values must be refused (or stored safely), never a 500.
  for (const [name, signedIn] of [
    ["state", false],
    ["nonce", false],
    ["nonce", true],
  ] as const) {
    test(`a NUL character in ${name} (${signedIn ? "signed in, consent skipped: code issued at once" : "signed out: request stored for sign-in"}) is not a 500`, async ({ baseURL }) => {
      const op = new Provider(baseURL);
      const app = await op.createApp("first_party", { skip_consent: true, bypass_consent_for_offline_access: true });
      const url = op.authorizeUrl(app, { [name]: "a\u0000b" });
      const reply = signedIn ? await sessionReply(await op.signedIn(), url) : await op.send(url.toString());
      expect(reply.status, reply.text.slice(0, 300)).toBe(302);
      const location = new URL(reply.headers.get("location")!, op.origin);
      if (!signedIn && location.origin === op.origin) expect(location.pathname).toBe("/signin");
      else if (!location.searchParams.has("code")) expect(location.searchParams.get("error")).toBe("invalid_request");
    });
  }

  test("consent Deny: access_denied with state and iss", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party");
    const state = randomState();
    const callback = await op.authorize(app, { state }, { choice: "deny" });
    expect(`${callback.origin}${callback.pathname}`).toBe(CONFIDENTIAL_REDIRECT);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("iss")).toBe(op.issuer);
    expect(callback.searchParams.get("code")).toBeNull();
  });

  test("consent POST with a wrong CSRF token: error page, no code", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party");
    const session = await op.signedIn();
    const consent = await openConsent(op, app, session);
    for (const csrf of ["wrong", `${consent.csrf}x`, ""]) {
      expectErrorPage(await decide(session, { request: consent.request, csrf, decision: "allow" }));
    }
    // Without a csrf field at all.
    expectErrorPage(await decide(session, { request: consent.request, decision: "allow" }));
    // The genuine form still works: the refusals above were about the token alone.
    const genuine = await decide(session, { request: consent.request, csrf: consent.csrf, decision: "allow" });
    expect(genuine.status).toBe(303);
    expect(new URL(genuine.headers.get("location")!).searchParams.get("code")).toBeTruthy();
  });

  test("consent POST from another browser (no binding cookie), same user and CSRF token: error page, no code", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party");
    const session = await op.signedIn();
    const consent = await openConsent(op, app, session);
    const otherBrowser = await op.signedIn(ALICE);
    expectErrorPage(await decide(otherBrowser, { request: consent.request, csrf: consent.csrf, decision: "allow" }));
    // Nor another user's browser.
    expectErrorPage(await decide(await op.signedIn(BOB), { request: consent.request, csrf: consent.csrf, decision: "allow" }));
    // Nor can the other browser open the consent page of that request.
    const page = await sessionReply(otherBrowser, `/consent?request=${consent.request}`);
    expect(page.text).not.toContain(consent.csrf);
    const genuine = await decide(session, { request: consent.request, csrf: consent.csrf, decision: "allow" });
    expect(genuine.status).toBe(303);
    expect(new URL(genuine.headers.get("location")!).searchParams.get("code")).toBeTruthy();
  });

  test("the consent page cannot be framed", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party");
    const consent = await openConsent(op, app, await op.signedIn());
    expect(consent.page.headers.get("content-security-policy") ?? "").toMatch(/frame-ancestors 'none'/);
  });
});

test.describe("token endpoint: authorization_code", () => {
  test("a code used twice: invalid_grant, and the tokens of the first use are revoked", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const code = await op.obtainCode(app);
    const first = await op.redeem(app, code);
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get("cache-control")).toContain("no-store");
    const { access_token, refresh_token } = first.json;
    expect(refresh_token).toBeTruthy();
    expect(await op.isActive(access_token)).toBe(true);
    expect(await op.isActive(refresh_token)).toBe(true);
    expectOAuthError(await op.redeem(app, code), 400, "invalid_grant");
    expect(await op.isActive(access_token)).toBe(false);
    expect(await op.isActive(refresh_token)).toBe(false);
    expectOAuthError(await op.refresh(app, refresh_token), 400, "invalid_grant");
  });

  test("a code issued to another client: invalid_grant, and the code still works for its own client", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const other = await op.createApp("first_party");
    const code = await op.obtainCode(app);
    expectOAuthError(await op.redeem(other, code), 400, "invalid_grant");
    const own = await op.redeem(app, code);
    expect(own.status, own.text).toBe(200);
    expect(await op.isActive(own.json.access_token)).toBe(true);
  });

  test("a code of a public client redeemed by another public client: invalid_grant", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party_public");
    const other = await op.createApp("third_party_public");
    const code = await op.obtainCode(app);
    expectOAuthError(await op.redeem(other, code), 400, "invalid_grant");
    expect((await op.redeem(app, code)).status).toBe(200);
  });

  test("wrong PKCE verifier: invalid_grant (the right one still works)", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const code = await op.obtainCode(app);
    expectOAuthError(await op.redeem(app, code, { code_verifier: pkcePair().verifier }), 400, "invalid_grant");
    expectOAuthError(await op.redeem(app, code, { code_verifier: undefined }), 400, "invalid_grant");
    expect((await op.redeem(app, code)).status).toBe(200);
  });

  test("a verifier sent for a code issued without a challenge: invalid_grant (PKCE downgrade)", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const code = await op.obtainCode(app, { pkce: false });
    expectOAuthError(await op.redeem(app, code, { code_verifier: pkcePair().verifier }), 400, "invalid_grant");
  });

  test("redirect_uri that does not match the authorization request: invalid_grant", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party", { redirect_uris: [CONFIDENTIAL_REDIRECT, "https://rp.example/other"] });
    const code = await op.obtainCode(app);
    expectOAuthError(await op.redeem(app, code, { redirect_uri: "https://rp.example/other" }), 400, "invalid_grant");
    expectOAuthError(await op.redeem(app, code, { redirect_uri: undefined }), 400, "invalid_grant");
    expectOAuthError(await op.redeem(app, code, { redirect_uri: `${CONFIDENTIAL_REDIRECT}/` }), 400, "invalid_grant");
    expect((await op.redeem(app, code)).status).toBe(200);
  });

  test("an unknown code: invalid_grant", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    expectOAuthError(await op.token(app, { grant_type: "authorization_code", code: "not-a-code", redirect_uri: CONFIDENTIAL_REDIRECT }), 400, "invalid_grant");
  });

  // Code expiry (60 s) is covered by the unit test "a code expires after 60 seconds"
  // (lib/oauth/token-endpoint.test.ts), which moves the clock instead of waiting.
});

test.describe("token endpoint: refresh_token", () => {
  test("public client without a reuse interval: replaying a spent refresh token revokes the whole family", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public", { refresh_token_reuse_seconds: 0 });
    const first = await op.tokens(app);
    const a = first.refresh_token!;
    const rotated = await op.refresh(app, a);
    expect(rotated.status, rotated.text).toBe(200);
    const b = rotated.json.refresh_token as string;
    expect(b).toBeTruthy();
    expect(b).not.toBe(a);
    expect(await op.isActive(rotated.json.access_token)).toBe(true);
    expectOAuthError(await op.refresh(app, a), 400, "invalid_grant");
    expectOAuthError(await op.refresh(app, b), 400, "invalid_grant");
    expect(await op.isActive(first.access_token)).toBe(false);
    expect(await op.isActive(rotated.json.access_token)).toBe(false);
    expect(await op.isActive(b)).toBe(false);
  });

  test("public client: a spent refresh token retried at once (a lost answer) works once; the next replay revokes the family", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const a = (await op.tokens(app)).refresh_token!;
    const lost = await op.refresh(app, a);
    expect(lost.status, lost.text).toBe(200);
    const retried = await op.refresh(app, a);
    expect(retried.status, retried.text).toBe(200);
    expect(await op.isActive(lost.json.refresh_token as string)).toBe(false);
    expect(await op.isActive(retried.json.refresh_token as string)).toBe(true);
    expectOAuthError(await op.refresh(app, a), 400, "invalid_grant");
    expect(await op.isActive(retried.json.refresh_token as string)).toBe(false);
    expect(await op.isActive(retried.json.access_token as string)).toBe(false);
  });

  test("confidential client: the same refresh token works twice", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const { refresh_token } = await op.tokens(app);
    for (let i = 0; i < 2; i++) {
      const reply = await op.refresh(app, refresh_token!);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.refresh_token).toBe(refresh_token);
      expect(await op.isActive(reply.json.access_token)).toBe(true);
    }
  });

  test("another client's refresh token: invalid_grant, and it keeps working for its own client", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    for (const type of ["first_party", "third_party_public"] as const) {
      const app = await op.createApp(type);
      const other = await op.createApp(type);
      const { refresh_token } = await op.tokens(app);
      expectOAuthError(await op.refresh(other, refresh_token!), 400, "invalid_grant");
      expect((await op.refresh(app, refresh_token!)).status).toBe(200);
    }
  });

  test("confidential client asking for a wider scope: invalid_scope, and the refresh token is unharmed", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const { refresh_token } = await op.tokens(app, { scope: "openid offline_access" });
    expectOAuthError(await op.refresh(app, refresh_token!, { scope: "openid offline_access profile" }), 400, "invalid_scope");
    const narrowed = await op.refresh(app, refresh_token!, { scope: "openid" });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.json.scope).toBe("openid");
  });

  test("public client asking for a wider scope: invalid_scope, and the refresh token is not spent by the refused request", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const first = await op.tokens(app, { scope: "openid offline_access" });
    expectOAuthError(await op.refresh(app, first.refresh_token!, { scope: "openid offline_access profile" }), 400, "invalid_scope");
    // A refused request issued nothing, so the token it presented is still the live one.
    expect(await op.isActive(first.refresh_token!)).toBe(true);
    const retry = await op.refresh(app, first.refresh_token!);
    expect(retry.status, retry.text).toBe(200);
    expect(await op.isActive(first.access_token)).toBe(true);
  });
});

test.describe("token endpoint: client authentication and grant types", () => {
  test("wrong client secret with Basic: 401 invalid_client with a Basic challenge", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const reply = await op.token({ ...app, clientSecret: `${app.clientSecret}x` }, { grant_type: "authorization_code", code: "x" }, "basic");
    expectOAuthError(reply, 401, "invalid_client");
    expect(reply.headers.get("www-authenticate") ?? "").toMatch(/^Basic\b/i);
  });

  test("wrong client secret in the form: 401 invalid_client", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party");
    expectOAuthError(await op.token({ ...app, clientSecret: "wrong" }, { grant_type: "authorization_code", code: "x" }, "post"), 401, "invalid_client");
    // Another app's secret is just as wrong.
    const other = await op.createApp("third_party");
    expectOAuthError(await op.token({ ...app, clientSecret: other.clientSecret }, { grant_type: "authorization_code", code: "x" }, "post"), 401, "invalid_client");
  });

  test("a public client presenting a secret: invalid_client", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const code = await op.obtainCode(app);
    const form = { grant_type: "authorization_code", code: code.code, redirect_uri: code.redirectUri, code_verifier: code.verifier };
    expectOAuthError(await op.token({ ...app, clientSecret: "anything" }, form, "post"), 401, "invalid_client");
    expectOAuthError(await op.token({ ...app, clientSecret: "anything" }, form, "basic"), 401, "invalid_client");
    expect((await op.token(app, form, "none")).status).toBe(200);
  });

  test("a confidential client without its secret: invalid_client", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const code = await op.obtainCode(app);
    expectOAuthError(await op.redeem({ ...app, clientSecret: null }, code), 401, "invalid_client");
    expect((await op.redeem(app, code)).status).toBe(200);
  });

  test("grant_type client_credentials for a connected app: unauthorized_client; password: unsupported_grant_type", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    expectOAuthError(await op.token(app, { grant_type: "client_credentials", scope: "openid" }), 400, "unauthorized_client");
    expectOAuthError(await op.token(app, { grant_type: "password", username: ALICE.email, password: ALICE.password }), 400, "unsupported_grant_type");
    expectOAuthError(await op.token(app, { grant_type: "implicit" }), 400, "unsupported_grant_type");
  });

  test("missing grant_type: invalid_request", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    expectOAuthError(await op.token(app, { code: "x" }), 400, "invalid_request");
  });

  test("every token response, success or error, has Cache-Control: no-store", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const code = await op.obtainCode(app);
    const replies = [await op.redeem(app, code)];
    replies.push(await op.refresh(app, replies[0]!.json.refresh_token));
    replies.push(await op.redeem(app, code)); // reuse
    replies.push(await op.token(app, { grant_type: "password" }));
    replies.push(await op.token(app, {}));
    replies.push(await op.postForm("/oauth2/token", "grant_type=refresh_token&refresh_token=x&client_id=nobody"));
    replies.push(await op.send("/oauth2/token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 400, 400, 400, 401, 400]);
    for (const reply of replies) {
      expect(reply.headers.get("cache-control"), reply.text).toContain("no-store");
      expect(reply.headers.get("content-type") ?? "").toContain("application/json");
    }
  });
});

// Malformed input on every form endpoint. Bodies that are not a form, empty
// bodies, broken Basic headers, oversize bodies (with and without a
// Content-Length), invalid UTF-8 and percent-encoding, repeated parameters
// and NUL characters: a 400 or 401 with an RFC error, never a 500.
type Endpoint = "token" | "introspect" | "revoke" | "userinfo" | "authorize";
const ENDPOINT_PATHS: Record<Endpoint, string> = {
  token: "/oauth2/token",
  introspect: "/oauth2/introspect",
  revoke: "/oauth2/revoke",
  userinfo: "/oauth2/userinfo",
  authorize: "/oauth2/authorize",
};
/** A minimal plausible form per endpoint (unknown client, garbage token). */
const BASE_FORM: Record<Endpoint, string> = {
  token: "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Frp.example%2Fcb",
  introspect: "token=abc",
  revoke: "token=abc",
  userinfo: "access_token=abc",
  authorize: `response_type=code&client_id=${UNKNOWN_APP.clientId}`,
};
/** A parameter to repeat per endpoint. */
const REPEATED: Record<Endpoint, string> = {
  token: "grant_type=authorization_code",
  introspect: "token=def",
  revoke: "token=def",
  userinfo: "access_token=def",
  authorize: "client_id=ca_11111111111111111111111111111111",
};
/** Where the NUL character goes per endpoint. */
const NUL_FORM: Record<Endpoint, string> = {
  token: "grant_type=authorization_code&code=abc&client_id=a%00b",
  introspect: "token=abc&client_id=a%00b",
  revoke: "token=abc&client_id=a%00b",
  userinfo: "access_token=a%00b",
  authorize: "response_type=code&client_id=a%00b",
};
const INVALID_UTF8: Record<Endpoint, Buffer> = {
  token: Buffer.concat([Buffer.from("grant_type=authorization_code&code=%zz%&client_id="), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("%E0%A4")]),
  introspect: Buffer.concat([Buffer.from("token=%zz%&client_id="), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("%E0%A4")]),
  revoke: Buffer.concat([Buffer.from("token=%zz%&client_id="), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("%E0%A4")]),
  userinfo: Buffer.concat([Buffer.from("access_token="), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("%E0%A4%zz%")]),
  authorize: Buffer.concat([Buffer.from("response_type=code&client_id="), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("%E0%A4%zz%")]),
};

type Expected = { status: 400 | 401; error?: string; basicChallenge?: boolean; bearerChallenge?: boolean };

interface MalformedCase {
  name: string;
  request(endpoint: Endpoint): { headers: Record<string, string>; body: BodyInit | null };
  expected: Record<Endpoint, Expected>;
}

const invalidRequest: Expected = { status: 400, error: "invalid_request" };
const page: Expected = { status: 400 }; // the authorization endpoint's error page
const clientRefused: Expected = { status: 401, error: "invalid_client" };
const bearerRefused: Expected = { status: 401, bearerChallenge: true };
const BIG = 70 * 1024;

const MALFORMED: MalformedCase[] = [
  {
    name: "a JSON body",
    request: (e) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(Object.fromEntries(new URLSearchParams(BASE_FORM[e]))) }),
    expected: { token: invalidRequest, introspect: invalidRequest, revoke: invalidRequest, userinfo: invalidRequest, authorize: page },
  },
  {
    name: "a form body sent as text/plain",
    request: (e) => ({ headers: { "content-type": "text/plain" }, body: BASE_FORM[e] }),
    expected: { token: invalidRequest, introspect: invalidRequest, revoke: invalidRequest, userinfo: invalidRequest, authorize: page },
  },
  {
    name: "a multipart body",
    request: (e) => {
      const form = new FormData();
      for (const [k, v] of new URLSearchParams(BASE_FORM[e])) form.append(k, v);
      return { headers: {}, body: form };
    },
    expected: { token: invalidRequest, introspect: invalidRequest, revoke: invalidRequest, userinfo: invalidRequest, authorize: page },
  },
  {
    name: "an empty form body",
    request: () => ({ headers: FORM, body: "" }),
    expected: { token: invalidRequest, introspect: clientRefused, revoke: clientRefused, userinfo: bearerRefused, authorize: page },
  },
  {
    name: "a Basic header that is not base64",
    request: (e) => ({ headers: { ...FORM, authorization: "Basic %%%not-base64!!!" }, body: e === "userinfo" ? "" : BASE_FORM[e] }),
    expected: {
      token: { ...clientRefused, basicChallenge: true },
      introspect: { ...clientRefused, basicChallenge: true },
      revoke: { ...clientRefused, basicChallenge: true },
      userinfo: bearerRefused,
      authorize: page,
    },
  },
  {
    name: "a Basic header without a colon",
    request: (e) => ({
      headers: { ...FORM, authorization: `Basic ${Buffer.from("ca_no_colon_here").toString("base64")}` },
      body: e === "userinfo" ? "" : BASE_FORM[e],
    }),
    expected: {
      token: { ...clientRefused, basicChallenge: true },
      introspect: { ...clientRefused, basicChallenge: true },
      revoke: { ...clientRefused, basicChallenge: true },
      userinfo: bearerRefused,
      authorize: page,
    },
  },
  {
    name: "a Basic header with broken percent-encoding",
    request: (e) => ({
      headers: { ...FORM, authorization: `Basic ${Buffer.from("ca_%zz:secret%").toString("base64")}` },
      body: e === "userinfo" ? "" : BASE_FORM[e],
    }),
    expected: {
      token: { ...clientRefused, basicChallenge: true },
      introspect: { ...clientRefused, basicChallenge: true },
      revoke: { ...clientRefused, basicChallenge: true },
      userinfo: bearerRefused,
      authorize: page,
    },
  },
  {
    name: "a body over 64 KB",
    request: (e) => ({ headers: FORM, body: `${BASE_FORM[e]}&padding=${"a".repeat(BIG)}` }),
    expected: { token: invalidRequest, introspect: invalidRequest, revoke: invalidRequest, userinfo: invalidRequest, authorize: page },
  },
  {
    name: "a body over 64 KB without Content-Length (chunked)",
    request: (e) => {
      const bytes = new TextEncoder().encode(`${BASE_FORM[e]}&padding=${"a".repeat(BIG)}`);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
          controller.close();
        },
      });
      return { headers: FORM, body };
    },
    expected: { token: invalidRequest, introspect: invalidRequest, revoke: invalidRequest, userinfo: invalidRequest, authorize: page },
  },
  {
    name: "invalid UTF-8 and percent-encoding",
    request: (e) => ({ headers: FORM, body: new Uint8Array(INVALID_UTF8[e]) }),
    expected: {
      token: clientRefused,
      introspect: clientRefused,
      revoke: clientRefused,
      userinfo: { status: 401, error: "invalid_token", bearerChallenge: true },
      authorize: page,
    },
  },
  {
    name: "a repeated parameter",
    request: (e) => ({
      headers: { ...FORM, ...(e === "introspect" ? { authorization: `Bearer ${ownerApiKey()}` } : {}) },
      body: `${BASE_FORM[e]}&${REPEATED[e]}`,
    }),
    expected: { token: invalidRequest, introspect: invalidRequest, revoke: invalidRequest, userinfo: invalidRequest, authorize: page },
  },
  {
    name: "a NUL character in client_id or the token",
    request: (e) => ({ headers: FORM, body: NUL_FORM[e] }),
    // A value the database cannot hold is malformed input: refused before any lookup.
    expected: {
      token: invalidRequest,
      introspect: invalidRequest,
      revoke: invalidRequest,
      userinfo: { ...invalidRequest, bearerChallenge: true },
      authorize: page,
    },
  },
];

test.describe("malformed requests", () => {
  for (const endpoint of Object.keys(ENDPOINT_PATHS) as Endpoint[]) {
    for (const c of MALFORMED) {
      test(`${endpoint} POST with ${c.name}: ${c.expected[endpoint].status}${c.expected[endpoint].error ? ` ${c.expected[endpoint].error}` : ""}, never 500`, async ({ baseURL }) => {
        const op = new Provider(baseURL);
        const { headers, body } = c.request(endpoint);
        const init: RequestInit & { duplex?: "half" } = { method: "POST", headers, body };
        if (body instanceof ReadableStream) init.duplex = "half";
        const reply = await op.send(ENDPOINT_PATHS[endpoint], init);
        const expected = c.expected[endpoint];
        if (endpoint === "authorize") {
          expectErrorPage(reply);
          return;
        }
        expect(reply.status, reply.text.slice(0, 500)).toBe(expected.status);
        expect(reply.headers.get("content-type") ?? "").toContain("application/json");
        expect(RFC_ERRORS.has(reply.json?.error), reply.text.slice(0, 500)).toBe(true);
        if (expected.error) expect(reply.json.error).toBe(expected.error);
        const challenge = reply.headers.get("www-authenticate") ?? "";
        if (expected.basicChallenge) expect(challenge).toMatch(/^Basic\b/i);
        if (expected.bearerChallenge) expect(challenge).toMatch(/^Bearer\b/i);
        expect(reply.headers.get("cache-control")).toContain("no-store");
      });
    }
  }
});

test.describe("userinfo", () => {
  test("no token: 401 with a bare Bearer challenge (no error code)", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    for (const reply of [await op.send("/oauth2/userinfo"), await op.send("/oauth2/userinfo", { method: "POST" })]) {
      expect(reply.status).toBe(401);
      const challenge = reply.headers.get("www-authenticate") ?? "";
      expect(challenge).toMatch(/^Bearer realm="[^"]+"$/);
      expect(challenge).not.toContain("error=");
    }
  });

  test("garbage token: 401 invalid_token", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    for (const token of ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."]) {
      const reply = await op.userinfo(token);
      expectOAuthError(reply, 401, "invalid_token");
      expect(reply.headers.get("www-authenticate") ?? "").toMatch(/^Bearer .*error="invalid_token"/);
    }
  });

  test("the token in both the header and the body: 400 invalid_request", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const { access_token } = await op.tokens(app);
    const reply = await op.postForm("/oauth2/userinfo", { access_token }, { authorization: `Bearer ${access_token}` });
    expectOAuthError(reply, 400, "invalid_request");
  });

  test("a token without the openid scope: 403 insufficient_scope", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const { access_token } = await op.tokens(app, { scope: "profile" });
    const reply = await op.userinfo(access_token);
    expectOAuthError(reply, 403, "insufficient_scope");
    expect(reply.headers.get("www-authenticate") ?? "").toMatch(/^Bearer .*error="insufficient_scope"/);
  });

  test("a revoked access token: 401 invalid_token", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const { access_token } = await op.tokens(app, { scope: "openid email" });
    const before = await op.userinfo(access_token);
    expect(before.status, before.text).toBe(200);
    expect(before.json.email).toBe(ALICE.email);
    expect((await op.revoke(app, access_token)).status).toBe(200);
    expectOAuthError(await op.userinfo(access_token), 401, "invalid_token");
  });

  test("a token whose family was revoked through its refresh token: 401 invalid_token", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const { access_token, refresh_token } = await op.tokens(app);
    expect((await op.revoke(app, refresh_token!)).status).toBe(200);
    expectOAuthError(await op.userinfo(access_token), 401, "invalid_token");
  });
});

test.describe("introspection", () => {
  test("a public client cannot introspect: 401 invalid_client", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party_public");
    const { access_token } = await op.tokens(app);
    expectOAuthError(await op.postForm("/oauth2/introspect", { token: access_token, client_id: app.clientId }), 401, "invalid_client");
  });

  test("no authentication: 401", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const { access_token } = await op.tokens(app);
    expectOAuthError(await op.postForm("/oauth2/introspect", { token: access_token }), 401, "invalid_client");
    const badKey = await op.postForm("/oauth2/introspect", { token: access_token }, { authorization: "Bearer ca_key_not_a_key" });
    expect(badKey.status).toBe(401);
    expect(badKey.json.active).toBeUndefined();
  });

  test("an app introspecting another app's token: {active: false}", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const other = await op.createApp("third_party");
    const { access_token, refresh_token } = await op.tokens(app);
    for (const token of [access_token, refresh_token!]) {
      const own = await op.postForm("/oauth2/introspect", { token }, { authorization: basic(app.clientId, app.clientSecret!) });
      expect(own.status).toBe(200);
      expect(own.json.active).toBe(true);
      const foreign = await op.postForm("/oauth2/introspect", { token }, { authorization: basic(other.clientId, other.clientSecret!) });
      expect(foreign.status).toBe(200);
      expect(foreign.json).toEqual({ active: false });
      expect(foreign.headers.get("cache-control")).toContain("no-store");
    }
  });

  test("an unknown token: {active: false}", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    for (const token of ["unknown", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."]) {
      expect(await op.introspect(token)).toEqual({ active: false });
    }
  });
});

test.describe("revocation", () => {
  test("another client's tokens: 200, but they stay active", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("first_party");
    const other = await op.createApp("first_party");
    const { access_token, refresh_token } = await op.tokens(app);
    for (const token of [access_token, refresh_token!]) {
      const reply = await op.revoke(other, token);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("cache-control")).toContain("no-store");
    }
    expect(await op.isActive(access_token)).toBe(true);
    expect(await op.isActive(refresh_token!)).toBe(true);
    expect((await op.refresh(app, refresh_token!)).status).toBe(200);
  });
});

test.describe("CORS", () => {
  const preflighted = [
    ["/oauth2/token", "POST"],
    ["/oauth2/userinfo", "GET"],
    ["/oauth2/revoke", "POST"],
    ["/.well-known/openid-configuration", "GET"],
    ["/.well-known/jwks.json", "GET"],
  ] as const;
  for (const [path, method] of preflighted) {
    test(`preflight on ${path} allows any origin and MCP-Protocol-Version`, async ({ baseURL }) => {
      const op = new Provider(baseURL);
      const reply = await op.send(path, {
        method: "OPTIONS",
        headers: {
          origin: "https://spa.example",
          "access-control-request-method": method,
          "access-control-request-headers": "authorization, mcp-protocol-version",
        },
      });
      expect(reply.status).toBe(204);
      expect(reply.headers.get("access-control-allow-origin")).toBe("*");
      const allowed = (reply.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
      expect(allowed).toContain("mcp-protocol-version");
      expect(allowed).toContain("authorization");
      expect((reply.headers.get("access-control-allow-methods") ?? "").toUpperCase()).toContain(method);
    });
  }

  test("errors of the token and userinfo endpoints are readable cross-origin", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const token = await op.send("/oauth2/token", { method: "POST", headers: { ...FORM, origin: "https://spa.example" }, body: "grant_type=password" });
    expect(token.status).toBe(400);
    expect(token.headers.get("access-control-allow-origin")).toBe("*");
    const userinfo = await op.send("/oauth2/userinfo", { headers: { origin: "https://spa.example" } });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get("access-control-allow-origin")).toBe("*");
    expect((userinfo.headers.get("access-control-expose-headers") ?? "").toLowerCase()).toContain("www-authenticate");
  });
});
