// `npm run bench`: our production build side by side with node-oidc-provider
// (the npm package `oidc-provider`, pinned below), endpoint by endpoint, on
// PostgreSQL and on the embedded PGlite. Prints one table per database:
// requests/s, p50, p99 and server CPU per request for ours and the peer, and
// ours ÷ peer. Asserts nothing; exits non-zero only if a phase had errors.
//
// - The peer and the load generator (autocannon) are installed from the npm
//   registry into a folder under os.tmpdir() named after their versions
//   (once; later runs reuse it), never into the app's dependencies. The
//   peer runs in memory (scripts/bench-peer.mjs); the load generator in its
//   own process (scripts/bench-load.ts), with the same settings for both.
// - Per database: our database is migrated and seeded (an owner with an API
//   key, a user, a confidential and a public first-party app, the user's
//   consent to both, a resource server in the project's settings and a
//   machine client granted it) from this process before our server starts — PGlite
//   locks its data folder to one process, so this process closes it first.
//   Then our server (scripts/start.mjs) and the peer start.
// - Each phase starts what it needs just before it, the same way on both
//   servers: token families (one per connection) through the token
//   endpoint, a fresh access token for introspection and userinfo. The
//   client_credentials phase needs nothing: the machine client asks for a
//   JWT (RS256) for its resource, the same request every time. The
//   device-code polling phase starts pending device authorizations of the
//   public client at each server's device authorization endpoint and polls
//   them in turn, each no sooner than the interval allows: every answer is
//   authorization_pending (400), which is what that phase expects.
// - Authorization codes live 60 s, so they are minted just before each use.
//   Ours on PostgreSQL: written from this process as the authorization
//   endpoint writes them (lib/oauth/codes.ts into the SQL store). Ours on
//   PGlite, which allows one process, the server's: from our real
//   authorization endpoint, for a session from a real sign-in (next-auth's
//   credentials callback, as the sign-in page posts it) and the consent
//   already recorded, no browser; it issues far fewer per second than the
//   token endpoint redeems, so that phase gets what MINT_BUDGET_MS allows
//   and may end early (it says so). The peer's are minted in its process
//   (its Grant and AuthorizationCode models, as its authorization endpoint
//   would).
// - Each endpoint is measured for ours, then for the peer, then the next
//   endpoint; the server not under load is idle. Every phase is checked
//   with one request first; a phase that fails or has errors is invalid.
// - `--grow` (BENCH_GROW=1, PostgreSQL only): a second server of ours on a
//   second schema grown in bulk before it starts (scripts/bench-grow.ts:
//   100,000 apps, 1,000,000 token families, …), measured in the same run
//   after ours on the empty schema for each endpoint; a table of the grown
//   figures and grown ÷ empty, the token path's query plans on the grown
//   schema, and one more phase with the purge of its expired rows running.
import "./load-env";
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import path from "node:path";
import pg from "pg";
import type { LoadMessage, PhaseRequest, PhaseResult, PhaseSpec } from "./bench-load";
import { dpopSigner, newDpopKey } from "./bench-dpop";
import { processTable } from "../lib/db/process-identity";
import {
  authorizeCode as authorizeAt,
  basicAuth,
  CONFIDENTIAL_REDIRECT,
  discover,
  dropSchema as dropSchemaAt,
  FORM,
  MACHINE_RESOURCE,
  MACHINE_SCOPES,
  portInUse,
  PUBLIC_REDIRECT,
  SCOPES,
  seed,
  signIn,
  stopChild,
  USER_PASSWORD,
  waitFor,
  type ClientName,
  type Code,
  type Seed,
} from "./bench-server";
import {
  explainTokenPath,
  growDatabase,
  growthSize,
  printPlans,
  printPurge,
  timedPurge,
  type GrowthReport,
  type PlanCheck,
  type PurgeReport,
} from "./bench-grow";

const PEER_VERSION = "9.13.3"; // oidc-provider
const AUTOCANNON_VERSION = "9.0.0";

