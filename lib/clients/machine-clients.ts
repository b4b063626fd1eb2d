import type { Actor } from "../audit";
import type { PrismaClient } from "../db/generated/client.ts";
import { getProjectSettings } from "../settings";
import { DEFAULT_SETTINGS, type KeySettings } from "./app-input";
import { settingsOf } from "./app-view";
import { keyIds, type ClientJwks } from "./client-jwks";
import {
  appNotFound,
  cancelClientSecretRotation,
  completeClientSecretRotation,
  deleteApp,
  findAppRow,
  insertApp,
  listAppRows,
  startClientSecretRotation,
  writeAppChanges,
  type AppRow,
  type GrantInput,
} from "./apps";
import { parseMachineClientInput } from "./machine-client-input";
import { policyFor, type CreationMethod, type TokenEndpointAuthMethod } from "./policy";

const KIND = "machine_client";
const TYPE = "machine";

/** A machine client as the API returns it and the dashboard shows it (wire names). Never holds a secret. */
export interface MachineClientView {
  client_id: string;
  name: string;
  description: string | null;
  token_endpoint_auth_methods: string[];
  /** The one it uses: its secret (either secret method), or private_key_jwt with its registered keys. */
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  /** private_key_jwt: its public keys, or where it publishes them (one of the two). */
  jwks: ClientJwks | null;
  jwks_uri: string | null;
  /** What identifies each registered key: its kid, else its RFC 7638 thumbprint. */
  jwks_key_ids: string[];
  /** The resource servers it may get tokens for, and the scopes of each. */
  grants: GrantInput[];
  access_token_ttl_seconds: number;
  status: "active" | "disabled";
  client_secret_last4: string | null;
  /** Last four of the second secret while a rotation is in progress. */
  next_client_secret_last4: string | null;
  created_at: string;
  updated_at: string;
}

function toMachineView(row: AppRow, grants: { resource: string; scopes: string[] }[]): MachineClientView {
  const { token_endpoint_auth_method, jwks, jwks_uri } = settingsOf(row);
  return {
    client_id: row.clientId,
    name: row.name,
    description: row.description,
    token_endpoint_auth_methods: [...policyFor(TYPE).tokenEndpointAuthMethods],
    token_endpoint_auth_method,
    jwks,
    jwks_uri,
    jwks_key_ids: keyIds(jwks),
    grants: grants.map((g) => ({ resource: g.resource, scopes: g.scopes })),
    access_token_ttl_seconds: row.accessTokenTtlSeconds,
    status: row.status,
    client_secret_last4: row.secrets.find((s) => s.slot === "current")?.last4 ?? null,
    next_client_secret_last4: row.secrets.find((s) => s.slot === "next")?.last4 ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

async function viewOf(prisma: PrismaClient, row: AppRow): Promise<MachineClientView> {
  const grants = await prisma.clientGrant.findMany({ where: { appId: row.id }, orderBy: { createdAt: "asc" } });
  return toMachineView(row, grants);
}

async function resourceServers(prisma: PrismaClient): Promise<string[]> {
  return (await getProjectSettings(prisma)).resource_servers;
}

/** A new machine client's settings before its input: the app defaults with no user scopes, authenticating with a secret. */
const NEW_CLIENT = { ...DEFAULT_SETTINGS, allowed_scopes: [] as string[], token_endpoint_auth_method: policyFor(TYPE).tokenEndpointAuthMethods[0]! };

/**
 * Creates a machine client from owner input (dashboard, management API)
 * through the one write path of apps (insertApp): a secret client's secret
 * is returned here once and stored as a keyed hash; a private_key_jwt
 * client gets none (`clientSecret` null). The row, its grants and the audit
 * entries are one transaction. DCR and CIMD cannot create one (policy table).
 */
export async function createMachineClient(
  prisma: PrismaClient,
  actor: Actor,
  input: unknown,
  creationMethod: CreationMethod,
): Promise<{ client: MachineClientView; clientSecret: string | null }> {
  const { grants, ...settings } = parseMachineClientInput(input, { resourceServers: await resourceServers(prisma), current: NEW_CLIENT, creating: true });
  const { row, clientSecret } = await insertApp(prisma, actor, {
    clientType: TYPE,
    // A machine client has no redirect URIs, consent or ID tokens: the app defaults stand for those.
    settings: { ...NEW_CLIENT, ...settings, name: settings.name! },
    creationMethod,
    grants: grants ?? [],
  });
  return { client: await viewOf(prisma, row), clientSecret };
}

export async function getMachineClient(prisma: PrismaClient, clientId: string): Promise<MachineClientView | null> {
  const row = await findAppRow(prisma, clientId, KIND);
  return row && viewOf(prisma, row);
}

/** Machine clients in creation order, with the paging and search of the app list. */
export async function listMachineClients(
  prisma: PrismaClient,
  options: { limit?: number; cursor?: string; search?: string } = {},
): Promise<{ clients: MachineClientView[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await listAppRows(prisma, KIND, options);
  const grants = await prisma.clientGrant.findMany({ where: { appId: { in: rows.map((r) => r.id) } }, orderBy: { createdAt: "asc" } });
  return { clients: rows.map((row) => toMachineView(row, grants.filter((g) => g.appId === row.id))), nextCursor };
}

/**
 * Changes some settings and, when `grants` is given, replaces its grants as
 * a whole; through the apps' one write path (writeAppChanges), so disabling
 * it ends its tokens at once, a change of method or keys is audited as
 * `machine_client.keys_changed`, and every instance's cache hears of it.
 * Switching between a secret and private_key_jwt follows the apps' rules:
 * a secret it had stays stored but unused while it uses a key.
 */
export async function updateMachineClient(prisma: PrismaClient, actor: Actor, clientId: string, input: unknown): Promise<MachineClientView> {
  const current = await findAppRow(prisma, clientId, KIND);
  if (!current) throw appNotFound(clientId, KIND);
  const currentKeys: KeySettings = settingsOf(current);
  const { grants, ...changes } = parseMachineClientInput(input, { resourceServers: await resourceServers(prisma), current: currentKeys, creating: false });
  return viewOf(prisma, await writeAppChanges(prisma, actor, current, changes, grants ? { grants } : {}));
}

export async function deleteMachineClient(prisma: PrismaClient, actor: Actor, clientId: string): Promise<void> {
  await deleteApp(prisma, actor, clientId, KIND);
}

/** Secret rotation exactly as for apps: start (a second secret, shown once), complete, cancel. */
export async function startMachineSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string) {
  const { clientSecret, row } = await startClientSecretRotation(prisma, actor, clientId, KIND);
  return { clientSecret, client: await viewOf(prisma, row) };
}

export async function completeMachineSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string): Promise<MachineClientView> {
  return viewOf(prisma, await completeClientSecretRotation(prisma, actor, clientId, KIND));
}

export async function cancelMachineSecretRotation(prisma: PrismaClient, actor: Actor, clientId: string): Promise<MachineClientView> {
  return viewOf(prisma, await cancelClientSecretRotation(prisma, actor, clientId, KIND));
}
