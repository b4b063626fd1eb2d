import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { Actor } from "../audit";
import { isUniqueViolation } from "../db/unique-violation";
import type { ConnectedApp, PrismaClient } from "../db/generated/client.ts";
import { getProjectSettings } from "../settings";
import { getConfig } from "../config";
import type { Requester } from "../oauth/store";
import { SHARED_BUCKET } from "../rate-limit";
import type { CimdConfig } from "./cimd-config";
import { CimdBusyError, CimdDisabledError, isCimdError } from "./cimd-errors";
import { CimdDocumentError, validateMetadataDocument } from "./cimd-document";
import { CimdFetchError, cimdUrlProblem, fetchMetadataDocument, type CimdFetchOptions } from "./cimd-fetch";
import { conflictError, translatingInvalidInput } from "../domain-error";
// Strict rules: a document is published on the internet, whatever mode this server runs in.
import { parseCreateInput, parseUpdateInput, STRICT } from "./app-input";
import { settingsOf } from "./app-view";
import { appNotFound, insertApp, writeAppChanges } from "./apps";
import { selfRegisteredType } from "./policy";
import { processCimdGuards, type CimdGuards } from "./cimd-guards";
import { assertMayCreateCimdApp, countNewCimdApp } from "./cimd-rate-limit";
import { AUTHORIZED, removeUnusedCimdApps } from "./cimd-retention";

/** Replaceable in tests: configuration, DNS, the clock, the process's fetch guards. */
export interface CimdDeps {
  config?: CimdConfig;
  resolve?: CimdFetchOptions["resolve"];
  now?: Date;
  guards?: CimdGuards;
}

const guardsOf = (deps: CimdDeps, config: CimdConfig) => deps.guards ?? processCimdGuards(config);

const SYSTEM: Actor = { type: "system", id: null, label: "Client ID Metadata Document" };

let testCa: { file: string; ca: string } | undefined;
/** Development and tests only: Node's roots plus the CIMD_TEST_CA_FILE certificate (`ca` would otherwise replace the roots). */
export function trustedCas(config: CimdConfig): string | undefined {
  if (!config.testCaFile) return undefined;
  if (testCa?.file !== config.testCaFile) testCa = { file: config.testCaFile, ca: [...rootCertificates, readFileSync(config.testCaFile, "utf8")].join("\n") };
  return testCa.ca;
}

/**
 * The app for a URL client_id (draft-ietf-oauth-client-id-metadata-document):
 * the stored app while its document is fresh, else the document fetched,
 * validated and stored again. Throws a CimdError saying what went wrong;
 * nothing is stored for a document that fails. Bounded (issue 13): a
 * document that failed is not fetched again for CIMD_FAILURE_CACHE_S,
 * concurrent requests for one URL share one fetch, and a new app is refused
 * before its fetch when the requester's source has created its share.
 * Requests that do not say where they come from share one bucket.
 */
export async function resolveCimdApp(prisma: PrismaClient, clientId: string, deps: CimdDeps = {}, requester?: Requester): Promise<ConnectedApp> {
  if (!(await getProjectSettings(prisma)).cimd_enabled) throw new CimdDisabledError();
  const problem = cimdUrlProblem(clientId);
  if (problem) throw new CimdFetchError("invalid_url", `The client_id ${problem}`);
  const config = deps.config ?? getConfig().cimd;
  const now = deps.now ?? new Date();
  const stored = await prisma.connectedApp.findUnique({ where: { clientId } });
  if (stored && (stored.creationMethod !== "cimd" || (stored.metadataExpiresAt && stored.metadataExpiresAt > now))) return stored;
  const { flights } = guardsOf(deps, config);
  flights.throwIfFailedRecently(clientId, now);
  const source = requester?.source ?? SHARED_BUCKET;
  if (!stored) await assertMayCreateCimdApp(prisma, config, source, now);
  return flights.run(clientId, now, () => refreshCimdApp(prisma, clientId, { ...deps, config }, { source }));
}

/** Who a refresh is for: the owner who asked (audited even when nothing changed), the source a new app counts against. */
interface RefreshFor {
  actor?: Actor;
  source?: string;
}