const root = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const PEER_PORT = Number(process.env.BENCH_PEER_PORT ?? PORT + 1);
/** --grow: our server on the grown schema. */
const GROWN_PORT = Number(process.env.BENCH_GROWN_PORT ?? PORT + 2);
/** --grow: the purge run during the last phase is stopped after this long if not done. */
const PURGE_SECONDS = Number(process.env.BENCH_PURGE_SECONDS ?? 120);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2) * 1000;
/** Only the phases whose names contain one of these (comma-separated), e.g. `refresh,code`. */
const PHASE_FILTER = (process.env.BENCH_PHASES ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
/** A folder: our server runs with `--cpu-prof` and writes its CPU profile there when it stops (open it in Chrome's DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
const ISSUER = `http://localhost:${PORT}`;
const AUTH_SECRET = "bench-secret-bench-secret-bench-secret-0"; // 40 characters, test only
/**
 * Time allowed for minting a phase's codes (they live 60 s): codes are sent
 * in the order minted, so none is older than this plus the phase when used.
 */
const MINT_BUDGET_MS = Math.max(5_000, Math.min(40_000, 55_000 - WARMUP_MS - DURATION_MS));
const PGLITE_VERSION = (JSON.parse(readFileSync(path.join(root, "node_modules", "@electric-sql", "pglite", "package.json"), "utf8")) as { version: string }).version;
/** application_name of our server's PostgreSQL connections, to find its backends. */
const BACKEND_NAME = `connected-apps-bench-${process.pid}`;

type DbKind = "postgres" | "pglite";
const benchUrl = process.env.BENCH_DATABASE_URL;
// `npm run bench --grow` (without `--`) reaches the script as npm_config_grow.
const GROW = process.argv.includes("--grow") || process.env.BENCH_GROW === "1" || process.env.npm_config_grow === "true";
const dbChosen = process.argv.find((a) => a.startsWith("--db="))?.slice("--db=".length) ?? process.env.BENCH_DB;
const dbArg = dbChosen ?? (GROW ? "postgres" : benchUrl ? "both" : "pglite");
if (!["postgres", "pglite", "both"].includes(dbArg)) {
  console.error(`npm run bench: --db must be postgres, pglite or both (got ${dbArg})`);
  process.exit(2);
}
if (GROW && dbArg !== "postgres") {
  console.error(
    "npm run bench: --grow runs on PostgreSQL only (--db=postgres, the default with --grow): it compares our server on an empty\n" +
      "and on a grown schema side by side, and PGlite, one process in one folder, cannot serve two servers at once.",
  );
  process.exit(2);
}
const databases: DbKind[] = dbArg === "both" ? ["postgres", "pglite"] : [dbArg as DbKind];
if (databases.includes("postgres") && !benchUrl) {
  console.error(
    "npm run bench on PostgreSQL needs a database it may create a schema in, e.g.\n\n" +
      "    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/connected_apps_test npm run bench\n\n" +
      "It creates the schema bench_<pid> and drops it at the end. Without BENCH_DATABASE_URL it runs on PGlite only.",
  );
  process.exit(2);
}

const workDir = mkdtempSync(path.join(os.tmpdir(), "connected-apps-bench-"));
// This process seeds the database and seals session cookies with the server's secret and issuer.
Object.assign(process.env, { AUTH_SECRET, ISSUER, DATA_DIR: workDir, OWNER_EMAIL: "", OWNER_PASSWORD: "" });
delete process.env.DATABASE_URL;

const { openMigratedDatabase } = await import("../lib/db");
const { newAuthorizationCode } = await import("../lib/oauth/codes");
const { sqlOAuthStore } = await import("../lib/db/oauth-store");
type Database = Awaited<ReturnType<typeof openMigratedDatabase>>;

const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(", ");

function step(message: string) {
  console.log(`bench: ${message}`);
}

// ---------------------------------------------------------------- tools

/** oidc-provider and autocannon, pinned, in a folder of their own under os.tmpdir() (installed once). */
function installTools(): string {
  const dir = path.join(os.tmpdir(), `connected-apps-bench-tools-oidc-provider-${PEER_VERSION}-autocannon-${AUTOCANNON_VERSION}`);
  const version = (name: string) => {
    try {
      return (JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      return null;
    }
  };
  if (version("oidc-provider") === PEER_VERSION && version("autocannon") === AUTOCANNON_VERSION) return dir;
  step(`installing oidc-provider@${PEER_VERSION} and autocannon@${AUTOCANNON_VERSION} from the npm registry into ${dir} (once)`);
  const staging = `${dir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(path.join(staging, "package.json"), `${JSON.stringify({ private: true, description: "npm run bench: the peer and the load generator" })}\n`);
  // Not the app's npm context (`npm run` exports its settings, such as its prefix, to children).
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_(config_(local_)?prefix$|package_|lifecycle_)/i.test(key)) delete env[key];
  const npm = spawnSync(
    "npm",
    ["install", "--prefix", staging, "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact", `oidc-provider@${PEER_VERSION}`, `autocannon@${AUTOCANNON_VERSION}`],
    { cwd: staging, stdio: "inherit", env },
  );
  if (npm.status !== 0) throw new Error(`npm install of the peer and autocannon failed (exit ${npm.status ?? npm.signal})`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

// ---------------------------------------------------------------- CPU

// Server CPU time per request, from /proc (Linux; elsewhere "-"): unlike
// requests/s it hardly depends on what else the machine is running.
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

/**
 * CPU milliseconds used so far by a process and all its descendants (ours:
 * scripts/start.mjs and whatever server it runs), or null where there is no
 * /proc. Children that have exited and were waited for count in their
 * parent's cutime/cstime.
 */
function treeCpuMs(rootPid: number | undefined): number | null {
  if (rootPid === undefined) return null;
  const procs = new Map<number, { ppid: number; ticks: number }>();
  // Fields after the command name: state, ppid, …; utime, stime, cutime, cstime are the 12th to 15th.
  for (const [pid, f] of processTable()) procs.set(pid, { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
  if (!procs.has(rootPid)) return null;
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of procs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let ticks = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    ticks += procs.get(pid)?.ticks ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / CLK_TCK;
}

/** CPU milliseconds of one process so far, or null if it is gone. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds used so far by the PostgreSQL backends serving our
 * server (its connections carry application_name `name`; PostgreSQL on this
 * machine), or null where they cannot be read. A backend keeps counting
 * after it exits (its last reading), so the figure only grows.
 */
function postgresCpu(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  const seen = new Map<number, number>();
  const connected = admin.connect().then(
    () => true,
    () => false,
  );
  return {
    async cpuMs(): Promise<number | null> {
      if (!(await connected)) return null;
      try {
        const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [name]);
        for (const { pid } of rows) {
          const ms = processCpuMs(pid);
          if (ms !== null) seen.set(pid, ms);
        }
        return rows.length && !seen.size ? null : [...seen.values()].reduce((a, b) => a + b, 0);
      } catch {
        return null;
      }
    },
    close: () => admin.end().catch(() => {}),
  };
}

// ---------------------------------------------------------------- servers

/** ours, on the grown schema (--grow), and the peer. */
type Label = "ours" | "grown" | "peer";

/** One of the servers, as the phases see it. */
interface Target {
  label: Label;
  origin: string;
  /** CPU milliseconds its process tree has used so far; null without /proc. */
  cpuMs(): Promise<number | null>;
  /** Ours on PostgreSQL: CPU milliseconds of its PostgreSQL backends so far. */
  dbCpuMs?(): Promise<number | null>;
  /** Paths from its discovery document. */
  paths: { jwks: string; token: string; introspection: string; userinfo: string; deviceAuthorization: string };
  /** The token endpoint's URL as the server compares a DPoP proof's htu with it (ours: under the issuer; the peer: the request's own URL). */
  tokenUrl: string;
  confidential: { clientId: string; basic: string; redirectUri: string };
  public: { clientId: string; redirectUri: string };
  /** The machine client (client_credentials, client_secret_basic) and the resource server it is granted, with its scopes. */
  machine: { clientId: string; basic: string; resource: string; scope: string };
  /** Authorization codes as after sign-in and consent (ours: at most what MINT_BUDGET_MS allows). */
  mintCodes(client: ClientName, count: number): Promise<Code[]>;
  /** The code-exchange phase: `wanted` codes minted just before (they live 60 s), each sent once. */
  codePhase(wanted: number): Promise<PhaseRequest>;
}

/** Runs fn over 0…count-1 with `concurrency` at a time, until done or past `deadline` (ms since epoch). */
async function pool(count: number, concurrency: number, deadline: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && Date.now() < deadline) await fn(next++);
    }),
  );
}

interface Ours {
  target: Target;
  server: ChildProcess;
  apiKey: string;
  dbVersion: string;
  /** --grow, the grown schema: what was added, the token path's plans, and the purge to run under load. */
  grown?: { growth: GrowthReport; plans: PlanCheck[]; purge(): Promise<PurgeReport> };
}

/**
 * Migrates and seeds our database from this process, closes it, then starts
 * our production server on it. `grown`: PostgreSQL grown in bulk after the
 * seed (scripts/bench-grow.ts), the server on GROWN_PORT.
 */
async function startOurs(kind: DbKind, schema: string, dataDir: string, serverLog: string, grown = false): Promise<Ours> {
  let db: Database;
  const port = grown ? GROWN_PORT : PORT;
  const origin = `http://127.0.0.1:${port}`;
  const backendName = grown ? `${BACKEND_NAME}-grown` : BACKEND_NAME;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
  if (kind === "postgres") {
    const url = new URL(benchUrl!);
    url.searchParams.delete("schema");
    step(`PostgreSQL schema ${schema}: migrating and seeding`);
    db = await openMigratedDatabase({ kind: "postgres", url: url.href, schema }, () => {});
    url.searchParams.set("schema", schema);
    url.searchParams.set("application_name", backendName);
    env.DATABASE_URL = url.href;
  } else {
    step(`PGlite in ${dataDir}: migrating and seeding`);
    db = await openMigratedDatabase({ kind: "pglite", dataDir }, () => {});
  }
  let s: Seed;
  let dbVersion: string;
  let growth: Omit<NonNullable<Ours["grown"]>, "purge"> | undefined;
  try {
    const [{ version }] = (await db.withSession((x) => x.query("SELECT version() AS version"))) as [{ version: string }];
    dbVersion = version.split(" ").slice(0, 2).join(" ");
    s = await seed(db.prisma);
    if (grown) growth = await grow(db);
  } finally {
    // PGlite: released for the server (one process at a time). PostgreSQL: kept, to mint codes.
    if (kind === "pglite") await db.close();
    else active.cleanups.push(() => db.close());
  }

  if (await portInUse(port)) throw new Error(`port ${port} is in use by another server; set ${grown ? "BENCH_GROWN_PORT" : "BENCH_PORT"}`);
  step(`starting our production server on port ${port}${grown ? ", on the grown schema" : ""} (log: ${serverLog})`);
  const log = openSync(serverLog, "a");
  // Profiled: server.ts as start.mjs runs it, with --cpu-prof (which NODE_OPTIONS may not carry).
  const args = PROFILE_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, "--import", "tsx", path.join(root, "server.ts")]
    : [path.join(root, "scripts", "start.mjs"), "--no-build"];
  if (PROFILE_DIR) Object.assign(env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
  const server = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", log, log], env });
  active.children.push(server);
  await waitFor("our server", server, `${origin}/api/health`, 120);

  const cookie = await signIn(origin, s.user.email, USER_PASSWORD, ISSUER);
  const redirects = { confidential: CONFIDENTIAL_REDIRECT, public: PUBLIC_REDIRECT };
  const clientIds = { confidential: s.confidential.clientId, public: s.public.clientId };
  const authorizeCode = (client: ClientName) => authorizeAt(origin, cookie, { clientId: clientIds[client], redirectUri: redirects[client], pkce: client === "public" });

  let dbCpu: ReturnType<typeof postgresCpu> | undefined;
  if (kind === "postgres") {
    dbCpu = postgresCpu(benchUrl!, backendName);
    active.cleanups.push(() => dbCpu!.close());
  }
  const paths = await discover(origin);
  const confidential = { clientId: s.confidential.clientId, basic: basicAuth(s.confidential.clientId, s.confidential.secret), redirectUri: CONFIDENTIAL_REDIRECT };
  // PostgreSQL: codes written from this process as the authorization endpoint writes them
  // (lib/oauth/codes.ts into the SQL store), a thousand times faster than asking for them.
  const store = kind === "postgres" ? sqlOAuthStore(db) : undefined;
  async function insertCode(client: ClientName): Promise<Code> {
    const verifier = client === "public" ? randomBytes(32).toString("base64url") : undefined;
    const now = new Date();
    const { code, record } = newAuthorizationCode(
      s[client].id,
      s.user.id,
      {
        clientId: s[client].clientId,
        redirectUri: redirects[client],
        redirectUriSent: true,
        scopes: SCOPES,
        nonce: randomBytes(8).toString("base64url"),
        prompt: [],
        resources: [],
        ...(verifier ? { codeChallenge: createHash("sha256").update(verifier).digest("base64url") } : {}),
      },
      now,
      now,
    );
    await store!.insertCode(record);
    return { code, ...(verifier ? { verifier } : {}) };
  }
  async function mintCodes(client: ClientName, count: number) {
    const codes: Code[] = [];
    await pool(count, 16, Date.now() + MINT_BUDGET_MS, async () => void codes.push(await (store ? insertCode(client) : authorizeCode(client))));
    return codes;
  }
  const target: Target = {
    label: grown ? "grown" : "ours",
    origin,
    cpuMs: async () => treeCpuMs(server.pid),
    ...(dbCpu ? { dbCpuMs: dbCpu.cpuMs } : {}),
    paths,
    tokenUrl: `${ISSUER}${paths.token}`,
    confidential,
    public: { clientId: s.public.clientId, redirectUri: PUBLIC_REDIRECT },
    machine: { clientId: s.machine.clientId, basic: basicAuth(s.machine.clientId, s.machine.secret), resource: MACHINE_RESOURCE, scope: MACHINE_SCOPES.join(" ") },
    mintCodes,
    // Minted before the phase (they live 60 s: MINT_BUDGET_MS + the phase fits), each sent once.
    async codePhase(wanted) {
      step(`minting ${wanted} authorization codes at our authorization endpoint`);
      const codes = await mintCodes("confidential", wanted);
      if (codes.length < wanted) step(`ours: ${codes.length} codes minted in ${MINT_BUDGET_MS / 1000} s`);
      return {
        kind: "each-once",
        path: paths.token,
        headers: { ...FORM, Authorization: confidential.basic },
        bodies: codes.map((c) => codeBody(target, "confidential", c)),
      };
    },
  };
  return { target, server, apiKey: s.apiKey, dbVersion, ...(growth ? { grown: { ...growth, purge: () => timedPurge(db, ISSUER, PURGE_SECONDS) } } : {}) };
}

/** --grow: the seeded schema grown in bulk, VACUUM ANALYZEd, and the token path's statements EXPLAINed on it. */
async function grow(db: Database) {
  const size = growthSize();
  step(
    `growing the schema: ${size.apps.toLocaleString("en")} apps, ${size.families.toLocaleString("en")} token families with a refresh token each, ` +
      `${size.users.toLocaleString("en")} users, ${size.codes.toLocaleString("en")} codes, ${size.revokedAccessTokens.toLocaleString("en")} revoked access tokens…`,
  );
  const growth = await growDatabase(db, step);
  step(`grown in ${growth.insertSeconds.toFixed(1)} s, then VACUUM ANALYZE in ${growth.vacuumSeconds.toFixed(1)} s (checkpoint: ${growth.checkpoint})`);
  step("EXPLAINing the token path's statements on the grown schema");
  return { growth, plans: await explainTokenPath(db) };
}

interface Peer {
  target: Target;
  process: ChildProcess;
}

/** node-oidc-provider in memory (scripts/bench-peer.mjs). */
async function startPeer(toolsDir: string, peerLog: string): Promise<Peer> {
  if (await portInUse(PEER_PORT)) throw new Error(`port ${PEER_PORT} is in use by another server; set BENCH_PEER_PORT`);
  step(`starting oidc-provider ${PEER_VERSION} in memory on port ${PEER_PORT} (log: ${peerLog})`);
  const log = openSync(peerLog, "a");
  const child = fork(path.join(root, "scripts", "bench-peer.mjs"), [], {
    cwd: root,
    execArgv: [],
    stdio: ["ignore", log, log, "ipc"],
    env: { ...process.env, BENCH_TOOLS_DIR: toolsDir, BENCH_PEER_PORT: String(PEER_PORT) },
  });
  active.children.push(child);
  type Ready = {
    type: "ready";
    origin: string;
    control: string;
    confidential: { clientId: string; secret: string; redirectUri: string };
    public: { clientId: string; redirectUri: string };
    machine: { clientId: string; secret: string; resource: string; scope: string };
  };
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Ready));
    child.once("exit", (code) => reject(new Error(`the peer exited during start-up (${code}); see ${peerLog}`)));
    child.once("error", reject);
  });
  const mintCodes = async (client: ClientName, count: number): Promise<Code[]> => {
    const response = await fetch(`${ready.control}/mint?client=${client}&count=${count}`, { method: "POST" });
    if (!response.ok) throw new Error(`peer: minting codes: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as Code[];
  };
  const paths = await discover(ready.origin);
  const confidential = { clientId: ready.confidential.clientId, basic: basicAuth(ready.confidential.clientId, ready.confidential.secret), redirectUri: ready.confidential.redirectUri };
  const target: Target = {
    label: "peer",
    origin: ready.origin,
    cpuMs: async () => treeCpuMs(child.pid),
    paths,
    tokenUrl: `${ready.origin}${paths.token}`,
    confidential,
    public: ready.public,
    machine: { clientId: ready.machine.clientId, basic: basicAuth(ready.machine.clientId, ready.machine.secret), resource: ready.machine.resource, scope: ready.machine.scope },
    mintCodes,
    // Its minting costs next to nothing: a wider margin, so the phase does not run out of codes.
    async codePhase(wanted) {
      const count = Math.min(100_000, 3 * wanted);
      step(`minting ${count} authorization codes in the peer`);
      const codes = await mintCodes("confidential", count);
      return { kind: "each-once", path: paths.token, headers: { ...FORM, Authorization: confidential.basic }, bodies: codes.map((c) => codeBody(target, "confidential", c)) };
    },
  };
  return { target, process: child };
}

// ---------------------------------------------------------------- tokens

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

function codeBody(t: Target, client: ClientName, { code, verifier }: Code): string {
  const params = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: t[client].redirectUri });
  if (client === "public") {
    params.set("client_id", t.public.clientId);
    params.set("code_verifier", verifier!);
  }
  return params.toString();
}

const codeHeaders = (t: Target, client: ClientName) => (client === "confidential" ? { ...FORM, Authorization: t.confidential.basic } : FORM);

async function post(t: Target, pathname: string, headers: Record<string, string>, body: string) {
  const response = await fetch(`${t.origin}${pathname}`, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

/** The device flow's first interval (RFC 8628 §3.2's default, ours): a pending code polled sooner is slow_down. */
const DEVICE_INTERVAL_S = 5;
const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Pending device authorizations of the public client (scope openid), as many as `count` within 60 s: their device codes. */
async function pendingDeviceCodes(t: Target, count: number): Promise<string[]> {
  const codes: string[] = [];
  const body = new URLSearchParams({ client_id: t.public.clientId, scope: "openid" }).toString();
  await pool(count, 16, Date.now() + 60_000, async () => {
    const { status, text } = await post(t, t.paths.deviceAuthorization, FORM, body);
    if (status !== 200) throw new Error(`${t.label}: device authorization: HTTP ${status} ${text.slice(0, 300)}`);
    codes.push((JSON.parse(text) as { device_code: string }).device_code);
  });
  return codes;
}

const devicePollBody = (t: Target, deviceCode: string) =>
  new URLSearchParams({ grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: t.public.clientId }).toString();

async function exchange(t: Target, client: ClientName, code: Code, dpop?: string): Promise<TokenResponse> {
  const { status, text } = await post(t, t.paths.token, { ...codeHeaders(t, client), ...(dpop ? { DPoP: dpop } : {}) }, codeBody(t, client, code));
  if (status !== 200) throw new Error(`${t.label}: code exchange failed while starting token families: ${status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as TokenResponse;
}

/**
 * `count` token families of one client, each started by a code exchange at
 * the token endpoint; `proofs`: family i's exchange carries proofs(i), a
 * DPoP proof (its tokens are bound to that key).
 */
async function startFamilies(t: Target, client: ClientName, count: number, proofs?: (i: number) => string): Promise<TokenResponse[]> {
  const codes = await t.mintCodes(client, count);
  if (codes.length < count) throw new Error(`${t.label}: only ${codes.length} of ${count} codes minted`);
  const out: TokenResponse[] = [];
  await pool(count, 8, Infinity, async (i) => void (out[i] = await exchange(t, client, codes[i]!, proofs?.(i))));
  return out;
}

/** What a token looks like: "JWT (RS256)" or "opaque (43 characters)". */
function tokenShape(token: string | undefined): string {
  if (!token) return "none";
  const parts = token.split(".");
  if (parts.length !== 3) return `opaque (${token.length} characters)`;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString()) as { alg?: string };
    return `JWT (${header.alg ?? "?"})`;
  } catch {
    return `opaque (${token.length} characters)`;
  }
}

