import type { PrismaClient } from "../db/generated/client.ts";

/**
 * Ending a user's sessions. Sessions are next-auth JWTs, kept by the browser
 * alone, so none can be deleted; instead each carries the user's
 * `session_epoch` as it was at sign-in, and a session whose value is not the
 * row's current one is no session (lib/auth/session.ts). A password change
 * or reset moves the value on with one increment in the database, so
 * concurrent changes never hand two sessions the same new value by accident.
 */

/** The JWT claim that holds the epoch a session was issued with. */
export const SESSION_EPOCH_CLAIM = "sessionEpoch";

/**
 * The epoch a session token (or session) carries. Sessions issued before
 * the column existed carry none and count as 0, the column's default: an
 * upgrade signs no one out, the first password change does.
 */
export function sessionEpochOf(token: object | null | undefined): number {
  const value = (token as Record<string, unknown> | null | undefined)?.[SESSION_EPOCH_CLAIM];
  return typeof value === "number" && Number.isSafeInteger(value) ? value : 0;
}

/** Whether a session for `userId` issued at `epoch` still stands: one primary-key read; a deleted user has none. */
export async function sessionIsCurrent(prisma: PrismaClient, userId: string, epoch: number): Promise<boolean> {
  return (await currentSessionEpoch(prisma, userId)) === epoch;
}

/** The user's current epoch (a sign-in records it), or null for a user who is gone. */
export async function currentSessionEpoch(prisma: PrismaClient, userId: string): Promise<number | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { sessionEpoch: true } });
  return user?.sessionEpoch ?? null;
}

/**
 * `user` with their current epoch, for a sign-in that did not read the user
 * row itself (a session exchange link). A user deleted meanwhile gets 0: the
 * session finds no one anyway.
 */
export async function withCurrentSessionEpoch<U extends { id: string }>(prisma: PrismaClient, user: U): Promise<U & { sessionEpoch: number }> {
  return { ...user, sessionEpoch: (await currentSessionEpoch(prisma, user.id)) ?? 0 };
}

/**
 * The `data` of a user update that ends every session issued so far; the
 * update's `select: { sessionEpoch: true }` gives the value a session that
 * should survive it (the browser that made the change) is re-issued with.
 */
export const END_SESSIONS = { sessionEpoch: { increment: 1 } } as const;
