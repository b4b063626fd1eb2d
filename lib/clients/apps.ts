import { recordAudit, type Actor } from "../audit";
import { randomBytes } from "node:crypto";
import { isUniqueViolation } from "../db/unique-violation";
import { isUnstorable, UNSTORABLE_MESSAGE } from "../text";
import type { ConnectedApp, Prisma, PrismaClient } from "../db/generated/client.ts";
import { parseCreateInput, parseUpdateInput, STRICT, type FullSettings, type InputRules } from "./app-input";
import { columnsOf, settingsOf, toView, type AppView } from "./app-view";
import { conflictError, invalidInput, notFoundError, type DomainError } from "../domain-error";
import { CLIENT_TYPES, credentialKind, isMachineType, isSelfRegistration, MACHINE_TYPES, policyFor, typesWhere, type ClientType, type CreationMethod, type TokenEndpointAuthMethod } from "./policy";
import { keyIds } from "./client-jwks";
import { generateClientSecret, hashClientSecret } from "./secrets";
import { announcing } from "../db/local-changes";

const withSecrets = { secrets: { select: { slot: true, last4: true } } } as const;

/** `ca_` + 128 random bits: cannot be mistaken for a URL (CIMD client_ids are https URLs). */
export function newClientId(): string {
  return `ca_${randomBytes(16).toString("base64url")}`;
}

function secretRow(slot: "current" | "next") {
  const secret = generateClientSecret();
  return { secret, data: { slot, secretHash: hashClientSecret(secret), last4: secret.slice(-4) } };
}

/**
 * The two lists a client belongs to: connected apps (act for a user) and
 * machine clients (act for themselves). One table and one write path serve
 * both; every read and change names its kind, so neither list's surfaces
 * (dashboard, API, audit names) ever show or touch the other's clients.
 */
export type ClientKind = "connected_app" | "machine_client";

const KINDS: Record<ClientKind, { types: ClientType[]; noun: string }> = {
  connected_app: { types: CLIENT_TYPES, noun: "connected app" },
  machine_client: { types: MACHINE_TYPES, noun: "machine client" },
};

export function kindOf(type: ClientType): ClientKind {
  return isMachineType(type) ? "machine_client" : "connected_app";
}

/** The rows of one kind (a Prisma filter). */
export function ofKind(kind: ClientKind) {
  return { clientType: { in: KINDS[kind].types } };
}

/** The refusal for a client_id that names no client of that kind. */
export function appNotFound(clientId: string, kind: ClientKind = "connected_app"): DomainError {
  return notFoundError(`No ${KINDS[kind].noun} with client_id ${clientId}`);
}

/** Columns only self-registration sets: RFC 7591 metadata, DCR's token hash and dedup key, CIMD's fetch times. */
export type RegistrationColumns = Partial<
  Pick<
    Prisma.ConnectedAppUncheckedCreateInput,
    | "contacts"
    | "tosUri"
    | "policyUri"
    | "softwareId"
    | "softwareVersion"
    | "applicationType"
    | "registrationAccessTokenHash"
    | "dcrDedupKey"
    | "metadataFetchedAt"
    | "metadataExpiresAt"
  >
>;

export interface NewApp {
  clientType: ClientType;
  /** Validated by parseCreateInput. */
  settings: FullSettings;
  creationMethod: CreationMethod;
  /** A CIMD app's client_id is its document's URL; every other app gets a new `ca_` id. */
  clientId?: string;
  registration?: RegistrationColumns;
  /** A machine client's grants (resource servers and scopes), validated by the caller. */
  grants?: GrantInput[];
}

/** A machine client's grant as written: one resource server and its scopes. */
export interface GrantInput {
  resource: string;
  scopes: string[];
}

export type AppRow = Prisma.ConnectedAppGetPayload<{ include: typeof withSecrets }>;

/**
 * The one write path of a new app, for the dashboard, the management API,
 * DCR and CIMD alike: the creation method must be one the type allows
 * (policy table), a confidential type gets a secret (returned here once,
 * stored as a keyed hash), and the row and its audit entry are written in
 * one transaction.
 */
