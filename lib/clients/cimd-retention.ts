import type { Actor } from "../audit";
import type { Prisma, PrismaClient } from "../db/generated/client.ts";
import { deleteAppIf } from "./apps";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Nobody has authorized the app: no grant, no token family, no
 * authorization code, no session exchange. Such a CIMD app is only a
 * fetched document: using its URL again fetches and stores it again.
 */
export const NEVER_AUTHORIZED = {
  grants: { none: {} },
  tokenFamilies: { none: {} },
  authorizationCodes: { none: {} },
  sessionExchanges: { none: {} },
} satisfies Prisma.ConnectedAppWhereInput;

/** The opposite: someone has authorized the app (its document is worth refreshing ahead of use). */
export const AUTHORIZED = { NOT: NEVER_AUTHORIZED } satisfies Prisma.ConnectedAppWhereInput;

/**
 * Removes CIMD apps nobody has authorized, `retentionDays` after they were
 * created (issue 13: a flood of URLs must not leave permanent apps). Kept:
 * a disabled app (the owner's block would vanish with it) and one with a
 * sign-in under way (an authorization request). Each goes through the app
 * write path's delete, audited as `connected_app.deleted` with the reason,
 * and the delete checks the condition again, so an app authorized in the
 * meantime stays. Returns how many were removed.
 */
export async function removeUnusedCimdApps(
  prisma: PrismaClient,
  actor: Actor,
  options: { retentionDays: number; now?: Date; limit?: number },
): Promise<number> {
  const createdBefore = new Date((options.now ?? new Date()).getTime() - options.retentionDays * DAY_MS);
  const unused: Prisma.ConnectedAppWhereInput = {
    creationMethod: "cimd",
    status: "active",
    createdAt: { lt: createdBefore },
    authorizationRequests: { none: {} },
    ...NEVER_AUTHORIZED,
  };
  const candidates = await prisma.connectedApp.findMany({ where: unused, select: { clientId: true }, orderBy: { createdAt: "asc" }, take: options.limit ?? 1000 });
  let removed = 0;
  for (const { clientId } of candidates) {
    if (await deleteAppIf(prisma, actor, clientId, unused, { reason: "cimd_unused", unused_retention_days: options.retentionDays })) removed++;
  }
  return removed;
}
