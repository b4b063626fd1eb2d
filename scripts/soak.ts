// `npm run soak`: our production server under steady mixed traffic for a
// while (10 minutes; --minutes=N), to see whether its memory stays flat.
// Not part of `npm test` or CI: it takes minutes and a core or two.
//
// - The database (PGlite in a temporary folder; --db=postgres: the schema
//   soak_<pid> of SOAK_DATABASE_URL, else BENCH_DATABASE_URL, dropped at the
//   end) is migrated and seeded from this process as `npm run bench` does
//   (scripts/bench-server.ts), then our built server starts on it.
// - The traffic (scripts/soak-traffic.ts): SOAK_WORKERS loops (4) of code
//   exchanges, refreshes, introspection, userinfo, discovery, JWKS, apps
//   created and deleted through the management API, DCR registrations
//   registered and deleted.
// - Memory: the server runs server.ts directly (not through start.mjs, so
//   its pid is the server's) with --expose-gc and scripts/soak-probe.mjs
//   preloaded, which answers on the IPC channel this process opened with
//   process.memoryUsage() after a full GC. No diagnostic endpoint is added
//   to the product; /proc would give the RSS only, not the heap.
// - Read after the warm-up (a quarter of the run, at most 60 s;
//   --warmup-seconds=N), every 30 s, and at the end, under the same load.
//   Flat: the heap in use after a full GC (live objects: where a leak
//   shows) within ±10% of the reading after the warm-up, and the RSS no
//   more than 10% above it (a lower RSS is the allocator handing pages
//   back, not a leak). Exits non-zero if not flat or if any request went
//   wrong.
import "./load-env";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { basicAuth, discover, dropSchema, portInUse, seed, signIn, sleep, stopChild, USER_PASSWORD, waitFor, type Seed } from "./bench-server";
import { runTraffic, Tally } from "./soak-traffic";

const root = path.resolve(import.meta.dirname, "..");
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const MINUTES = Number(arg("minutes") ?? 10);
const DB = arg("db") ?? "pglite";
const PORT = Number(process.env.SOAK_PORT ?? 3400);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 4);
const WARMUP_MS = Number(arg("warmup-seconds") ?? Math.min(60, (MINUTES * 60) / 4)) * 1000;
const SAMPLE_EVERY_MS = 30_000;
/** Flat: the end within this share of the reading after the warm-up. */
const TOLERANCE = 0.1;
const ISSUER = `http://localhost:${PORT}`;
const AUTH_SECRET = "soak-secret-soak-secret-soak-secret-0000"; // 40 characters, test only
const databaseUrl = process.env.SOAK_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;

if (!(MINUTES > 0) || !(WORKERS >= 1) || !(WARMUP_MS >= 0 && WARMUP_MS < MINUTES * 60_000)) {
  console.error("npm run soak: --minutes must be above 0 and --warmup-seconds shorter than the run");
  process.exit(2);
}
if (DB !== "pglite" && DB !== "postgres") {
  console.error(`npm run soak: --db must be pglite or postgres (got ${DB})`);
  process.exit(2);
}
if (DB === "postgres" && !databaseUrl) {
  console.error("npm run soak -- --db=postgres needs SOAK_DATABASE_URL (or BENCH_DATABASE_URL): it creates the schema soak_<pid> and drops it at the end.");
  process.exit(2);
}

const step = (message: string) => console.log(`soak: ${message}`);
const workDir = mkdtempSync(path.join(os.tmpdir(), "connected-apps-soak-"));
const dataDir = path.join(workDir, "data");
const serverLog = path.join(workDir, "server.log");
const schema = `soak_${process.pid}`;
// This process seeds the database and signs in with the server's secret and issuer.
Object.assign(process.env, { AUTH_SECRET, ISSUER, DATA_DIR: dataDir, OWNER_EMAIL: "", OWNER_PASSWORD: "" });
delete process.env.DATABASE_URL;

/** Migrates and seeds the database from this process; returns the seed and the server's DATABASE_URL ("" for PGlite). */
async function prepareDatabase(): Promise<{ seed: Seed; serverUrl: string }> {
  const { openMigratedDatabase } = await import("../lib/db");
  let serverUrl = "";
  let db;
  if (DB === "postgres") {
    const url = new URL(databaseUrl!);
    url.searchParams.delete("schema");
    step(`PostgreSQL schema ${schema}: migrating and seeding`);
    db = await openMigratedDatabase({ kind: "postgres", url: url.href, schema }, () => {});
    url.searchParams.set("schema", schema);
    serverUrl = url.href;
  } else {
    step(`PGlite in ${dataDir}: migrating and seeding`);
    db = await openMigratedDatabase({ kind: "pglite", dataDir }, () => {});
  }
  try {
    return { seed: await seed(db.prisma), serverUrl };
  } finally {
    // PGlite: released for the server (one process at a time).
    await db.close();
  }
}

function startServer(serverUrl: string): ChildProcess {
  const log = openSync(serverLog, "a");
  const args = ["--expose-gc", "--import", "tsx", "--import", path.join(root, "scripts", "soak-probe.mjs"), path.join(root, "server.ts")];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(PORT),
    DATABASE_URL: serverUrl,
    // Every registration comes from one source here; the default limit (60 per 10 minutes) would refuse most.
    DCR_RATE_LIMIT: "1000000",
  };
  return spawn(process.execPath, args, { cwd: root, stdio: ["ignore", log, log, "ipc"], env });
}

