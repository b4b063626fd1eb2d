import { ofKind } from "../clients/apps";
import type { PrismaClient } from "../db/generated/client.ts";

/** The dashboard home's counts: end users, owners, connected apps, machine clients, and this owner's live API keys. */
export async function overviewCounts(prisma: PrismaClient, ownerId: string) {
  const [members, owners, apps, machineClients, apiKeys] = await Promise.all([
    prisma.user.count({ where: { role: "member" } }),
    prisma.user.count({ where: { role: "owner" } }),
    prisma.connectedApp.count({ where: ofKind("connected_app") }),
    prisma.connectedApp.count({ where: ofKind("machine_client") }),
    prisma.apiKey.count({ where: { ownerId, revokedAt: null } }),
  ]);
  return { members, owners, apps, machineClients, apiKeys };
}
