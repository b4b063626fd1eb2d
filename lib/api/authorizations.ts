import type { z } from "zod";
import type { Actor } from "../audit";
import { appNotFound, ofKind } from "../clients/apps";
import type { PrismaClient } from "../db/generated/client.ts";
import { listAppUsers, listAuthorizedApps, revokeAuthorizedApp } from "../grants/authorized-apps";
import { isUserId } from "../rbac/users-with-roles";
import { notFound } from "./api-error";
import { authorizedAppListSchema, authorizedUserListSchema } from "./schemas";

async function requireUser(prisma: PrismaClient, userId: string): Promise<void> {
  const exists = isUserId(userId) && (await prisma.user.findUnique({ where: { id: userId.toLowerCase() }, select: { id: true } }));
  if (!exists) throw notFound("No such user");
}

/** `GET /connected-apps/{client_id}/authorized-users`. */
export async function authorizedUsersOf(prisma: PrismaClient, clientId: string): Promise<z.output<typeof authorizedUserListSchema>> {
  const app = await prisma.connectedApp.findUnique({ where: { clientId, ...ofKind("connected_app") }, select: { id: true } });
  if (!app) throw appNotFound(clientId);
  const users = await listAppUsers(prisma, clientId);
  return authorizedUserListSchema.parse({
    data: users.map((g) => ({ user: g.user, scopes: g.scopes, granted_at: g.grantedAt.toISOString(), updated_at: g.updatedAt.toISOString() })),
  });
}

/** `GET /users/{user_id}/authorized-apps`. */
export async function authorizedAppsOf(prisma: PrismaClient, userId: string): Promise<z.output<typeof authorizedAppListSchema>> {
  await requireUser(prisma, userId);
  const apps = await listAuthorizedApps(prisma, userId.toLowerCase());
  return authorizedAppListSchema.parse({
    data: apps.map((a) => ({
      client_id: a.clientId,
      name: a.name,
      is_first_party: a.ownership === "first_party",
      scopes: a.scopes,
      granted_at: a.grantedAt.toISOString(),
      updated_at: a.updatedAt.toISOString(),
    })),
  });
}

/** `DELETE /users/{user_id}/authorized-apps/{client_id}`: 404 when there is nothing to revoke. */
export async function revokeAuthorization(prisma: PrismaClient, actor: Actor, userId: string, clientId: string): Promise<void> {
  await requireUser(prisma, userId);
  if (!(await revokeAuthorizedApp(prisma, actor, userId.toLowerCase(), clientId))) {
    throw notFound("This user has not authorized this app");
  }
}
