import { recordAudit, type Actor } from "../audit";
import { policyFor, type ClientType } from "../clients/policy";
import { derivedKey } from "../crypto/pepper";
import { seal, unseal } from "../crypto/seal";
import type { Connection, Prisma, PrismaClient } from "../db/generated/client.ts";
import { isUniqueViolation } from "../db/unique-violation";
import { conflictError, invalidInput, notFoundError } from "../domain-error";
import { getProjectSettings } from "../settings";
import { assertSomeSignInRemains, SIGN_IN_METHODS_LOCK } from "./sign-in-remains";
import { connectionCreateSchema, connectionPatchSchema, parseConnectionInput, settingsForKind } from "./input";
import type { ConnectionKind } from "./presets";

/** Key purpose for sealing upstream client secrets (derived from the server secret, like signing keys'). */
export const CONNECTION_SECRET_PURPOSE = "connection-secret-encryption";
/** The `idp` of a password sign-in, and the built-in connection's name in lists. */
export const PASSWORD_CONNECTION = "email";

type Tx = Prisma.TransactionClient;
type Row = Connection & { apps: { app: { clientId: string } }[] };
const WITH_APPS = { apps: { select: { app: { select: { clientId: true } } } } } as const;

/** The path, on this server, that an upstream sends its users back to: the redirect URI the owner registers there. */
export function connectionCallbackPath(slug: string): string {
  return `/signin/connections/${slug}/callback`;
}

/** A connection as owners see it (API and dashboard): never its client secret. */
export interface ConnectionView {
  id: string;
  slug: string;
  kind: ConnectionKind;
  name: string;
  level: "project" | "app";
  enabled: boolean;
  issuer: string | null;
  client_id: string;
  scopes: string[];
  allowed_email_domains: string[];
  link_verified_email: boolean;
  /** App-level: the first-party apps that offer it (client_ids). */
  apps: string[];
  /** The redirect URI to register at the upstream (this server's issuer + callback path). */
  redirect_uri: string;
  created_at: string;
  updated_at: string;
}

function view(row: Row, issuer: string): ConnectionView {
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind as ConnectionKind,
    name: row.name,
    level: row.level as "project" | "app",
    enabled: row.enabled,
    issuer: row.issuer,
    client_id: row.clientId,
    scopes: row.scopes,
    allowed_email_domains: row.allowedEmailDomains,
    link_verified_email: row.linkVerifiedEmail,
    apps: row.apps.map((a) => a.app.clientId).sort(),
    redirect_uri: `${issuer}${connectionCallbackPath(row.slug)}`,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** What the sign-in flow needs of a connection, its secret opened. */
export interface UpstreamConnection {
  id: string;
  slug: string;
  kind: ConnectionKind;
  name: string;
  issuer: string | null;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  allowedEmailDomains: string[];
  linkVerifiedEmail: boolean;
}

const sealSecret = (id: string, secret: string) => seal(secret, derivedKey(CONNECTION_SECRET_PURPOSE), `connection:${id}`);

/**
 * The app ids of the client_ids an app-level connection names: each must be
 * an existing app whose type may offer app-level connections (policy table).
 */
async function appIdsFor(tx: Tx, level: "project" | "app", clientIds: readonly string[]): Promise<string[]> {
  if (level === "project") {
    if (clientIds.length) throw invalidInput({ apps: "are chosen only for an app-level connection (a project-level one is offered to every app)" });
    return [];
  }
  const apps = await tx.connectedApp.findMany({ where: { clientId: { in: [...clientIds] } }, select: { id: true, clientId: true, clientType: true } });
  const problems: Record<string, string> = {};
  clientIds.forEach((clientId, index) => {
    const app = apps.find((a) => a.clientId === clientId);
    if (!app) problems[`apps[${index}]`] = `${clientId} is not an app`;
    else if (policyFor(app.clientType).signInConnections !== "project_and_app") {
      problems[`apps[${index}]`] = `${clientId} is not a first-party app: it may offer project-level connections only`;
    }
  });
  if (Object.keys(problems).length) throw invalidInput(problems);
  return apps.map((a) => a.id);
}

export async function listConnections(prisma: PrismaClient, issuer: string): Promise<ConnectionView[]> {
  const rows = await prisma.connection.findMany({ include: WITH_APPS, orderBy: { createdAt: "asc" } });
  return rows.map((row) => view(row, issuer));
}

export async function getConnection(prisma: PrismaClient, issuer: string, slug: string): Promise<ConnectionView | null> {
  const row = await prisma.connection.findUnique({ where: { slug }, include: WITH_APPS });
  return row && view(row, issuer);
}

export async function createConnection(prisma: PrismaClient, actor: Actor, issuer: string, input: unknown): Promise<ConnectionView> {
  const data = parseConnectionInput(connectionCreateSchema, input);
  const { issuer: upstreamIssuer, scopes } = settingsForKind(data.kind, data);
  try {
    return await prisma.$transaction(async (tx) => {
      const appIds = await appIdsFor(tx, data.level, data.apps);
      const id = crypto.randomUUID();
      const created = await tx.connection.create({
        data: {
          id,
          slug: data.slug,
          kind: data.kind,
          name: data.name,
          level: data.level,
          enabled: data.enabled,
          issuer: upstreamIssuer,
          clientId: data.client_id,
          clientSecretSealed: sealSecret(id, data.client_secret),
          scopes,
          allowedEmailDomains: data.allowed_email_domains,
          linkVerifiedEmail: data.link_verified_email,
          apps: { create: appIds.map((appId) => ({ appId })) },
        },
        include: WITH_APPS,
      });
      await recordAudit(tx, actor, "connection.created", id, { slug: data.slug, kind: data.kind, level: data.level, issuer: upstreamIssuer });
      return view(created, issuer);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflictError(`A connection named ${data.slug} already exists`);
    throw e;
  }
}

export async function updateConnection(prisma: PrismaClient, actor: Actor, issuer: string, slug: string, patch: unknown): Promise<ConnectionView> {
  const data = parseConnectionInput(connectionPatchSchema, patch);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(SIGN_IN_METHODS_LOCK);
    const found = await tx.connection.findUnique({ where: { slug }, include: WITH_APPS });
    if (!found) throw notFoundError(`No connection named ${slug}`);
    const kind = found.kind as ConnectionKind;
    const level = data.level ?? (found.level as "project" | "app");
    const settings = settingsForKind(kind, {
      issuer: data.issuer === undefined ? found.issuer : data.issuer,
      scopes: data.scopes ?? found.scopes,
    });
    const clientIds = data.apps ?? (level === "app" ? found.apps.map((a) => a.app.clientId) : []);
    const appIds = await appIdsFor(tx, level, clientIds);
    await tx.connectionApp.deleteMany({ where: { connectionId: found.id } });
    const updated = await tx.connection.update({
      where: { id: found.id },
      data: {
        ...(data.name !== undefined && { name: data.name }),
        ...(data.enabled !== undefined && { enabled: data.enabled }),
        ...(data.client_id !== undefined && { clientId: data.client_id }),
        ...(data.client_secret !== undefined && { clientSecretSealed: sealSecret(found.id, data.client_secret) }),
        ...(data.allowed_email_domains !== undefined && { allowedEmailDomains: data.allowed_email_domains }),
        ...(data.link_verified_email !== undefined && { linkVerifiedEmail: data.link_verified_email }),
        level,
        issuer: settings.issuer,
        scopes: settings.scopes,
        apps: { create: appIds.map((appId) => ({ appId })) },
      },
      include: WITH_APPS,
    });
    await assertSomeSignInRemains(tx, (await getProjectSettings(tx as PrismaClient)).password_signin_enabled);
    const { client_secret, ...changes } = data;
    await recordAudit(tx, actor, "connection.updated", found.id, {
      slug,
      changes: { ...changes, ...(client_secret !== undefined && { client_secret: "(changed)" }) },
    });
    return view(updated, issuer);
  });
}

/** Deletes a connection and its users' identities there (the users stay, with their other ways to sign in). */
export async function deleteConnection(prisma: PrismaClient, actor: Actor, slug: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(SIGN_IN_METHODS_LOCK);
    const found = await tx.connection.findUnique({ where: { slug }, select: { id: true } });
    if (!found) throw notFoundError(`No connection named ${slug}`);
    await tx.connection.delete({ where: { id: found.id } });
    await assertSomeSignInRemains(tx, (await getProjectSettings(tx as PrismaClient)).password_signin_enabled);
    await recordAudit(tx, actor, "connection.deleted", found.id, { slug });
  });
}