function idTokenClaims(token: string | undefined): string {
  if (!token) return "no ID token";
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const standard = new Set(["iss", "aud", "exp", "iat", "nbf", "jti", "azp", "auth_time", "nonce", "at_hash", "sid", "acr", "amr"]);
    return `ID token ${tokenShape(token)} with ${Object.keys(payload).filter((k) => !standard.has(k)).join(", ")}`;
  } catch {
    return "ID token unreadable";
  }
}

/**
 * Why a client_credentials response is not what both servers must issue, or
 * null: an RFC 9068 JWT signed RS256 for the machine client (`sub`) and the
 * one resource (`aud`), with the scopes asked for, and no refresh token.
 */
function machineTokenProblem(t: Target, token: string | undefined, body: Record<string, unknown>): string | null {
  if (!token) return "no access_token";
  if (body.refresh_token !== undefined) return "a refresh token was issued";
  if (tokenShape(token) !== "JWT (RS256)") return `the access token is ${tokenShape(token)}, not a JWT (RS256)`;
  const part = (i: number) => JSON.parse(Buffer.from(token.split(".")[i]!, "base64url").toString()) as unknown;
  let header: { typ?: string };
  let claims: { sub?: string; aud?: string | string[]; scope?: string };
  try {
    header = part(0) as typeof header;
    claims = part(1) as typeof claims;
  } catch {
    return "the access token's header or claims are not JSON";
  }
  const aud = [claims.aud ?? []].flat();
  if (header.typ?.toLowerCase() !== "at+jwt") return `typ ${header.typ ?? "missing"}, not at+jwt`;
  if (claims.sub !== t.machine.clientId) return `sub ${claims.sub ?? "missing"}, not the client`;
  if (aud.length !== 1 || aud[0] !== t.machine.resource) return `aud ${aud.join(" ")}, not ${t.machine.resource}`;
  if (claims.scope !== t.machine.scope) return `scope ${claims.scope ?? "missing"}, not ${t.machine.scope}`;
  return null;
}

