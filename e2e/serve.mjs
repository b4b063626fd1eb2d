// Starts the app for the e2e suite the way `npm start` does (build if stale,
// then `next start`; the server migrates and bootstraps itself), twice, each
// on a fresh embedded database:
//  - MAIN (E2E_PORT): seeded first with the admin CLI (the owner and two
//    management-API keys, written to E2E_API_KEY_FILE and
//    E2E_REVOKED_API_KEY_FILE, the second one revoked) and the END_USERS,
//    then started with
//    OWNER_EMAIL/OWNER_PASSWORD (the owner then already exists, a no-op);
//  - FRESH (E2E_PORT + 1): no owner, so it prints a one-time setup URL to
//    its log file, which the setup test reads like an operator would;
//  - POSTGRES (E2E_PORT + 2, only with TEST_DATABASE_URL): seeded like MAIN,
//    on PostgreSQL (schema `e2e`, recreated), for the management-API tests.
//    It is up before MAIN starts, so MAIN's health means all are ready.
//    It serves the protocol endpoints through Next (PROTOCOL_FAST_PATH=off)
//    and MAIN through the fast path of server.ts, so the protocol suites run
//    through both; each server must say at start-up that it does.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { E2E_PORT, END_USERS, FRESH_SERVER_LOG, OWNER, PG_PORT, PG_SCHEMA, PG_TEST_URL, apiKeyFiles, e2eDataDir } from "./servers.mjs";

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
  return child;
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

/** `npm run admin -- …` on a server's database (before that server holds the PGlite lock); returns stdout. */
function admin(port, env, args, input) {
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  return execFileSync(process.execPath, [tsx, path.join(root, "scripts", "admin.ts"), ...args], {
    cwd: root,
    env: serverEnv(port, env),
    input,
    stdio: ["pipe", "pipe", "inherit"],
    encoding: "utf8",
  });
}

/** The key `create-api-key` printed (its last line). */
function createApiKey(port, env, name) {
  const key = admin(port, env, ["create-api-key", "--owner", OWNER.email, "--name", name]).trim().split("\n").at(-1);
  if (!key?.startsWith("ca_key_")) throw new Error(`create-api-key printed no key for "${name}"`);
  return key;
}

/** The owner and the two API keys of `project`, written where its tests read them. */
function seed(port, env, project) {
  const files = apiKeyFiles(project);
  admin(port, env, ["create-owner", "--email", OWNER.email, "--password-stdin"], `${OWNER.password}\n`);
  for (const user of END_USERS) {
    admin(port, env, ["create-user", "--email", user.email, "--name", user.name, "--password-stdin"], `${user.password}\n`);
  }
  const key = createApiKey(port, env, "e2e");
  const revoked = createApiKey(port, env, "e2e-revoked");
  admin(port, env, ["revoke-api-key", "--owner", OWNER.email, "--name", "e2e-revoked"]);
  writeFileSync(files.active, `${key}\n`, { mode: 0o600 });
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

async function freshPgSchema() {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${PG_SCHEMA}" CASCADE`);
  await client.end();
}

// Wipe everything first, so no earlier run's data or keys survive a failed seeding.
for (const port of [E2E_PORT, E2E_PORT + 1]) rmSync(e2eDataDir(port), { recursive: true, force: true });
for (const project of ["chromium", "postgres"]) for (const file of Object.values(apiKeyFiles(project))) rmSync(file, { force: true });
mkdirSync(path.dirname(FRESH_SERVER_LOG), { recursive: true });

const log = openSync(FRESH_SERVER_LOG, "w");
const servers = [serve(E2E_PORT + 1, {}, ["ignore", log, log])];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const s of servers) s.kill(signal);
    process.exit(0);
  });
}

const owner = { OWNER_EMAIL: OWNER.email, OWNER_PASSWORD: OWNER.password };
try {
  if (PG_TEST_URL) {
    const url = new URL(PG_TEST_URL);
    url.searchParams.set("schema", PG_SCHEMA);
    const pgEnv = { DATABASE_URL: url.href, AUTH_SECRET: "e2e-postgres-secret-e2e-postgres-secret", PROTOCOL_FAST_PATH: "off" };
    await freshPgSchema();
    seed(PG_PORT, pgEnv, "postgres");
    servers.push(serveChecked(PG_PORT, { ...pgEnv, ...owner }));
    await waitForHealth(PG_PORT, 120);
  }
  seed(E2E_PORT, {}, "chromium");
} catch (error) {
  console.error(`e2e: seeding failed: ${error.message}`);
  for (const s of servers) s.kill("SIGTERM");
  process.exit(1);
}

servers.push(serveChecked(E2E_PORT, owner));