type Memory = NodeJS.MemoryUsage;

/** The server's memory after a full GC, from scripts/soak-probe.mjs. */
function readMemory(server: ChildProcess): Promise<Memory> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not answer the memory probe in 30 s")), 30_000);
    const onMessage = (m: { type?: string; usage?: Memory }) => {
      if (m?.type !== "memory" || !m.usage) return;
      clearTimeout(timer);
      server.off("message", onMessage);
      resolve(m.usage);
    };
    server.on("message", onMessage);
    server.send({ type: "memory" });
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const describeMemory = (m: Memory) => `RSS ${mb(m.rss)}, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}`;
const change = (from: number, to: number) => (to - from) / from;
const percent = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

let server: ChildProcess | undefined;

async function cleanup() {
  await stopChild(server);
  if (DB === "postgres") await dropSchema(databaseUrl!, schema, "soak");
  rmSync(workDir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`soak: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  const built = spawnSync(process.execPath, [path.join(root, "scripts", "start.mjs"), "--build-only"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("the build failed");
  if (await portInUse(PORT)) throw new Error(`port ${PORT} is in use by another server; set SOAK_PORT`);
  const { seed: s, serverUrl } = await prepareDatabase();
  step(`starting our production server on port ${PORT} (log: ${serverLog})`);
  server = startServer(serverUrl);
  const origin = `http://127.0.0.1:${PORT}`;
  await waitFor("our server", server, `${origin}/api/health`, 120);
  // Self-registration is off by default: on, as an owner would turn it on.
  const settings = await fetch(`${origin}/api/v1/settings`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${s.apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ dcr_enabled: true }),
  });
  if (!settings.ok) throw new Error(`turning DCR on: HTTP ${settings.status} ${await settings.text()}`);
  const target = {
    origin,
    paths: await discover(origin),
    cookie: await signIn(origin, s.user.email, USER_PASSWORD, ISSUER),
    seed: s,
    basic: basicAuth(s.confidential.clientId, s.confidential.secret),
  };

  const durationMs = MINUTES * 60_000;
  step(`${WORKERS} workers of mixed traffic for ${MINUTES} min (${WARMUP_MS / 1000} s warm-up), on ${DB === "postgres" ? `PostgreSQL (${schema})` : "PGlite"}`);
  const tally = new Tally();
  const started = Date.now();
  const deadline = started + durationMs;
  const traffic = runTraffic(target, WORKERS, tally, () => Date.now() >= deadline);
  await sleep(WARMUP_MS);
  const first = await readMemory(server);
  const requestsAtStart = tally.requests;
  step(`after the warm-up: ${describeMemory(first)}; ${tally.requests} requests so far`);
  let last = first;
  while (Date.now() + SAMPLE_EVERY_MS < deadline - 1_000) {
    await sleep(SAMPLE_EVERY_MS);
    last = await readMemory(server);
    step(`${Math.round((Date.now() - started) / 1000)} s: ${describeMemory(last)}; ${tally.requests} requests, ${tally.errors} errors`);
  }
  // The last reading under the same load as the first, just before the end.
  await sleep(Math.max(0, deadline - 1_000 - Date.now()));
  last = await readMemory(server);
  const measuredSeconds = (Date.now() - started - WARMUP_MS) / 1000;
  await traffic;

  console.log(`\n== soak: ${MINUTES} min on ${DB}, ${WORKERS} workers, Node ${process.version}, ${os.cpus().length} CPUs\n`);
  for (const [operation, { requests, errors }] of [...tally.byOperation].sort()) {
    console.log(`${operation.padEnd(28)} ${String(requests).padStart(8)} requests ${String(errors).padStart(6)} errors`);
  }
  console.log(
    `\nrequests: ${tally.requests} (${((tally.requests - requestsAtStart) / measuredSeconds).toFixed(0)}/s after the warm-up), errors: ${tally.errors}`,
  );
  for (const sample of tally.samples) console.log(`error: ${sample}`);
  console.log(`memory after the warm-up: ${describeMemory(first)}`);
  console.log(`memory at the end:        ${describeMemory(last)}`);
  const rss = change(first.rss, last.rss);
  const heap = change(first.heapUsed, last.heapUsed);
  const flat = Math.abs(heap) <= TOLERANCE && rss <= TOLERANCE;
  console.log(
    `RSS ${percent(rss)}, heap used ${percent(heap)}: ${flat ? "flat" : "NOT flat"} (heap within ±${TOLERANCE * 100}%, RSS at most +${TOLERANCE * 100}%, after the warm-up)`,
  );
  // A falling RSS is no leak, but it means the first reading was not steady yet.
  if (rss < -TOLERANCE) console.log("the RSS fell: pages handed back after the warm-up's peak (a longer --warmup-seconds gives a steadier first reading)");
  if (!flat || tally.errors > 0) process.exitCode = 1;
} catch (error) {
  console.error(`soak: ${(error as Error).stack ?? String(error)}`);
  try {
    console.error(`--- ${serverLog} (last 40 lines) ---\n${readFileSync(serverLog, "utf8").split("\n").slice(-40).join("\n")}`);
  } catch {
    // not started
  }
  process.exitCode = 1;
} finally {
  await cleanup();
}
