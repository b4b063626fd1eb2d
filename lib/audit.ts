import type { Prisma, PrismaClient } from "./db/generated/client.ts";

/** Who acted: a signed-in owner, an owner's API key, or the server itself. */
export interface Actor {
  type: "user" | "api_key" | "system";
  id: string | null;
  /** What people read in the audit log: an email, or an API key's name and last four. */
  label: string;
}

/** The actor for a signed-in person (an owner or an end user). */
export function userActor(user: { id: string; email: string }): Actor {
  return { type: "user", id: user.id, label: user.email };
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Records one audit event. `details` must never hold a secret. */
export async function recordAudit(
  db: Db,
  actor: Actor,
  action: string,
  targetId: string | null,
  details: Prisma.InputJsonObject = {},
): Promise<void> {
  await db.auditEvent.create({
    data: { actorType: actor.type, actorId: actor.id, actorLabel: actor.label, action, targetId, details },
  });
}

/** Newest first, with a cursor (the last event's id) for the next page. */
export async function listAudit(db: Db, options: { limit?: number; cursor?: string } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await db.auditEvent.findMany({
    orderBy: { seq: "desc" },
    omit: { seq: true }, // a bigint: keep it out of what pages render and serialise
    take: limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  return { events: rows.slice(0, limit), nextCursor: rows.length > limit ? rows[limit - 1]!.id : null };
}