// ---------------------------------------------------------------- phases

/**
 * cpuPerRequest: the server's CPU ms per measured request (ours on
 * PostgreSQL: with its backends', dbCpuPerRequest); generatorBusy: the load
 * process's CPU time ÷ wall time (1 = one core).
 */
type Measured = PhaseResult & { cpuPerRequest: number | null; dbCpuPerRequest: number | null; generatorBusy: number | null };
type Outcome = Measured | { invalid: string };

interface Phase {
  name: string;
  /** Not the peer. */
  oursOnly?: boolean;
  /** Only ours on the grown schema (--grow). */
  grownOnly?: boolean;
  /** Started when the measured part begins, alongside the load. */
  alongside?: () => void;
  /**
   * Starts what the phase needs (fresh token families: the peer's store
   * forgets what is not used), checks one real response (status 200 and its
   * body), and returns what to measure, or why it cannot be measured.
   */
  prepare(t: Target): Promise<PhaseRequest | string>;
}

class LoadProcess {
  private child: ChildProcess | undefined;
  private listener: ((m: LoadMessage) => void) | undefined;

  async start(toolsDir: string) {
    this.child = fork(path.join(root, "scripts", "bench-load.ts"), [], {
      cwd: root,
      execArgv: ["--import", "tsx"],
      stdio: "inherit",
      env: { ...process.env, BENCH_TOOLS_DIR: toolsDir },
    });
    this.child.on("message", (m: LoadMessage) => this.listener?.(m));
    await this.next("ready");
  }

