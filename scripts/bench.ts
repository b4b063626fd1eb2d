// `npm run bench`: throughput and latency of the protocol hot paths, end to
// end through the production build on PostgreSQL. It builds if stale,
// starts the server on a fresh schema, seeds an owner, a user and two apps
// straight into the database, then a second process (scripts/bench-load.ts)
// drives each endpoint with many concurrent keep-alive connections. Prints
// requests/s, p50 and p99 per endpoint, each also as a ratio to a trivial
// route handler of the same server (the framework's floor). Asserts
// nothing; CI does not run it. Stops the server and drops the schema.
import "./load-env";
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { PhaseRequest, PhaseResult, PhaseSpec } from "./bench-load";

const root = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2) * 1000;
const ISSUER = `http://localhost:${PORT}`;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const AUTH_SECRET = "bench-secret-bench-secret-bench-secret-0"; // 40 characters, test only
const SCOPES = ["openid", "profile", "email", "offline_access"];
const CONFIDENTIAL_REDIRECT = "https://bench.example/callback";
const PUBLIC_REDIRECT = "http://127.0.0.1/callback";

const benchUrl = process.env.BENCH_DATABASE_URL;
if (!benchUrl) {
  console.error(
    "npm run bench needs a PostgreSQL database it may create a schema in, e.g.\n\n" +
      "    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/connected_apps_test npm run bench\n\n" +
      "It creates the schema bench_<pid>, runs the production server on port " +
      `${PORT} (BENCH_PORT) against it, and drops it at the end.`,
  );
  process.exit(2);
}

// One schema per run; the seeding below (in this process) and the server use the same database and secret.
const schema = `bench_${process.pid}`;
const baseUrl = new URL(benchUrl);
baseUrl.searchParams.delete("schema");
const schemaUrl = new URL(baseUrl);
schemaUrl.searchParams.set("schema", schema);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "connected-apps-bench-"));
Object.assign(process.env, { DATABASE_URL: schemaUrl.href, AUTH_SECRET, ISSUER, DATA_DIR: dataDir, OWNER_EMAIL: "", OWNER_PASSWORD: "" });

const { openMigratedDatabase } = await import("../lib/db");
const { createUser } = await import("../lib/auth/users");
const { createApiKey } = await import("../lib/auth/api-keys");
const { createApp } = await import("../lib/clients/apps");
const { recordGrant } = await import("../lib/oauth/authorize/consent");
const { issueAuthorizationCode } = await import("../lib/oauth/codes");
const { s256 } = await import("../lib/oauth/pkce");
type Prisma = Awaited<ReturnType<typeof openMigratedDatabase>>["prisma"];

let server: ChildProcess | undefined;
let load: ChildProcess | undefined;
let db: Awaited<ReturnType<typeof openMigratedDatabase>> | undefined;
const serverLog = path.join(dataDir, "server.log");

function step(message: string) {
  console.log(`bench: ${message}`);
}

// ---------------------------------------------------------------- server

function build() {
  const result = spawnSync(process.execPath, [path.join(root, "scripts", "start.mjs"), "--build-only"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("the build failed");
}

function startServer(): ChildProcess {
  const log = openSync(serverLog, "a");
  return spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    stdio: ["ignore", log, log],
    env: { ...process.env, PORT: String(PORT) },
  });
}

