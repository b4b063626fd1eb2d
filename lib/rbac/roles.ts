import { recordAudit, type Actor } from "../audit";
import { isUniqueViolation } from "../db/unique-violation";
import type { Prisma, PrismaClient } from "../db/generated/client.ts";
import { conflictError, invalidInput, notFoundError } from "../domain-error";
import { parseRbac, roleInput, roleName, rolePatch } from "./input";

type Db = PrismaClient | Prisma.TransactionClient;

/** The project setting naming the role every new user gets (the built-in "member" unless changed). */
const DEFAULT_ROLE_KEY = "default_role";
const BUILT_IN_DEFAULT = "member";

export async function getDefaultRole(db: Db): Promise<string | null> {
  const row = await db.projectSetting.findUnique({ where: { key: DEFAULT_ROLE_KEY } });
  if (!row) return BUILT_IN_DEFAULT;
  return typeof row.value === "string" && row.value !== "" ? row.value : null;
}

/** Names the default role for new users (null: none). Users who exist keep their roles. */
export async function setDefaultRole(prisma: PrismaClient, actor: Actor, name: string | null): Promise<string | null> {
  return prisma.$transaction(async (tx) => {
    if (name !== null && !(await tx.role.findUnique({ where: { name }, select: { id: true } }))) {
      throw invalidInput({ default_role: `no role named ${name}` });
    }
    await tx.projectSetting.upsert({ where: { key: DEFAULT_ROLE_KEY }, create: { key: DEFAULT_ROLE_KEY, value: name ?? "" }, update: { value: name ?? "" } });
    await recordAudit(tx, actor, "role.default_changed", null, { default_role: name });
    return name;
  });
}

/** Gives a new user the default role (inside the user's creation transaction). */
export async function assignDefaultRole(tx: Db, userId: string): Promise<void> {
  const name = await getDefaultRole(tx);
  if (!name) return;
  const role = await tx.role.findUnique({ where: { name }, select: { id: true } });
  if (role) await tx.roleAssignment.create({ data: { userId, roleId: role.id } });
}

const view = (
  r: { name: string; description: string | null; permissions: string[]; createdAt: Date; updatedAt: Date; _count?: { assignments: number } },
  defaultRole: string | null,
) => ({
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  is_default: r.name === defaultRole,
  user_count: r._count?.assignments ?? 0,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});
export type RoleView = ReturnType<typeof view>;

export async function listRoles(prisma: PrismaClient): Promise<RoleView[]> {
  const [roles, defaultRole] = await Promise.all([
    prisma.role.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { assignments: true } } } }),
    getDefaultRole(prisma),
  ]);
  return roles.map((r) => view(r, defaultRole));
}

export async function createRole(prisma: PrismaClient, actor: Actor, input: unknown): Promise<RoleView> {
  const data = parseRbac(roleInput, input);
  try {
    return await prisma.$transaction(async (tx) => {
      const created = await tx.role.create({ data });
      await recordAudit(tx, actor, "role.created", created.id, { name: data.name, permissions: data.permissions });
      return view(created, await getDefaultRole(tx));
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflictError(`A role named ${data.name} already exists`);
    throw e;
  }
}

/** Changes a role's description or permissions; holders' next authorizations and refreshes follow at once. */
export async function updateRole(prisma: PrismaClient, actor: Actor, name: string, patch: unknown): Promise<RoleView> {
  const data = parseRbac(rolePatch, patch);
  return prisma.$transaction(async (tx) => {
    const found = await tx.role.findUnique({ where: { name } });
    if (!found) throw notFoundError(`No role named ${name}`);
    const updated = await tx.role.update({ where: { name }, data, include: { _count: { select: { assignments: true } } } });
    await recordAudit(tx, actor, "role.updated", found.id, { name, changes: data });
    return view(updated, await getDefaultRole(tx));
  });
}

export async function deleteRole(prisma: PrismaClient, actor: Actor, name: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const found = await tx.role.findUnique({ where: { name }, select: { id: true } });
    if (!found) throw notFoundError(`No role named ${name}`);
    if ((await getDefaultRole(tx)) === name) throw conflictError("This is the default role for new users: choose another default first");
    await tx.role.delete({ where: { name } });
    await recordAudit(tx, actor, "role.deleted", found.id, { name });
  });
}

async function roleAndUser(tx: Db, userId: string, name: string) {
  if (!roleName.safeParse(name).success) throw notFoundError(`No role named ${name}`);
  const [role, user] = await Promise.all([
    tx.role.findUnique({ where: { name }, select: { id: true } }),
    /^[0-9a-f-]{36}$/i.test(userId) ? tx.user.findUnique({ where: { id: userId.toLowerCase() }, select: { id: true, email: true } }) : null,
  ]);
  if (!user) throw notFoundError("No such user");
  if (!role) throw notFoundError(`No role named ${name}`);
  return { role, user };
}

/** Gives a user a role (idempotent: assigning a held role changes nothing). */
export async function assignRole(prisma: PrismaClient, actor: Actor, userId: string, name: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { role, user } = await roleAndUser(tx, userId, name);
    const created = await tx.roleAssignment.createMany({ data: [{ userId: user.id, roleId: role.id }], skipDuplicates: true });
    if (created.count) await recordAudit(tx, actor, "role.assigned", user.id, { role: name, email: user.email });
  });
}

/** Takes a role away; the user's tokens issued afterwards (including on refresh) lose the scopes it enabled. */
export async function unassignRole(prisma: PrismaClient, actor: Actor, userId: string, name: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { role, user } = await roleAndUser(tx, userId, name);
    const { count } = await tx.roleAssignment.deleteMany({ where: { userId: user.id, roleId: role.id } });
    if (count) await recordAudit(tx, actor, "role.unassigned", user.id, { role: name, email: user.email });
    return count > 0;
  });
}

/** The names of a user's roles. */
export async function rolesOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db.roleAssignment.findMany({ where: { userId }, select: { role: { select: { name: true } } }, orderBy: { role: { name: "asc" } } });
  return rows.map((r) => r.role.name);
}
