import type { Prisma, PrismaClient } from "../../db/generated/client.ts";

type Db = Prisma.TransactionClient | PrismaClient;

/** Revokes every family of a user's grant to an app (the user revoked the app, or the owner did). */
export async function revokeFamiliesOf(db: Db, userId: string, appId: string, now = new Date()): Promise<number> {
  const { count } = await db.tokenFamily.updateMany({ where: { userId, appId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}

/** An access token's `jti` is `<family id>.<random>`: introspection finds the family without storing each token. */
export function familyOfJti(jti: string): string | null {
  const id = jti.split(".")[0] ?? "";
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : null;
}
