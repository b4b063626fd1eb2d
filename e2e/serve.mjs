// Starts the app for the e2e suite the way `npm start` does (build if stale,
// then `next start`; the server migrates and bootstraps itself), twice, each
// on a fresh embedded database:
//  - MAIN (E2E_PORT): seeded first with the admin CLI (the owner and two
//    management-API keys, written to E2E_API_KEY_FILE and
//    E2E_REVOKED_API_KEY_FILE, the second one revoked), then started with
//    OWNER_EMAIL/OWNER_PASSWORD (the owner then already exists, a no-op);
//  - FRESH (E2E_PORT + 1): no owner, so it prints a one-time setup URL to
//    its log file, which the setup test reads like an operator would.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { E2E_API_KEY_FILE, E2E_PORT, E2E_REVOKED_API_KEY_FILE, FRESH_SERVER_LOG, OWNER, e2eDataDir } from "./servers.mjs";

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
    ...env,
  };
}

function serve(port, env, stdio) {
  const child = spawn(process.execPath, [start], { cwd: root, stdio, env: serverEnv(port, env) });
  child.on("exit", (code) => process.exit(code ?? 1));
  return child;
}

/** `npm run admin -- …` on a server's data folder (before that server holds the PGlite lock); returns stdout. */
function admin(port, args, input) {
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  return execFileSync(process.execPath, [tsx, path.join(root, "scripts", "admin.ts"), ...args], {
    cwd: root,
    env: serverEnv(port),
    input,
    stdio: ["pipe", "pipe", "inherit"],
    encoding: "utf8",
  });
}

/** The key `create-api-key` printed (its last line). */
function createApiKey(port, name) {
  const key = admin(port, ["create-api-key", "--owner", OWNER.email, "--name", name]).trim().split("\n").at(-1);
  if (!key?.startsWith("ca_key_")) throw new Error(`create-api-key printed no key for "${name}"`);
  return key;
}

// Wipe everything first, so no earlier run's data or keys survive a failed seeding.
for (const port of [E2E_PORT, E2E_PORT + 1]) rmSync(e2eDataDir(port), { recursive: true, force: true });
for (const file of [E2E_API_KEY_FILE, E2E_REVOKED_API_KEY_FILE]) rmSync(file, { force: true });
mkdirSync(path.dirname(FRESH_SERVER_LOG), { recursive: true });

const log = openSync(FRESH_SERVER_LOG, "w");
const servers = [serve(E2E_PORT + 1, {}, ["ignore", log, log])];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const s of servers) s.kill(signal);
    process.exit(0);
  });
}

try {
  admin(E2E_PORT, ["create-owner", "--email", OWNER.email, "--password-stdin"], `${OWNER.password}\n`);
  const key = createApiKey(E2E_PORT, "e2e");
  const revoked = createApiKey(E2E_PORT, "e2e-revoked");
  admin(E2E_PORT, ["revoke-api-key", "--owner", OWNER.email, "--name", "e2e-revoked"]);
  writeFileSync(E2E_API_KEY_FILE, `${key}\n`, { mode: 0o600 });
  writeFileSync(E2E_REVOKED_API_KEY_FILE, `${revoked}\n`, { mode: 0o600 });
} catch (error) {
  console.error(`e2e: seeding the main server's database failed: ${error.message}`);
  for (const s of servers) s.kill("SIGTERM");
  process.exit(1);
}

servers.push(serve(E2E_PORT, { OWNER_EMAIL: OWNER.email, OWNER_PASSWORD: OWNER.password }, "inherit"));
