// Starts the app for the e2e suite the way `npm start` does (build if stale,
// then `next start`; the server migrates and bootstraps itself), twice, each
// on a fresh embedded database:
//  - MAIN (E2E_PORT): seeded first with the admin CLI (the owner and two
//    management-API keys, written to E2E_API_KEY_FILE and
//    E2E_REVOKED_API_KEY_FILE, the second one revoked) and the END_USERS,
//    then started with
//    OWNER_EMAIL/OWNER_PASSWORD (the owner then already exists, a no-op);
//  - FRESH (E2E_PORT + 1): no owner, so it prints a one-time setup URL to
//    its log file, which the setup test reads like an operator would; no
//    ISSUER either, so its issuer comes from PORT;
//  - POSTGRES (E2E_PORT + 2, only with TEST_DATABASE_URL): seeded like MAIN,
//    on PostgreSQL (schema `e2e`, recreated), for the management-API tests.
//  - INSTANCES (E2E_PORT + 4 and + 5, only with TEST_DATABASE_URL): two
//    servers on one PostgreSQL schema (`e2e_multi_<E2E_PORT>`, recreated)
//    behind a round-robin proxy on E2E_PORT + 3 (e2e/proxy.mjs), their
//    issuer; seeded like MAIN (project "instances"), for the multi-instance
//    suite. A uses the fast path, B Next.
//  - UPSTREAM (E2E_PORT + 6, issuer http://127.0.0.1:<port>): another
//    server of this project on its own PGlite, the upstream OpenID Connect
//    provider of MAIN's sign-in connections (e2e/connections/seed.ts seeds
//    both sides; e2e/sign-in-connections.spec.ts).
//    These are up before MAIN starts, so MAIN's health means all are ready.
//    The PostgreSQL server serves the protocol endpoints through Next (PROTOCOL_FAST_PATH=off)
//    and MAIN through the fast path of server.ts, so the protocol suites run
//    through both; each server must say at start-up that it does.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startRoundRobinProxy } from "./proxy.mjs";
import {
  CONNECTIONS_E2E,
  E2E_PORT,
  END_USERS,
  FRESH_SERVER_LOG,
  INSTANCE_PORTS,
  INSTANCES_SCHEMA,
  OWNER,
  PG_PORT,
  PG_SCHEMA,
  PG_TEST_URL,
  PLAYGROUND_E2E_FILE,
  PROXY_PORT,
  SMTP_E2E_PORT,
  apiKeyFiles,
  e2eDataDir,
  instancesEnv,
  pgSchemaUrl,
} from "./servers.mjs";

const root = path.resolve(import.meta.dirname, "..");
const start = path.join(root, "scripts", "start.mjs");
execFileSync(process.execPath, [start, "--build-only"], { stdio: "inherit", cwd: root });

/** Each server's environment: its own fresh data folder, nothing inherited that would change it. */
function serverEnv(port, env = {}) {
  return {
    ...process.env,
    PORT: String(port),
    ISSUER: `http://localhost:${port}`,
    DATA_DIR: e2eDataDir(port),
    DATABASE_URL: "",
    AUTH_SECRET: "",
    OWNER_EMAIL: "",
    OWNER_PASSWORD: "",
    PROTOCOL_FAST_PATH: "",
    TRUST_PROXY: "",
    // Client ID Metadata Documents served by the tests on 127.0.0.1 with a self-signed certificate (dev/test-only switches).
    CIMD_ALLOW_LOOPBACK: "1",
    CIMD_TEST_CA_FILE: path.join(root, "lib", "clients", "testdata", "cimd-test-localhost.crt"),
    ...env,
  };
}

function serve(port, env, stdio) {
  // Built once above: servers starting side by side must not each try to rebuild.
  const child = spawn(process.execPath, [start, "--no-build"], { cwd: root, stdio, env: serverEnv(port, env) });
  child.on("exit", (code) => process.exit(code ?? 1));
  return Object.assign(child, { port });
}