/** A summary of each enabled connection, for sign-in pages. */
export interface OfferedConnection {
  slug: string;
  name: string;
  kind: ConnectionKind;
}

/**
 * The sign-in methods a sign-in page offers: the password form when that
 * connection is on, and the enabled connections this app's type may use
 * (policy table: project-level for every app; app-level only for the apps
 * of a type that allows them, and only those the owner picked). Without an
 * app (the dashboard, /account): project-level connections.
 */
export async function signInMethodsFor(
  prisma: PrismaClient,
  app: { id: string; clientType: ClientType } | null,
): Promise<{ password: boolean; connections: OfferedConnection[] }> {
  const [settings, rows] = await Promise.all([
    getProjectSettings(prisma),
    prisma.connection.findMany({
      where: { enabled: true },
      select: { slug: true, name: true, kind: true, level: true, apps: { select: { appId: true } } },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const rule = app ? policyFor(app.clientType).signInConnections : "project";
  const offered = rows.filter((row) => connectionOffered(rule, row.level as "project" | "app", app ? row.apps.some((a) => a.appId === app.id) : false));
  return { password: settings.password_signin_enabled, connections: offered.map(({ slug, name, kind }) => ({ slug, name, kind: kind as ConnectionKind })) };
}

/** The visibility rule, one connection at a time (Auth0's): third-party apps never see app-level connections, whatever their settings. */
export function connectionOffered(rule: "project" | "project_and_app" | "none", level: "project" | "app", enabledForApp: boolean): boolean {
  if (rule === "none") return false;
  if (level === "project") return true;
  return rule === "project_and_app" && enabledForApp;
}

/** An enabled connection with its client secret opened, for the sign-in flow; null when unknown or disabled. */
export async function upstreamConnection(prisma: PrismaClient, slug: string): Promise<UpstreamConnection | null> {
  const row = await prisma.connection.findUnique({ where: { slug } });
  if (!row || !row.enabled) return null;
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind as ConnectionKind,
    name: row.name,
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecret: unseal(row.clientSecretSealed, derivedKey(CONNECTION_SECRET_PURPOSE), `connection:${row.id}`),
    scopes: row.scopes,
    allowedEmailDomains: row.allowedEmailDomains,
    linkVerifiedEmail: row.linkVerifiedEmail,
  };
}

