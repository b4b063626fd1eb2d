#!/usr/bin/env node
// `npm test`: every suite — unit + integration (Vitest), then end-to-end
// (Playwright against a freshly built and started app) — and one closing
// line with the totals: `N passed, N failed`. A suite that crashes without
// reporting counts as one failure, so a broken run can never look green.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, ".test-output");
mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(name, command, args, reportFile, count, env = {}) {
  rmSync(reportFile, { force: true });
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  let counts;
  try {
    counts = count(JSON.parse(readFileSync(reportFile, "utf8")));
  } catch {
    counts = { passed: 0, failed: 0, skipped: 0 };
  }
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1; // crashed, or failed outside a test
  if (counts.passed + counts.failed === 0) counts.failed = 1; // ran no test at all
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
  return counts;
}

const vitestJson = path.join(out, "vitest.json");
const playwrightJson = path.join(out, "playwright.json");
const suites = [
  run(
    "unit + integration (vitest)",
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
    vitestJson,
    (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests }),
  ),
  run(
    "end-to-end (playwright)",
    bin("playwright"),
    ["test", "--reporter=list,json"],
    playwrightJson,
    (r) => ({ passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped }),
    { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
  ),
];

const total = suites.reduce((a, s) => ({ passed: a.passed + s.passed, failed: a.failed + s.failed }), { passed: 0, failed: 0 });
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed ? 1 : 0);
