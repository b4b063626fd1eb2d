#!/usr/bin/env node
// `npm run test:mutation`: StrykerJS on the protocol core (lib/oauth) and the
// security modules of lib/clients, against the unit and integration suites
// (PGlite only: the same tests as on PostgreSQL, faster). Then one line per
// module with its mutation score, counting as equivalent the mutants that only
// change human-readable message text (see isMessageText), and the survivors
// that are not, with line and replacement. Exits 1 when a module is below the
// target. Arguments go to Stryker: `npm run test:mutation -- --mutate lib/oauth/pkce.ts`.
// Too slow for CI (tens of minutes on two cores).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const TARGET = 85;
const root = path.resolve(import.meta.dirname, "..");
const report = path.join(root, "reports/mutation/mutation.json");
const incremental = path.join(root, "reports/mutation/stryker-incremental.json");

/**
 * Calls whose arguments are text for people, not part of any contract: the
 * `error_description` of OAuth errors (RFC 6749 §5.2: "human-readable …
 * to assist the client developer"; clients must act on `error`), titles and
 * descriptions of error pages, internal Error messages and log lines. The
 * numbers are the message arguments' positions; the others (an OAuth error
 * code, a CIMD fetch error code, a WWW-Authenticate challenge) are contract
 * and stay counted.
 */
const MESSAGE_ARGUMENTS = {
  OAuthError: [1],
  CimdFetchError: [1],
  CimdDocumentError: [0],
  PageError: [0, 1],
  Error: [0],
  invalidRequest: [0, 1],
  invalidGrant: [0, 1],
  invalidClient: [0],
  invalidToken: [0],
  refused: [0],
  // The device grant's poll answers (grants/device-code.ts): code, then its error_description.
  pollError: [1],
  // A spent pushed request's reason (authorize/pushed-request.ts): it goes to the PageError's message, for logs only.
  spent: [0],
  "console.error": "all",
  "console.warn": "all",
  "console.log": "all",
  "console.info": "all",
};

if (!process.argv.includes("--summary-only")) {
  const env = { ...process.env };
  delete env.TEST_DATABASE_URL;
  // Stryker writes both reports with only this run's modules: keep the earlier results of the others,
  // so that runs of a few modules at a time (`-- --mutate …`) add up to the whole picture.
  const earlier = [report, incremental].map(readReport);
  const run = spawnSync(path.join(root, "node_modules/.bin/stryker"), ["run", ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env });
  if (run.status !== 0) {
    console.error(`stryker exited with ${run.status}`);
    process.exit(run.status ?? 1);
  }
  [report, incremental].forEach((file, i) => keepEarlierModules(file, earlier[i]));
}

const { files } = JSON.parse(readFileSync(report, "utf8"));
const rows = [];
const survivors = [];
for (const [file, { source, mutants }] of Object.entries(files)) {
  const messageRanges = messageArgumentRanges(file, source);
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest);
  // allowEdits: an incremental report can carry positions of a module's earlier version (not in this run's --mutate); no crash, at worst a misplaced excerpt.
  const offset = ({ line, column }) => sourceFile.getPositionOfLineAndCharacter(line - 1, column - 1, true);
  const count = { detected: 0, undetected: 0, equivalent: 0, ignored: 0, errors: 0 };
  for (const m of mutants) {
    if (m.status === "Killed" || m.status === "Timeout") count.detected++;
    else if (m.status === "Survived" || m.status === "NoCoverage") {
      const start = offset(m.location.start);
      const end = offset(m.location.end);
      if (m.mutatorName === "StringLiteral" && messageRanges.some(([a, b]) => start >= a && end <= b)) count.equivalent++;
      else {
        count.undetected++;
        const original = source.slice(start, end).split("\n")[0].slice(0, 70);
        survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} (${m.status}) ${original} → ${String(m.replacement ?? "").split("\n")[0].slice(0, 70)}`);
      }
    } else if (m.status === "Ignored") count.ignored++;
    else count.errors++;
  }
  const total = count.detected + count.undetected;
  // A module kept from an earlier run whose code changed since: its figure is not today's.
  const stale = readSource(file) !== source;
  rows.push({ file, ...count, stale, score: total === 0 ? 100 : (100 * count.detected) / total });
}

rows.sort((a, b) => a.score - b.score);
const pad = (s, n) => String(s).padEnd(n);
const lines = [
  "",
  `${pad("module", 44)} ${pad("score", 7)} killed  survived  msg-equiv  ignored`,
  ...rows.map(
    (r) =>
      `${pad(r.file, 44)} ${pad(`${r.score.toFixed(1)}%`, 7)} ${pad(r.detected, 7)} ${pad(r.undetected, 9)} ${pad(r.equivalent, 10)} ${r.ignored}${r.score < TARGET ? `  below ${TARGET}%` : ""}${r.stale ? "  (stale: changed since its run)" : ""}`,
  ),
];
const detected = rows.reduce((n, r) => n + r.detected, 0);
const undetected = rows.reduce((n, r) => n + r.undetected, 0);
lines.push(`${pad("all", 44)} ${(100 * detected / Math.max(1, detected + undetected)).toFixed(1)}%`);
writeFileSync(path.join(root, "reports/mutation/survivors.txt"), survivors.join("\n") + "\n");
console.log(lines.join("\n"));
console.log(`\n${survivors.length} surviving mutants (not message text): reports/mutation/survivors.txt; details: reports/mutation/mutation.html`);
const below = rows.filter((r) => r.score < TARGET);
if (below.length) console.log(`${below.length} module(s) below ${TARGET}%`);
process.exit(below.length ? 1 : 0);

function readReport(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

function readSource(file) {
  const full = path.join(root, file);
  return existsSync(full) ? readFileSync(full, "utf8") : null;
}

/** Adds to a report the modules and test files of an earlier one that this run did not cover (this run's own stay as they are). */
function keepEarlierModules(file, earlier) {
  const current = readReport(file);
  if (!earlier || !current) return;
  for (const section of ["files", "testFiles"]) {
    if (!earlier[section]) continue;
    current[section] = { ...earlier[section], ...current[section] };
  }
  writeFileSync(file, JSON.stringify(current));
}

/** [start, end) offsets of every message argument (MESSAGE_ARGUMENTS) in a source file. */
function messageArgumentRanges(fileName, source) {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const ranges = [];
  const visit = (node) => {
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
      const e = node.expression;
      const callee = ts.isIdentifier(e)
        ? e.text
        : ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) ? `${e.expression.text}.${e.name.text}` : null;
      const positions = callee && Object.hasOwn(MESSAGE_ARGUMENTS, callee) ? MESSAGE_ARGUMENTS[callee] : null;
      node.arguments.forEach((arg, i) => {
        if (positions === "all" || positions?.includes(i)) ranges.push([arg.getStart(sf), arg.getEnd()]);
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return ranges;
}
