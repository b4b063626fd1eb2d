import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { issueAuthorizationCode } from "./codes";
import { withClock } from "./context";
import type { OAuthStore } from "./store";
import { purgeExpired } from "./housekeeping";
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
    const old = new Date(now.getTime() - 48 * HOUR);
    await issueAuthorizationCode(db.oauth, row.id, user.id, params, old, old); // long expired
    await issueAuthorizationCode(db.oauth, row.id, user.id, params, now, new Date(now.getTime() - 10 * 60_000)); // expired 9 min ago: kept for reuse detection
    const family = (t: Date) => db.prisma.tokenFamily.create({ data: { appId: row.id, userId: user.id, scopes: [], resources: [], authTime: t, createdAt: t } });
    const stale = await family(old); // no refresh token, older than any access token
    const live = await family(old);
    const refreshToken = async (familyId: string, at: Date) => {
      const { id, hash, expiresAt } = newRefreshToken(at);
      await db.prisma.refreshToken.create({ data: { id, tokenHash: hash, familyId, expiresAt } });
    };
    await refreshToken(live.id, now);
    const dead = await family(old);
    await refreshToken(dead.id, new Date(now.getTime() - 100 * 24 * HOUR));
    const recent = await family(now);

    // One row per batch: the loop, not one big delete, gets them all.
    const purged = await purgeExpired(withClock(db.oauth, now), 1, 0);
    expect(purged).toMatchObject({ authorization_codes: 1, refresh_tokens: 1, token_families: 2 });
    const left = (await db.prisma.tokenFamily.findMany({ select: { id: true } })).map((f) => f.id).sort();
    expect(left).toEqual([live.id, recent.id].sort());
    expect(left).not.toContain(stale.id);
    expect(await db.prisma.authorizationCode.count()).toBe(1);
  });

  it("purges a backlog in batches of at most the batch size, until none is left", async () => {
    const user = await createUser(db.prisma, { email: "backlog@example.com", password: "correct horse battery" }, "member");
    const { app } = await createApp(db.prisma, { type: "system", id: null, label: "t" }, { client_type: "first_party", name: "B", redirect_uris: ["https://rp.example/cb"] }, "api");
    const row = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } }));
    const old = new Date(Date.now() - 200 * 24 * HOUR);
    const family = await db.prisma.tokenFamily.create({ data: { appId: row.id, userId: user.id, scopes: [], resources: [], authTime: new Date(), createdAt: new Date() } });
    await db.prisma.refreshToken.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({ tokenHash: `backlog-${i}`, familyId: family.id, expiresAt: old })),
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
    const purged = await purgeExpired({ ...db.oauth, store }, 10, 0);
    expect(purged.refresh_tokens).toBe(25);
    expect(calls).toEqual([10, 10, 5]);
    expect(await db.prisma.refreshToken.count({ where: { familyId: family.id } })).toBe(0);
  });
});