/** Like serve, passing its output on, and exiting if it does not serve the protocol endpoints the way `env` asks. */
function serveChecked(port, env) {
  const child = serve(port, env, ["ignore", "pipe", "inherit"]);
  const expected = env.PROTOCOL_FAST_PATH === "off" ? "(every path through Next)" : "(protocol fast path:";
  let pending = "";
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString();
    const line = pending.split("\n").find((l) => l.includes("connected-apps: listening on"));
    if (line === undefined) return;
    pending = "";
    if (!line.includes(expected)) {
      console.error(`e2e: the server on port ${port} should say ${expected}, but said: ${line}`);
      for (const s of servers) s.kill("SIGTERM");
      process.exit(1);
    }
  });
  return child;
}

/** `npm run admin -- …` on a server's database (before that server holds the PGlite lock); resolves with stdout. */
function admin(port, env, args, input) {
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  // Asynchronous, so the servers' databases are seeded side by side (each call is a ~2 s process).
  const child = spawn(process.execPath, [tsx, path.join(root, "scripts", "admin.ts"), ...args], {
    cwd: root,
    env: serverEnv(port, env),
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdin.end(input ?? "");
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`admin ${args[0]} exited with ${code}`))));
  });
}

/** e2e/connections/seed.ts on a server's database; resolves with the JSON it printed. */
function seedConnections(port, env, args) {
  return seedScript(path.join("e2e", "connections", "seed.ts"), port, env, args);
}

/** A seeding script (e2e/…/seed.ts) on a server's database; resolves with the JSON it printed last. */
function seedScript(script, port, env, args) {
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsx, path.join(root, script), ...args], {
    cwd: root,
    env: serverEnv(port, env),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split("\n").at(-1))) : reject(new Error(`${script} ${args.join(" ")} exited with ${code}`))));
  });
}

/** The upstream server's users and the app standing for MAIN there. */
async function seedUpstream() {
  const env = { ISSUER: CONNECTIONS_E2E.upstreamIssuer };
  const port = CONNECTIONS_E2E.upstreamPort;
  await admin(port, env, ["create-owner", "--email", OWNER.email, "--password-stdin"], `${OWNER.password}\n`);
  for (const user of CONNECTIONS_E2E.users) {
    await admin(port, env, ["create-user", "--email", user.email, "--name", user.name, "--password-stdin"], `${user.password}\n`);
  }
  return seedConnections(port, env, ["upstream"]);
}

/** The key `create-api-key` printed (its last line). */
async function createApiKey(port, env, name) {
  const key = (await admin(port, env, ["create-api-key", "--owner", OWNER.email, "--name", name])).trim().split("\n").at(-1);
  if (!key?.startsWith("ca_key_")) throw new Error(`create-api-key printed no key for "${name}"`);
  return key;
}

/**
 * The owner, `users` and the API keys of `project` (an active one and,
 * with `revokedKey`, a revoked one), written where its tests read them.
 */
async function seed(port, env, project, { users = END_USERS, revokedKey = true } = {}) {
  const files = apiKeyFiles(project);
  await admin(port, env, ["create-owner", "--email", OWNER.email, "--password-stdin"], `${OWNER.password}\n`);
  for (const user of users) {
    await admin(port, env, ["create-user", "--email", user.email, "--name", user.name, "--password-stdin"], `${user.password}\n`);
  }
  writeFileSync(files.active, `${await createApiKey(port, env, "e2e")}\n`, { mode: 0o600 });
  if (!revokedKey) return;
  const revoked = await createApiKey(port, env, "e2e-revoked");
  await admin(port, env, ["revoke-api-key", "--owner", OWNER.email, "--name", "e2e-revoked"]);
  writeFileSync(files.revoked, `${revoked}\n`, { mode: 0o600 });
}

async function waitForHealth(port, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    const ok = await fetch(`http://localhost:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the server on port ${port} did not become healthy in ${seconds} s`);
}

