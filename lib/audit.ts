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

/**
 * What the audit log is narrowed to; every given part must hold (AND).
 * `from` is inclusive and `until` exclusive (the start of the day after the
 * last day asked for, in UTC: lib/audit-log/filters.ts).
 */
export interface AuditFilter {
  /** Part of the actor's label (an email, a key's name), any case. */
  actor?: string;
  action?: string;
  /** An app's client_id: events about it (its target) or naming it (`client_id` in details). */
  app?: string;
  from?: Date;
  until?: Date;
}

/** The filter as a Prisma condition. An app is also matched by its internal id (grant revocations target that). */
async function auditWhere(db: Db, filter: AuditFilter): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor) and.push({ actorLabel: { contains: filter.actor, mode: "insensitive" } });
  if (filter.action) and.push({ action: filter.action });
  if (filter.app) {
    const row = await db.connectedApp.findUnique({ where: { clientId: filter.app }, select: { id: true } });
    and.push({
      OR: [{ targetId: { in: row ? [filter.app, row.id] : [filter.app] } }, { details: { path: ["client_id"], equals: filter.app } }],
    });
  }
  if (filter.from || filter.until) and.push({ at: { ...(filter.from && { gte: filter.from }), ...(filter.until && { lt: filter.until }) } });
  return and.length ? { AND: and } : {};
}

/** Newest first, with a cursor (the last event's id) for the next page; `filter` narrows the list. */
export async function listAudit(db: Db, options: { limit?: number; cursor?: string; filter?: AuditFilter } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await db.auditEvent.findMany({
    where: await auditWhere(db, options.filter ?? {}),
    orderBy: { seq: "desc" },
    omit: { seq: true }, // a bigint: keep it out of what pages render and serialise
    take: limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  return { events: rows.slice(0, limit), nextCursor: rows.length > limit ? rows[limit - 1]!.id : null };
}
