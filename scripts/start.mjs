#!/usr/bin/env node
// `npm start`: build the app if the build is missing or older than the
// sources, then serve it with server.ts (Next, plus the protocol fast path).
// The server migrates the database and bootstraps the owner itself at
// start-up (instrumentation.ts).
import { spawn, spawnSync } from "node:child_process";
import { utimesSync } from "node:fs";
import path from "node:path";
import { buildIsStale } from "./build-freshness.mjs";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
// A self-hosted identity provider phones nowhere home by default.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

// --no-build: serve the existing build as is (the e2e launcher builds once, then starts several servers).
const mayBuild = !process.argv.includes("--no-build");
if (mayBuild && (process.argv.includes("--rebuild") || buildIsStale(root))) {
  console.log("connected-apps: building (this takes a minute the first time)…");
  const startedAt = new Date();
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // Date the build by when it started: a file saved during the build is newer, so the next start rebuilds.
  utimesSync(path.join(root, ".next", "BUILD_ID"), startedAt, startedAt);
}
if (process.argv.includes("--build-only")) process.exit(0);

process.env.NODE_ENV = "production";
const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "server.ts")], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
