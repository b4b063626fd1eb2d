import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createConnection, deleteConnection } from "../connections/connections";
import { updateProjectSettings } from "../settings";
import { signInWithPassword } from "./signin-throttle";
import { verifyPassword } from "./password";
import { SIGNUP_CLOSED, signUpMember, signupOpen } from "./signup";

describe.each(testDatabases)("self sign-up on $name", ({ target }) => {
  let db: TestDatabase;
  const actor = { type: "system" as const, id: null, label: "test" };
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("creates a member while sign-up is open (the default)", async () => {
    expect(await signupOpen(db.prisma)).toBe(true);
    await signUpMember(db.prisma, { email: "new-member@example.com", password: "correct horse battery" });
    expect(await db.prisma.user.findUniqueOrThrow({ where: { email: "new-member@example.com" } })).toMatchObject({ role: "member" });
  });

  it("answers a taken email like a new one, and changes nothing about that account", async () => {
    await signUpMember(db.prisma, { email: "taken@example.com", password: "the real password" });
    await expect(signUpMember(db.prisma, { email: " TAKEN@example.com ", password: "an attacker's guess" })).resolves.toBeUndefined();
    const users = await db.prisma.user.findMany({ where: { email: "taken@example.com" } });
    expect(users).toHaveLength(1);
    expect(await verifyPassword("the real password", users[0]!.passwordHash!)).toBe(true);
    expect(await verifyPassword("an attacker's guess", users[0]!.passwordHash!)).toBe(false);
  });

  it("refuses everyone while the owner has closed sign-up, and creates nobody", async () => {
    await updateProjectSettings(db.prisma, actor, { signup_enabled: false });
    try {
      expect(await signupOpen(db.prisma)).toBe(false);
      await expect(signUpMember(db.prisma, { email: "too-late@example.com", password: "correct horse battery" })).rejects.toMatchObject({ code: "conflict", message: SIGNUP_CLOSED });
      expect(await db.prisma.user.count({ where: { email: "too-late@example.com" } })).toBe(0);
    } finally {
      await updateProjectSettings(db.prisma, actor, { signup_enabled: true });
    }
  });

  it("while password sign-in is off, sign-up is closed and a posted password is refused even when right", async () => {
    await signUpMember(db.prisma, { email: "pwd-off@example.com", password: "correct horse battery" });
    const signIn = () => signInWithPassword(db.prisma, { email: "pwd-off@example.com", password: "correct horse battery", source: null });
    expect(await signIn()).toMatchObject({ ok: true });
    await createConnection(db.prisma, actor, "https://id.example", {
      slug: "pwd-off-idp", kind: "oidc", name: "IdP", issuer: "https://idp.example", client_id: "c", client_secret: "s",
    });
    await updateProjectSettings(db.prisma, actor, { password_signin_enabled: false });
    try {
      expect(await signupOpen(db.prisma)).toBe(false);
      await expect(signUpMember(db.prisma, { email: "pwd-off-new@example.com", password: "correct horse battery" })).rejects.toMatchObject({ code: "conflict" });
      expect(await signIn()).toEqual({ ok: false, reason: "invalid", disabled: true });
    } finally {
      await updateProjectSettings(db.prisma, actor, { password_signin_enabled: true });
      await deleteConnection(db.prisma, actor, "pwd-off-idp");
    }
    expect(await signIn()).toMatchObject({ ok: true });
  });
});