  private next(type: "ready" | "measuring" | "result"): Promise<LoadMessage> {
    return new Promise((resolve, reject) => {
      const child = this.child!;
      const onExit = () => reject(new Error("the load process exited"));
      child.once("exit", onExit);
      this.listener = (m) => {
        if (m.type !== type && m.type !== "error") return;
        child.off("exit", onExit);
        this.listener = undefined;
        if (m.type === "error") reject(new Error(`load process: ${m.message}`));
        else resolve(m);
      };
    });
  }

  /** Runs one phase; CPU time is read when the measured part starts and when it ends, then `onMeasuring` is called. */
  async run(t: Target, spec: PhaseSpec, onMeasuring?: () => void): Promise<Measured> {
    const measuring = this.next("measuring");
    this.child!.send({ type: "run", spec });
    await measuring;
    const result = this.next("result");
    const cpu = async () => ({ server: await t.cpuMs(), db: t.dbCpuMs ? await t.dbCpuMs() : null, generator: treeCpuMs(this.child!.pid), wall: performance.now() });
    const before = await cpu();
    onMeasuring?.();
    const { result: r } = (await result) as Extract<LoadMessage, { type: "result" }>;
    const after = await cpu();
    const perRequest = (a: number | null, b: number | null) => (a !== null && b !== null && r.requests ? (b - a) / r.requests : null);
    const server = perRequest(before.server, after.server);
    const db = perRequest(before.db, after.db);
    return {
      ...r,
      cpuPerRequest: server === null ? null : server + (db ?? 0),
      dbCpuPerRequest: db,
      generatorBusy: before.generator !== null && after.generator !== null ? (after.generator - before.generator) / (after.wall - before.wall) : null,
    };
  }

  stop() {
    if (this.child?.connected) this.child.send({ type: "exit" });
    this.child = undefined;
  }
}

// ---------------------------------------------------------------- one database

type Row = Record<Label, Outcome | null>;

interface DbResult {
  kind: DbKind;
  dbVersion: string;
  /** grown: --grow only. */
  rows: ({ name: string } & Row)[];
  issues: Record<Label, string[]>;
  /** --grow: what was added, the plans on the grown schema, the purge run during the last phase. */
  grown?: { growth: GrowthReport; plans: PlanCheck[]; purge: PurgeReport | null; loadAverage: string };
}

const PURGE_PHASE = "refresh (public, rotating) + purge (grown only)";
const CLIENT_CREDENTIALS_PHASE = "client_credentials (machine client, Basic, JWT)";
const DPOP_REFRESH_PHASE = "DPoP-bound refresh (public, rotating, a fresh proof each)";
const DEVICE_POLLING_PHASE = "device-code polling (pending, public client)";

const active: { children: ChildProcess[]; cleanups: (() => Promise<void>)[] } = { children: [], cleanups: [] };

