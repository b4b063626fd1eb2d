import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { oauthError, ownerIntrospection, testClient } from "@/tests/oauth-client";
import { userActor } from "../audit";
import { createUser, verifyCredentials } from "../auth/users";
import { SIGNIN_LIMITS } from "../auth/signin-throttle";
import { ensureSigningKeys } from "../keys/signing-keys";
import { changePassword, deleteAccount, LAST_OWNER, PASSWORD_SIGNIN_OFF, updateName } from "./account";
import { requestPasswordReset, resetLinkUsable } from "./password-reset";

const OLD = "correct horse battery";

describe.each(testDatabases)("account self-service on $name", ({ target }) => {
  let db: TestDatabase;
  let isActive: (token: string) => Promise<boolean>;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    isActive = await ownerIntrospection(db);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  let n = 0;
  const member = (role: "member" | "owner" = "member") => createUser(db.prisma, { email: `account-${++n}@example.com`, password: OLD }, role);

  it("changing the password needs the current one; afterwards only the new one signs in", async () => {
    const u = await member();
    const input = (current: string) => ({ current, next: "the new password", source: null });
    await expect(changePassword(db.prisma, userActor(u), u, input("wrong password"))).rejects.toMatchObject({ code: "invalid_input", fields: { current_password: "The current password is not correct" } });
    expect((await verifyCredentials(db.prisma, u.email, OLD))?.id).toBe(u.id);
    await changePassword(db.prisma, userActor(u), u, input(OLD));
    expect(await verifyCredentials(db.prisma, u.email, OLD)).toBeNull();
    expect((await verifyCredentials(db.prisma, u.email, "the new password"))?.id).toBe(u.id);
    expect(await db.prisma.auditEvent.count({ where: { targetId: u.id, action: "user.password_changed" } })).toBe(1);
  });

  it("wrong current passwords count against the sign-in throttle: then even the right one is refused, readably", async () => {
    const u = await member();
    for (let i = 0; i < SIGNIN_LIMITS.account.attempts; i++) {
      await expect(changePassword(db.prisma, userActor(u), u, { current: `guess ${i}`, next: "the new password", source: null })).rejects.toMatchObject({ code: "invalid_input" });
    }
    await expect(changePassword(db.prisma, userActor(u), u, { current: OLD, next: "the new password", source: null })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("Too many failed sign-ins"),
    });
  });

  it("while password sign-in is off, changing a password is refused as such, not as a wrong current password", async () => {
    const u = await member();
    await db.prisma.projectSetting.create({ data: { key: "password_signin_enabled", value: false } });
    try {
      await expect(changePassword(db.prisma, userActor(u), u, { current: OLD, next: "the new password", source: null })).rejects.toMatchObject({ code: "conflict", message: PASSWORD_SIGNIN_OFF });
    } finally {
      await db.prisma.projectSetting.delete({ where: { key: "password_signin_enabled" } });
    }
    expect((await verifyCredentials(db.prisma, u.email, OLD))?.id).toBe(u.id);
  });

  it("a user without a password (made by a sign-in connection) sets one without a current password", async () => {
    const u = await db.prisma.user.create({ data: { email: `nopassword-${++n}@example.com` } });
    await changePassword(db.prisma, userActor(u), u, { current: undefined, next: "my first password", source: null });
    expect((await verifyCredentials(db.prisma, u.email, "my first password"))?.id).toBe(u.id);
    expect(await db.prisma.auditEvent.count({ where: { targetId: u.id, action: "user.password_set" } })).toBe(1);
  });

  it("changing the password spends pending reset links", async () => {
    const u = await member();
    const links: string[] = [];
    await requestPasswordReset(db.prisma, { email: u.email, source: null, issuer: "https://id.example.test" }, async (_to, link) => void links.push(link));
    await changePassword(db.prisma, userActor(u), u, { current: OLD, next: "the new password", source: null });
    expect(await resetLinkUsable(db.prisma, new URL(links[0]!).searchParams.get("token")!)).toBe(false);
  });

  it("a new password shorter than 8 characters is refused with the field named", async () => {
    const u = await member();
    await expect(changePassword(db.prisma, userActor(u), u, { current: OLD, next: "short", source: null })).rejects.toMatchObject({ fields: { new_password: "Password must be at least 8 characters" } });
  });

  it("the name is trimmed, emptied to none, and at most 100 characters", async () => {
    const u = await member();
    await updateName(db.prisma, userActor(u), u.id, "  Ada Lovelace ");
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: u.id } })).name).toBe("Ada Lovelace");
    await updateName(db.prisma, userActor(u), u.id, "   ");
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: u.id } })).name).toBeNull();
    await expect(updateName(db.prisma, userActor(u), u.id, "x".repeat(101))).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("deleting the account needs the email typed; it ends grants and tokens (introspection inactive, refresh refused), the row goes, the audit event stays", async () => {
    const u = await member();
    const client = await testClient(db);
    const code = await client.authorize({ userId: u.id, authTime: new Date(Date.now() - 1000) }, "openid offline_access");
    const tokens = await client.exchange(code);
    expect(await isActive(tokens.access_token)).toBe(true);
    const { id: appId } = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: client.clientId } });
    await db.prisma.grant.upsert({ where: { userId_appId: { userId: u.id, appId } }, create: { userId: u.id, appId, scopes: ["openid"] }, update: {} });

    await expect(deleteAccount(db.prisma, userActor(u), u, "someone@example.com")).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.prisma.user.count({ where: { id: u.id } })).toBe(1);

    await deleteAccount(db.prisma, userActor(u), u, ` ${u.email.toUpperCase()} `);
    expect(await db.prisma.user.count({ where: { id: u.id } })).toBe(0);
    expect(await db.prisma.grant.count({ where: { userId: u.id } })).toBe(0);
    expect(await isActive(tokens.access_token)).toBe(false);
    expect(await isActive(tokens.refresh_token!)).toBe(false);
    expect(await oauthError(client.refresh(tokens.refresh_token!))).toBe("invalid_grant");
    const [event] = await db.prisma.auditEvent.findMany({ where: { targetId: u.id, action: "user.deleted" } });
    expect(event?.details).toEqual({ email: u.email, grants: 1, token_families: 1 });
  });

  it("the last owner cannot delete themselves; with another owner they can, and of two owners deleting at once one stays", async () => {
    // Owners are counted across the whole database: start with none.
    await db.prisma.user.updateMany({ where: { role: "owner" }, data: { role: "member" } });
    const only = await member("owner");
    await expect(deleteAccount(db.prisma, userActor(only), only, only.email)).rejects.toMatchObject({ code: "conflict", message: LAST_OWNER });
    const second = await member("owner");
    const third = await member("owner");
    const results = await Promise.allSettled([only, second, third].map((o) => deleteAccount(db.prisma, userActor(o), o, o.email)));
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(await db.prisma.user.count({ where: { role: "owner" } })).toBe(1);
  });
});
