import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { assignRole, createRole } from "./roles";
import { findUserByEmail, findUserWithRoles, listUsersWithRoles } from "./users-with-roles";

const actor: Actor = { type: "system", id: null, label: "test" };

describe.each(testDatabases)("users with their roles on $name", ({ target }) => {
  let db: TestDatabase;
  const ids: string[] = [];
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await createRole(db.prisma, actor, { name: "auditor", permissions: ["books.read"] });
    await createRole(db.prisma, actor, { name: "billing admins" });
    // Created one after another: ids are UUIDv7, so id order is creation order.
    for (const [i, email] of ["ann@example.com", "bob@example.com", "carol_x@example.com", "dave%@example.com", "eve@example.org"].entries()) {
      const user = await db.prisma.user.create({
        data: { email, name: i === 1 ? "Bobby Tables" : null, passwordHash: "unused", role: i === 0 ? "owner" : "member" },
      });
      ids.push(user.id);
    }
    await assignRole(db.prisma, actor, ids[1]!, "auditor");
    await assignRole(db.prisma, actor, ids[1]!, "billing admins");
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("lists users oldest first with their roles, by name, and pages with the last id as cursor", async () => {
    const first = await listUsersWithRoles(db.prisma, { limit: 2 });
    expect(first.users.map((u) => u.email)).toEqual(["ann@example.com", "bob@example.com"]);
    expect(first.users[0]).toEqual({ id: ids[0], email: "ann@example.com", name: null, role: "owner", roles: [], created_at: expect.any(String) });
    expect(first.users[1]!.roles).toEqual(["auditor", "billing admins"]);
    expect(first.nextCursor).toBe(ids[1]);
    const second = await listUsersWithRoles(db.prisma, { limit: 2, cursor: first.nextCursor!.toUpperCase() });
    expect(second.users.map((u) => u.email)).toEqual(["carol_x@example.com", "dave%@example.com"]);
    const last = await listUsersWithRoles(db.prisma, { limit: 2, cursor: second.nextCursor! });
    expect(last).toMatchObject({ users: [{ email: "eve@example.org" }], nextCursor: null });
  });

  it("searches email and name in any case, with % and _ taken literally", async () => {
    const emails = async (search: string) => (await listUsersWithRoles(db.prisma, { limit: 10, search })).users.map((u) => u.email);
    expect(await emails("EXAMPLE.ORG")).toEqual(["eve@example.org"]);
    expect(await emails("tables")).toEqual(["bob@example.com"]);
    expect(await emails("%")).toEqual(["dave%@example.com"]);
    expect(await emails("_")).toEqual(["carol_x@example.com"]);
    expect(await emails("nobody")).toEqual([]);
  });

  it("refuses a cursor that is not a user id, and unstorable search text", async () => {
    await expect(listUsersWithRoles(db.prisma, { limit: 1, cursor: "42" })).rejects.toMatchObject({ name: "DomainError", code: "invalid_input" });
    await expect(listUsersWithRoles(db.prisma, { limit: 1, search: "a\u0000" })).rejects.toMatchObject({ name: "DomainError", code: "invalid_input" });
  });

  it("finds one user by id or email, or null", async () => {
    expect(await findUserWithRoles(db.prisma, ids[1]!)).toMatchObject({ email: "bob@example.com", name: "Bobby Tables" });
    expect(await findUserWithRoles(db.prisma, "not-a-uuid")).toBeNull();
    expect(await findUserWithRoles(db.prisma, "00000000-0000-7000-8000-000000000000")).toBeNull();
    expect(await findUserByEmail(db.prisma, "  BOB@example.com ")).toMatchObject({ id: ids[1] });
    expect(await findUserByEmail(db.prisma, "nobody@example.com")).toBeNull();
    expect(await findUserByEmail(db.prisma, "")).toBeNull();
  });
});
