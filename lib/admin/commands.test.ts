import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { verifyCredentials } from "../auth/users";
import { findApiKey } from "../auth/api-keys";
import { publishedJwks } from "@/tests/jwks";
import { listRoles, rolesOfUser } from "../rbac/roles";
import { AdminCommandError, runAdminCommand } from "./commands";

describe.each(testDatabases)("admin commands on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("create-user makes a member who can sign in", async () => {
    const out = await runAdminCommand(db.prisma, "create-user", { email: "Member@Example.com", password: "member-pass-1" });
    expect(out).toContain("member@example.com");
    const user = await verifyCredentials(db.prisma, "member@example.com", "member-pass-1");
    expect(user?.role).toBe("member");
  });

  it("create-api-key needs an owner, then prints a working key once", async () => {
    await expect(runAdminCommand(db.prisma, "create-api-key", {})).rejects.toThrow("no owner exists yet");

    await runAdminCommand(db.prisma, "create-owner", { email: "boss@example.com", password: "owner-pass-1" });
    const out = await runAdminCommand(db.prisma, "create-api-key", { name: "deploy" });
    const key = out.split("\n").at(-1)!;
    const record = await findApiKey(db.prisma, key);
    expect(record?.name).toBe("deploy");
    expect(record?.last4).toBe(key.slice(-4));

    await runAdminCommand(db.prisma, "create-owner", { email: "second@example.com", password: "owner-pass-2" });
    await expect(runAdminCommand(db.prisma, "create-api-key", {})).rejects.toThrow("several owners");
    const forSecond = await runAdminCommand(db.prisma, "create-api-key", { owner: "SECOND@example.com" });
    expect(forSecond).toContain("second@example.com");
    await expect(runAdminCommand(db.prisma, "create-api-key", { owner: "member@example.com" })).rejects.toThrow(
      "no owner with email",
    );
  });

  it("revoke-api-key revokes the owner's active keys with that name, and only those", async () => {
    await runAdminCommand(db.prisma, "create-owner", { email: "revoker@example.com", password: "owner-pass-3" });
    const owner = "revoker@example.com";
    const keyOf = (out: string) => out.split("\n").at(-1)!;
    const ci1 = keyOf(await runAdminCommand(db.prisma, "create-api-key", { owner, name: "ci" }));
    const ci2 = keyOf(await runAdminCommand(db.prisma, "create-api-key", { owner, name: "ci" }));
    const deploy = keyOf(await runAdminCommand(db.prisma, "create-api-key", { owner, name: "deploy" }));
    const othersCi = keyOf(await runAdminCommand(db.prisma, "create-api-key", { owner: "boss@example.com", name: "ci" }));

    const out = await runAdminCommand(db.prisma, "revoke-api-key", { owner, name: "ci" });
    expect(out).toContain('revoked 2 API keys named "ci" of revoker@example.com');
    expect(out).toContain(ci1.slice(-4));
    expect(await findApiKey(db.prisma, ci1)).toBeNull();
    expect(await findApiKey(db.prisma, ci2)).toBeNull();
    expect(await findApiKey(db.prisma, deploy)).not.toBeNull();
    expect(await findApiKey(db.prisma, othersCi)).not.toBeNull();
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "api_key.revoked" } });
    expect(audit.filter((e) => e.actorLabel === "admin CLI")).toHaveLength(2);

    await expect(runAdminCommand(db.prisma, "revoke-api-key", { owner, name: "ci" })).rejects.toThrow(
      'revoker@example.com has no active API key named "ci"',
    );
    await expect(runAdminCommand(db.prisma, "revoke-api-key", { owner })).rejects.toThrow("--name is required");
    await expect(runAdminCommand(db.prisma, "revoke-api-key", { name: "deploy" })).rejects.toThrow("several owners");
  });

  it("create-owner promotes an existing member and sets the given password", async () => {
    await runAdminCommand(db.prisma, "create-user", { email: "promote@example.com", password: "old-password-1" });
    await runAdminCommand(db.prisma, "create-owner", { email: "promote@example.com", password: "new-password-1" });
    expect((await verifyCredentials(db.prisma, "promote@example.com", "new-password-1"))?.role).toBe("owner");
    expect(await verifyCredentials(db.prisma, "promote@example.com", "old-password-1")).toBeNull();
  });

  it("create-role, assign-role and unassign-role manage roles by name and email", async () => {
    const out = await runAdminCommand(db.prisma, "create-role", { name: "accountant", permissions: "invoices.read, invoices.pay,,invoices.read" });
    expect(out).toBe("role accountant created (permissions: invoices.read, invoices.pay)");
    expect((await listRoles(db.prisma)).find((r) => r.name === "accountant")).toMatchObject({ permissions: ["invoices.read", "invoices.pay"] });
    expect(await runAdminCommand(db.prisma, "create-role", { name: "viewer" })).toBe("role viewer created (permissions: none)");
    await expect(runAdminCommand(db.prisma, "create-role", { name: "accountant" })).rejects.toThrow("already exists");
    await expect(runAdminCommand(db.prisma, "create-role", { name: "bad", permissions: "has space" })).rejects.toThrow("permissions[0]");
    await expect(runAdminCommand(db.prisma, "create-role", {})).rejects.toThrow("--name is required");

    await runAdminCommand(db.prisma, "create-user", { email: "clerk@example.com", password: "clerk-pass-1" });
    const clerk = await db.prisma.user.findUniqueOrThrow({ where: { email: "clerk@example.com" } });
    expect(await runAdminCommand(db.prisma, "assign-role", { email: "Clerk@Example.com", role: "accountant" })).toBe(
      "clerk@example.com holds the role accountant",
    );
    expect(await runAdminCommand(db.prisma, "assign-role", { email: "clerk@example.com", role: "accountant" })).toBe(
      "clerk@example.com holds the role accountant (already did)",
    );
    expect(await rolesOfUser(db.prisma, clerk.id)).toEqual(["accountant", "member"]);
    expect(await runAdminCommand(db.prisma, "unassign-role", { email: "clerk@example.com", role: "accountant" })).toBe(
      "clerk@example.com no longer holds the role accountant",
    );
    expect(await rolesOfUser(db.prisma, clerk.id)).toEqual(["member"]);
    await expect(runAdminCommand(db.prisma, "unassign-role", { email: "clerk@example.com", role: "accountant" })).rejects.toThrow(
      "clerk@example.com does not hold the role accountant",
    );
    await expect(runAdminCommand(db.prisma, "assign-role", { email: "clerk@example.com", role: "ghost" })).rejects.toThrow("No role named ghost");
    await expect(runAdminCommand(db.prisma, "assign-role", { email: "nobody@example.com", role: "viewer" })).rejects.toThrow(
      "no user with email nobody@example.com",
    );
    await expect(runAdminCommand(db.prisma, "assign-role", { role: "viewer" })).rejects.toThrow("--email is required");
    await expect(runAdminCommand(db.prisma, "unassign-role", { email: "clerk@example.com" })).rejects.toThrow("--role is required");
    const audit = await db.prisma.auditEvent.findMany({ where: { action: { in: ["role.assigned", "role.unassigned"] } } });
    expect(audit.map((e) => [e.action, e.actorLabel])).toEqual([
      ["role.assigned", "admin CLI"],
      ["role.unassigned", "admin CLI"],
    ]);
  });

  it("refuses missing options and unknown commands with a usage message", async () => {
    await expect(runAdminCommand(db.prisma, "create-user", { password: "x-password-1" })).rejects.toThrow("--email");
    await expect(runAdminCommand(db.prisma, "create-user", { email: "a@example.com" })).rejects.toThrow("--password");
    await expect(runAdminCommand(db.prisma, "frobnicate", {})).rejects.toThrow(AdminCommandError);
    await expect(runAdminCommand(db.prisma, "frobnicate", {})).rejects.toThrow("usage: npm run admin");
  });

  it("rotate-signing-keys replaces the active keys and keeps the old ones published", async () => {
    const out = await runAdminCommand(db.prisma, "rotate-signing-keys", {});
    expect(out).toContain("new signing keys");
    const first = await db.prisma.signingKey.findMany({ where: { status: "active" } });
    expect(first.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    await runAdminCommand(db.prisma, "rotate-signing-keys", {});
    const active = await db.prisma.signingKey.findMany({ where: { status: "active" } });
    expect(active.map((k) => k.kid)).not.toContain(first[0]!.kid);
    const jwks = await publishedJwks(db);
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining(first.map((k) => k.kid)));
  });
});
