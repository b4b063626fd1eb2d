import type { Prisma, PrismaClient } from "../db/generated/client.ts";
import { isUuid } from "../crypto/uuid";
import { isUnstorable, UNSTORABLE_MESSAGE } from "../text";
import { invalidInput } from "../domain-error";

type Db = PrismaClient | Prisma.TransactionClient;

/** Whether a string can name a user (ids are UUIDs); anything else names nobody. */
export const isUserId = (id: string) => isUuid(id.toLowerCase());

/** A listing cursor is the last user id of the previous page. */
export const isUserCursor = isUserId;

const withRoles = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
  roleAssignments: { select: { role: { select: { name: true } } }, orderBy: { role: { name: "asc" } } },
} satisfies Prisma.UserSelect;

type Row = Prisma.UserGetPayload<{ select: typeof withRoles }>;

const view = (u: Row) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  /** The account kind (owners use the dashboard); unrelated to RBAC roles. */
  role: u.role,
  roles: u.roleAssignments.map((a) => a.role.name),
  created_at: u.createdAt.toISOString(),
});
export type UserWithRoles = ReturnType<typeof view>;

/**
 * Users with their roles, in id order (UUIDv7, so creation order). The
 * cursor is the last id of a page, so a page still follows correctly when
 * that user has been deleted. `search` keeps users whose email or name
 * contains it (any case).
 */
export async function listUsersWithRoles(
  db: Db,
  options: { limit: number; cursor?: string; search?: string },
): Promise<{ users: UserWithRoles[]; nextCursor: string | null }> {
  if (options.cursor !== undefined && !isUserCursor(options.cursor)) {
    throw invalidInput({ cursor: "is not a cursor returned by a previous page" });
  }
  if (options.search && isUnstorable(options.search)) throw invalidInput({ q: UNSTORABLE_MESSAGE });
  // `contains` becomes LIKE: a literal % or _ must not act as a wildcard.
  const search = options.search?.trim().replace(/[\\%_]/g, "\\$&");
  const where: Prisma.UserWhereInput = {
    ...(search ? { OR: [{ email: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] } : {}),
    ...(options.cursor ? { id: { gt: options.cursor.toLowerCase() } } : {}),
  };
  const rows = await db.user.findMany({ where, orderBy: { id: "asc" }, take: options.limit + 1, select: withRoles });
  const page = rows.slice(0, options.limit);
  return { users: page.map(view), nextCursor: rows.length > options.limit ? page.at(-1)!.id : null };
}

/** One user with their roles, or null (also for a string that is not a user id). */
export async function findUserWithRoles(db: Db, userId: string): Promise<UserWithRoles | null> {
  if (!isUserId(userId)) return null;
  const row = await db.user.findUnique({ where: { id: userId.toLowerCase() }, select: withRoles });
  return row && view(row);
}

/** The user with this email (stored trimmed and lower-cased), with their roles, or null. */
export async function findUserByEmail(db: Db, email: string): Promise<UserWithRoles | null> {
  const normalized = email.trim().toLowerCase();
  if (!normalized || isUnstorable(normalized)) return null;
  const row = await db.user.findUnique({ where: { email: normalized }, select: withRoles });
  return row && view(row);
}
