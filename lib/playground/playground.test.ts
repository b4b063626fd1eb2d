import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, TEST_ISSUER, type TestDatabase } from "@/tests/databases";
import { signedInUser } from "@/tests/oauth-client";
import { createUser } from "../auth/users";
import type { Actor } from "../audit";
import { createApp, getApp } from "../clients/apps";
import { CLIENT_TYPES, policyFor, type ClientType } from "../clients/policy";
import { DomainError } from "../domain-error";
import { ensureSigningKeys } from "../keys/signing-keys";
import { authorize } from "../oauth/authorize/flow";
import { PlaygroundError } from "./flow-state";
import { finishPlayground, refreshPlayground, startPlayground, type CallbackParams } from "./playground";
import { playgroundRedirectUri, playgroundStatus } from "./playground-uri";
import { switchPlayground } from "./registration";

const actor: Actor = { type: "user", id: null, label: "owner@example.com" };
const key = randomBytes(32);
const PRODUCTION = { issuer: TEST_ISSUER, development: false };
const CALLBACK = playgroundRedirectUri(TEST_ISSUER);

describe("playground redirect URI against each type's rule", () => {
  const app = (client_type: ClientType) => ({ client_type, redirect_uris: [], token_endpoint_auth_method: policyFor(client_type).tokenEndpointAuthMethods[0]! });
  it.each(CLIENT_TYPES)("%s: an https issuer's callback is accepted; an http localhost one as the type's rule says", (type) => {
    expect(playgroundStatus(app(type), PRODUCTION).refusal).toBeNull();
    const local = { issuer: "http://localhost:3000", development: false };
    const refusal = playgroundStatus(app(type), local).refusal;
    if (policyFor(type).confidential) expect(refusal).toBe("http://localhost:3000/playground/callback must use https: confidential apps accept only https URLs (http on 127.0.0.1, [::1] or localhost too while the server runs in development mode)");
    else expect(refusal).toBeNull();
    expect(playgroundStatus(app(type), { ...local, development: true }).refusal).toBeNull();
    expect(playgroundStatus(app(type), { issuer: "http://id.example.com", development: true }).refusal).toMatch(/^http:\/\/id\.example\.com\/playground\/callback must use https/);
  });

  it.each(CLIENT_TYPES)("%s: confirmation for third-party apps, a secret for secret methods, nothing possible with a key", (type) => {
    const status = playgroundStatus(app(type), PRODUCTION);
    expect(status.needsConfirmation).toBe(policyFor(type).ownership === "third_party");
    expect(status.needsSecret).toBe(policyFor(type).confidential);
    expect(status.keyAuthentication).toBe(false);
    expect(status.on).toBe(false);
    expect(playgroundStatus({ ...app(type), redirect_uris: ["https://a.example/cb", CALLBACK] }, PRODUCTION).on).toBe(true);
    expect(playgroundStatus({ ...app(type), token_endpoint_auth_method: "private_key_jwt" }, PRODUCTION).keyAuthentication).toBe(true);
  });
});

