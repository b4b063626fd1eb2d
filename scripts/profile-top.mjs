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
/**
 * The stages of a request, most specific first: a sample counts for the
 * first stage found anywhere on its stack (an RSA signature called from
 * a route handler is signing; a socket write called from the pg driver is
 * SQL, one called from node:http is HTTP). Route code bundled by Next
 * (.next/server/chunks) is our protocol code on the fast path.
 */
const STAGES = [
  ["start-up (module loading, key generation)", ({ functionName, url }) =>
    /^(wrapSafe|compileSourceTextModule|compileFunction|readFileSync|generateKeyPairSync|instantiateModule|sourceMapFromFile)$/.test(functionName) || /node:internal\/modules\//.test(url)],
  ["signing and verifying JWTs (RSA/ECDSA)", ({ url, functionName }) => /node:internal\/crypto\/sig|node_modules\/jose\/|lib\/oauth\/tokens\/jws/.test(url) || functionName === "signJws" || functionName === "verifyJws"],
  ["SQL client (pg driver: statements, sockets, rows)", ({ url }) => /node_modules\/(pg|pg-protocol|pg-types|pg-pool|pgpass|postgres-\w+)\/|\/lib\/db\/|@electric-sql\/pglite|^wasm:/.test(url)],
  ["hashing and random tokens (HMAC, SHA-256)", ({ url }) => /node:internal\/crypto\/(hash|random|keys)|lib\/crypto\//.test(url)],
  ["HTTP (node:http, sockets, Fetch objects, bridge)", ({ url }) => /^node:(_http|http|net|internal\/(streams|stream_base|deps\/undici|http|fetch|url|webstreams))|undici|lib\/http\/|server\.ts/.test(url)],
  ["protocol logic (our route code)", ({ url }) => /lib\/(oauth|clients)\/|\/app\/|\.next\/server\//.test(url)],
  ["Next.js (framework)", ({ url }) => /node_modules\/next\//.test(url)],
];

function stageOf(id) {
  const { functionName } = byId.get(id).callFrame;
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "V8: garbage collection";
  if (functionName === "(program)") return "V8: compiler and runtime";
  const frames = [];
  for (let at = id; at !== undefined; at = parentOf.get(at)) frames.push(byId.get(at).callFrame);
  for (const [name, matches] of STAGES) if (frames.some(matches)) return name;
  return "other (node internals, timers, promises)";
}

const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const byStage = new Map();
for (const [id, us] of selfUs) {
  const name = stageOf(id);
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
