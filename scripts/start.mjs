#!/usr/bin/env node
// `npm start`: build the app if the build is missing or older than the
// sources, then serve it. The server migrates the database and bootstraps
// the owner itself at start-up (instrumentation.ts).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const SOURCES = ["app", "components", "lib", "prisma/schema.prisma", "instrumentation.ts", "next.config.ts", "postcss.config.mjs", "package.json"];
const SKIP = new Set(["generated", "node_modules"]);

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) {
    if (!SKIP.has(entry)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

function buildIsStale() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

// A self-hosted identity provider phones nowhere home by default.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

if (process.argv.includes("--rebuild") || buildIsStale()) {
  console.log("connected-apps: building (this takes a minute the first time)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (process.argv.includes("--build-only")) process.exit(0);

const port = process.env.PORT ?? "3000";
const server = spawn(process.execPath, [nextBin, "start", "--port", port], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