export async function insertApp(prisma: PrismaClient, actor: Actor, app: NewApp): Promise<{ row: AppRow; clientSecret: string | null }> {
  const policy = policyFor(app.clientType);
  if (!policy.creationMethods.includes(app.creationMethod)) {
    throw invalidInput({ client_type: `${app.clientType} apps cannot be created by ${app.creationMethod}` });
  }
  await checkSelfRegisteredName(prisma, app.creationMethod, app.settings.name);
  // A key client (private_key_jwt) gets no secret: it could never use one.
  const secret = policy.confidential && credentialKind(app.settings.token_endpoint_auth_method) === "secret" ? secretRow("current") : null;
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.connectedApp.create({
      data: {
        ...columnsOf(app.settings),
        ...app.registration,
        name: app.settings.name,
        clientId: app.clientId ?? newClientId(),
        clientType: app.clientType,
        creationMethod: app.creationMethod,
        ...(secret ? { secrets: { create: secret.data } } : {}),
        ...(app.grants?.length ? { clientGrants: { create: app.grants } } : {}),
      },
      include: withSecrets,
    });
    await recordAudit(tx, actor, `${kindOf(app.clientType)}.created`, created.clientId, {
      name: created.name,
      client_type: app.clientType,
      creation_method: app.creationMethod,
      token_endpoint_auth_method: app.settings.token_endpoint_auth_method,
      ...(app.grants ? { grants: grantsForAudit(app.grants) } : {}),
    });
    if (app.settings.jwks || app.settings.jwks_uri) await recordAudit(tx, actor, `${kindOf(app.clientType)}.keys_changed`, created.clientId, keyAudit(app.settings));
    return created;
  });
  return { row, clientSecret: secret?.secret ?? null };
}

/** Creates an app from owner input (dashboard, management API); `rules` relax validation under `next dev`. */
export async function createApp(
  prisma: PrismaClient,
  actor: Actor,
  input: unknown,
  creationMethod: CreationMethod,
  rules: InputRules = STRICT,
): Promise<{ app: AppView; clientSecret: string | null }> {
  const { row, clientSecret } = await insertApp(prisma, actor, { ...parseCreateInput(input, rules), creationMethod });
  return { app: toView(row), clientSecret };
}

/** The row of a client of one kind, with its secrets' last four (null: none of that kind). */
export async function findAppRow(prisma: PrismaClient, clientId: string, kind: ClientKind): Promise<AppRow | null> {
  return prisma.connectedApp.findUnique({ where: { clientId, ...ofKind(kind) }, include: withSecrets });
}

export async function getApp(prisma: PrismaClient, clientId: string): Promise<AppView | null> {
  const app = await findAppRow(prisma, clientId, "connected_app");
  return app && toView(app);
}

/** Whether a string can be a listing cursor (the opaque `next_cursor` listApps returns). */
export function isAppCursor(cursor: string): boolean {
  return /^\d{1,18}$/.test(cursor);
}

/**
 * Apps in creation order. The cursor is the last row's position (`seq`), so a
 * page still follows correctly when the app it ended on has been deleted.
 */
export async function listApps(
  prisma: PrismaClient,
  options: { limit?: number; cursor?: string; search?: string } = {},
): Promise<{ apps: AppView[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await listAppRows(prisma, "connected_app", options);
  return { apps: rows.map(toView), nextCursor };
}

/** One page of the clients of one kind, in creation order (listApps' paging and search). */
export async function listAppRows(
  prisma: PrismaClient,
  kind: ClientKind,
  options: { limit?: number; cursor?: string; search?: string } = {},
): Promise<{ rows: AppRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  if (options.cursor !== undefined && !isAppCursor(options.cursor)) {
    throw invalidInput({ cursor: "is not a cursor returned by a previous page" });
  }
  if (options.search && isUnstorable(options.search)) throw invalidInput({ q: UNSTORABLE_MESSAGE });
  // `contains` becomes LIKE: a literal % or _ in the search must not act as a wildcard.
  const search = options.search?.trim().replace(/[\\%_]/g, "\\$&");
  const where: Prisma.ConnectedAppWhereInput = {
    ...ofKind(kind),
    ...(search ? { OR: [{ name: { contains: search, mode: "insensitive" } }, { clientId: { contains: search } }] } : {}),
    ...(options.cursor ? { seq: { gt: BigInt(options.cursor) } } : {}),
  };
  const rows = await prisma.connectedApp.findMany({ where, orderBy: { seq: "asc" }, take: limit + 1, include: withSecrets });
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null };
}

/** Applies a partial update from owner input; the client type can never change. */
export async function updateApp(prisma: PrismaClient, actor: Actor, clientId: string, input: unknown, rules: InputRules = STRICT): Promise<AppView> {
  const current = await prisma.connectedApp.findUnique({ where: { clientId, ...ofKind("connected_app") } });
  if (!current) throw appNotFound(clientId);
  return toView(await writeAppChanges(prisma, actor, current, parseUpdateInput(current.clientType, settingsOf(current), input, rules)));
}

/** What a key change's audit entry says: the method, the key ids or the URL the keys come from (public data only). */
function keyAudit(s: Pick<FullSettings, "token_endpoint_auth_method" | "jwks" | "jwks_uri">) {
  return { token_endpoint_auth_method: s.token_endpoint_auth_method, key_ids: keyIds(s.jwks), jwks_uri: s.jwks_uri };
}
const KEY_SETTINGS = ["token_endpoint_auth_method", "jwks", "jwks_uri"] as const;

