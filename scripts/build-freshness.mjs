// Whether `npm start` must (re)build: no build yet, or a source newer than it.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What a build depends on, relative to the project root. */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "prisma/schema.prisma",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "package.json",
];
// The generated Prisma client is rewritten by every `npm install`; the schema stands for it.
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

/** @param {string} root */
export function buildIsStale(root) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(path.join(root, input)) > built);
}
