import type { z } from "zod";
import type { Actor } from "../audit";
import type { PrismaClient } from "../db/generated/client.ts";
import { userPermissions } from "../rbac/grantable";
import { unassignRole } from "../rbac/roles";
import { findUserWithRoles, isUserCursor, listUsersWithRoles } from "../rbac/users-with-roles";
import { invalidRequest, notFound } from "./api-error";
import { parseListQuery } from "./list-query";
import { userListSchema, userRolesSchema } from "./rbac-schemas";

/**
 * The user endpoints' steps beyond one lib/rbac call: query parsing, the
 * 404s the lib leaves to its callers, and the wire shape.
 */

/** `GET /users?q=&cursor=&limit=`: one page of users with their roles. */
export async function usersPage(prisma: PrismaClient, params: URLSearchParams): Promise<z.output<typeof userListSchema>> {
  const query = parseListQuery(params);
  if (query.cursor !== undefined && !isUserCursor(query.cursor)) {
    throw invalidRequest("cursor is not a cursor returned by a previous page", { cursor: "is not a cursor returned by a previous page" });
  }
  const { users, nextCursor } = await listUsersWithRoles(prisma, query);
  return userListSchema.parse({ data: users, next_cursor: nextCursor });
}

/** `GET /users/{user_id}/roles`: the user's roles and the permissions they carry. */
export async function rolesOfUserOrNotFound(prisma: PrismaClient, userId: string): Promise<z.output<typeof userRolesSchema>> {
  const user = await findUserWithRoles(prisma, userId);
  if (!user) throw notFound("No such user");
  const permissions = [...(await userPermissions(prisma, user.id))].sort();
  return userRolesSchema.parse({ roles: user.roles, permissions });
}

/** `DELETE /users/{user_id}/roles/{role}`: 404 when the user does not hold the role. */
export async function unassignRoleOrNotFound(prisma: PrismaClient, actor: Actor, userId: string, role: string): Promise<void> {
  if (!(await unassignRole(prisma, actor, userId, role))) throw notFound(`This user does not hold the role ${role}`);
}
