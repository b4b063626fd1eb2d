// Starts the app for the e2e suite the way `npm start` does (build if stale,
// then `next start`; the server migrates and bootstraps itself), twice, each
// on a fresh embedded database:
//  - MAIN (E2E_PORT): bootstrapped with OWNER_EMAIL/OWNER_PASSWORD;
//  - FRESH (E2E_PORT + 1): no owner, so it prints a one-time setup URL to
//    its log file, which the setup test reads like an operator would.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";
import { E2E_PORT, FRESH_SERVER_LOG, OWNER, e2eDataDir } from "./servers.mjs";

const root = path.resolve(import.meta.dirname, "..");
const start = path.join(root, "scripts", "start.mjs");
execFileSync(process.execPath, [start, "--build-only"], { stdio: "inherit", cwd: root });

function serve(port, env, stdio) {
  const dataDir = e2eDataDir(port);
  rmSync(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [start], {
    cwd: root,
    stdio,
    env: {
      ...process.env,
      PORT: String(port),
      ISSUER: `http://localhost:${port}`,
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      AUTH_SECRET: "",
      OWNER_EMAIL: "",
      OWNER_PASSWORD: "",
      ...env,
    },
  });
  child.on("exit", (code) => process.exit(code ?? 1));
  return child;
}

mkdirSync(path.dirname(FRESH_SERVER_LOG), { recursive: true });
const log = openSync(FRESH_SERVER_LOG, "w");
const servers = [
  serve(E2E_PORT, { OWNER_EMAIL: OWNER.email, OWNER_PASSWORD: OWNER.password }, "inherit"),
  serve(E2E_PORT + 1, {}, ["ignore", log, log]),
];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const s of servers) s.kill(signal);
    process.exit(0);
  });
}
