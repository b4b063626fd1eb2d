import { recordAudit, type Actor } from "../audit";
import type { PrismaClient } from "../db/generated/client.ts";
import { conflictError, notFoundError } from "../domain-error";
import { getProjectSettings } from "../settings";

/** A user's account at an upstream connection, as the user and the owner see it. */
export interface IdentityView {
  id: string;
  connection: { slug: string; name: string; enabled: boolean };
  /** The email the upstream gave at the last sign-in (display only). */
  email: string | null;
  createdAt: Date;
  lastSignInAt: Date;
}

const IDENTITY_SELECT = {
  id: true,
  email: true,
  createdAt: true,
  lastSignInAt: true,
  connection: { select: { slug: true, name: true, enabled: true } },
} as const;

/** The user's linked identities, oldest first. */
export async function listIdentities(prisma: PrismaClient, userId: string): Promise<IdentityView[]> {
  return prisma.userIdentity.findMany({ where: { userId }, select: IDENTITY_SELECT, orderBy: { createdAt: "asc" } });
}

/** The names of the connections each of these users is linked to (the owner's Users page), by user id. */
export async function connectionNamesByUser(prisma: PrismaClient, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await prisma.userIdentity.findMany({
    where: { userId: { in: [...userIds] } },
    select: { userId: true, connection: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
  const names = new Map<string, string[]>();
  for (const row of rows) names.set(row.userId, [...(names.get(row.userId) ?? []), row.connection.name]);
  return names;
}

// Identity ids are UUIDs; anything else names nothing (and would fail as a uuid parameter).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const LAST_WAY_TO_SIGN_IN =
  "This is your last way to sign in: link another account or set a password before you unlink it";

/**
 * Unlinks one of the user's identities, refusing when the user would be left
 * no way to sign in: a password (while email-and-password sign-in is on) or
 * an identity at an enabled connection. The user's row is locked for the
 * transaction, so two concurrent unlinks of a user's last two ways cannot
 * both see the other one remaining.
 */
export async function unlinkIdentity(prisma: PrismaClient, actor: Actor, userId: string, identityId: string): Promise<void> {
  const gone = notFoundError("This linked account no longer exists");
  if (!UUID.test(identityId) || !UUID.test(userId)) throw gone;
  await prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ password: boolean }[]>`SELECT password_hash IS NOT NULL AS password FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    if (!locked.length) throw gone;
    const identity = await tx.userIdentity.findFirst({ where: { id: identityId, userId }, select: { id: true, connection: { select: { slug: true } } } });
    if (!identity) throw gone;
    const { password_signin_enabled } = await getProjectSettings(tx as PrismaClient);
    const others = await tx.userIdentity.count({ where: { userId, id: { not: identityId }, connection: { enabled: true } } });
    if (!(locked[0]!.password && password_signin_enabled) && others === 0) throw conflictError(LAST_WAY_TO_SIGN_IN);
    await tx.userIdentity.delete({ where: { id: identityId } });
    await recordAudit(tx, actor, "user.identity_unlinked", userId, { identity_id: identityId, connection: identity.connection.slug });
  });
}
