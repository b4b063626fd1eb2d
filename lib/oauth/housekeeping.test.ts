import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { hashToken } from "../crypto/tokens";
import { issueAuthorizationCode, redeemAuthorizationCode } from "./codes";
import { createOAuthContext, withClock } from "./context";
import type { OAuthStore } from "./store";
import { purgeExpired, schedulePurge } from "./housekeeping";
import { newRefreshToken } from "./tokens/refresh-tokens";

const HOUR = 3600_000;

describe.each(testDatabases)("purgeExpired on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("deletes only rows nothing can use any more", async () => {
    const user = await createUser(db.prisma, { email: "purge@example.com", password: "correct horse battery" }, "member");
    const { app } = await createApp(db.prisma, { type: "system", id: null, label: "t" }, { client_type: "first_party", name: "P", redirect_uris: ["https://rp.example/cb"] }, "api");
    const row = (await db.prisma.connectedApp.findUnique({ where: { clientId: app.client_id } }))!;
    const params = { clientId: app.client_id, redirectUri: "https://rp.example/cb", redirectUriSent: true, scopes: [], prompt: [], resources: [] };
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const old = ago(48 * HOUR);
    await issueAuthorizationCode(db.oauth, row.id, user.id, params, old, old); // long expired
    await issueAuthorizationCode(db.oauth, row.id, user.id, params, now, ago(10 * 60_000)); // expired 9 min ago: kept for reuse detection

    const family = (created: Date, expiresAt: Date | null = null) =>
      db.prisma.tokenFamily.create({ data: { appId: row.id, userId: user.id, scopes: [], resources: [], authTime: created, createdAt: created, expiresAt } });
    const refreshToken = async (familyId: string, expiresAt: Date) => {
      const { id, hash } = newRefreshToken(now);
      await db.prisma.refreshToken.create({ data: { id, tokenHash: hash, familyId, expiresAt } });
      return id;
    };
    // Families that never had a refresh token end with their access token.
    const ended = await family(old, ago(HOUR));
    const endsSoon = await family(ago(HOUR), new Date(now.getTime() + HOUR));
    // Families with refresh tokens live as long as their newest token, and a day more (the access token its last use issued).
    const live = await family(old);
    await refreshToken(live.id, new Date(now.getTime() + HOUR));
    const rotatedAway = await refreshToken(live.id, ago(100 * 24 * HOUR)); // an older, long-expired token of a live family
    const dead = await family(old);
    await refreshToken(dead.id, ago(100 * 24 * HOUR));
    const lately = await family(old);
    const latelyToken = await refreshToken(lately.id, ago(2 * HOUR)); // expired, but its last access token may still be alive

    const exchange = (jti: string, createdAt: Date) =>
      db.prisma.sessionExchange.create({
        data: { jti, appId: row.id, userId: user.id, linkHash: hashToken(jti), linkExpiresAt: new Date(createdAt.getTime() + 60_000), createdAt },
      });
    await exchange("purge-old-exchange", old);
    await exchange("purge-recent-exchange", ago(HOUR));
    await db.prisma.revokedAccessToken.createMany({ data: [{ jti: "purge-gone", expiresAt: ago(1000) }, { jti: "purge-kept", expiresAt: new Date(now.getTime() + HOUR) }] });
    // Used client assertions are remembered until they expire (a replay after that fails on exp).
    await db.oauth.store.useClientAssertion("purge-assertion-gone", ago(1000));
    await db.oauth.store.useClientAssertion("purge-assertion-kept", new Date(now.getTime() + 60_000));
    await db.prisma.authorizationRequest.createMany({
      data: [
        { appId: row.id, params: {}, bindingHash: "purge-a", expiresAt: ago(1000) },
        { appId: row.id, params: {}, bindingHash: "purge-b", expiresAt: new Date(now.getTime() + HOUR) },
      ],
    });

    // Sign-ins through a connection that never came back go once expired.
    const connection = await db.prisma.connection.create({
      data: { slug: "purge-idp", kind: "oidc", name: "IdP", level: "project", issuer: "https://idp.example", clientId: "c", clientSecretSealed: "x", scopes: ["openid"], allowedEmailDomains: [] },
    });
    await db.prisma.upstreamLogin.createMany({
      data: [
        { stateHash: "purge-login-gone", connectionId: connection.id, returnPath: "/", bindingHash: "b", expiresAt: ago(1000) },
        { stateHash: "purge-login-kept", connectionId: connection.id, returnPath: "/", bindingHash: "b", expiresAt: new Date(now.getTime() + HOUR) },
      ],
    });
    // Pushed requests go once their 60 s are over, used or not.
    await db.prisma.pushedAuthorizationRequest.createMany({
      data: [
        { appId: row.id, params: {}, requestUriHash: "purge-par-gone", expiresAt: ago(1000) },
        { appId: row.id, params: {}, requestUriHash: "purge-par-used-gone", expiresAt: ago(1000), usedAt: ago(30_000) },
        { appId: row.id, params: {}, requestUriHash: "purge-par-kept", expiresAt: new Date(now.getTime() + 60_000) },
      ],
    });

    // Device authorizations go at their expiry.
    const device = (id: string, expiresAt: Date) => ({
      id, deviceCodeHash: `purge-device-${id}`, userCodeHash: `purge-user-${id}`, appId: row.id, scopes: [], resources: [],
      intervalSeconds: 5, createdAt: ago(HOUR), expiresAt,
    });
    await db.prisma.deviceAuthorization.createMany({
      data: [device("0190aaaa-0000-7000-8000-000000000001", ago(1000)), device("0190aaaa-0000-7000-8000-000000000002", new Date(now.getTime() + HOUR))],
    });

    // One row per batch: the loop, not one big delete, gets them all.
    const purged = await purgeExpired(withClock(db.oauth, now), { batch: 1, minPauseMs: 0, busyShare: 1 });
    expect(purged).toEqual({
      authorization_requests: 1,
      authorization_codes: 1,
      revoked_access_tokens: 1,
      refresh_tokens: 2,
      token_families: 2,
      session_exchanges: 1,
      client_assertions: 1,
      dpop_proofs: 0,
      upstream_logins: 1,
      device_authorizations: 1,
      pushed_authorization_requests: 2,
      activity_counts: 0,
    });
    expect((await db.prisma.deviceAuthorization.findMany({ where: { appId: row.id } })).map((d) => d.expiresAt > now)).toEqual([true]);
    const left = (await db.prisma.tokenFamily.findMany({ select: { id: true } })).map((f) => f.id).sort();
    expect(left).toEqual([endsSoon.id, live.id, lately.id].sort());
    expect(left).not.toContain(ended.id);
    expect(left).not.toContain(dead.id);
    const tokens = await db.prisma.refreshToken.findMany({ where: { family: { appId: row.id } }, select: { id: true, familyId: true } });
    expect(tokens.map((t) => t.familyId).sort()).toEqual([live.id, lately.id].sort());
    expect(tokens.map((t) => t.id)).toContain(latelyToken);
    expect(tokens.map((t) => t.id)).not.toContain(rotatedAway);
    expect(await db.prisma.authorizationCode.count()).toBe(1);
    expect((await db.prisma.sessionExchange.findMany()).map((e) => e.jti)).toEqual(["purge-recent-exchange"]);
    expect((await db.prisma.revokedAccessToken.findMany()).map((t) => t.jti)).toEqual(["purge-kept"]);
    expect((await db.prisma.authorizationRequest.findMany()).map((r) => r.bindingHash)).toEqual(["purge-b"]);
    expect((await db.prisma.clientAssertion.findMany()).map((a) => a.jtiHash)).toEqual(["purge-assertion-kept"]);
    expect((await db.prisma.upstreamLogin.findMany()).map((l) => l.stateHash)).toEqual(["purge-login-kept"]);
    expect((await db.prisma.pushedAuthorizationRequest.findMany()).map((r) => r.requestUriHash)).toEqual(["purge-par-kept"]);
  });

  it("a redeemed code starts a family that expires with its access token only when it gets no refresh token", async () => {
    const user = await createUser(db.prisma, { email: "purge-redeem@example.com", password: "correct horse battery" }, "member");
    const { app } = await createApp(db.prisma, { type: "system", id: null, label: "t" }, { client_type: "first_party", name: "R", redirect_uris: ["https://rp.example/cb"] }, "api");
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } });
    const now = new Date();
    const familyOf = async (scopes: string[]) => {
      const params = { clientId: app.client_id, redirectUri: "https://rp.example/cb", redirectUriSent: true, scopes, prompt: [], resources: [] };
      const code = await issueAuthorizationCode(db.oauth, row.id, user.id, params, now, now);
      const redeemed = await redeemAuthorizationCode(db.oauth, { code, clientAppId: row.id, redirectUri: "https://rp.example/cb", codeVerifier: undefined }, now);
      return { redeemed, family: await db.prisma.tokenFamily.findUniqueOrThrow({ where: { id: redeemed.familyId } }) };
    };
    const short = await familyOf(["openid"]);
    expect(short.redeemed.refreshToken).toBeNull();
    expect(short.family.expiresAt).toEqual(new Date(now.getTime() + 24 * HOUR));
    const long = await familyOf(["openid", "offline_access"]);
    expect(long.redeemed.refreshToken).not.toBeNull();
    expect(long.family.expiresAt).toBeNull();
  });

  it("purges a backlog in batches of at most the batch size, until none is left", async () => {
    const user = await createUser(db.prisma, { email: "backlog@example.com", password: "correct horse battery" }, "member");
    const { app } = await createApp(db.prisma, { type: "system", id: null, label: "t" }, { client_type: "first_party", name: "B", redirect_uris: ["https://rp.example/cb"] }, "api");
    const row = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } }));
    const old = new Date(Date.now() - 200 * 24 * HOUR);
    const family = await db.prisma.tokenFamily.create({ data: { appId: row.id, userId: user.id, scopes: [], resources: [], authTime: new Date(), createdAt: new Date() } });
    // A live family with a backlog of long-expired (rotated) tokens: the batches take the tokens and leave the family.
    await db.prisma.refreshToken.createMany({
      data: [
        ...Array.from({ length: 25 }, (_, i) => ({ tokenHash: `backlog-${i}`, familyId: family.id, expiresAt: old })),
        { tokenHash: "backlog-live", familyId: family.id, expiresAt: new Date(Date.now() + 24 * HOUR) },
      ],
    });
    const calls: number[] = [];
    const store: OAuthStore = {
      ...db.oauth.store,
      async purgeExpired(cutoffs, limit) {
        const purged = await db.oauth.store.purgeExpired(cutoffs, limit);
        calls.push(purged.refresh_tokens);
        return purged;
      },
    };
    const purged = await purgeExpired({ ...db.oauth, store }, { batch: 10, minPauseMs: 0, busyShare: 1 });
    expect(purged.refresh_tokens).toBe(25);
    expect(calls).toEqual([10, 10, 5]);
    expect(purged.token_families).toBe(0);
    expect((await db.prisma.refreshToken.findMany({ where: { familyId: family.id } })).map((t) => t.tokenHash)).toEqual(["backlog-live"]);
  });

  it("paces a backlog: after each full batch it pauses long enough to stay within its share of the time", async () => {
    const slowBatch = 30;
    let calls = 0;
    const store: OAuthStore = {
      ...db.oauth.store,
      async purgeExpired() {
        await new Promise((resolve) => setTimeout(resolve, slowBatch));
        calls += 1;
        const n = calls < 3 ? 5 : 0;
        return { authorization_requests: n, authorization_codes: 0, revoked_access_tokens: 0, refresh_tokens: 0, token_families: 0, session_exchanges: 0, client_assertions: 0, dpop_proofs: 0, upstream_logins: 0, pushed_authorization_requests: 0, device_authorizations: 0, activity_counts: 0 };
      },
    };
    const pauses: number[] = [];
    const sleep = async (ms: number) => void pauses.push(ms);
    const started = performance.now();
    await purgeExpired({ ...db.oauth, store }, { batch: 5, busyShare: 0.2, sleep });
    const elapsed = performance.now() - started;
    // Two full batches, each followed by a pause of about four times its length; none after the last.
    expect(pauses).toHaveLength(2);
    for (const ms of pauses) {
      expect(ms).toBeGreaterThanOrEqual(4 * (slowBatch - 5));
      // A batch took less than the whole run: its pause is at most four times that.
      expect(ms).toBeLessThanOrEqual(4 * elapsed);
    }
    pauses.length = 0;
    calls = 0;
    await purgeExpired({ ...db.oauth, store }, { batch: 5, busyShare: 1, minPauseMs: 7, sleep });
    expect(pauses).toEqual([7, 7]);
  });

  it("without a sleep given, it really waits between batches", async () => {
    let calls = 0;
    const store: OAuthStore = {
      ...db.oauth.store,
      async purgeExpired() {
        const n = calls++ === 0 ? 5 : 0;
        return { authorization_requests: n, authorization_codes: 0, revoked_access_tokens: 0, refresh_tokens: 0, token_families: 0, session_exchanges: 0, client_assertions: 0, dpop_proofs: 0, upstream_logins: 0, pushed_authorization_requests: 0, device_authorizations: 0, activity_counts: 0 };
      },
    };
    const started = performance.now();
    await purgeExpired({ ...db.oauth, store }, { batch: 5, busyShare: 1, minPauseMs: 150 });
    expect(calls).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("schedulePurge", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("purges every quarter of an hour, and a failure is logged (its message only) without stopping the schedule", async () => {
    vi.useFakeTimers({ toFake: ["setInterval"] });
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    let calls = 0;
    const none = { authorization_requests: 0, authorization_codes: 0, revoked_access_tokens: 0, refresh_tokens: 0, token_families: 0, session_exchanges: 0, client_assertions: 0, dpop_proofs: 0, upstream_logins: 0, pushed_authorization_requests: 0, device_authorizations: 0, activity_counts: 0 };
    const store = {
      async purgeExpired() {
        calls += 1;
        if (calls === 2) throw new Error("database went away");
        return none;
      },
    } as unknown as OAuthStore;
    schedulePurge(createOAuthContext({ store, issuer: "https://id.example.com", keyFor: () => Buffer.alloc(32) }));
    await vi.advanceTimersByTimeAsync(15 * 60_000 - 1);
    expect(calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(calls).toBe(2);
    expect(error).toHaveBeenCalledWith("connected-apps: purging expired rows failed:", "database went away");
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(calls).toBe(3);
  });
});