async function waitForHealth(child: ChildProcess, seconds: number) {
  let exited = false;
  child.once("exit", () => (exited = true));
  for (let i = 0; i < seconds * 4; i++) {
    if (exited) throw new Error("the server exited during start-up");
    const ok = await fetch(`${ORIGIN}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not become healthy in ${seconds} s`);
}

async function stopServer() {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM"); // start.mjs passes it on to `next start`
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

// Server CPU time per request, from /proc (Linux; elsewhere "-"): unlike
// requests/s it hardly depends on what else the machine is running.
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;
let nextPid: number | undefined;

/** Fields 3… of /proc/<pid>/stat (state, ppid, …), or null. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** CPU milliseconds used so far by `next start` (the child of start.mjs), or null. */
function serverCpuMs(): number | null {
  try {
    nextPid ??= readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .find((pid) => procStat(pid)?.[1] === String(server?.pid));
  } catch {
    return null;
  }
  const fields = nextPid === undefined ? null : procStat(nextPid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK : null;
}

// ---------------------------------------------------------------- seeding

interface Seed {
  userId: string;
  apiKey: string;
  confidential: { id: string; clientId: string; secret: string; basic: string };
  public: { id: string; clientId: string };
}

async function seed(prisma: Prisma): Promise<Seed> {
  const actor = { type: "system" as const, id: null, label: "bench" };
  const owner = await createUser(prisma, { email: "owner@bench.test", password: "owner-password-bench" }, "owner");
  const { key: apiKey } = await createApiKey(prisma, owner.id, "bench");
  const user = await createUser(prisma, { email: "user@bench.test", password: "user-password-bench", name: "Bench User" });
  const conf = await createApp(
    prisma,
    actor,
    { client_type: "first_party", name: "Bench web app", redirect_uris: [CONFIDENTIAL_REDIRECT], allowed_scopes: SCOPES },
    "api",
  );
  const pub = await createApp(
    prisma,
    actor,
    { client_type: "first_party_public", name: "Bench mobile app", redirect_uris: [PUBLIC_REDIRECT], allowed_scopes: SCOPES },
    "api",
  );
  const idOf = async (clientId: string) => (await prisma.connectedApp.findUniqueOrThrow({ where: { clientId }, select: { id: true } })).id;
  const confidential = { id: await idOf(conf.app.client_id), clientId: conf.app.client_id, secret: conf.clientSecret! };
  const publicApp = { id: await idOf(pub.app.client_id), clientId: pub.app.client_id };
  // The user has consented to both, as after a real authorization.
  await prisma.$transaction(async (tx) => {
    await recordGrant(tx, user.id, confidential.id, SCOPES);
    await recordGrant(tx, user.id, publicApp.id, SCOPES);
  });
  // RFC 6749 §2.3.1: form-urlencode, then base64.
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(confidential.clientId)}:${encodeURIComponent(confidential.secret)}`).toString("base64")}`;
  return { userId: user.id, apiKey, confidential: { ...confidential, basic }, public: publicApp };
}

/** Authorization codes as the authorize endpoint issues them after consent (60 s, single use). */
async function mintCodes(prisma: Prisma, appId: string, userId: string, count: number, pkce: boolean) {
  const out: { code: string; verifier?: string }[] = [];
  const authTime = new Date();
  for (let done = 0; done < count; ) {
    const batch = Math.min(50, count - done);
    const minted = await Promise.all(
      Array.from({ length: batch }, async () => {
        const verifier = pkce ? randomBytes(32).toString("base64url") : undefined;
        const code = await issueAuthorizationCode(
          prisma,
          { id: appId },
          userId,
          {
            clientId: "",
            redirectUri: pkce ? PUBLIC_REDIRECT : CONFIDENTIAL_REDIRECT,
            redirectUriSent: true,
            scopes: SCOPES,
            nonce: randomBytes(8).toString("base64url"),
            prompt: [],
            resources: [],
            ...(verifier ? { codeChallenge: s256(verifier) } : {}),
          },
          authTime,
        );
        return { code, verifier };
      }),
    );
    out.push(...minted);
    done += batch;
  }
  return out;
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function confidentialCodeBody(code: string) {
  return new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: CONFIDENTIAL_REDIRECT }).toString();
}

async function tokenRequest(headers: Record<string, string>, body: string): Promise<{ access_token: string; refresh_token: string }> {
  const response = await fetch(`${ORIGIN}/oauth2/token`, { method: "POST", headers: { ...FORM, ...headers }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`token request failed during seeding: ${response.status} ${text}`);
  return JSON.parse(text) as { access_token: string; refresh_token: string };
}

/** `count` token families per app, started through the token endpoint (confidential with its secret, public with PKCE). */
async function startFamilies(prisma: Prisma, s: Seed, count: number) {
  const confCodes = await mintCodes(prisma, s.confidential.id, s.userId, count, false);
  const pubCodes = await mintCodes(prisma, s.public.id, s.userId, count, true);
  const confidential: { access_token: string; refresh_token: string }[] = [];
  const publicTokens: string[] = [];
  for (let i = 0; i < count; i += 8) {
    const slice = (xs: typeof confCodes) => xs.slice(i, i + 8);
    confidential.push(...(await Promise.all(slice(confCodes).map(({ code }) => tokenRequest({ Authorization: s.confidential.basic }, confidentialCodeBody(code))))));
    const pubs = await Promise.all(
      slice(pubCodes).map(({ code, verifier }) =>
        tokenRequest(
          {},
          new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: PUBLIC_REDIRECT, client_id: s.public.clientId, code_verifier: verifier! }).toString(),
        ),
      ),
    );
    publicTokens.push(...pubs.map((t) => t.refresh_token));
  }
  return { confidential, publicTokens };
}

