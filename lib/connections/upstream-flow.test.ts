import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { startFakeUpstream, type FakeUpstream } from "@/tests/fake-upstream";
import { hashToken } from "../crypto/tokens";
import { createConnection, updateConnection } from "./connections";
import { finishUpstreamLogin, type CallbackOutcome } from "./upstream-callback";
import { clearDiscoveryCache } from "./upstream-discovery";
import { bindingCookieName, startUpstreamLogin, UPSTREAM_LOGIN_TTL_S, type StartOutcome } from "./upstream-login";

process.env.AUTH_SECRET ??= "upstream-flow-test-secret-0123456789abcdef";

const ISSUER = "https://id.example.com";
const actor = { type: "system" as const, id: null, label: "test" };

describe.each(testDatabases)("a sign-in through an OpenID Connect connection on $name", ({ target }) => {
  let db: TestDatabase;
  let upstream: FakeUpstream;
  let n = 0;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    upstream = await startFakeUpstream();
    await createConnection(db.prisma, actor, ISSUER, {
      slug: "acme", kind: "oidc", name: "Acme", issuer: upstream.issuer, client_id: upstream.clientId, client_secret: upstream.clientSecret,
    });
  });
  afterAll(async () => {
    await upstream?.close();
    await db?.dispose();
  });
  beforeEach(() => {
    upstream.tamper = null;
    upstream.authMethods = ["client_secret_basic", "client_secret_post"];
    clearDiscoveryCache();
  });

  /** The browser: start, then the upstream's redirect back; returns what the callback needs. */
  const start = async (returnTo: string | null = "/account", now = new Date()) => {
    const started = await startUpstreamLogin(db.prisma, { slug: "acme", returnTo, issuer: ISSUER, now });
    if (started.type !== "redirect") throw new Error("not started");
    return { location: started.location, cookie: `${started.cookie.name}=${started.cookie.value}`, started };
  };
  const finish = (callbackUrl: string, cookies: string | null, now = new Date(), slug = "acme"): Promise<CallbackOutcome> =>
    finishUpstreamLogin(db.prisma, { slug, url: new URL(callbackUrl), cookies, issuer: ISSUER, now });
  const person = () => {
    n += 1;
    return { sub: `upstream-user-${n}-${Math.random()}`, email: `person${n}-${Math.random().toString(36).slice(2)}@acme.example`, email_verified: true, name: `Person ${n}` };
  };

  it("sends the browser upstream with state, S256 PKCE, a nonce and our callback; stores only hashes", async () => {
    const { location, started } = await start("/oauth2/authorize/resume?request=0190a0b0-0000-7000-8000-000000000001");
    const url = new URL(location);
    expect(url.origin + url.pathname).toBe(`${upstream.issuer}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code", client_id: upstream.clientId, redirect_uri: `${ISSUER}/signin/connections/acme/callback`,
      scope: "openid email profile", code_challenge_method: "S256",
    });
    const state = url.searchParams.get("state")!;
    expect(state).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("nonce")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(started.type === "redirect" && started.cookie).toMatchObject({ name: bindingCookieName(state), maxAge: UPSTREAM_LOGIN_TTL_S });
    const row = await db.prisma.upstreamLogin.findUniqueOrThrow({ where: { stateHash: hashToken(state) } });
    expect(row.returnPath).toBe("/oauth2/authorize/resume?request=0190a0b0-0000-7000-8000-000000000001");
    expect(row.bindingHash).toBe(hashToken(started.type === "redirect" ? started.cookie.value : ""));
  });

  it("asks the upstream for a fresh sign-in (prompt=login) only when the waiting authorization asked for one", async () => {
    const started = await startUpstreamLogin(db.prisma, { slug: "acme", returnTo: null, issuer: ISSUER, now: new Date(), reauthenticate: true });
    expect(started.type === "redirect" && new URL(started.location).searchParams.get("prompt")).toBe("login");
    expect(new URL((await start()).location).searchParams.get("prompt")).toBeNull();
  });

  it("a return path that is not on this site becomes the sign-in landing; an unknown or disabled connection does not start", async () => {
    const { location } = await start("https://evil.example/");
    const row = await db.prisma.upstreamLogin.findUniqueOrThrow({ where: { stateHash: hashToken(new URL(location).searchParams.get("state")!) } });
    expect(row.returnPath).toBe("/signed-in");
    expect(await startUpstreamLogin(db.prisma, { slug: "nope", returnTo: null, issuer: ISSUER, now: new Date() })).toEqual({ type: "unavailable" });
    expect(await startUpstreamLogin(db.prisma, { slug: "bad\u0000slug", returnTo: null, issuer: ISSUER, now: new Date() })).toEqual({ type: "unavailable" });
  });

  it("signs in a new upstream user just in time, as amr fed / idp acme; the next sign-in is the same user", async () => {
    const who = person();
    const first = await start("/consent?request=x");
    const outcome = await finish(upstream.authorize(first.location, who), first.cookie);
    expect(outcome).toMatchObject({ type: "signed_in", signIn: { amr: ["fed"], idp: "acme" }, returnPath: "/consent?request=x", user: { email: who.email, name: who.name, sessionEpoch: 0 } });
    expect(upstream.lastClientAuth).toBe("basic");
    const userId = outcome.type === "signed_in" ? outcome.user.id : "";
    const user = await db.prisma.user.findUniqueOrThrow({ where: { id: userId }, include: { identities: true } });
    expect(user).toMatchObject({ passwordHash: null, role: "member", identities: [{ subject: who.sub, email: who.email }] });

    // The session carries the user's epoch as found (a password set since moved it on: lib/auth/session-epoch.ts).
    await db.prisma.user.update({ where: { id: userId }, data: { sessionEpoch: 2 } });
    const again = await start();
    expect(await finish(upstream.authorize(again.location, { ...who, email: who.email.toUpperCase() }), again.cookie)).toMatchObject({ type: "signed_in", user: { id: userId, sessionEpoch: 2 } });
    expect(await db.prisma.user.count({ where: { email: who.email } })).toBe(1);
  });

  it("redeems with client_secret_post when discovery lists only that", async () => {
    upstream.authMethods = ["client_secret_post"];
    const login = await start();
    expect(await finish(upstream.authorize(login.location, person()), login.cookie)).toMatchObject({ type: "signed_in" });
    expect(upstream.lastClientAuth).toBe("post");
  });

  it("reads the email from UserInfo when the ID token has none", async () => {
    upstream.tamper = { omitEmailFromIdToken: true };
    const who = person();
    const login = await start();
    expect(await finish(upstream.authorize(login.location, who), login.cookie)).toMatchObject({ type: "signed_in", user: { email: who.email } });
  });

  it("a state is spent once: a replayed callback is refused, and of concurrent callbacks exactly one signs in", async () => {
    const login = await start();
    const callback = upstream.authorize(login.location, person());
    expect(await finish(callback, login.cookie)).toMatchObject({ type: "signed_in" });
    expect(await finish(callback, login.cookie)).toMatchObject({ type: "error_page", title: "This sign-in has expired" });

    const race = await start();
    const raceCallback = upstream.authorize(race.location, person());
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => finish(raceCallback, race.cookie)));
    expect(outcomes.filter((o) => o.type === "signed_in")).toHaveLength(1);
    expect(outcomes.filter((o) => o.type === "error_page")).toHaveLength(4);
  });

  it("refuses a callback in a browser without the binding cookie, or with another login's (login CSRF), and spends the state", async () => {
    const victim = await start();
    const attacker = await start();
    const who = person();
    const callback = upstream.authorize(victim.location, who);
    expect(await finish(callback, attacker.cookie)).toMatchObject({ type: "error_page" });
    expect(await finish(callback, victim.cookie)).toMatchObject({ type: "error_page" });
    const other = await start();
    expect(await finish(upstream.authorize(other.location, who), null)).toMatchObject({ type: "error_page" });
    expect(await db.prisma.user.count({ where: { email: who.email } })).toBe(0);
  });

  it("refuses a login that expired, or a callback on another connection's path", async () => {
    const t0 = new Date();
    const old = await start("/account", t0);
    expect(await finish(upstream.authorize(old.location, person()), old.cookie, new Date(t0.getTime() + (UPSTREAM_LOGIN_TTL_S + 1) * 1000))).toMatchObject({
      type: "error_page", title: "This sign-in has expired",
    });
    await createConnection(db.prisma, actor, ISSUER, {
      slug: "other", kind: "oidc", name: "Other", issuer: upstream.issuer, client_id: upstream.clientId, client_secret: upstream.clientSecret,
    });
    const login = await start();
    expect(await finish(upstream.authorize(login.location, person()), login.cookie, new Date(), "other")).toMatchObject({ type: "error_page" });
  });

  it("a connection disabled while the user was upstream does not sign anyone in", async () => {
    const login = await start();
    await updateConnection(db.prisma, actor, ISSUER, "acme", { enabled: false });
    try {
      expect(await finish(upstream.authorize(login.location, person()), login.cookie)).toMatchObject({ type: "error_page" });
    } finally {
      await updateConnection(db.prisma, actor, ISSUER, "acme", { enabled: true });
    }
  });

  const refusedIdTokens = [
    ["another issuer", { claims: { iss: "https://evil.example" } }],
    ["another audience", { claims: { aud: "someone-else" } }],
    ["another nonce", { claims: { nonce: "not-this-sign-in" } }],
    ["an expired token", { claims: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 } }],
    ["a signature by another key", { forgeKey: true }],
  ] as const;
  it.each(refusedIdTokens)("refuses an ID token with %s, and creates nobody", async (_, tamper) => {
    upstream.tamper = tamper;
    const who = person();
    const login = await start("/account");
    const outcome = await finish(upstream.authorize(login.location, who), login.cookie);
    expect(outcome).toMatchObject({ type: "upstream_failed", returnPath: "/account" });
    expect(await db.prisma.user.count({ where: { email: who.email } })).toBe(0);
  });

  it("an upstream error (the user cancelled) and a wrong or missing iss (RFC 9207) are failures, never sign-ins", async () => {
    const login = await start("/oauth2/authorize/resume?request=0190a0b0-0000-7000-8000-000000000002");
    const state = new URL(login.location).searchParams.get("state")!;
    const denied = `${ISSUER}/signin/connections/acme/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(upstream.issuer)}`;
    expect(await finish(denied, login.cookie)).toMatchObject({
      type: "upstream_failed", reason: "upstream_error:access_denied", returnPath: "/oauth2/authorize/resume?request=0190a0b0-0000-7000-8000-000000000002",
    });
    const mixUp = await start();
    expect(await finish(upstream.authorize(mixUp.location, person(), { iss: "https://evil.example" }), mixUp.cookie)).toMatchObject({ type: "upstream_failed" });
    const missing = await start();
    expect(await finish(upstream.authorize(missing.location, person(), { iss: null }), missing.cookie)).toMatchObject({ type: "upstream_failed" });
  });

  it("beyond the bound on pending logins the oldest are evicted: a flood of starts cannot grow the table", async () => {
    const t0 = Date.now();
    const started: Extract<StartOutcome, { type: "redirect" }>[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await startUpstreamLogin(db.prisma, { slug: "acme", returnTo: null, issuer: ISSUER, now: new Date(t0 + i * 1000), maxPending: 2 });
      if (s.type !== "redirect") throw new Error("not started");
      started.push(s);
    }
    expect(await db.prisma.upstreamLogin.count()).toBe(2);
    const [oldest, , , newest] = started;
    const cookie = (s: Extract<StartOutcome, { type: "redirect" }>) => `${s.cookie.name}=${s.cookie.value}`;
    expect(await finish(upstream.authorize(oldest!.location, person()), cookie(oldest!), new Date(t0 + 5000))).toMatchObject({ type: "error_page" });
    expect(await finish(upstream.authorize(newest!.location, person()), cookie(newest!), new Date(t0 + 5000))).toMatchObject({ type: "signed_in" });
  });

  it("a callback without a state, or with one never issued, is a page", async () => {
    expect(await finish(`${ISSUER}/signin/connections/acme/callback?code=x`, null)).toMatchObject({ type: "error_page" });
    expect(await finish(`${ISSUER}/signin/connections/acme/callback?code=x&state=never-issued`, null)).toMatchObject({ type: "error_page" });
  });
});
