import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { listAppUsers, listAuthorizedApps, revokeAuthorizedApp } from "./authorized-apps";

const SYSTEM = { type: "system", id: null, label: "test" } as const;

describe.each(testDatabases)("authorized apps on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const user = (name: string) => createUser(db.prisma, { email: `${name}-${Math.random()}@example.com`, password: "correct horse battery", name }, "member");
  const app = async (name: string, input: Record<string, unknown> = {}) => {
    const { app } = await createApp(db.prisma, SYSTEM, { client_type: "third_party", name, redirect_uris: ["https://rp.example/cb"], ...input }, "api");
    return db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } });
  };
  const grant = (userId: string, appId: string, scopes: string[], updatedAt: Date) =>
    db.prisma.grant.create({ data: { userId, appId, scopes, createdAt: new Date(updatedAt.getTime() - 1000), updatedAt } });

  it("a user's authorized apps, most recently changed first, with what the account page shows", async () => {
    const u = await user("Lister");
    const older = await app("Older", { logo_uri: "https://older.example/logo.png", client_uri: "https://older.example/" });
    const newer = await app("Newer", { client_type: "first_party" });
    await grant(u.id, older.id, ["openid"], new Date("2026-01-01T00:00:00Z"));
    await grant(u.id, newer.id, ["openid", "email"], new Date("2026-02-01T00:00:00Z"));
    expect(await listAuthorizedApps(db.prisma, u.id)).toEqual([
      { clientId: newer.clientId, name: "Newer", logoUri: null, clientUri: null, ownership: "first_party", scopes: ["openid", "email"],
        grantedAt: new Date("2026-01-31T23:59:59Z"), updatedAt: new Date("2026-02-01T00:00:00Z") },
      { clientId: older.clientId, name: "Older", logoUri: "https://older.example/logo.png", clientUri: "https://older.example/", ownership: "third_party",
        scopes: ["openid"], grantedAt: new Date("2025-12-31T23:59:59Z"), updatedAt: new Date("2026-01-01T00:00:00Z") },
    ]);
  });

  it("an app's users, most recently changed first, with id, email and name", async () => {
    const a = await app("Popular");
    const first = await user("First");
    const second = await user("Second");
    await grant(first.id, a.id, ["openid"], new Date("2026-01-01T00:00:00Z"));
    await grant(second.id, a.id, ["email"], new Date("2026-03-01T00:00:00Z"));
    const users = await listAppUsers(db.prisma, a.clientId);
    expect(users.map((u) => u.user)).toEqual([
      { id: second.id, email: second.email, name: "Second" },
      { id: first.id, email: first.email, name: "First" },
    ]);
    expect(users.map((u) => u.scopes)).toEqual([["email"], ["openid"]]);
    expect(await listAppUsers(db.prisma, a.clientId, 1)).toHaveLength(1);
  });

  it("revoking ends the grant, the user's token families and unredeemed codes for that app only, once, with an audit entry", async () => {
    const a = await app("Revoked");
    const other = await app("Kept");
    const u = await user("Revoker");
    const bystander = await user("Bystander");
    await grant(u.id, a.id, ["openid"], new Date());
    await grant(u.id, other.id, ["openid"], new Date());
    await grant(bystander.id, a.id, ["openid"], new Date());
    const family = (userId: string, appId: string) =>
      db.prisma.tokenFamily.create({ data: { userId, appId, scopes: [], resources: [], authTime: new Date(), createdAt: new Date() } });
    const mine = await family(u.id, a.id);
    const elsewhere = await family(u.id, other.id);
    const theirs = await family(bystander.id, a.id);
    const code = (userId: string, appId: string, redeemedAt: Date | null) =>
      db.prisma.authorizationCode.create({
        data: { codeHash: `h-${Math.random()}`, appId, userId, redirectUri: "https://rp.example/cb", redirectUriSent: true, scopes: [], resources: [], authTime: new Date(), expiresAt: new Date(Date.now() + 60_000), redeemedAt },
      });
    const pendingCode = await code(u.id, a.id, null);
    const spentCode = await code(u.id, a.id, new Date());
    const theirCode = await code(bystander.id, a.id, null);

    expect(await revokeAuthorizedApp(db.prisma, SYSTEM, u.id, "ca_no_such_app")).toBe(false);
    expect(await revokeAuthorizedApp(db.prisma, SYSTEM, u.id, a.clientId)).toBe(true);

    expect(await db.prisma.grant.findMany({ where: { appId: a.id }, select: { userId: true } })).toEqual([{ userId: bystander.id }]);
    expect(await db.prisma.grant.count({ where: { userId: u.id, appId: other.id } })).toBe(1);
    const revokedAt = async (id: string) => (await db.prisma.tokenFamily.findUniqueOrThrow({ where: { id } })).revokedAt;
    expect(await revokedAt(mine.id)).not.toBeNull();
    expect(await revokedAt(elsewhere.id)).toBeNull();
    expect(await revokedAt(theirs.id)).toBeNull();
    const codes = (await db.prisma.authorizationCode.findMany({ where: { appId: a.id }, select: { id: true } })).map((c) => c.id).sort();
    expect(codes).toEqual([spentCode.id, theirCode.id].sort());
    expect(pendingCode.id).not.toBe(spentCode.id);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "grant.revoked", targetId: a.id } });
    expect(audit.map((e) => e.details)).toEqual([{ user_id: u.id, client_id: a.clientId, token_families: 1 }]);

    // Nothing left to revoke: false, and no second audit entry.
    expect(await revokeAuthorizedApp(db.prisma, SYSTEM, u.id, a.clientId)).toBe(false);
    expect(await db.prisma.auditEvent.count({ where: { action: "grant.revoked", targetId: a.id } })).toBe(1);

    // Tokens without a grant (the grant was deleted some other way) are still revocable.
    const loose = await family(bystander.id, other.id);
    expect(await revokeAuthorizedApp(db.prisma, SYSTEM, bystander.id, other.clientId)).toBe(true);
    expect(await revokedAt(loose.id)).not.toBeNull();
  });
});