/** Drops a schema of the test database; the first server (or admin call) on it migrates it afresh. */
async function freshPgSchema(schema) {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

// Wipe everything first, so no earlier run's data or keys survive a failed seeding.
for (const port of [E2E_PORT, E2E_PORT + 1, CONNECTIONS_E2E.upstreamPort]) rmSync(e2eDataDir(port), { recursive: true, force: true });
rmSync(CONNECTIONS_E2E.file, { force: true });
rmSync(PLAYGROUND_E2E_FILE, { force: true });
for (const project of ["chromium", "postgres", "instances"]) for (const file of Object.values(apiKeyFiles(project))) rmSync(file, { force: true });
mkdirSync(path.dirname(FRESH_SERVER_LOG), { recursive: true });

const log = openSync(FRESH_SERVER_LOG, "w");
// Without ISSUER: PORT alone must give a matching issuer (e2e/setup.spec.ts reads the log and discovery).
const servers = [serve(E2E_PORT + 1, { ISSUER: "" }, ["ignore", log, log])];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const s of servers) s.kill(signal);
    process.exit(0);
  });
}

if (!PG_TEST_URL) console.log("e2e: TEST_DATABASE_URL is not set: no PostgreSQL servers, so the \"postgres\" project does not run and the multi-instance suite (\"instances\") is skipped");

const owner = { OWNER_EMAIL: OWNER.email, OWNER_PASSWORD: OWNER.password };
const multiEnv = instancesEnv();
try {
  const pgEnv = PG_TEST_URL && { DATABASE_URL: pgSchemaUrl(PG_SCHEMA), AUTH_SECRET: "e2e-postgres-secret-e2e-postgres-secret", PROTOCOL_FAST_PATH: "off" };
  if (PG_TEST_URL) await Promise.all([freshPgSchema(PG_SCHEMA), freshPgSchema(INSTANCES_SCHEMA)]);
  const [, upstreamApp] = await Promise.all([
    seed(E2E_PORT, {}, "chromium"),
    seedUpstream(),
    pgEnv && seed(PG_PORT, pgEnv, "postgres"),
    // Only what the multi-instance suite uses: each admin call is a process, and CI has two cores.
    multiEnv && seed(INSTANCE_PORTS[0], multiEnv, "instances", { users: END_USERS.slice(0, 1), revokedKey: false }),
  ]);
  // MAIN's connections to the upstream, once MAIN's own seeding has let go of its database.
  const mainSide = await seedConnections(E2E_PORT, {}, ["main", upstreamApp.client_id, upstreamApp.client_secret]);
  writeFileSync(CONNECTIONS_E2E.file, JSON.stringify(mainSide), { mode: 0o600 });
  // The playground's confidential app (e2e/playground/seed.ts), after that: PGlite takes one process at a time.
  writeFileSync(PLAYGROUND_E2E_FILE, JSON.stringify(await seedScript(path.join("e2e", "playground", "seed.ts"), E2E_PORT, {}, [])), { mode: 0o600 });
  const upstreamLog = openSync(CONNECTIONS_E2E.log, "w");
  servers.push(serve(CONNECTIONS_E2E.upstreamPort, { ISSUER: CONNECTIONS_E2E.upstreamIssuer }, ["ignore", upstreamLog, upstreamLog]));
  if (pgEnv) servers.push(serveChecked(PG_PORT, { ...pgEnv, ...owner }));
  if (multiEnv) {
    // Started together: they also race to migrate and bootstrap one database.
    servers.push(serveChecked(INSTANCE_PORTS[0], { ...multiEnv, ...owner }));
    servers.push(serveChecked(INSTANCE_PORTS[1], { ...multiEnv, ...owner, PROTOCOL_FAST_PATH: "off" }));
  }
  const started = servers.slice(1).map((s) => s.port);
  await Promise.all(started.map((port) => waitForHealth(port, 120)));
  if (multiEnv) await startRoundRobinProxy(PROXY_PORT, INSTANCE_PORTS);
} catch (error) {
  console.error(`e2e: start-up failed: ${error.message}`);
  for (const s of servers) s.kill("SIGTERM");
  process.exit(1);
}

servers.push(serveChecked(E2E_PORT, { ...owner, SMTP_URL: `smtp://127.0.0.1:${SMTP_E2E_PORT}`, SMTP_FROM: "Connected Apps <no-reply@e2e.test>" }));