/**
 * Fetches and validates the document now and stores the result: creates the
 * third-party app (public, or confidential when it signs with private_key_jwt),
 * or overwrites the fields that come from the document (name, logo,
 * client_uri, redirect URIs, auth method and keys), owner edits included.
 * Status and allowed scopes stay as the owner set them.
 */
export async function refreshCimdApp(prisma: PrismaClient, clientId: string, deps: CimdDeps = {}, asked: RefreshFor = {}): Promise<ConnectedApp> {
  const config = deps.config ?? getConfig().cimd;
  const now = deps.now ?? new Date();
  // At most CIMD_MAX_CONCURRENT_FETCHES at once; a fetch waits for a slot no longer than a fetch may take.
  const fetched = await guardsOf(deps, config).fetches.run(
    () => fetchMetadataDocument(clientId, { timeoutMs: config.fetchTimeoutMs, allowLoopback: config.allowLoopback, ca: trustedCas(config), resolve: deps.resolve }),
    config.fetchTimeoutMs,
    () => new CimdBusyError(config.maxConcurrentFetches, config.fetchTimeoutMs),
  );
  const doc = validateMetadataDocument(clientId, fetched.body);
  const ttl = Math.min(Math.max(fetched.maxAgeSeconds ?? config.cacheMinSeconds, config.cacheMinSeconds), config.cacheMaxSeconds);
  const fromDocument = {
    name: doc.name,
    logo_uri: doc.logoUri,
    client_uri: doc.clientUri,
    redirect_uris: doc.redirectUris,
    // The keys refresh with the document.
    token_endpoint_auth_method: doc.authMethod,
    jwks: doc.jwks,
    jwks_uri: doc.jwksUri,
  };
  const type = selfRegisteredType("cimd", doc.authMethod);
  const registration = { metadataFetchedAt: now, metadataExpiresAt: new Date(now.getTime() + ttl * 1000) };
  // The owner's edits to the document's fields are overwritten; a change of redirect URIs forgets remembered consent (writeAppChanges).
  const update = async (current: ConnectedApp) => {
    // The type is fixed at creation: a document cannot turn a public app into one that signs, or back.
    if (current.clientType !== type) {
      throw new CimdDocumentError(`token_endpoint_auth_method in the metadata document changed to ${doc.authMethod}; an app's type cannot change, so publish the new document at a new URL`);
    }
    return asDocumentError(() =>
      writeAppChanges(prisma, asked.actor ?? SYSTEM, current, parseUpdateInput(current.clientType, settingsOf(current), fromDocument, STRICT), {
        registration,
        // Asked for by someone: recorded even when the document did not change.
        ...(asked.actor ? { audit: { via: "metadata_refresh" } } : {}),
      }),
    );
  };
  const current = await prisma.connectedApp.findUnique({ where: { clientId } });
  if (current) return update(current);
  // A new app: the allowed scopes are the defaults of every new app.
  const created = asDocumentError(() => parseCreateInput({ client_type: type, ...fromDocument }, STRICT));
  // Counted against the source's limit only now, about to be stored (refused: nothing is stored).
  await countNewCimdApp(prisma, config, asked.source ?? SHARED_BUCKET, now);
  try {
    return (await asDocumentError(() => insertApp(prisma, SYSTEM, { ...created, creationMethod: "cimd", clientId, registration }))).row;
  } catch (error) {
    // Two first uses at once: the other created it; store this fetch over it.
    if (!isUniqueViolation(error)) throw error;
    return update(await prisma.connectedApp.findUniqueOrThrow({ where: { clientId } }));
  }
}

/** A step of the app write path on the document's settings; refused by the rules every app follows: a document error saying which. */
function asDocumentError<T>(step: () => T): T {
  return translatingInvalidInput(step, (field, message) => new CimdDocumentError(`${field} in the metadata document ${message}`));
}

/**
 * The owner's "Refresh now": the app must exist and come from a metadata
 * document; the document is fetched again at once and the refresh is
 * recorded under the owner's name, in the write's own transaction.
 */