// ---------------------------------------------------------------- load

let pending: { resolve: (r: PhaseResult) => void; reject: (e: Error) => void } | undefined;

async function startLoadProcess(): Promise<ChildProcess> {
  const child = fork(path.join(root, "scripts", "bench-load.ts"), [], { cwd: root, execArgv: ["--import", "tsx"], stdio: "inherit" });
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", () => reject(new Error("the load process exited")));
    child.on("message", (m: { type: string; result?: PhaseResult; message?: string }) => {
      if (m.type === "ready") resolve();
      else if (m.type === "result") pending?.resolve(m.result!);
      else if (m.type === "error") pending?.reject(new Error(`load process: ${m.message}`));
    });
  });
  child.on("exit", () => pending?.reject(new Error("the load process exited")));
  return child;
}

type Measured = PhaseResult & { cpuPerRequest: number | null };

async function runPhase(name: string, request: PhaseRequest): Promise<Measured> {
  step(`measuring ${name}…`);
  const spec: PhaseSpec = { name, origin: ORIGIN, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, request };
  const cpuBefore = serverCpuMs();
  const result = await new Promise<PhaseResult>((resolve, reject) => {
    pending = { resolve, reject };
    load!.send({ type: "run", spec });
  });
  const cpuAfter = serverCpuMs();
  const cpuPerRequest = cpuBefore !== null && cpuAfter !== null && result.total ? (cpuAfter - cpuBefore) / result.total : null;
  return { ...result, cpuPerRequest };
}

// ---------------------------------------------------------------- report

function report(results: Measured[]) {
  const floor = results[0]!;
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  const ratio = (v: number) => (Number.isFinite(v) ? `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}x` : "-");
  const rows = results.map((r) => [
    r.name,
    String(r.requests),
    r.rps.toFixed(0),
    ratio(r.rps / floor.rps),
    ms(r.p50),
    ratio(r.p50 / floor.p50),
    ms(r.p99),
    ratio(r.p99 / floor.p99),
    r.cpuPerRequest === null ? "-" : r.cpuPerRequest.toFixed(2),
    r.cpuPerRequest === null ? "-" : ratio(r.cpuPerRequest / floor.cpuPerRequest!),
    String(r.errors),
  ]);
  const header = ["endpoint", "requests", "req/s", "÷floor", "p50 ms", "×floor", "p99 ms", "×floor", "CPU ms", "×floor", "errors"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line(row));
  console.log(
    "\nfloor = GET /api/health/live, a route handler that touches nothing. ÷floor: throughput as a fraction of\n" +
      "the floor's; ×floor: a multiple of the floor's. CPU ms: the server process's CPU time per request.",
  );
  for (const r of results) {
    if (r.note) console.log(`note: ${r.name}: ${r.note}`);
    for (const sample of r.errorSamples) console.log(`error: ${r.name}: ${sample}`);
  }
}

// ---------------------------------------------------------------- main

