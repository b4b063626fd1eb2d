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

export interface GettingStartedStep {
  id: "owner" | "app" | "sign-in" | "token";
  title: string;
  done: boolean;
}

/**
 * The getting-started checklist, from what the database holds rather than a
 * flag the owner ticks. A sign-in leaves a grant (or, until spent or purged,
 * a code or token family); a token request leaves the app's last
 * authentication, which, unlike token families, is never purged.
 */
export async function gettingStarted(prisma: PrismaClient): Promise<GettingStartedStep[]> {
  const ofApps = { app: ofKind("connected_app") };
  const [apps, grants, codes, families, authentications] = await Promise.all([
    prisma.connectedApp.count({ where: ofKind("connected_app") }),
    prisma.grant.count({ where: ofApps }),
    prisma.authorizationCode.count({ where: ofApps }),
    prisma.tokenFamily.count({ where: ofApps }),
    prisma.clientLastAuthentication.count({ where: ofApps }),
  ]);
  return [
    // Whoever reads the dashboard is an owner, so this step is always done; it shows where the path starts.
    { id: "owner", title: "Create the owner account", done: true },
    { id: "app", title: "Create your first connected app", done: apps > 0 },
    { id: "sign-in", title: "Sign a user in to an app", done: grants + codes + families > 0 },
    { id: "token", title: "Get a first token", done: families + authentications > 0 },
  ];
}