export async function refreshCimdAppNow(prisma: PrismaClient, actor: Actor, clientId: string, deps: CimdDeps = {}): Promise<void> {
  const app = await prisma.connectedApp.findUnique({ where: { clientId }, select: { creationMethod: true } });
  if (!app) throw appNotFound(clientId);
  if (app.creationMethod !== "cimd") throw conflictError("Only apps created from a Client ID Metadata Document can be refreshed");
  const config = deps.config ?? getConfig().cimd;
  await refreshCimdApp(prisma, clientId, { ...deps, config }, { actor });
  // Fixed: requests need not wait for a remembered failure to pass.
  guardsOf(deps, config).flights.forget(clientId);
}

/** When a metadata-document app's document was last fetched and when it goes stale (null for any other app). */
export async function cimdFreshness(prisma: PrismaClient, clientId: string): Promise<{ fetchedAt: Date | null; expiresAt: Date | null } | null> {
  const app = await prisma.connectedApp.findUnique({
    where: { clientId },
    select: { creationMethod: true, metadataFetchedAt: true, metadataExpiresAt: true },
  });
  if (app?.creationMethod !== "cimd") return null;
  return { fetchedAt: app.metadataFetchedAt, expiresAt: app.metadataExpiresAt };
}

/**
 * Refreshes the documents of CIMD apps that are stale (periodic housekeeping),
 * only of apps someone has authorized: an unused app's document is fetched
 * at its next use, if any, and the app itself goes after
 * CIMD_UNUSED_RETENTION_DAYS. A document that fails stays stale, so its next
 * use fetches it again (after CIMD_FAILURE_CACHE_S) and reports the error.
 */
export async function refreshStaleCimdApps(prisma: PrismaClient, deps: CimdDeps = {}, limit = 100): Promise<{ refreshed: number; failed: number }> {
  if (!(await getProjectSettings(prisma)).cimd_enabled) return { refreshed: 0, failed: 0 };
  const config = deps.config ?? getConfig().cimd;
  const now = deps.now ?? new Date();
  const stale = await prisma.connectedApp.findMany({
    where: { creationMethod: "cimd", OR: [{ metadataExpiresAt: null }, { metadataExpiresAt: { lte: now } }], ...AUTHORIZED },
    select: { clientId: true },
    orderBy: { metadataExpiresAt: "asc" },
    take: limit,
  });
  const { flights } = guardsOf(deps, config);
  let refreshed = 0;
  let failed = 0;
  for (const { clientId } of stale) {
    try {
      // Shares a fetch a request may be running, and a failure it remembers.
      flights.throwIfFailedRecently(clientId, now);
      await flights.run(clientId, now, () => refreshCimdApp(prisma, clientId, { ...deps, config }));
      refreshed++;
    } catch (error) {
      if (!isCimdError(error)) throw error;
      failed++;
    }
  }
  return { refreshed, failed };
}

const REFRESH_EVERY_MS = 15 * 60 * 1000;

/**
 * The periodic CIMD housekeeping: removes apps nobody authorized within
 * CIMD_UNUSED_RETENTION_DAYS of their creation (whether or not CIMD is on),
 * then refreshes the stale documents of the others.
 */
export async function cimdHousekeeping(prisma: PrismaClient, deps: CimdDeps = {}): Promise<{ removed: number; refreshed: number; failed: number }> {
  const config = deps.config ?? getConfig().cimd;
  const removed = await removeUnusedCimdApps(prisma, SYSTEM, { retentionDays: config.unusedRetentionDays, now: deps.now });
  if (removed) console.info(`connected-apps: removed ${removed} metadata-document apps nobody authorized`);
  return { removed, ...(await refreshStaleCimdApps(prisma, { ...deps, config })) };
}

/** Runs cimdHousekeeping every 15 minutes in the server process, beside the purge of expired rows. */
export function scheduleCimdRefresh(prisma: PrismaClient): void {
  const run = () => cimdHousekeeping(prisma).catch((e) => console.error("connected-apps: CIMD housekeeping failed:", (e as Error).message));
  setInterval(run, REFRESH_EVERY_MS).unref();
}
