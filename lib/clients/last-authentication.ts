import type { PrismaClient } from "../db/generated/client.ts";

/** When a client last authenticated, and how (lib/oauth/last-authentication.ts records it, to the minute). */
export interface LastAuthenticationView {
  at: Date;
  method: string;
}

/** The client's last authentication, or null when it never authenticated (or not since this was recorded). */
export async function lastAuthenticationOf(prisma: PrismaClient, clientId: string): Promise<LastAuthenticationView | null> {
  return prisma.clientLastAuthentication.findFirst({ where: { app: { clientId } }, select: { at: true, method: true } });
}

/** When each of these clients last authenticated (the app list's "Last used"): client_id → time; absent when never. */
export async function lastUsedOf(prisma: PrismaClient, clientIds: readonly string[]): Promise<Map<string, Date>> {
  const rows = await prisma.clientLastAuthentication.findMany({
    where: { app: { clientId: { in: [...clientIds] } } },
    select: { at: true, app: { select: { clientId: true } } },
  });
  return new Map(rows.map((r) => [r.app.clientId, r.at]));
}
