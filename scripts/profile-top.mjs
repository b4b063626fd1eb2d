#!/usr/bin/env node
// `node scripts/profile-top.mjs <file.cpuprofile> [n]`: where a V8 CPU
// profile (node --cpu-prof, `BENCH_PROFILE`) spent its time. Prints the n
// costliest functions by self time, and self time summed by package or by
// source folder (so "how much is Next, pg, jose, our lib/") is one glance.
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
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const top = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
console.log(`${(total / 1e6).toFixed(1)} s of samples\n\nby area (self time):`);
for (const [name, us] of top(byArea, 20)) console.log(`${pct(us)}  ${name}`);
console.log(`\nby function (self time):`);
for (const [name, us] of top(byFunction, Number(n))) console.log(`${pct(us)}  ${name}`);
