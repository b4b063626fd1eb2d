import type { Prisma, PrismaClient } from "../db/generated/client.ts";
import { isMachineType, type ClientType } from "../clients/policy";
import { isUuid } from "../crypto/uuid";
import { targetKindOf, type TargetKind } from "./actions";

type Db = PrismaClient | Prisma.TransactionClient;

/** What the audit log shows for an id: a name and where it links, or that it no longer exists. */
export interface NamedTarget {
  id: string;
  /** The name or email; null when not found (the id is shown, shortened). */
  name: string | null;
  href: string | null;
  /** It was looked up and no longer exists. */
  deleted: boolean;
}

export interface AuditEventRef {
  action: string;
  actorType: string;
  actorId: string | null;
  targetId: string | null;
  details?: unknown;
}

/** The `client_id` an event's details name (sign-ins, consents, revocations), if any. */
export function detailsClientId(event: AuditEventRef): string | null {
  const value = event.details && typeof event.details === "object" ? (event.details as { client_id?: unknown }).client_id : undefined;
  return typeof value === "string" && value !== "" ? value : null;
}

/** The names of the targets and actors of some events. */
export interface AuditNames {
  target(event: AuditEventRef): NamedTarget | null;
  /** A user actor that still exists, with the link to it; null otherwise (the recorded label stands). */
  actor(event: AuditEventRef): NamedTarget | null;
  /** The app the details name (`client_id`), when it still exists. */
  app(event: AuditEventRef): NamedTarget | null;
}

const usersHref = (email: string) => `/dashboard/users?q=${encodeURIComponent(email)}`;

/**
 * Resolves the targets (and user actors) of a page of events: one query per
 * kind of target, whatever the page's length. Ids a uuid column cannot hold
 * are left out of the queries (they name nothing).
 */
export async function resolveAuditNames(db: Db, events: readonly AuditEventRef[]): Promise<AuditNames> {
  const ids = new Map<TargetKind, Set<string>>();
  const want = (kind: TargetKind, id: string) => {
    if (kind !== "app" && !isUuid(id)) return;
    if (!ids.has(kind)) ids.set(kind, new Set());
    ids.get(kind)!.add(id);
  };
  for (const event of events) {
    const kind = targetKindOf(event.action);
    if (kind && event.targetId) want(kind, event.targetId);
    if (event.actorType === "user" && event.actorId) want("user", event.actorId);
    const clientId = detailsClientId(event);
    if (clientId) want("app", clientId);
  }
  const list = (kind: TargetKind) => [...(ids.get(kind) ?? [])];
  const appHref = (app: { clientId: string; clientType: string }) =>
    `/dashboard/${isMachineType(app.clientType as ClientType) ? "machine-clients" : "apps"}/${encodeURIComponent(app.clientId)}`;

  const [apps, appRows, users, keys, roles, scopes, connections] = await Promise.all([
    ids.has("app") ? db.connectedApp.findMany({ where: { clientId: { in: list("app") } }, select: { clientId: true, name: true, clientType: true } }) : [],
    ids.has("app_row") ? db.connectedApp.findMany({ where: { id: { in: list("app_row") } }, select: { id: true, clientId: true, name: true, clientType: true } }) : [],
    ids.has("user") ? db.user.findMany({ where: { id: { in: list("user") } }, select: { id: true, email: true } }) : [],
    ids.has("api_key") ? db.apiKey.findMany({ where: { id: { in: list("api_key") } }, select: { id: true, name: true } }) : [],
    ids.has("role") ? db.role.findMany({ where: { id: { in: list("role") } }, select: { id: true, name: true } }) : [],
    ids.has("scope") ? db.customScope.findMany({ where: { id: { in: list("scope") } }, select: { id: true, name: true } }) : [],
    ids.has("connection") ? db.connection.findMany({ where: { id: { in: list("connection") } }, select: { id: true, name: true, slug: true } }) : [],
  ]);

  const found = new Map<string, { name: string; href: string }>();
  const key = (kind: TargetKind, id: string) => `${kind}:${id}`;
  for (const app of apps) found.set(key("app", app.clientId), { name: app.name, href: appHref(app) });
  for (const app of appRows) found.set(key("app_row", app.id), { name: app.name, href: appHref(app) });
  for (const user of users) found.set(key("user", user.id), { name: user.email, href: usersHref(user.email) });
  for (const apiKey of keys) found.set(key("api_key", apiKey.id), { name: apiKey.name, href: "/dashboard/api-keys" });
  for (const role of roles) found.set(key("role", role.id), { name: role.name, href: "/dashboard/roles" });
  for (const scope of scopes) found.set(key("scope", scope.id), { name: scope.name, href: "/dashboard/scopes" });
  for (const connection of connections) found.set(key("connection", connection.id), { name: connection.name, href: `/dashboard/connections/${encodeURIComponent(connection.slug)}` });

  const named = (kind: TargetKind | null, id: string): NamedTarget => {
    const hit = kind ? found.get(key(kind, id)) : undefined;
    return hit ? { id, ...hit, deleted: false } : { id, name: null, href: null, deleted: kind !== null };
  };
  return {
    target: (event) => (event.targetId ? named(targetKindOf(event.action), event.targetId) : null),
    actor: (event) => {
      if (event.actorType !== "user" || !event.actorId) return null;
      const user = named("user", event.actorId);
      return user.name ? user : null;
    },
    app: (event) => {
      const clientId = detailsClientId(event);
      const app = clientId ? named("app", clientId) : null;
      return app?.name ? app : null;
    },
  };
}

/** Events with what the audit log shows for their actor, target and app. */
export async function namedAuditEvents<E extends AuditEventRef>(
  db: Db,
  events: readonly E[],
): Promise<(E & { actorUser: NamedTarget | null; target: NamedTarget | null; app: NamedTarget | null })[]> {
  const names = await resolveAuditNames(db, events);
  return events.map((event) => ({ ...event, actorUser: names.actor(event), target: names.target(event), app: names.app(event) }));
}
