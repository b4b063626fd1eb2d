// Starts the app for the e2e suite on a fresh embedded database, exactly as
// `npm start` does (build if stale, migrate, serve).
import { rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
rmSync(process.env.DATA_DIR, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, "scripts", "start.mjs")], { stdio: "inherit", cwd: root });