/** JSON with object members in sorted order: a JWK Set read back from jsonb (which reorders members) equals the one saved. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/**
 * The one write path of an app's changes (validated settings, and for DCR
 * its registration columns): the row, and the audit entry naming what
 * changed, in one transaction; every instance's caches hear of it. When the
 * redirect URIs change, the users' remembered consent is forgotten: it was
 * given for the old addresses, and nobody is sent to a new redirect URI
 * without being asked again.
 */
export async function writeAppChanges(
  prisma: PrismaClient,
  actor: Actor,
  current: ConnectedApp,
  changes: Partial<FullSettings>,
  extra: { registration?: RegistrationColumns; audit?: Record<string, string>; grants?: GrantInput[] } = {},
): Promise<AppRow> {
  const before = settingsOf(current);
  const changed: string[] = (Object.keys(changes) as (keyof FullSettings)[]).filter((key) => canonicalJson(changes[key]) !== canonicalJson(before[key]));
  const grants = extra.grants;
  if (grants) changed.push("grants");
  const consentReset = changes.redirect_uris !== undefined && !sameSet(changes.redirect_uris, before.redirect_uris);
  const disabling = changes.status === "disabled" && before.status !== "disabled";
  if (changes.name !== undefined && changes.name !== before.name) await checkSelfRegisteredName(prisma, current.creationMethod, changes.name, current.id);
  const write = prisma.$transaction(async (tx) => {
    const updated = await tx.connectedApp.update({ where: { id: current.id }, data: { ...columnsOf(changes), ...extra.registration }, include: withSecrets });
    if (consentReset) await tx.grant.deleteMany({ where: { appId: current.id } });
    // A machine client's grants are replaced as a whole; the trigger on client_grants tells every instance's cache.
    if (grants) {
      await tx.clientGrant.deleteMany({ where: { appId: current.id } });
      if (grants.length) await tx.clientGrant.createMany({ data: grants.map((g) => ({ ...g, appId: current.id })) });
    }
    // Disabling ends every token the app holds; enabling it again does not revive them (users sign in again).
    const revoked = disabling ? (await tx.tokenFamily.updateMany({ where: { appId: current.id, revokedAt: null }, data: { revokedAt: new Date() } })).count : 0;
    if (changed.length || extra.audit) {
      await recordAudit(tx, actor, `${kindOf(current.clientType)}.updated`, current.clientId, {
        changed,
        ...(grants ? { grants: grantsForAudit(grants) } : {}),
        ...(consentReset ? { consent_reset: true } : {}),
        ...(disabling ? { token_families_revoked: revoked } : {}),
        ...extra.audit,
      });
    }
    // Key changes get an entry of their own, naming the keys now registered.
    if (changed.some((key) => (KEY_SETTINGS as readonly string[]).includes(key))) {
      await recordAudit(tx, actor, `${kindOf(current.clientType)}.keys_changed`, current.clientId, { ...keyAudit({ ...before, ...changes }), ...extra.audit });
    }
    return updated;
  });
  return announcing("clients", write);
}

/**
 * A self-registered app may not take the name of one of the project's own
 * (first-party) apps, in any case: on a consent page users would take it
 * for that app.
 */
async function checkSelfRegisteredName(prisma: PrismaClient, creationMethod: string, name: string, exceptId?: string): Promise<void> {
  if (!isSelfRegistration(creationMethod)) return;
  const twin = await prisma.connectedApp.findFirst({
    where: {
      name: { equals: name.trim(), mode: "insensitive" },
      clientType: { in: typesWhere((p) => p.ownership === "first_party") },
      ...(exceptId ? { id: { not: exceptId } } : {}),
    },
    select: { id: true },
  });
  if (twin) throw invalidInput({ name: "is the name of one of this project's own apps; choose another" });
}

export async function deleteApp(prisma: PrismaClient, actor: Actor, clientId: string, kind: ClientKind = "connected_app"): Promise<void> {
  if (!(await deleteAppIf(prisma, actor, clientId, ofKind(kind), {}, kind))) throw appNotFound(clientId, kind);
}

/**
 * Deletes an app (its grants and tokens go with it) only while it matches
 * `condition`, which the delete itself checks: housekeeping removes an
 * unused app, not one that someone started to use since it was picked.
 * Returns whether it was deleted; the audit entry carries `details`.
 */
