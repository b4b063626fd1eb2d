import type { PrismaClient } from "../db/generated/client.ts";

/** The dashboard home's counts: end users, owners, apps, and this owner's live API keys. */
export async function overviewCounts(prisma: PrismaClient, ownerId: string) {
  const [members, owners, apps, apiKeys] = await Promise.all([
    prisma.user.count({ where: { role: "member" } }),
    prisma.user.count({ where: { role: "owner" } }),
    prisma.connectedApp.count(),
    prisma.apiKey.count({ where: { ownerId, revokedAt: null } }),
  ]);
  return { members, owners, apps, apiKeys };
}
