import { recordAudit, type Actor } from "../audit";
import { policyFor, type Ownership } from "../clients/policy";
import type { Prisma, PrismaClient } from "../db/generated/client.ts";

export interface AuthorizedApp {
  clientId: string;
  name: string;
  logoUri: string | null;
  clientUri: string | null;
  ownership: Ownership;
  scopes: string[];
  grantedAt: Date;
  updatedAt: Date;
}

/** Every app a user has authorized, most recent first (the account page). */
export async function listAuthorizedApps(prisma: PrismaClient, userId: string): Promise<AuthorizedApp[]> {
  const grants = await prisma.grant.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    include: { app: { select: { clientId: true, name: true, logoUri: true, clientUri: true, clientType: true } } },
  });
  return grants.map((g) => ({
    clientId: g.app.clientId,
    name: g.app.name,
    logoUri: g.app.logoUri,
    clientUri: g.app.clientUri,
    ownership: policyFor(g.app.clientType).ownership,
    scopes: g.scopes,
    grantedAt: g.createdAt,
    updatedAt: g.updatedAt,
  }));
}

/** The users who authorized an app, most recent first (the dashboard's app page). */
export async function listAppUsers(prisma: PrismaClient, clientId: string, limit = 100) {
  const grants = await prisma.grant.findMany({
    where: { app: { clientId } },
    orderBy: { updatedAt: "desc" },
    take: limit,
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  return grants.map((g) => ({ user: g.user, scopes: g.scopes, grantedAt: g.createdAt, updatedAt: g.updatedAt }));
}

/**
 * Ends a user's authorization of an app: the grant (so the next
 * authorization asks for consent again), every token family issued under it
 * (refresh tokens stop working, access tokens introspect as inactive) and
 * unredeemed codes. Returns false when there was nothing to revoke.
 */
export async function revokeAuthorizedApp(prisma: PrismaClient, actor: Actor, userId: string, clientId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const app = await tx.connectedApp.findUnique({ where: { clientId }, select: { id: true } });
    if (!app) return false;
    const { count } = await tx.grant.deleteMany({ where: { userId, appId: app.id } });
    const families = await revokeFamiliesOf(tx, userId, app.id);
    await tx.authorizationCode.deleteMany({ where: { userId, appId: app.id, redeemedAt: null } });
    if (!count && !families) return false;
    await recordAudit(tx, actor, "grant.revoked", app.id, { user_id: userId, client_id: clientId, token_families: families });
    return true;
  });
}

/** Revokes every family of a user's grant to an app: its refresh tokens stop working, its access tokens introspect as inactive. */
async function revokeFamiliesOf(tx: Prisma.TransactionClient, userId: string, appId: string, now = new Date()): Promise<number> {
  const { count } = await tx.tokenFamily.updateMany({ where: { userId, appId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}