async function cleanup() {
  if (load && load.connected) load.send({ type: "exit" });
  load = undefined;
  await stopServer();
  await db?.close().catch(() => {});
  db = undefined;
  const admin = new pg.Client({ connectionString: baseUrl.href });
  try {
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch (error) {
    console.error(`bench: could not drop schema ${schema}: ${(error as Error).message}`);
  } finally {
    await admin.end().catch(() => {});
  }
  rmSync(dataDir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  build();
  step(`PostgreSQL schema ${schema}: migrating and seeding`);
  db = await openMigratedDatabase({ kind: "postgres", url: baseUrl.href, schema }, () => {});
  const prisma = db.prisma;
  const [{ version }] = (await db.withSession((s) => s.query("SELECT split_part(version(), ' ', 2) AS version"))) as [{ version: string }];
  const s = await seed(prisma);

  if (await fetch(`${ORIGIN}/api/health/live`).then(() => true, () => false)) {
    throw new Error(`port ${PORT} is in use by another server; set BENCH_PORT`);
  }
  step(`starting the production server on port ${PORT} (log: ${serverLog})`);
  server = startServer();
  await waitForHealth(server, 120);

  step(`starting ${CONNECTIONS} token families per app through the token endpoint`);
  const families = await startFamilies(prisma, s, CONNECTIONS);
  const accessToken = families.confidential[0]!.access_token;
  load = await startLoadProcess();

  const results = new Map<string, Measured>();
  const measure = async (name: string, request: PhaseRequest) => results.set(name, await runPhase(name, request));
  const introspectBody = new URLSearchParams({ token: accessToken, token_type_hint: "access_token" }).toString();

  await measure("floor: GET /api/health/live", { kind: "fixed", method: "GET", path: "/api/health/live" });
  await measure("GET /.well-known/jwks.json", { kind: "fixed", method: "GET", path: "/.well-known/jwks.json" });
  // Each connection refreshes its own family's token: a confidential app's does not rotate, so it is reused.
  await measure("token: refresh_token, confidential", {
    kind: "per-connection",
    path: "/oauth2/token",
    headers: { ...FORM, Authorization: s.confidential.basic },
    bodies: families.confidential.map((t) => new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refresh_token }).toString()),
  });
  await measure("token: refresh_token, public (rotating)", { kind: "refresh-chains", path: "/oauth2/token", clientId: s.public.clientId, tokens: families.publicTokens });

  // Codes live 60 s: mint them just before the phase, twice as many as the refresh rates suggest it can use.
  const refreshRps = Math.max(...[...results.values()].filter((r) => r.name.startsWith("token:")).map((r) => r.rps));
  const codeCount = Math.min(50_000, Math.max(1000, Math.ceil((2 * refreshRps * (WARMUP_MS + DURATION_MS)) / 1000)));
  step(`minting ${codeCount} authorization codes`);
  const codes = await mintCodes(prisma, s.confidential.id, s.userId, codeCount, false);
  await measure("token: authorization_code, confidential", {
    kind: "each-once",
    path: "/oauth2/token",
    headers: { ...FORM, Authorization: s.confidential.basic },
    bodies: codes.map(({ code }) => confidentialCodeBody(code)),
  });
  await measure("introspect: owner API key", {
    kind: "fixed",
    method: "POST",
    path: "/oauth2/introspect",
    headers: { ...FORM, Authorization: `Bearer ${s.apiKey}` },
    body: introspectBody,
  });
  await measure("introspect: confidential app", {
    kind: "fixed",
    method: "POST",
    path: "/oauth2/introspect",
    headers: { ...FORM, Authorization: s.confidential.basic },
    body: introspectBody,
  });

  const order = [
    "floor: GET /api/health/live",
    "GET /.well-known/jwks.json",
    "token: authorization_code, confidential",
    "token: refresh_token, confidential",
    "token: refresh_token, public (rotating)",
    "introspect: owner API key",
    "introspect: confidential app",
  ];
  console.log(
    `\nNode ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), PostgreSQL ${version}; ` +
      `${CONNECTIONS} connections, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s per endpoint; server and load generator on this machine`,
  );
  report(order.map((name) => results.get(name)!));
  const errors = [...results.values()].reduce((n, r) => n + r.errors, 0);
  if (errors) {
    console.error(`\nbench: ${errors} requests failed: the figures are not valid`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  try {
    console.error(`--- server log (last 40 lines) ---\n${readFileSync(serverLog, "utf8").split("\n").slice(-40).join("\n")}`);
  } catch {
    // no server log yet
  }
  process.exitCode = 1;
} finally {
  await cleanup();
}