describe.each(testDatabases)("the playground on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const newApp = async (client_type: ClientType, extra: Record<string, unknown> = {}) =>
    createApp(db.prisma, actor, { client_type, name: "Playground app", redirect_uris: ["https://app.example/cb"], skip_consent: true, bypass_consent_for_offline_access: true, ...extra }, "dashboard");
  const uris = async (clientId: string) => (await getApp(db.prisma, clientId))!.redirect_uris;
  const auditOf = (clientId: string) => db.prisma.auditEvent.findMany({ where: { targetId: clientId, action: "connected_app.updated" }, orderBy: { seq: "asc" } });

  /** An owner, who starts playground sign-ins. */
  const newOwner = async () => (await createUser(db.prisma, { email: `owner-${Math.random()}@example.com`, password: "correct horse battery" }, "owner")).id;

  /** Try sign-in, /authorize for `session`, and the callback's parameters. */
  async function signIn(clientId: string, ownerId?: string) {
    ownerId ??= await newOwner();
    const session = await signedInUser(db.prisma);
    const { location, sealed } = await startPlayground(db.prisma, { clientId, ownerId, now: new Date() }, { ...PRODUCTION, key });
    const outcome = await authorize(db.oauth, new URL(location).searchParams, session);
    if (outcome.type !== "redirect") throw new Error(JSON.stringify(outcome));
    const back = new URL(outcome.location);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    const params = { code: back.searchParams.get("code"), state: back.searchParams.get("state"), error: back.searchParams.get("error"), error_description: null };
    return { sealed, params, userId: session.userId };
  }

  it("turns on through the redirect-URI rules with an audit entry, off again, and does nothing twice", async () => {
    const { app } = await newApp("first_party_public");
    expect(await switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION)).toEqual({ changed: true });
    expect(await switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION)).toEqual({ changed: false });
    expect(await uris(app.client_id)).toEqual(["https://app.example/cb", CALLBACK]);
    expect(await switchPlayground(db.prisma, actor, app.client_id, { on: false }, PRODUCTION)).toEqual({ changed: true });
    expect(await uris(app.client_id)).toEqual(["https://app.example/cb"]);
    expect((await auditOf(app.client_id)).map((e) => e.details)).toEqual([
      { changed: ["redirect_uris"], consent_reset: true, playground: "on" },
      { changed: ["redirect_uris"], consent_reset: true, playground: "off" },
    ]);
  });

  it("concurrent switches on leave the callback registered once", async () => {
    const { app } = await newApp("first_party");
    await Promise.all(Array.from({ length: 5 }, () => switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION)));
    expect(await uris(app.client_id)).toEqual(["https://app.example/cb", CALLBACK]);
  });

  it("a third-party app needs the owner's confirmation", async () => {
    for (const type of CLIENT_TYPES.filter((t) => policyFor(t).ownership === "third_party")) {
      const { app } = await newApp(type, { skip_consent: false, bypass_consent_for_offline_access: false });
      await expect(switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION)).rejects.toThrow(/third-party app: confirm/);
      await expect(switchPlayground(db.prisma, actor, app.client_id, { on: true, confirmThirdParty: false }, PRODUCTION)).rejects.toBeInstanceOf(DomainError);
      expect(await uris(app.client_id)).toEqual(["https://app.example/cb"]);
      await switchPlayground(db.prisma, actor, app.client_id, { on: true, confirmThirdParty: true }, PRODUCTION);
      expect(await uris(app.client_id)).toContain(CALLBACK);
      // Turning it off needs no confirmation.
      await switchPlayground(db.prisma, actor, app.client_id, { on: false }, PRODUCTION);
      expect(await uris(app.client_id)).not.toContain(CALLBACK);
    }
  });

  it("the type's rule refuses an http callback for a confidential app in production, and nothing changes", async () => {
    const { app } = await newApp("first_party");
    const local = { issuer: "http://localhost:3000", development: false };
    await expect(switchPlayground(db.prisma, actor, app.client_id, { on: true }, local)).rejects.toThrow(/must use https: confidential apps accept only https URLs/);
    expect(await uris(app.client_id)).toEqual(["https://app.example/cb"]);
    await switchPlayground(db.prisma, actor, app.client_id, { on: true }, { ...local, development: true });
    expect(await uris(app.client_id)).toContain("http://localhost:3000/playground/callback");
  });

  const finish = (cookie: string | undefined, params: CallbackParams, clientSecret: string | null = null) =>
    finishPlayground(db.oauth, db.prisma, { cookie, params, clientSecret }, { development: false, key });
  const refresh = (cookie: string, refreshToken: string, clientSecret: string | null, nonce: string | null) =>
    refreshPlayground(db.oauth, db.prisma, { cookie, refreshToken, clientSecret, nonce }, { development: false, key });

  it("a public app: signs in with PKCE, checks the ID token, calls UserInfo, refreshes (rotating)", async () => {
    const { app } = await newApp("first_party_public");
    await switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION);
    const { sealed, params, userId } = await signIn(app.client_id);
    const { outcome, cookie } = await finish(sealed, params);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    const { report } = outcome;
    expect(report.idToken!.checks.map((c) => [c.name, c.ok])).toEqual([["signature", true], ["iss", true], ["aud", true], ["exp", true], ["nonce", true]]);
    expect(report.idToken!.claims.sub).toBe(userId);
    expect(report.userinfo).toMatchObject({ ok: true, value: { sub: userId } });
    expect(report.introspection).toEqual({ skipped: expect.stringMatching(/public app cannot introspect/) });
    expect(report.response.refresh_token_issued).toBe(true);

    // The used flow cannot be used again, and refreshes need it used.
    await expect(finish(cookie, params)).rejects.toThrow(/used already/);
    await expect(refresh(sealed, report.tokens.refresh_token!, null, null)).rejects.toThrow(/no tokens yet/);
    const refreshed = await refresh(cookie, report.tokens.refresh_token!, null, outcome.nonce);
    if (!refreshed.ok) throw new Error(JSON.stringify(refreshed));
    expect(refreshed.report.tokens.refresh_token).not.toBe(report.tokens.refresh_token);
    expect(refreshed.report.idToken?.checks.every((c) => c.ok) ?? true).toBe(true);
    expect(refreshed.report.userinfo).toMatchObject({ ok: true, value: { sub: userId } });
    // The code is spent: the same callback with a copy of the unused cookie is refused by the token endpoint.
    expect((await finish(sealed, params)).outcome).toMatchObject({ ok: false, step: "token", error: "invalid_grant" });
  });

  it("a confidential app authenticates with the pasted secret; a wrong one is invalid_client; introspection with its credentials", async () => {
    for (const method of ["client_secret_basic", "client_secret_post"]) {
      const { app, clientSecret } = await newApp("first_party", { token_endpoint_auth_method: method });
      await switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION);
      const wrong = await signIn(app.client_id);
      expect((await finish(wrong.sealed, wrong.params, "not-the-secret")).outcome).toMatchObject({ ok: false, step: "token", error: "invalid_client" });
      await expect(finish(wrong.sealed, wrong.params, "")).rejects.toThrow(/Paste the app's client secret/);

      const { sealed, params, userId } = await signIn(app.client_id);
      const { outcome, cookie } = await finish(sealed, params, clientSecret);
      if (!outcome.ok) throw new Error(JSON.stringify(outcome));
      expect(outcome.report.idToken!.checks.every((c) => c.ok)).toBe(true);
      expect(outcome.report.introspection).toMatchObject({ ok: true, value: { active: true, sub: userId, client_id: app.client_id } });
      expect(await refresh(cookie, outcome.report.tokens.refresh_token!, clientSecret, outcome.nonce)).toMatchObject({ ok: true });
      expect(await refresh(cookie, outcome.report.tokens.refresh_token!, "wrong", null)).toMatchObject({ ok: false, error: "invalid_client" });
    }
  });

  it("an HS256 app's ID token is checked with the pasted secret", async () => {
    const { app, clientSecret } = await newApp("first_party", { id_token_signed_response_alg: "HS256" });
    await switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION);
    const { sealed, params } = await signIn(app.client_id);
    const { outcome } = await finish(sealed, params, clientSecret);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    expect(outcome.report.idToken!.header.alg).toBe("HS256");
    expect(outcome.report.idToken!.checks[0]).toEqual({ name: "signature", ok: true, detail: "HS256 with the client secret" });
  });

  it("refuses a callback with another state, from an owner no longer an owner, or after the playground was turned off", async () => {
    const { app } = await newApp("first_party_public");
    await switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION);
    const ownerId = await newOwner();
    const { sealed, params } = await signIn(app.client_id, ownerId);
    await expect(finish(sealed, { ...params, state: "forged" })).rejects.toThrow(/state in the callback does not match/);
    await expect(finish(sealed, { ...params, state: null })).rejects.toBeInstanceOf(PlaygroundError);
    await db.prisma.user.update({ where: { id: ownerId }, data: { role: "member" } });
    await expect(finish(sealed, params)).rejects.toThrow(/no longer an owner/);
    await db.prisma.user.update({ where: { id: ownerId }, data: { role: "owner" } });
    await switchPlayground(db.prisma, actor, app.client_id, { on: false }, PRODUCTION);
    await expect(finish(sealed, params)).rejects.toThrow(/The playground is off for this app/);
    // And nothing sends anyone to the callback any more.
    await expect(startPlayground(db.prisma, { clientId: app.client_id, ownerId, now: new Date() }, { ...PRODUCTION, key })).rejects.toThrow(/playground is off/);
    const request = new URLSearchParams({ client_id: app.client_id, response_type: "code", redirect_uri: CALLBACK, scope: "openid", code_challenge: "x".repeat(43), code_challenge_method: "S256" });
    expect(await authorize(db.oauth, request, await signedInUser(db.prisma))).toMatchObject({ type: "error_page" });
  });

  it("an authorization error comes back as the authorization server sent it", async () => {
    const { app } = await newApp("first_party_public");
    await switchPlayground(db.prisma, actor, app.client_id, { on: true }, PRODUCTION);
    const { sealed, params } = await signIn(app.client_id);
    const denied = { ...params, code: null, error: "access_denied", error_description: "The user denied the request" };
    expect((await finish(sealed, denied)).outcome).toEqual({ ok: false, step: "authorization", error: "access_denied", error_description: "The user denied the request" });
  });
});
