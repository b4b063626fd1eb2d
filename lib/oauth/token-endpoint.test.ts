import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClock } from "@/lib/oauth/context";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { oauthError, VERIFIER } from "@/tests/oauth-client";
import type { Actor } from "../audit";
import { createUser } from "../auth/users";
import { createApp, updateApp } from "../clients/apps";
import type { AuthorizationParams } from "./authorize/request";
import { issueAuthorizationCode } from "./codes";
import { introspect } from "./introspect";
import { ensureSigningKeys } from "../keys/signing-keys";
import { publishedJwks } from "@/tests/jwks";
import { s256 } from "./pkce";
import { revokeToken } from "./revoke";
import type { SignInMethod } from "./store";
import { handleTokenRequest } from "./token-endpoint";
import { atHash } from "./tokens/id-token";
import { userInfo } from "./userinfo";
import { updateProjectSettings } from "../settings";

const ISSUER = "https://id.example.com";
const actor: Actor = { type: "system", id: null, label: "test" };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

describe.each(testDatabases)("token endpoint on $name", ({ target }) => {
  let db: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    userId = (await createUser(db.prisma, { email: "tokens@example.com", password: "correct horse battery", name: "Tok En" }, "member")).id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function setup(
    input: Record<string, unknown> = {},
    scopes = ["openid", "email", "offline_access"],
    now = new Date(),
    signIn: SignInMethod = { amr: ["pwd"], idp: "email" },
  ) {
    const { app, clientSecret } = await createApp(
      db.prisma,
      actor,
      { client_type: "first_party", name: "T", redirect_uris: ["https://rp.example/cb", "http://127.0.0.1/cb"].slice(0, 1), ...input },
      "api",
    );
    const row = (await db.prisma.connectedApp.findUnique({ where: { clientId: app.client_id } }))!;
    const params: AuthorizationParams = {
      clientId: app.client_id,
      redirectUri: app.redirect_uris[0]!,
      redirectUriSent: true,
      scopes,
      nonce: "nonce-1",
      prompt: [],
      resources: [],
      codeChallenge: s256(VERIFIER),
    };
    const code = await issueAuthorizationCode(db.oauth, row.id, userId, params, new Date(now.getTime() - 5000), now, signIn);
    const auth = clientSecret ? basic(app.client_id, clientSecret) : null;
    const exchange = (extra: Record<string, string> = {}, at = now) =>
      handleTokenRequest(withClock(db.oauth, at), {
          authorization: auth,
          form: new URLSearchParams({
            grant_type: "authorization_code",
            code,
            redirect_uri: params.redirectUri,
            code_verifier: VERIFIER,
            ...(auth ? {} : { client_id: app.client_id }),
            ...extra,
          }),
        });
    const refresh = (token: string, at = new Date(), extra: Record<string, string> = {}) =>
      handleTokenRequest(withClock(db.oauth, at), { authorization: auth, form: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token, ...(auth ? {} : { client_id: app.client_id }), ...extra }) });
    const ownerIntrospect = async (token: string, at = new Date()) => {
      const { createApiKey } = await import("../auth/api-keys");
      const owner = await createUser(db.prisma, { email: `owner-${Math.random()}@example.com`, password: "correct horse battery" }, "owner");
      const { key } = await createApiKey(db.prisma, owner.id, "t");
      return introspect(withClock(db.oauth, at), { authorization: `Bearer ${key}`, form: new URLSearchParams({ token }) });
    };
    return { app, clientSecret, auth, code, exchange, refresh, ownerIntrospect };
  }

  it("issues an RFC 9068 access token, an ID token and a refresh token", async () => {
    const { app, exchange } = await setup();
    const tokens = await exchange();
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "openid email offline_access" });
    const jwks = createLocalJWKSet(await publishedJwks(db));
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: "RS256", typ: "at+jwt" });
    const { payload: at } = await jwtVerify(tokens.access_token, jwks, { issuer: ISSUER, audience: ISSUER, typ: "at+jwt" });
    expect(at).toMatchObject({ sub: userId, client_id: app.client_id, scope: "openid email offline_access" });
    expect(at.exp! - at.iat!).toBe(3600);
    expect(typeof at.jti).toBe("string");
    const { payload: id } = await jwtVerify(tokens.id_token!, jwks, { issuer: ISSUER, audience: app.client_id });
    expect(id).toMatchObject({ sub: userId, nonce: "nonce-1", azp: app.client_id, email: "tokens@example.com", at_hash: atHash(tokens.access_token) });
    expect(id.name).toBeUndefined(); // profile was not granted
    expect(typeof id.auth_time).toBe("number");
    expect(tokens.refresh_token).toMatch(/^[\w-]{43}$/);
    // Only hashes are stored.
    const dump = JSON.stringify(await db.prisma.refreshToken.findMany()) + JSON.stringify(await db.prisma.authorizationCode.findMany());
    expect(dump).not.toContain(tokens.refresh_token);
  });

  it("the ID token says how the user signed in (amr, idp), and refreshed ID tokens keep saying it", async () => {
    const { exchange, refresh } = await setup({}, ["openid", "offline_access"], new Date(), { amr: ["fed"], idp: "acme" });
    const first = await exchange();
    expect(decodeJwt(first.id_token!)).toMatchObject({ amr: ["fed"], idp: "acme" });
    const again = await refresh(first.refresh_token!);
    expect(decodeJwt(again.id_token!)).toMatchObject({ amr: ["fed"], idp: "acme" });
  });

  it("no refresh token without offline_access, no ID token without openid", async () => {
    const tokens = await (await setup({}, ["email"])).exchange();
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
  });

  it("resource values become the audience; redirect_uri may be omitted when the request omitted it", async () => {
    const { app, auth } = await setup();
    const row = (await db.prisma.connectedApp.findUnique({ where: { clientId: app.client_id } }))!;
    const issue = (scopes: string[]) =>
      issueAuthorizationCode(db.oauth, row.id, userId, {
        clientId: app.client_id, redirectUri: "https://rp.example/cb", redirectUriSent: false, scopes, prompt: [],
        resources: ["https://api.example.com"],
      }, new Date(), new Date());
    const audience = async (code: string) => {
      const tokens = await handleTokenRequest(db.oauth, { authorization: auth, form: new URLSearchParams({ grant_type: "authorization_code", code }) });
      return (await jwtVerify(tokens.access_token, createLocalJWKSet(await publishedJwks(db)))).payload.aud;
    };
    expect(await audience(await issue(["email"]))).toBe("https://api.example.com");
    expect(await audience(await issue(["openid"]))).toEqual(["https://api.example.com", ISSUER]);
  });

  it("a code is single use: the second use fails and revokes what the first issued", async () => {
    const { exchange, ownerIntrospect } = await setup();
    const first = await exchange();
    expect((await ownerIntrospect(first.access_token)).active).toBe(true);
    expect(await oauthError(exchange())).toBe("invalid_grant");
    expect((await ownerIntrospect(first.access_token)).active).toBe(false);
    expect((await ownerIntrospect(first.refresh_token!)).active).toBe(false);
  });

  it("a code expires after 60 seconds", async () => {
    const { exchange } = await setup();
    expect(await oauthError(exchange({}, new Date(Date.now() + 61_000)))).toBe("invalid_grant");
  });

  it("checks redirect_uri and the PKCE verifier", async () => {
    const s = await setup();
    expect(await oauthError(s.exchange({ redirect_uri: "https://rp.example/other" }))).toBe("invalid_grant");
    expect(await oauthError(s.exchange({ code_verifier: "b".repeat(43) }))).toBe("invalid_grant");
    expect(await oauthError(s.exchange({ code_verifier: "short" }))).toBe("invalid_request");
    // Failed attempts do not consume the code.
    expect((await s.exchange()).access_token).toBeTruthy();
  });

  it("confidential refresh tokens are reusable and their expiry slides", async () => {
    const { exchange, refresh } = await setup();
    const tokens = await exchange();
    const before = await db.prisma.refreshToken.findFirstOrThrow({ where: { tokenHash: { not: "" } }, orderBy: { createdAt: "desc" } });
    const later = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    const a = await refresh(tokens.refresh_token!, later);
    const b = await refresh(tokens.refresh_token!, later);
    expect(a.refresh_token).toBe(tokens.refresh_token);
    expect(b.refresh_token).toBe(tokens.refresh_token);
    const after = await db.prisma.refreshToken.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.expiresAt.getTime()).toBeGreaterThan(before.expiresAt.getTime());
    expect(await oauthError(refresh(tokens.refresh_token!, new Date(Date.now() + 200 * 24 * 3600 * 1000)))).toBe("invalid_grant");
    // The scope can narrow, never widen.
    expect((await refresh(tokens.refresh_token!, new Date(), { scope: "email" })).scope).toBe("email");
    expect(await oauthError(refresh(tokens.refresh_token!, new Date(), { scope: "email profile" }))).toBe("invalid_scope");
  });

  const PUBLIC = { client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"] };
  const later = (ms: number) => new Date(Date.now() + ms);

  it("public refresh tokens rotate; a spent one presented after the reuse interval revokes the family", async () => {
    const { exchange, refresh, ownerIntrospect } = await setup(PUBLIC);
    const first = await exchange();
    // A refused request (wider scope) does not spend the token.
    expect(await oauthError(refresh(first.refresh_token!, new Date(), { scope: "openid profile" }))).toBe("invalid_scope");
    const second = await refresh(first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await oauthError(refresh(first.refresh_token!, later(31_000)))).toBe("invalid_grant");
    expect(await oauthError(refresh(second.refresh_token!))).toBe("invalid_grant");
    expect((await ownerIntrospect(second.access_token)).active).toBe(false);
  });

  it("within the reuse interval a spent public token works once more (a lost answer): its unused successor is spent instead, a third use is a replay", async () => {
    const { exchange, refresh, ownerIntrospect } = await setup(PUBLIC);
    const first = await exchange();
    const lost = await refresh(first.refresh_token!); // the answer the client never received
    const retried = await refresh(first.refresh_token!, later(5_000));
    expect(retried.refresh_token).not.toBe(lost.refresh_token);
    expect((await ownerIntrospect(retried.access_token)).active).toBe(true);
    // The successor the client never got can no longer be used, and trying it is a replay.
    expect(await oauthError(refresh(lost.refresh_token!, later(6_000)))).toBe("invalid_grant");
    expect(await oauthError(refresh(retried.refresh_token!, later(7_000)))).toBe("invalid_grant");
    expect((await ownerIntrospect(retried.access_token)).active).toBe(false);
  });

  it("within the reuse interval, presenting a spent public token twice more revokes the family", async () => {
    const { exchange, refresh } = await setup(PUBLIC);
    const first = await exchange();
    await refresh(first.refresh_token!);
    const retried = await refresh(first.refresh_token!, later(1_000));
    expect(await oauthError(refresh(first.refresh_token!, later(2_000)))).toBe("invalid_grant");
    expect(await oauthError(refresh(retried.refresh_token!, later(3_000)))).toBe("invalid_grant");
  });

  it("a spent public token whose successor was already used is a replay, even within the reuse interval", async () => {
    const { exchange, refresh } = await setup(PUBLIC);
    const first = await exchange();
    const second = await refresh(first.refresh_token!);
    const third = await refresh(second.refresh_token!, later(1_000));
    expect(await oauthError(refresh(first.refresh_token!, later(2_000)))).toBe("invalid_grant");
    expect(await oauthError(refresh(third.refresh_token!, later(3_000)))).toBe("invalid_grant");
  });

  it("a use that began before the token was spent (another instance's clock, a slow request) is concurrent, not a retry: a replay", async () => {
    const { exchange, refresh } = await setup(PUBLIC);
    const first = await exchange();
    const second = await refresh(first.refresh_token!, later(2_000));
    expect(await oauthError(refresh(first.refresh_token!, later(1_000)))).toBe("invalid_grant");
    expect(await oauthError(refresh(second.refresh_token!, later(3_000)))).toBe("invalid_grant");
  });

  it("with a reuse interval of 0 any second use of a public refresh token revokes the family", async () => {
    const { exchange, refresh } = await setup({ ...PUBLIC, refresh_token_reuse_seconds: 0 });
    const first = await exchange();
    const second = await refresh(first.refresh_token!);
    expect(await oauthError(refresh(first.refresh_token!))).toBe("invalid_grant");
    expect(await oauthError(refresh(second.refresh_token!))).toBe("invalid_grant");
  });

  it.each([2, 6])("%i concurrent uses of one public refresh token: at most the first and one retry win, and never two live tokens", async (n) => {
    const { exchange, refresh, ownerIntrospect } = await setup(PUBLIC);
    const first = await exchange();
    const results = await Promise.allSettled(Array.from({ length: n }, () => refresh(first.refresh_token!)));
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length).toBeLessThanOrEqual(2);
    const live = await Promise.all(won.map(async (t) => (await ownerIntrospect(t.refresh_token!)).active));
    expect(live.filter(Boolean).length).toBeLessThanOrEqual(1);
    // More presentations than the first use and one retry: a replay, so nothing stays live.
    if (n > 2) expect(live.filter(Boolean)).toHaveLength(0);
  });

  it("signs the ID token with ES256 or HS256 (the client secret) when the app chose it", async () => {
    const es = await (await setup({ id_token_signed_response_alg: "ES256" })).exchange();
    expect(decodeProtectedHeader(es.id_token!).alg).toBe("ES256");
    await jwtVerify(es.id_token!, createLocalJWKSet(await publishedJwks(db)));
    const hs = await setup({ id_token_signed_response_alg: "HS256" });
    const tokens = await hs.exchange();
    expect(decodeProtectedHeader(tokens.id_token!)).toEqual({ alg: "HS256", typ: "JWT" });
    await jwtVerify(tokens.id_token!, new TextEncoder().encode(hs.clientSecret!), { audience: hs.app.client_id });
  });

  it("signs access tokens ES256 once the owner chooses it; tokens signed before stay valid, and both work at userinfo and introspection", async () => {
    const s = await setup();
    const before = await s.exchange();
    await updateProjectSettings(db.prisma, actor, { access_token_alg: "ES256" });
    try {
      const after = await s.refresh(before.refresh_token!);
      expect(decodeProtectedHeader(after.access_token)).toMatchObject({ alg: "ES256", typ: "at+jwt" });
      const jwks = createLocalJWKSet(await publishedJwks(db));
      await jwtVerify(after.access_token, jwks, { issuer: ISSUER, typ: "at+jwt", algorithms: ["ES256"] });
      expect(decodeProtectedHeader(after.id_token!).alg).toBe("RS256"); // the ID token keeps the app's own algorithm
      for (const token of [before.access_token, after.access_token]) {
        expect(await s.ownerIntrospect(token)).toMatchObject({ active: true, sub: userId });
        // The scopes granted (openid email offline_access) name exactly these claims.
        expect(await userInfo(db.oauth, { authorization: `Bearer ${token}`, form: null })).toEqual({ sub: userId, email: "tokens@example.com", email_verified: false });
      }
    } finally {
      await updateProjectSettings(db.prisma, actor, { access_token_alg: "RS256" });
    }
    expect(decodeProtectedHeader((await s.refresh(before.refresh_token!)).access_token).alg).toBe("RS256");
  });

  it("revocation of a refresh token ends its family; of an access token, just that token", async () => {
    const s = await setup();
    const t1 = await s.exchange();
    const t2 = await s.refresh(t1.refresh_token!);
    await revokeToken(db.oauth, { authorization: s.auth, form: new URLSearchParams({ token: t2.access_token }) });
    expect((await s.ownerIntrospect(t2.access_token)).active).toBe(false);
    expect((await s.ownerIntrospect(t1.access_token)).active).toBe(true);
    await revokeToken(db.oauth, { authorization: s.auth, form: new URLSearchParams({ token: t1.refresh_token! }) });
    expect((await s.ownerIntrospect(t1.access_token)).active).toBe(false);
    expect(await oauthError(s.refresh(t1.refresh_token!))).toBe("invalid_grant");
  });

  it("another client's tokens are not revoked, with the same 200 (RFC 7009 §2.1); a revoked access token is kept until it expires", async () => {
    const a = await setup();
    const b = await setup();
    const tokens = await a.exchange();
    for (const token of [tokens.access_token, tokens.refresh_token!]) {
      await expect(revokeToken(db.oauth, { authorization: b.auth, form: new URLSearchParams({ token }) })).resolves.toBeUndefined();
    }
    expect((await a.ownerIntrospect(tokens.access_token)).active).toBe(true);
    expect((await a.refresh(tokens.refresh_token!)).access_token).toEqual(expect.any(String));

    await revokeToken(db.oauth, { authorization: a.auth, form: new URLSearchParams({ token: tokens.access_token }) });
    const { exp, jti } = decodeJwt(tokens.access_token);
    const row = await db.prisma.revokedAccessToken.findUniqueOrThrow({ where: { jti: jti! } });
    expect(row.expiresAt.getTime()).toBe(exp! * 1000);
    expect(await oauthError(revokeToken(db.oauth, { authorization: a.auth, form: new URLSearchParams({}) }))).toBe("invalid_request");
  });

  it("introspection answers with each kind of token's claims (RFC 7662 §2.2)", async () => {
    const { app, exchange, ownerIntrospect } = await setup();
    const tokens = await exchange();
    const at = decodeJwt(tokens.access_token);
    expect(await ownerIntrospect(tokens.access_token)).toEqual({
      active: true,
      scope: "openid email offline_access",
      client_id: app.client_id,
      sub: userId,
      aud: [ISSUER],
      iss: ISSUER,
      exp: at.exp,
      iat: at.iat,
      jti: at.jti,
      token_type: "Bearer",
    });
    const row = await db.prisma.refreshToken.findFirstOrThrow({ where: { family: { app: { clientId: app.client_id } } } });
    expect(await ownerIntrospect(tokens.refresh_token!)).toEqual({
      active: true,
      scope: "openid email offline_access",
      client_id: app.client_id,
      sub: userId,
      iss: ISSUER,
      exp: Math.floor(row.expiresAt.getTime() / 1000),
      iat: Math.floor(row.createdAt.getTime() / 1000),
      token_type: "refresh_token",
    });
  });

  it("introspection: a refresh token is inactive from its expiry on; unknown and foreign tokens are inactive", async () => {
    const { app, exchange, ownerIntrospect } = await setup();
    const tokens = await exchange();
    const row = await db.prisma.refreshToken.findFirstOrThrow({ where: { family: { app: { clientId: app.client_id } } } });
    const expiry = row.expiresAt.getTime();
    expect((await ownerIntrospect(tokens.refresh_token!, new Date(expiry - 1))).active).toBe(true);
    expect(await ownerIntrospect(tokens.refresh_token!, new Date(expiry))).toEqual({ active: false });
    for (const token of ["an-unknown-opaque-token", "a.b.c", `${tokens.access_token.slice(0, -4)}AAAA`]) {
      expect(await ownerIntrospect(token)).toEqual({ active: false });
    }
  });

  it("introspection by apps: a confidential app sees its own tokens only; public apps and bad API keys are refused", async () => {
    const a = await setup();
    const b = await setup();
    const tokens = await a.exchange();
    const asApp = (auth: string | null, token: string, extra: Record<string, string> = {}) =>
      introspect(db.oauth, { authorization: auth, form: new URLSearchParams({ token, ...extra }) });
    for (const token of [tokens.access_token, tokens.refresh_token!]) {
      expect((await asApp(a.auth, token)).active).toBe(true);
      expect(await asApp(b.auth, token)).toEqual({ active: false });
    }
    const pub = await setup({ client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"] });
    expect(await oauthError(asApp(null, tokens.access_token, { client_id: pub.app.client_id }))).toBe("invalid_client");
    for (const bad of ["Bearer ca_key_not-a-real-key", "Bearer a b"]) {
      const refusal = await asApp(bad, tokens.access_token).catch((e: unknown) => e);
      expect(refusal).toMatchObject({ code: "invalid_client", status: 401, options: { wwwAuthenticate: expect.stringContaining('error="invalid_token"') } });
    }
    expect(await oauthError(introspect(db.oauth, { authorization: a.auth, form: new URLSearchParams({}) }))).toBe("invalid_request");
  });

  it("disabling an app ends its tokens at once; enabling it again does not revive them", async () => {
    const s = await setup();
    const tokens = await s.exchange();
    await updateApp(db.prisma, actor, s.app.client_id, { status: "disabled" });
    expect(await s.ownerIntrospect(tokens.access_token)).toEqual({ active: false });
    expect(await s.ownerIntrospect(tokens.refresh_token!)).toEqual({ active: false });
    expect(await oauthError(userInfo(db.oauth, { authorization: `Bearer ${tokens.access_token}`, form: null }))).toBe("invalid_token");
    expect(await oauthError(s.refresh(tokens.refresh_token!))).toBe("invalid_client");
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "connected_app.updated", targetId: s.app.client_id }, orderBy: { seq: "desc" } });
    expect(event.details).toMatchObject({ changed: ["status"], token_families_revoked: 1 });

    await updateApp(db.prisma, actor, s.app.client_id, { status: "active" });
    expect(await oauthError(s.refresh(tokens.refresh_token!))).toBe("invalid_grant");
    expect(await s.ownerIntrospect(tokens.access_token)).toEqual({ active: false });
  });

  it("an access token is refused while its app is disabled, whoever disabled it (the check reads the app's status)", async () => {
    const s = await setup();
    const tokens = await s.exchange();
    // As another instance's write would leave it, before its families are revoked.
    await db.prisma.connectedApp.update({ where: { clientId: s.app.client_id }, data: { status: "disabled" } });
    expect(await s.ownerIntrospect(tokens.access_token)).toEqual({ active: false });
    await db.prisma.connectedApp.update({ where: { clientId: s.app.client_id }, data: { status: "active" } });
    expect((await s.ownerIntrospect(tokens.access_token)).active).toBe(true);
  });

  it("refuses client_credentials to a connected app (unauthorized_client), other grant types and a missing grant_type", async () => {
    const { auth } = await setup();
    expect(await oauthError(handleTokenRequest(db.oauth, { authorization: auth, form: new URLSearchParams({ grant_type: "client_credentials" }) }))).toBe("unauthorized_client");
    expect(await oauthError(handleTokenRequest(db.oauth, { authorization: auth, form: new URLSearchParams({ grant_type: "password" }) }))).toBe("unsupported_grant_type");
    // Its type may use the device flow, but its owner has not enabled it.
    const device = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: "x" });
    expect(await oauthError(handleTokenRequest(db.oauth, { authorization: auth, form: device }))).toBe("unauthorized_client");
    expect(await oauthError(handleTokenRequest(db.oauth, { authorization: auth, form: new URLSearchParams({}) }))).toBe("invalid_request");
  });
});