async function benchDatabase(kind: DbKind, toolsDir: string, load: LoadProcess): Promise<DbResult> {
  const schema = `bench_${process.pid}`;
  const dataDir = path.join(workDir, `${kind}-data`);
  const serverLog = path.join(workDir, `server-${kind}.log`);
  const peerLog = path.join(workDir, `peer-${kind}.log`);
  currentLogs = [serverLog, peerLog];
  if (kind === "postgres") active.cleanups.push(() => dropSchema(schema));
  // --grow: ours on a grown schema too, grown and started first so that growing is over before any measurement.
  let grown: Ours | undefined;
  if (GROW && kind === "postgres") {
    const grownLog = path.join(workDir, "server-grown.log");
    currentLogs.push(grownLog);
    active.cleanups.push(() => dropSchema(`${schema}_grown`));
    grown = await startOurs(kind, `${schema}_grown`, `${dataDir}-grown`, grownLog, true);
  }

  const ours = await startOurs(kind, schema, dataDir, serverLog);
  const peer = await startPeer(toolsDir, peerLog);
  // For each endpoint: ours, ours on the grown schema, the peer.
  const targets = grown ? [ours.target, grown.target, peer.target] : [ours.target, peer.target];
  const apiKeys = new Map([ours, ...(grown ? [grown] : [])].map((o) => [o.target, o.apiKey]));

  const issues: DbResult["issues"] = { ours: [], grown: [], peer: [] };
  const expect200 = (what: string, r: { status: number; text: string }, ok: (body: Record<string, unknown>) => string | null) => {
    if (r.status !== 200) return `${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`;
    try {
      return ok(JSON.parse(r.text) as Record<string, unknown>);
    } catch {
      return `${what}: not JSON: ${r.text.slice(0, 300)}`;
    }
  };
  const get = async (t: Target, pathname: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${t.origin}${pathname}`, { headers });
    return { status: response.status, text: await response.text() };
  };
  /** A fixed request, after one like it answered 200 with a body `ok` accepts. */
  const fixed = async (
    t: Target,
    what: string,
    request: { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string },
    ok: (body: Record<string, unknown>) => string | null,
  ): Promise<PhaseRequest | string> => {
    const response =
      request.method === "GET" ? await get(t, request.path, request.headers) : await post(t, request.path, request.headers ?? {}, request.body ?? "");
    return expect200(what, response, ok) ?? { kind: "fixed", ...request };
  };
  const refreshBody = (token: string) => new URLSearchParams({ grant_type: "refresh_token", refresh_token: token }).toString();
  const introspectBody = (token: string) => new URLSearchParams({ token, token_type_hint: "access_token" }).toString();
  const freshAccessToken = async (t: Target) => (await startFamilies(t, "confidential", 1))[0]!.access_token;
  const isActive = (b: Record<string, unknown>) => (b.active === true ? null : "active is not true");
  const refreshRps = new Map<Target, number>();
  // One chain per connection, each request with the refresh token the previous response gave. One more family for the check.
  const publicRefresh = async (t: Target): Promise<PhaseRequest | string> => {
    const [first, ...rest] = await startFamilies(t, "public", CONNECTIONS + 1);
    const sent = first!.refresh_token!;
    const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: sent, client_id: t.public.clientId }).toString();
    const problem = expect200("refresh", await post(t, t.paths.token, FORM, body), (b) =>
      !b.access_token ? "no access_token" : typeof b.refresh_token !== "string" || b.refresh_token === sent ? "the refresh token was not rotated" : null,
    );
    if (!problem) issues[t.label].push("public ones rotated");
    return problem ?? { kind: "refresh-chains", path: t.paths.token, clientId: t.public.clientId, tokens: rest.map((f) => f.refresh_token!) };
  };
  // As publicRefresh, each family bound to a key of its own (RFC 9449 §5), each request with a fresh proof of it.
  const dpopRefresh = async (t: Target): Promise<PhaseRequest | string> => {
    const keys = Array.from({ length: CONNECTIONS + 1 }, newDpopKey);
    const signers = keys.map(dpopSigner);
    const [first, ...rest] = await startFamilies(t, "public", CONNECTIONS + 1, (i) => signers[i]!("POST", t.tokenUrl));
    const sent = first!.refresh_token!;
    const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: sent, client_id: t.public.clientId }).toString();
    const unbound = await post(t, t.paths.token, { ...FORM, DPoP: signers[CONNECTIONS]!("POST", t.tokenUrl) }, body);
    if (unbound.status === 200) return "a refresh with another family's key was accepted: the refresh token is not bound";
    const problem = expect200("DPoP-bound refresh", await post(t, t.paths.token, { ...FORM, DPoP: signers[0]!("POST", t.tokenUrl) }, body), (b) =>
      String(b.token_type).toLowerCase() !== "dpop" ? `token_type ${String(b.token_type)}, not DPoP` : typeof b.refresh_token !== "string" || b.refresh_token === sent ? "the refresh token was not rotated" : null,
    );
    if (!problem) issues[t.label].push("DPoP-bound public refresh tokens: refused with another key");
    return problem ?? { kind: "refresh-chains", path: t.paths.token, clientId: t.public.clientId, tokens: rest.map((f) => f.refresh_token!), dpop: { htu: t.tokenUrl, keys: keys.slice(1) } };
  };
  let purge: Promise<PurgeReport> | undefined;

  const phases: Phase[] = [
    {
      name: "floor: GET /api/health/live (ours only)",
      oursOnly: true,
      prepare: (t) => fixed(t, "floor", { method: "GET", path: "/api/health/live" }, () => null),
    },
    {
      name: "discovery",
      prepare: (t) => fixed(t, "discovery", { method: "GET", path: "/.well-known/openid-configuration" }, (b) => (b.issuer ? null : "no issuer")),
    },
    {
      name: "JWKS",
      prepare: (t) => fixed(t, "JWKS", { method: "GET", path: t.paths.jwks }, (b) => (Array.isArray(b.keys) && b.keys.length ? null : "no keys")),
    },
    {
      // One family per connection, each refreshing its own token: it is not rotated, so it is reused. One more for the check.
      name: "refresh (confidential, non-rotating)",
      prepare: async (t) => {
        const [first, ...rest] = await startFamilies(t, "confidential", CONNECTIONS + 1);
        const sent = first!.refresh_token!;
        const problem = expect200("refresh", await post(t, t.paths.token, codeHeaders(t, "confidential"), refreshBody(sent)), (b) =>
          !b.access_token ? "no access_token" : b.refresh_token !== undefined && b.refresh_token !== sent ? "the refresh token was rotated" : null,
        );
        if (!problem) issues[t.label].push("confidential refresh tokens not rotated");
        return problem ?? { kind: "per-connection", path: t.paths.token, headers: codeHeaders(t, "confidential"), bodies: rest.map((f) => refreshBody(f.refresh_token!)) };
      },
    },
    {
      name: "refresh (public, rotating)",
      prepare: publicRefresh,
    },
    {
      name: DPOP_REFRESH_PHASE,
      prepare: dpopRefresh,
    },
    {
      name: "code exchange (confidential)",
      prepare: async (t) => {
        const [code] = await t.mintCodes("confidential", 1);
        if (!code) return "no code minted";
        const response = await post(t, t.paths.token, codeHeaders(t, "confidential"), codeBody(t, "confidential", code));
        const problem = expect200("code exchange", response, (b) => {
          issues[t.label].push(`access tokens ${tokenShape(b.access_token as string)}`, idTokenClaims(b.id_token as string | undefined));
          return b.access_token && b.id_token && b.refresh_token ? null : "access_token, id_token or refresh_token missing";
        });
        // About 1.5 times what the refresh rate suggests the phase can use (1,000/s when BENCH_PHASES left that phase out).
        const rate = refreshRps.get(t) ?? 1000;
        const wanted = Math.min(50_000, Math.max(4 * CONNECTIONS, Math.ceil((1.5 * rate * (WARMUP_MS + DURATION_MS)) / 1000)));
        return problem ?? (await t.codePhase(wanted));
      },
    },
    {
      // The same request every time: nothing is spent or stored (a JWT for the resource, no refresh token), so nothing to start.
      name: CLIENT_CREDENTIALS_PHASE,
      prepare: (t) =>
        fixed(
          t,
          "client_credentials",
          {
            method: "POST",
            path: t.paths.token,
            headers: { ...FORM, Authorization: t.machine.basic },
            body: new URLSearchParams({ grant_type: "client_credentials", resource: t.machine.resource, scope: t.machine.scope }).toString(),
          },
          (b) => {
            const token = b.access_token as string | undefined;
            const problem = machineTokenProblem(t, token, b);
            if (!problem) issues[t.label].push(`client_credentials tokens ${tokenShape(token)}`);
            return problem;
          },
        ),
    },
    {
      // Devices polling while their users have not answered yet: each code in turn, never sooner than the interval,
      // so every answer is authorization_pending (ours records each poll, for slow_down; the peer only reads).
      name: DEVICE_POLLING_PHASE,
      prepare: async (t) => {
        // A poll is lighter than a refresh: three times its rate, for as long as a code must rest (or the whole phase, if shorter).
        const rate = 3 * (refreshRps.get(t) ?? 1000);
        const rest = Math.min(DEVICE_INTERVAL_S + 1, (WARMUP_MS + DURATION_MS) / 1000);
        const wanted = Math.min(50_000, Math.max(4 * CONNECTIONS, Math.ceil(rate * rest)));
        step(`${t.label}: starting ${wanted} device authorizations`);
        const [first, ...codes] = await pendingDeviceCodes(t, wanted + 1);
        if (!first) return "no device code";
        const response = await post(t, t.paths.token, FORM, devicePollBody(t, first));
        if (response.status !== 400 || !response.text.includes('"authorization_pending"')) {
          return `device-code poll: HTTP ${response.status} ${response.text.slice(0, 300)}, not authorization_pending`;
        }
        if (codes.length < wanted) step(`${t.label}: ${codes.length} device codes started in 60 s`);
        const request: PhaseRequest = {
          kind: "round-robin",
          path: t.paths.token,
          headers: FORM,
          bodies: codes.map((code) => devicePollBody(t, code)),
          expect: { status: 400, error: "authorization_pending" },
        };
        return request;
      },
    },
    {
      name: "introspection (confidential app, Basic)",
      prepare: async (t) =>
        fixed(t, "introspection", { method: "POST", path: t.paths.introspection, headers: codeHeaders(t, "confidential"), body: introspectBody(await freshAccessToken(t)) }, isActive),
    },
    {
      name: "userinfo (GET, Bearer)",
      prepare: async (t) =>
        fixed(t, "userinfo", { method: "GET", path: t.paths.userinfo, headers: { Authorization: `Bearer ${await freshAccessToken(t)}` } }, (b) =>
          b.sub && b.email && b.name ? null : "sub, email or name missing",
        ),
    },
    {
      name: "introspection (owner API key, ours only)",
      oursOnly: true,
      prepare: async (t) =>
        fixed(
          t,
          "introspection",
          { method: "POST", path: t.paths.introspection, headers: { ...FORM, Authorization: `Bearer ${apiKeys.get(t)}` }, body: introspectBody(await freshAccessToken(t)) },
          isActive,
        ),
    },
  ];
  if (grown) {
    // Last, so that every other phase runs on all the grown rows.
    const startPurge = grown.grown!.purge;
    phases.push({ name: PURGE_PHASE, grownOnly: true, prepare: publicRefresh, alongside: () => void (purge = startPurge()) });
  }

  const outcomes = new Map<string, Row>();
  const loadBefore = loadAverage();
  for (const phase of phases) {
    if (PHASE_FILTER.length > 0 && !PHASE_FILTER.some((f) => phase.name.toLowerCase().includes(f))) continue;
    const row: Row = { ours: null, grown: null, peer: null };
    for (const t of targets) {
      if (phase.oursOnly && t.label === "peer") continue;
      if (phase.grownOnly && t.label !== "grown") continue;
      try {
        const request = await phase.prepare(t);
        if (typeof request === "string") {
          row[t.label] = { invalid: request };
          continue;
        }
        step(`measuring ${phase.name} (${t.label})…`);
        const spec: PhaseSpec = { name: phase.name, origin: t.origin, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, request };
        const measured = await load.run(t, spec, phase.alongside);
        row[t.label] = measured;
        if (phase.name.startsWith("refresh (confidential")) refreshRps.set(t, measured.rps);
      } catch (error) {
        row[t.label] = { invalid: (error as Error).message };
      }
    }
    outcomes.set(phase.name, row);
  }

  // Report order: the floor, then the issue's list, then our extra row.
  const order = [
    "floor: GET /api/health/live (ours only)",
    "discovery",
    "JWKS",
    "code exchange (confidential)",
    "refresh (confidential, non-rotating)",
    "refresh (public, rotating)",
    DPOP_REFRESH_PHASE,
    CLIENT_CREDENTIALS_PHASE,
    DEVICE_POLLING_PHASE,
    "introspection (confidential app, Basic)",
    "userinfo (GET, Bearer)",
    "introspection (owner API key, ours only)",
    ...(grown ? [PURGE_PHASE] : []),
  ];
  const rows = order.filter((name) => outcomes.has(name)).map((name) => ({ name, ...outcomes.get(name)! }));
  if (!grown) return { kind, dbVersion: ours.dbVersion, rows, issues };
  // The purge goes on after the phase if it needs longer: its figures are complete.
  const purged = purge ? await purge : null;
  const { growth, plans } = grown.grown!;
  return { kind, dbVersion: ours.dbVersion, rows, issues, grown: { growth, plans, purge: purged, loadAverage: `${loadBefore} before the phases, ${loadAverage()} after` } };
}

// ---------------------------------------------------------------- report

const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : "-");
const cpu = (o: Measured) => (o.cpuPerRequest === null ? "-" : o.cpuPerRequest.toFixed(2));
const cells = (o: Outcome | null): string[] => {
  if (!o) return ["", "", "", ""];
  if ("invalid" in o) return ["invalid", "", "", ""];
  if (o.errors) return [`invalid`, ms(o.p50), ms(o.p99), cpu(o)];
  return [o.rps.toFixed(0), ms(o.p50), ms(o.p99), cpu(o)];
};
const valid = (o: Outcome | null): o is Measured => !!o && !("invalid" in o) && o.errors === 0;
/** a ÷ b as "0.97x", or "" when either is not a valid figure. */
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? `${(a / b).toFixed(2)}x` : "");

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join("  ");
  console.log(`${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line(row));
}

function report(r: DbResult, peerNote: string) {
  const rows = r.rows
    .filter(({ ours, peer }) => ours || peer)
    .map(({ name, ours, peer }) => [name, ...cells(ours), ...cells(peer), valid(ours) && valid(peer) ? ratio(ours.rps, peer.rps) : ""]);
  const header = ["endpoint", "ours req/s", "p50 ms", "p99 ms", "CPU ms/req", "peer req/s", "p50 ms", "p99 ms", "CPU ms/req", "ours ÷ peer"];
  const dbName = r.kind === "postgres" ? r.dbVersion : `embedded PGlite ${PGLITE_VERSION} (${r.dbVersion})`;
  console.log(`\n== ours on ${dbName} vs ${peerNote}\n`);
  printTable(header, rows);
  const busiest = r.rows
    .flatMap(({ name, ours, grown, peer }) =>
      [ours, grown, peer].map((o) => (o && "generatorBusy" in o && o.generatorBusy !== null ? { name, busy: o.generatorBusy } : null)),
    )
    .reduce<{ name: string; busy: number } | null>((max, x) => (x && (!max || x.busy > max.busy) ? x : max), null);
  if (busiest) console.log(`\nload generator: at most ${(busiest.busy * 100).toFixed(0)}% of one core (${busiest.name})`);
  const dbShare = r.rows.flatMap(({ name, ours }) => (ours && "dbCpuPerRequest" in ours && ours.dbCpuPerRequest !== null ? [`${name} ${ours.dbCpuPerRequest.toFixed(2)}`] : []));
  if (dbShare.length) console.log(`ours' CPU ms/req includes its PostgreSQL backends': ${dbShare.join(", ")}`);
  console.log(`ours issues: ${r.issues.ours.join("; ")}`);
  console.log(`peer issues: ${r.issues.peer.join("; ")}`);
  for (const { name, ours, grown, peer } of r.rows) {
    for (const [who, o] of [["ours", ours], ["ours, grown", grown], ["peer", peer]] as const) {
      if (!o) continue;
      if ("invalid" in o) console.log(`invalid: ${name} (${who}): ${o.invalid}`);
      else {
        if (o.note) console.log(`note: ${name} (${who}): ${o.note}`);
        if (o.errors) console.log(`invalid: ${name} (${who}): ${o.errors} errors`);
        for (const sample of o.errorSamples) console.log(`error: ${name} (${who}): ${sample}`);
      }
    }
  }
  if (r.grown) reportGrown(r, r.grown);
}

/** --grow: ours on the grown schema next to ours on the empty one (and the peer's figures, measured once). */
function reportGrown(r: DbResult, g: NonNullable<DbResult["grown"]>) {
  const { size, insertSeconds, vacuumSeconds, checkpoint, purgeable, sizeMb } = g.growth;
  const n = (x: number) => x.toLocaleString("en");
  console.log(
    `\n== ours on ${r.dbVersion}, grown: ${n(size.apps)} more apps (a secret each), ${n(size.families)} token families with a refresh token each, ` +
      `${n(size.users)} users, ${n(size.codes)} codes, ${n(size.revokedAccessTokens)} revoked access tokens, ${n(size.authorizationRequests)} authorization requests\n` +
      `   seeded in ${insertSeconds.toFixed(1)} s + VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s (checkpoint: ${checkpoint}); token_families ${sizeMb.token_families} MB, ` +
      `refresh_tokens ${sizeMb.refresh_tokens} MB with indexes; purgeable: ${Object.entries(purgeable).map(([k, v]) => `${k} ${n(v)}`).join(", ")}\n`,
  );
  const rows = r.rows.map(({ name, ours, grown, peer }) => [
    name,
    ...cells(grown),
    valid(ours) ? ours.rps.toFixed(0) : ours ? "invalid" : "",
    valid(ours) ? cpu(ours) : "",
    valid(grown) && valid(ours) ? ratio(grown.rps, ours.rps) : "",
    valid(grown) && valid(ours) ? ratio(grown.cpuPerRequest, ours.cpuPerRequest) : "",
    valid(grown) && valid(peer) ? ratio(grown.rps, peer.rps) : "",
  ]);
  printTable(["endpoint", "grown req/s", "p50 ms", "p99 ms", "CPU ms/req", "empty req/s", "CPU ms/req", "grown ÷ empty", "CPU grown ÷ empty", "grown ÷ peer"], rows);
  console.log(`\nload average (1, 5, 15 min): ${g.loadAverage}`);
  const grownRow = (name: string) => r.rows.find((row) => row.name === name)?.grown ?? null;
  const [purging, quiet] = [grownRow(PURGE_PHASE), grownRow("refresh (public, rotating)")];
  if (valid(purging) && valid(quiet)) {
    console.log(
      `\nrefresh (public, rotating) on the grown schema with the purge running ÷ without: req/s ${ratio(purging.rps, quiet.rps)}, ` +
        `p50 ${ms(purging.p50)} vs ${ms(quiet.p50)} ms, p99 ${ms(purging.p99)} vs ${ms(quiet.p99)} ms`,
    );
  }
  console.log("\nplans on the grown schema (lib/db/oauth-store.ts; custom and generic plans of each named statement):");
  printPlans(g.plans, process.env.BENCH_PLANS === "1");
  if (g.purge) printPurge(g.purge, DURATION_MS / 1000);
}

const failed = (r: DbResult) =>
  r.rows.some(({ ours, grown, peer }) => [ours, grown, peer].some((o) => o && ("invalid" in o || o.errors > 0)));

// ---------------------------------------------------------------- main

let currentLogs: string[] = [];

const dropSchema = (schema: string) => dropSchemaAt(benchUrl!, schema, "bench");

async function cleanupDatabase() {
  for (const child of active.children.splice(0)) await stopChild(child);
  for (const cleanup of active.cleanups.splice(0)) await cleanup();
}

const load = new LoadProcess();

async function cleanup() {
  load.stop();
  await cleanupDatabase();
  rmSync(workDir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  const toolsDir = installTools();
  const built = spawnSync(process.execPath, [path.join(root, "scripts", "start.mjs"), "--build-only"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("the build failed");
  await load.start(toolsDir);
  const started = Date.now();
  const results: DbResult[] = [];
  for (const kind of databases) {
    results.push(await benchDatabase(kind, toolsDir, load));
    await cleanupDatabase();
  }
  const cpus = os.cpus();
  const order = GROW ? "ours, ours on the grown schema, then the peer" : "ours then the peer";
  console.log(
    `\nNode ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model ?? "?"}); autocannon ${AUTOCANNON_VERSION}, ${CONNECTIONS} keep-alive connections, ` +
      `${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s per endpoint, ${order} for each endpoint; servers, database and load generator on this machine; ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );

  const peerNote = `oidc-provider ${PEER_VERSION} (in memory, its defaults)`;
  for (const r of results) report(r, peerNote);
  console.log(
    "\nreq/s: measured responses per second; p50/p99: latency; CPU ms/req: CPU time of the server per measured request (ours:\n" +
      "scripts/start.mjs and its children, on PostgreSQL with its backends; on PGlite the database runs in the server process;\n" +
      "the peer: its process); ours ÷ peer: requests/s. A phase with any error is invalid.",
  );
  if (results.some(failed)) {
    console.error("\nbench: some phases failed or had errors: their figures are not valid");
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`bench: ${(error as Error).stack ?? String(error)}`);
  for (const log of currentLogs) {
    try {
      console.error(`--- ${log} (last 40 lines) ---\n${readFileSync(log, "utf8").split("\n").slice(-40).join("\n")}`);
    } catch {
      // not started
    }
  }
  process.exitCode = 1;
} finally {
  await cleanup();
}
