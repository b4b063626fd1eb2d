import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, updateApp } from "@/lib/clients/apps";
import { ensureSigningKeys } from "@/lib/keys/signing-keys";
import { claimsOf, decide, deviceClient } from "@/tests/device-client";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { oauthError, oauthRefusal, ownerIntrospection, signedInUser } from "@/tests/oauth-client";
import type { AuthSession } from "../authorize/flow";
import { withClock, type OAuthContext } from "../context";
import { DEVICE_CODE_GRANT } from "@/lib/clients/policy";
import { purgeExpired } from "../housekeeping";
import { handleTokenRequest } from "../token-endpoint";
import type { OAuthError } from "../oauth-error";
import type { ActivityKind } from "@/lib/activity/kinds";
import { hashToken } from "@/lib/crypto/tokens";
import { handleDeviceAuthorizationRequest } from "./device-authorization";
import { WRONG_CODES_PER_USER } from "./guess-limit";
import { USER_CODE_ALPHABET } from "./user-code";
import { decideDevice, devicePage } from "./verification";

const SYSTEM = { type: "system" as const, id: null, label: "test" };
const later = (seconds: number, from = new Date()) => new Date(from.getTime() + seconds * 1000);

describe.each(testDatabases)("the device authorization grant on $name", ({ target }) => {
  let db: TestDatabase;
  let session: AuthSession;
  let isActive: (token: string) => Promise<boolean>;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    session = { ...(await signedInUser(db.prisma)), signIn: { amr: ["pwd"], idp: "email" } };
    isActive = await ownerIntrospection(db);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("answers a device authorization request with codes, where to go, for how long and how often to poll", async () => {
    const app = await deviceClient(db);
    const answer = await app.start({ scope: "openid" });
    expect(answer.user_code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
    expect(answer.device_code.length).toBeGreaterThanOrEqual(43);
    expect(answer.verification_uri).toBe("https://id.example.com/device");
    expect(answer.verification_uri_complete).toBe(`https://id.example.com/device?user_code=${answer.user_code}`);
    expect([answer.expires_in, answer.interval]).toEqual([600, 5]);
  });

  it("stores neither code, only their hashes", async () => {
    const app = await deviceClient(db);
    const answer = await app.start({ scope: "openid" });
    const rows = await db.prisma.deviceAuthorization.findMany();
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(answer.device_code);
    expect(stored).not.toContain(answer.user_code.replace("-", ""));
    expect(stored).not.toContain(answer.user_code);
  });

  it("lets a user approve on /device; the device's poll then gets tokens as the code grant issues them", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid profile offline_access" });
    expect(await oauthError(app.poll(device_code))).toBe("authorization_pending");
    expect(await decide(db, session, user_code, "allow")).toBe("/device?result=approved");
    const tokens = await app.poll(device_code, later(6));
    expect(tokens.scope).toBe("openid profile offline_access");
    expect(tokens.refresh_token).toBeTruthy();
    const id = claimsOf(tokens.id_token!);
    expect([id.sub, id.aud, id.amr, id.idp]).toEqual([session.userId, app.clientId, ["pwd"], "email"]);
    expect(id.auth_time).toBe(Math.floor(session.authTime.getTime() / 1000));
    expect(claimsOf(tokens.access_token).client_id).toBe(app.clientId);
    expect(await isActive(tokens.access_token)).toBe(true);
    expect(await isActive(tokens.refresh_token!)).toBe(true);
    // The approval is a grant to the app, as consent is: the account page lists it.
    expect((await db.prisma.grant.findFirstOrThrow({ where: { userId: session.userId, app: { clientId: app.clientId } } })).scopes).toEqual(["openid", "profile", "offline_access"]);
  });

  it("issues a refresh token only with offline_access, and an ID token only with openid", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "profile" });
    await decide(db, session, user_code, "allow");
    const tokens = await app.poll(device_code);
    expect([tokens.refresh_token, tokens.id_token, tokens.scope]).toEqual([undefined, undefined, "profile"]);
  });

  it("a device code redeemed twice: the second poll is invalid_grant and the first tokens stay valid", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    await decide(db, session, user_code, "allow");
    const tokens = await app.poll(device_code);
    expect(await oauthRefusal(app.poll(device_code, later(6)))).toBe("invalid_grant: The device code has already been used");
    expect(await isActive(tokens.access_token)).toBe(true);
  });

  it("a poll sooner than the interval is slow_down, and the interval grows by 5 seconds each time (RFC 8628 §3.5)", async () => {
    const app = await deviceClient(db);
    const t0 = new Date();
    const { device_code } = await app.start({ scope: "openid" }, t0);
    expect(await oauthError(app.poll(device_code, t0))).toBe("authorization_pending");
    expect(await oauthRefusal(app.poll(device_code, later(2, t0)))).toBe("slow_down: Poll at most every 10 seconds");
    // 7 s after the last poll: enough for the old interval, not the new one.
    expect(await oauthRefusal(app.poll(device_code, later(9, t0)))).toBe("slow_down: Poll at most every 15 seconds");
    expect(await oauthError(app.poll(device_code, later(25, t0)))).toBe("authorization_pending");
    expect(await oauthError(app.poll(device_code, later(41, t0)))).toBe("authorization_pending");
  });

  it("a denied request is access_denied for the device, for as long as it would have lived", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    expect(await decide(db, session, user_code, "deny")).toBe("/device?result=denied");
    expect(await oauthError(app.poll(device_code))).toBe("access_denied");
    expect(await oauthError(app.poll(device_code, later(10)))).toBe("access_denied");
    expect(await oauthError(app.poll(device_code, later(601)))).toBe("expired_token");
  });

  it("an expired device code is expired_token, and can no longer be approved", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    expect(await oauthError(app.poll(device_code, later(601)))).toBe("expired_token");
    const page = await devicePage(withClock(db.oauth, later(601)), { userCode: user_code }, session);
    expect(page).toMatchObject({ type: "enter", message: expect.stringContaining("can no longer be used") });
  });

  it("another client's device code, or none, is invalid_grant; a missing one invalid_request", async () => {
    const a = await deviceClient(db);
    const b = await deviceClient(db);
    const { device_code, user_code } = await a.start({ scope: "openid" });
    await decide(db, session, user_code, "allow");
    expect(await oauthRefusal(b.poll(device_code))).toBe("invalid_grant: The device code is invalid");
    expect(await oauthRefusal(a.poll("not-a-device-code"))).toBe("invalid_grant: The device code is invalid");
    expect(await oauthError(a.poll(""))).toBe("invalid_request");
    // b's attempt spent nothing.
    expect((await a.poll(device_code)).access_token).toBeTruthy();
  });

  it("an app without the device flow enabled is unauthorized_client at both endpoints; a machine client may never have it", async () => {
    const app = await deviceClient(db, { device_flow_enabled: false });
    expect(await oauthError(app.start({ scope: "openid" }))).toBe("unauthorized_client");
    const enabled = await deviceClient(db);
    const { device_code } = await enabled.start({ scope: "openid" });
    await updateApp(db.prisma, SYSTEM, enabled.clientId, { device_flow_enabled: false });
    expect(await oauthError(enabled.poll(device_code))).toBe("unauthorized_client");
    const { app: machine, clientSecret } = await createApp(db.prisma, SYSTEM, { client_type: "first_party", name: "M" }, "api");
    await db.prisma.connectedApp.update({ where: { clientId: machine.client_id }, data: { clientType: "machine", deviceFlowEnabled: true } });
    const basic = `Basic ${Buffer.from(`${machine.client_id}:${clientSecret}`).toString("base64")}`;
    expect(await oauthError(handleDeviceAuthorizationRequest(db.oauth, { authorization: basic, form: new URLSearchParams() }))).toBe("unauthorized_client");
  });

  it("a confidential app authenticates as at the token endpoint; a wrong secret is invalid_client", async () => {
    const app = await deviceClient(db, { client_type: "third_party", redirect_uris: ["https://rp.example/cb"] });
    const { device_code, user_code } = await app.start({ scope: "openid" });
    await decide(db, session, user_code, "allow");
    expect((await app.poll(device_code)).access_token).toBeTruthy();
    const bad = `Basic ${Buffer.from(`${app.clientId}:wrong`).toString("base64")}`;
    expect(await oauthError(handleDeviceAuthorizationRequest(db.oauth, { authorization: bad, form: new URLSearchParams() }))).toBe("invalid_client");
  });

  it("checks scope and resource as the authorization endpoint does", async () => {
    const app = await deviceClient(db, { allowed_scopes: ["openid"] });
    expect(await oauthError(app.start({ scope: "openid email" }))).toBe("invalid_scope");
    expect(await oauthError(app.start({ scope: "openid full_access" }))).toBe("invalid_scope");
    expect(await oauthError(app.start({ scope: "openid", resource: "https://elsewhere.example/api" }))).toBe("invalid_target");
    const { device_code, user_code } = await app.start({ scope: "openid", resource: "https://id.example.com" });
    await decide(db, session, user_code, "allow");
    // resource belongs in the device authorization request: at the poll it is refused, and spends nothing.
    const poll = (extra: Record<string, string>) =>
      handleTokenRequest(db.oauth, { authorization: null, form: new URLSearchParams({ client_id: app.clientId, grant_type: DEVICE_CODE_GRANT, device_code, ...extra }) });
    expect(await oauthError(poll({ resource: "https://id.example.com" }))).toBe("invalid_target");
    expect(claimsOf((await app.poll(device_code)).access_token).aud).toBe("https://id.example.com");
  });

  it("shows the app and scopes as the consent page does, with what the user cannot grant, and grants only the rest", async () => {
    await db.prisma.customScope.create({ data: { name: "read:invoices", description: "Read your invoices", permissions: ["invoices:read"] } });
    const app = await deviceClient(db, { client_type: "third_party_public", allowed_scopes: ["openid", "read:invoices"] });
    const { device_code, user_code } = await app.start({ scope: "openid read:invoices" });
    const page = await devicePage(db.oauth, { userCode: user_code.toLowerCase() }, session);
    if (page.type !== "confirm") throw new Error("expected the confirmation");
    expect(page.view.app).toMatchObject({ name: "TV app", ownership: "third_party", redirectHost: null, localhostOnly: false });
    expect(page.view.scopes.map((s) => s.name)).toEqual(["openid"]);
    expect(page.view.ungrantable).toEqual([{ name: "read:invoices", description: "Read your invoices" }]);
    expect(page.view.userCode).toBe(user_code);
    await decide(db, session, user_code, "allow");
    expect((await app.poll(device_code)).scope).toBe("openid");
  });

  it("asks for a confirmation click even where the app skips consent: the user confirms the device", async () => {
    const app = await deviceClient(db, { skip_consent: true, bypass_consent_for_offline_access: true });
    const { user_code } = await app.start({ scope: "openid" });
    expect((await devicePage(db.oauth, { userCode: user_code }, session)).type).toBe("confirm");
  });

  it("sends a visitor who is not signed in to sign in and back, keeping the code", async () => {
    const page = await devicePage(db.oauth, { userCode: "BCDF-GHJK" }, null);
    expect(page).toEqual({ type: "redirect", location: `/signin?callbackUrl=${encodeURIComponent("/device?user_code=BCDF-GHJK")}` });
    expect(await devicePage(db.oauth, { userCode: undefined }, null)).toEqual({ type: "redirect", location: "/signin?callbackUrl=%2Fdevice" });
  });

  it("says in words what is wrong with a code: malformed, unknown", async () => {
    const user = await signedInUser(db.prisma);
    expect(await devicePage(db.oauth, { userCode: undefined }, user)).toEqual({ type: "enter", userCode: "", message: null });
    expect(await devicePage(db.oauth, { userCode: "ABCD-EFGH" }, user)).toMatchObject({ type: "enter", message: expect.stringContaining("8 letters") });
    expect(await devicePage(db.oauth, { userCode: "BCDF-GHJK" }, user)).toMatchObject({ type: "enter", message: expect.stringContaining("not valid") });
  });

  it("stops a user guessing codes after the limit, even for a right one, and counts only codes that never existed", async () => {
    const guesser = await signedInUser(db.prisma);
    const app = await deviceClient(db);
    const { user_code } = await app.start({ scope: "openid" });
    // Malformed input is no guess.
    for (let i = 0; i < WRONG_CODES_PER_USER.limit + 2; i++) await devicePage(db.oauth, { userCode: "nope" }, guesser);
    for (let i = 0; i < WRONG_CODES_PER_USER.limit; i++) {
      expect(await devicePage(db.oauth, { userCode: "BCDF-GHJK" }, guesser)).toMatchObject({ message: expect.stringContaining("not valid") });
    }
    expect(await devicePage(db.oauth, { userCode: user_code }, guesser)).toMatchObject({ type: "enter", message: expect.stringContaining("Too many wrong codes") });
    // Another user is not held up, and the limit ends with its window.
    expect((await devicePage(db.oauth, { userCode: user_code }, session)).type).toBe("confirm");
    const next = await app.start({ scope: "openid" }, later(15 * 60));
    expect((await devicePage(db.oauth, { userCode: next.user_code }, guesser, later(15 * 60))).type).toBe("confirm");
  });

  it("refuses a decision with another user's form token, and a second decision", async () => {
    const other = await signedInUser(db.prisma);
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    const page = await devicePage(db.oauth, { userCode: user_code }, session);
    if (page.type !== "confirm") throw new Error("expected the confirmation");
    const form = { authorizationId: page.view.requestId, csrfToken: page.view.csrfToken };
    expect(await decideDevice(db.oauth, { ...form, decision: "allow" }, other)).toEqual({ location: "/device?result=form" });
    expect(await decideDevice(db.oauth, { ...form, decision: "deny" }, session)).toEqual({ location: "/device?result=denied" });
    expect(await decideDevice(db.oauth, { ...form, decision: "allow" }, session)).toEqual({ location: "/device?result=gone" });
    expect(await oauthError(app.poll(device_code))).toBe("access_denied");
  });

  it("housekeeping deletes expired device authorizations", async () => {
    const app = await deviceClient(db);
    await app.start({ scope: "openid" }, later(-3600));
    const purged = await purgeExpired(db.oauth, { minPauseMs: 0 });
    expect(purged.device_authorizations).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.deviceAuthorization.count({ where: { expiresAt: { lt: new Date() } } })).toBe(0);
  });
  it("a used device code stays invalid_grant after its expiry, never expired_token", async () => {
    const app = await deviceClient(db);
    const t0 = new Date();
    const { device_code, user_code } = await app.start({ scope: "openid" }, t0);
    await decide(db, session, user_code, "allow", t0);
    await app.poll(device_code, t0);
    expect(await oauthRefusal(app.poll(device_code, later(601, t0)))).toBe("invalid_grant: The device code has already been used");
  });

  it("a device code expires at its expiry time exactly: the poll is expired_token and the page refuses the code", async () => {
    const app = await deviceClient(db);
    const t0 = new Date();
    const { device_code, user_code, expires_in } = await app.start({ scope: "openid" }, t0);
    const expiry = later(expires_in, t0);
    expect(await oauthError(app.poll(device_code, expiry))).toBe("expired_token");
    const page = await devicePage(withClock(db.oauth, expiry), { userCode: user_code }, session);
    expect(page).toMatchObject({ type: "enter", message: expect.stringContaining("can no longer be used") });
    // A millisecond before, the same code was still open.
    expect((await devicePage(withClock(db.oauth, new Date(expiry.getTime() - 1)), { userCode: user_code }, session)).type).toBe("confirm");
  });

  it("every answer to a poll is HTTP 400, access_denied included (RFC 8628 §3.5)", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e: OAuthError) => `${e.code} ${e.status}`);
    expect(await statusOf(app.poll(device_code))).toBe("authorization_pending 400");
    expect(await statusOf(app.poll(device_code))).toBe("slow_down 400");
    await decide(db, session, user_code, "deny");
    expect(await statusOf(app.poll(device_code, later(30)))).toBe("access_denied 400");
    expect(await statusOf(app.poll(device_code, later(601)))).toBe("expired_token 400");
  });

  /**
   * A context whose poll statement saw the device authorization as it was
   * before `meanwhile` ran, as PostgreSQL's statement snapshot does when
   * another poll or the user's decision commits while the statement runs.
   */
  function pollRacing(deviceCode: string, meanwhile: () => Promise<unknown>, { pollAfter }: { pollAfter: boolean }) {
    const store = db.oauth.store;
    return {
      ...db.oauth,
      store: {
        ...store,
        async pollDeviceCode(input: Parameters<typeof store.pollDeviceCode>[0]) {
          const { id } = await db.prisma.deviceAuthorization.findUniqueOrThrow({ where: { deviceCodeHash: hashToken(deviceCode) } });
          const found = await store.deviceAuthorization(id);
          await meanwhile();
          // The statement's writes see the row as it is now; what it found is the row as it began.
          if (pollAfter) {
            const poll = await store.pollDeviceCode(input);
            if (poll.kind !== "untouched") throw new Error(`expected the poll to write nothing, got ${poll.kind}`);
          }
          return { kind: "untouched" as const, authorization: found };
        },
      },
    };
  }

  it("a poll that loses the race for an approved device code to another poll is invalid_grant, not access_denied", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    await decide(db, session, user_code, "allow");
    let winner: string | undefined;
    const ctx = pollRacing(device_code, async () => (winner = (await app.poll(device_code)).access_token), { pollAfter: true });
    const lost = handleTokenRequest(ctx, { authorization: null, form: new URLSearchParams({ client_id: app.clientId, grant_type: DEVICE_CODE_GRANT, device_code }) });
    expect(await oauthRefusal(lost)).toBe("invalid_grant: The device code has already been used");
    expect(await isActive(winner!)).toBe(true);
  });

  it("a poll during which the user approves is authorization_pending; the next poll gets the tokens", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    const ctx = pollRacing(device_code, () => decide(db, session, user_code, "allow"), { pollAfter: false });
    const during = handleTokenRequest(ctx, { authorization: null, form: new URLSearchParams({ client_id: app.clientId, grant_type: DEVICE_CODE_GRANT, device_code }) });
    expect(await oauthError(during)).toBe("authorization_pending");
    expect((await app.poll(device_code, later(6))).access_token).toBeTruthy();
  });
  /** The confirmation page for a code, and its form (what the Allow and Deny buttons post). */
  async function confirmation(userCode: string, user: AuthSession = session, ctx = db.oauth) {
    const page = await devicePage(ctx, { userCode }, user);
    if (page.type !== "confirm") throw new Error(`expected the confirmation, got ${JSON.stringify(page)}`);
    return { authorizationId: page.view.requestId, csrfToken: page.view.csrfToken };
  }

  it("a session whose user was deleted since signing in is sent to sign in, on the page and at the decision", async () => {
    const gone = await signedInUser(db.prisma);
    const app = await deviceClient(db);
    const { user_code } = await app.start({ scope: "openid" });
    const form = await confirmation(user_code, gone);
    await db.prisma.user.delete({ where: { id: gone.userId } });
    expect(await devicePage(db.oauth, { userCode: user_code }, gone)).toMatchObject({ type: "redirect", location: expect.stringMatching(/^\/signin\?/) });
    expect(await decideDevice(db.oauth, { ...form, decision: "allow" }, gone)).toMatchObject({ location: "/signin?callbackUrl=%2Fdevice" });
    expect(await decideDevice(db.oauth, { ...form, decision: "allow" }, null)).toMatchObject({ location: "/signin?callbackUrl=%2Fdevice" });
  });

  it("an answered code is no longer offered for confirmation: the page says it can no longer be used", async () => {
    const app = await deviceClient(db);
    const { user_code } = await app.start({ scope: "openid" });
    await decide(db, session, user_code, "deny");
    expect(await devicePage(db.oauth, { userCode: user_code }, session)).toMatchObject({ type: "enter", message: expect.stringContaining("can no longer be used") });
  });

  it("an approval on a disabled app, or one whose device flow was turned off, is refused on the page and at the decision", async () => {
    for (const change of [{ status: "disabled" }, { device_flow_enabled: false }]) {
      const app = await deviceClient(db);
      const { device_code, user_code } = await app.start({ scope: "openid" });
      const form = await confirmation(user_code);
      await updateApp(db.prisma, SYSTEM, app.clientId, change);
      expect(await devicePage(db.oauth, { userCode: user_code }, session)).toEqual({ type: "enter", userCode: user_code, message: "This app can no longer connect devices." });
      expect(await decideDevice(db.oauth, { ...form, decision: "allow" }, session)).toEqual({ location: "/device?result=gone" });
      expect(await db.prisma.deviceAuthorization.findUniqueOrThrow({ where: { deviceCodeHash: hashToken(device_code) } })).toMatchObject({ decision: null });
    }
  });

  it("a long typed code is cut: 64 characters go into the sign-in link, 20 back onto the page", async () => {
    const typed = "B".repeat(100);
    expect(await devicePage(db.oauth, { userCode: typed }, null)).toEqual({
      type: "redirect",
      location: `/signin?callbackUrl=${encodeURIComponent(`/device?user_code=${"B".repeat(64)}`)}`,
    });
    expect(await devicePage(db.oauth, { userCode: typed }, session)).toMatchObject({ type: "enter", userCode: "B".repeat(20), message: expect.stringContaining("8 letters") });
  });

  it("an expired or answered code entered again and again is no guess: it never locks the user out", async () => {
    const user = await signedInUser(db.prisma);
    const app = await deviceClient(db);
    const t0 = new Date();
    const answered = await app.start({ scope: "openid" }, t0);
    await decide(db, user, answered.user_code, "deny", t0);
    const expired = await app.start({ scope: "openid" }, later(-601, t0));
    for (let i = 0; i < WRONG_CODES_PER_USER.limit; i++) {
      for (const code of [answered.user_code, expired.user_code]) {
        expect(await devicePage(db.oauth, { userCode: code }, user, t0)).toMatchObject({ message: expect.stringContaining("can no longer be used") });
      }
    }
    const fresh = await app.start({ scope: "openid" }, t0);
    expect((await devicePage(db.oauth, { userCode: fresh.user_code }, user, t0)).type).toBe("confirm");
  });

  /** The context with its activity counter wrapped: what it counted, as `appId kind`. */
  function countingActivity() {
    const counted: string[] = [];
    const ctx = { ...db.oauth, activity: { ...db.oauth.activity, count: (appId: string | null, kind: ActivityKind) => void counted.push(`${appId} ${kind}`) } };
    return { ctx, counted };
  }

  it("the activity chart counts a device approval as a consent, and a denial as none", async () => {
    const app = await deviceClient(db);
    const appId = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.clientId } })).id;
    const { ctx, counted } = countingActivity();
    const allowed = await app.start({ scope: "openid" });
    expect(await decideDevice(ctx, { ...(await confirmation(allowed.user_code)), decision: "allow" }, session)).toEqual({ location: "/device?result=approved" });
    const denied = await app.start({ scope: "openid" });
    expect(await decideDevice(ctx, { ...(await confirmation(denied.user_code)), decision: "deny" }, session)).toEqual({ location: "/device?result=denied" });
    expect(counted).toEqual([`${appId} consent`]);
  });

  it("two decisions on one code at once (two tabs): one is recorded, the other is told the code is gone and counts nothing", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid" });
    const form = await confirmation(user_code);
    const { ctx, counted } = countingActivity();
    const results = await Promise.all([decideDevice(ctx, { ...form, decision: "allow" }, session), decideDevice(ctx, { ...form, decision: "allow" }, session)]);
    expect(results.map((r) => r.location).sort()).toEqual(["/device?result=approved", "/device?result=gone"]);
    expect(counted).toHaveLength(1);
    expect((await app.poll(device_code)).access_token).toBeTruthy();
  });
  /** A context where the first `taken` user codes drawn already belong to another device authorization (stored first, with the same user code). */
  function userCodesTaken(taken: number) {
    const store = db.oauth.store;
    let draws = 0;
    const ctx = {
      ...db.oauth,
      store: {
        ...store,
        async insertDeviceAuthorization(a: Parameters<typeof store.insertDeviceAuthorization>[0]) {
          if (draws++ < taken) await store.insertDeviceAuthorization({ ...a, id: randomUUID(), deviceCodeHash: hashToken(randomUUID()) });
          return store.insertDeviceAuthorization(a);
        },
      },
    };
    return { ctx, draws: () => draws };
  }

  const startOn = (ctx: OAuthContext, clientId: string) =>
    handleDeviceAuthorizationRequest(ctx, { authorization: null, form: new URLSearchParams({ client_id: clientId, scope: "openid" }) });

  it("a user code already taken is drawn again: the code answered is the one that approves this device", async () => {
    const app = await deviceClient(db);
    const { ctx, draws } = userCodesTaken(1);
    const { device_code, user_code } = await startOn(ctx, app.clientId);
    expect(draws()).toBe(2);
    await decide(db, session, user_code, "allow");
    expect((await app.poll(device_code)).access_token).toBeTruthy();
  });

  it("when five user codes drawn in a row are all taken, the request is temporarily_unavailable with Retry-After", async () => {
    const app = await deviceClient(db);
    const { ctx, draws } = userCodesTaken(Infinity);
    const refused = await startOn(ctx, app.clientId).catch((e: OAuthError) => e);
    expect(refused).toMatchObject({ code: "temporarily_unavailable", options: { retryAfter: 1 } });
    expect(draws()).toBe(5);
  });
});