export async function deleteAppIf(
  prisma: PrismaClient,
  actor: Actor,
  clientId: string,
  condition: Prisma.ConnectedAppWhereInput,
  details: Prisma.InputJsonObject = {},
  kind: ClientKind = "connected_app",
): Promise<boolean> {
  return announcing("clients", prisma.$transaction(async (tx) => {
    const deleted = await tx.connectedApp.deleteMany({ where: { ...ofKind(kind), ...condition, clientId } });
    if (deleted.count === 0) return false;
    await recordAudit(tx, actor, `${kind}.deleted`, clientId, details);
    return true;
  }));
}

async function confidentialApp(db: Prisma.TransactionClient | PrismaClient, clientId: string, kind: ClientKind) {
  const app = await db.connectedApp.findUnique({ where: { clientId, ...ofKind(kind) } });
  if (!app) throw appNotFound(clientId, kind);
  if (!policyFor(app.clientType).confidential) throw conflictError("Public apps have no client secret");
  return app;
}

/** A change to an app's secrets is a change to the app: its updated time moves (the secrets live in their own table). */
async function touch(tx: Prisma.TransactionClient, appId: string): Promise<void> {
  await tx.connectedApp.update({ where: { id: appId }, data: { updatedAt: new Date() } });
}

/**
 * Starts a rotation: issues a second secret (returned once); both verify
 * until the rotation is completed or cancelled. The unique (app, slot) index
 * makes a concurrent second start fail instead of creating two.
 */
export async function startSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string): Promise<{ clientSecret: string; app: AppView }> {
  const { clientSecret, row } = await startClientSecretRotation(prisma, actor, clientId, "connected_app");
  return { clientSecret, app: toView(row) };
}

/** Makes the new secret the only one (see completeClientSecretRotation). */
export async function completeSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string): Promise<AppView> {
  return toView(await completeClientSecretRotation(prisma, actor, clientId, "connected_app"));
}

/** Discards the new secret (see cancelClientSecretRotation). */
export async function cancelSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string): Promise<AppView> {
  return toView(await cancelClientSecretRotation(prisma, actor, clientId, "connected_app"));
}

/** startSecretRotation for a client of either kind; returns the row (its view is the caller's). */
export async function startClientSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string, kind: ClientKind) {
  const app = await confidentialApp(prisma, clientId, kind);
  // A key client never authenticates with a secret (policy.ts credentialKind): a new one would only look usable.
  if (credentialKind(app.tokenEndpointAuthMethod as TokenEndpointAuthMethod) === "key") {
    throw conflictError("This client authenticates with private_key_jwt, not a secret: it has no secret to rotate");
  }
  const next = secretRow("next");
  try {
    await announcing("clients", prisma.$transaction(async (tx) => {
      await tx.clientSecret.create({ data: { ...next.data, appId: app.id } });
      await touch(tx, app.id);
      await recordAudit(tx, actor, `${kind}.secret_rotation_started`, clientId);
    }));
  } catch (error) {
    if (isUniqueViolation(error)) throw conflictError("A secret rotation is already in progress");
    throw error;
  }
  return { clientSecret: next.secret, row: (await findAppRow(prisma, clientId, kind))! };
}

/** Makes the new secret the only one. Conditional on a rotation being in progress, in one transaction. */
export async function completeClientSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string, kind: ClientKind): Promise<AppRow> {
  await announcing("clients", prisma.$transaction(async (tx) => {
    const app = await confidentialApp(tx, clientId, kind);
    // A concurrent complete waits on the deleted row, then finds no next secret: a conflict, not two swaps.
    const promoted = await tx.clientSecret.deleteMany({ where: { appId: app.id, slot: "current" } });
    const moved = await tx.clientSecret.updateMany({ where: { appId: app.id, slot: "next" }, data: { slot: "current" } });
    if (moved.count !== 1) throw conflictError("No secret rotation is in progress");
    await touch(tx, app.id);
    await recordAudit(tx, actor, `${kind}.secret_rotation_completed`, clientId, { replaced: promoted.count });
  }));
  return (await findAppRow(prisma, clientId, kind))!;
}

/** Discards the new secret; the current one stays the only one. */
export async function cancelClientSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string, kind: ClientKind): Promise<AppRow> {
  await announcing("clients", prisma.$transaction(async (tx) => {
    const app = await confidentialApp(tx, clientId, kind);
    const removed = await tx.clientSecret.deleteMany({ where: { appId: app.id, slot: "next" } });
    if (removed.count !== 1) throw conflictError("No secret rotation is in progress");
    await touch(tx, app.id);
    await recordAudit(tx, actor, `${kind}.secret_rotation_cancelled`, clientId);
  }));
  return (await findAppRow(prisma, clientId, kind))!;
}

/** Grants as the audit log keeps them (what was authorized, never a secret). */
function grantsForAudit(grants: GrantInput[]): Prisma.InputJsonArray {
  return grants.map((g) => ({ resource: g.resource, scopes: g.scopes }));
}
