#!/usr/bin/env node
// `node scripts/profile-top.mjs <file.cpuprofile> [n]`: where a V8 CPU
// profile (node --cpu-prof, `BENCH_PROFILE`) spent its time. Prints the n
// costliest functions by self time, and self time summed by package or by
// source folder (so "how much is Next, pg, jose, our lib/") is one glance,
// and the busy time split into the stages of a request (signing, SQL, HTTP,
// protocol logic, …): each sample goes to the nearest frame on its stack
// that belongs to a stage, so native work (an RSA signature, a JSON parse)
// counts for the stage that asked for it.
import { readFileSync } from "node:fs";

const [file, n = "25"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/profile-top.mjs <file.cpuprofile> [n]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** A package name, a folder of this project, or the kind of V8 node. */
function area(url) {
  if (!url) return "(native / V8)";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return "node:" + url.slice(5).split("/")[0];
  const own = url.match(/\/(lib\/[^/]+|app|server\.ts|\.next\/server\/[^/]+)/);
  return own ? own[1] : url;
}

const byFunction = new Map();
const byArea = new Map();
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  const name = `${callFrame.functionName || "(anonymous)"} ${area(callFrame.url)}:${callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byArea.set(area(callFrame.url), (byArea.get(area(callFrame.url)) ?? 0) + us);
}
/** The stage a frame belongs to, or null (look further up the stack). */
function stage({ functionName, url }) {
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "V8: garbage collection";
  if (functionName === "(program)") return "V8: compiler and runtime";
  if (/lib\/oauth\/tokens\/jws|node_modules\/jose\//.test(url)) return "signing and verifying JWTs";
  if (/node_modules\/(pg|pg-protocol|pg-types|pg-pool|pgpass|postgres-\w+)\/|\/lib\/db\/|@electric-sql\/pglite|^wasm:/.test(url)) return "SQL (driver, statements, row mapping)";
  if (/^node:(_http|http|net|stream|internal\/(streams|deps\/undici|http|fetch|url))|lib\/http\/|undici|server\.ts/.test(url)) return "HTTP (node:http, Fetch objects, bridge)";
  if (/lib\/crypto\//.test(url)) return "hashing and random tokens";
  if (/lib\/oauth\/|lib\/clients\/|app\//.test(url)) return "protocol logic (lib/oauth)";
  if (/node_modules\/next\/|\.next\//.test(url)) return "Next.js";
  return null;
}

const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const byStage = new Map();
for (const [id, us] of selfUs) {
  let name = null;
  for (let at = id; at !== undefined && name === null; at = parentOf.get(at)) name = stage(byId.get(at).callFrame);
  name ??= "other (node internals, timers, …)";
  byStage.set(name, (byStage.get(name) ?? 0) + us);
}
const busy = total - (byStage.get("idle") ?? 0);

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const top = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
console.log(`${(total / 1e6).toFixed(1)} s of samples\n\nby area (self time):`);
for (const [name, us] of top(byArea, 20)) console.log(`${pct(us)}  ${name}`);
console.log(`\nby stage of a request (${(busy / 1e6).toFixed(1)} s busy; % of busy time):`);
for (const [name, us] of top(byStage, 20)) if (name !== "idle") console.log(`${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
console.log(`\nby function (self time):`);
for (const [name, us] of top(byFunction, Number(n))) console.log(`${pct(us)}  ${name}`);
