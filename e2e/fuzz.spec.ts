// Issue 13, "No 5xx on any input": property-based fuzzing of every route and
// method of the running server (routes read from app/ at test time, the
// fast-path routes and the build's server actions), unauthenticated and with
// the owner API key. Each answer must be below 500 and in its endpoint's
// shape (e2e/fuzz/shapes.ts), and the server must still be healthy after
// each route. Fixed seed and a small budget in `npm test`; FUZZ_RUNS and
// FUZZ_SEED run it longer or elsewhere (docs/reference/testing.md).
import { readFileSync } from "node:fs";
import { expect, test, type TestInfo } from "@playwright/test";
import { PROTOCOL_PATHS } from "../lib/http/protocol-routes";
import { MAX_TARGET, authorization, body, fc, otherHeaders, query, wireValue, type Credentials } from "./fuzz/arbitraries";
import { describe as describeRequest, send, type FuzzRequest, type FuzzResponse } from "./fuzz/client";
import { discoverRoutes, dynamicSegments, serverActions, type Route } from "./fuzz/routes";
import { shapeProblem } from "./fuzz/shapes";
import { apiKeyFiles } from "./servers.mjs";

/** Requests per route (and per server-action page); the default keeps `npm test` near a minute per database. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** The seed every route's run derives from; a failure prints it with fast-check's path to replay. */
const SEED = Number(process.env.FUZZ_SEED ?? 13);

const discovered = discoverRoutes();
const routes = discovered.filter((r): r is Route => r.kind !== undefined);

/** Keys of the management API the launcher wrote for this project's server. */
function keysFor(testInfo: TestInfo) {
  const files = apiKeyFiles(testInfo.project.name);
  return { valid: readFileSync(files.active, "utf8").trim(), revoked: readFileSync(files.revoked, "utf8").trim() };
}

function baseUrlOf(testInfo: TestInfo): string {
  return testInfo.project.use.baseURL!;
}

/** A stable per-name seed, so one route's run does not change when another is added. */
function seedFor(name: string): number {
  let hash = SEED | 0;
  for (const c of name) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) | 0;
  return hash;
}

async function api(testInfo: TestInfo, method: string, path: string, json?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, baseUrlOf(testInfo)), {
    method,
    headers: { authorization: `Bearer ${keysFor(testInfo).valid}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.status === 204 ? null : res.json();
}

/** What the e2e data holds before the fuzzing: nothing of it may be touched with the valid key. */
interface Snapshot {
  roles: string[];
  scopes: string[];
  apps: string[];
  users: string[];
  settings: unknown;
  defaultRole: unknown;
}

async function snapshot(testInfo: TestInfo): Promise<Snapshot> {
  const names = async (path: string, field: string) => ((await api(testInfo, "GET", path)) as { data: Record<string, string>[] }).data.map((d) => d[field]!);
  return {
    roles: await names("/api/v1/roles", "name"),
    scopes: await names("/api/v1/scopes", "name"),
    apps: await names("/api/v1/connected-apps?limit=1000", "client_id"),
    users: await names("/api/v1/users?limit=1000", "id"),
    settings: await api(testInfo, "GET", "/api/v1/settings"),
    defaultRole: await api(testInfo, "GET", "/api/v1/default-role"),
  };
}

let before: Snapshot;
/** Every identifier that exists: a dynamic segment never names one (the valid key must not delete shared data). */
let existing: Set<string>;

test.beforeAll(async ({}, testInfo) => {
  before = await snapshot(testInfo);
  existing = new Set([...before.roles, ...before.scopes, ...before.apps, ...before.users]);
});

/** Settings-like resources a valid body would change for every other spec: with the valid key their bodies always carry an unknown field (the schemas are strict). */
const GUARDED = new Set(["/api/v1/settings", "/api/v1/default-role"]);
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function guardBody(bytes: Buffer | undefined): Buffer | undefined {
  if (!bytes) return bytes;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return bytes;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bytes;
  // Spliced in as text: re-serialising would lose the body's own bytes (and overflows on deep nesting).
  const open = bytes.indexOf("{");
  const empty = Object.keys(value).length === 0;
  return Buffer.concat([bytes.subarray(0, open + 1), Buffer.from(`"fuzz_guard":true${empty ? "" : ","}`), bytes.subarray(open + 1)]);
}

function decoded(wire: string): string {
  try {
    return decodeURIComponent(wire);
  } catch {
    return wire;
  }
}

/** A value for one dynamic segment, never an identifier that exists. */
const segment = () => wireValue.filter((v) => !existing.has(v) && !existing.has(decoded(v)) && v.length < 6000);

/** next-auth's catch-all: its real actions, with hostile tails. */
const NEXT_AUTH_ACTIONS = ["signin", "signout", "session", "csrf", "providers", "error", "callback/credentials", "signin/credentials", "verify-request", "_log"];
const nextAuthAction = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NEXT_AUTH_ACTIONS) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NEXT_AUTH_ACTIONS), segment()).map(([a, s]) => `${a}/${s}`) },
    { weight: 1, arbitrary: segment() },
  );

/** A segment that decodes to `.` or `..`: the path is normalised to another route (or none), whose shape the pattern's does not predict. */
const isDotSegment = (wire: string) => /^(\.|%2e){1,2}$/i.test(wire);

/** Whether the path's dynamic values leave it on the route it was made for. */
function staysOnRoute(path: string): boolean {
  return !path.split("?")[0]!.split("/").some(isDotSegment);
}

function pathFor(route: Route): fc.Arbitrary<string> {
  const parts = route.pattern.split("/").map((part) => {
    if (part === "[...nextauth]") return nextAuthAction();
    if (/^\[\.\.\..+\]$/.test(part)) return fc.array(segment(), { minLength: 1, maxLength: 3 }).map((s) => s.join("/"));
    if (/^\[.+\]$/.test(part)) return segment();
    return fc.constant(part);
  });
  return fc.tuple(...parts).map((p) => p.join("/") || "/");
}

const OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function requestFor(route: Route, keys: { valid: string; revoked: string }): fc.Arbitrary<FuzzRequest> {
  const methods = [...route.methods, ...(route.methods.includes("GET") && !route.methods.includes("HEAD") ? ["HEAD"] : [])];
  const unexported = OTHER_METHODS.filter((m) => !methods.includes(m));
  const method = unexported.length
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...methods) }, { weight: 1, arbitrary: fc.constantFrom(...unexported) })
    : fc.constantFrom(...methods);
  const credentials = fc.constantFrom<Credentials>("none", "valid", "valid", "revoked", "garbage");
  return fc
    .tuple(method, pathFor(route), query, credentials.chain((c) => authorization(c, keys).map((a) => [c, a] as const)), otherHeaders, body)
    .map(([m, path, q, [cred, auth], headers, payload]) => {
      const guarded = cred === "valid" && WRITES.has(m) && GUARDED.has(route.pattern);
      return {
        method: m,
        path: (path + q).slice(0, MAX_TARGET),
        headers: { ...headers, ...(auth === undefined ? {} : { authorization: auth }) },
        body: guarded ? guardBody(payload) : payload,
      };
    });
}

async function healthy(baseURL: string): Promise<boolean> {
  const res = await fetch(new URL("/api/health", baseURL)).catch(() => null);
  return res?.status === 200;
}

async function fuzz(name: string, testInfo: TestInfo, arbitrary: fc.Arbitrary<FuzzRequest>, check: (req: FuzzRequest, res: FuzzResponse) => string | null, runs: number) {
  const baseURL = baseUrlOf(testInfo);
  await fc.assert(
    fc.asyncProperty(arbitrary, async (req) => {
      const res = await send(baseURL, req);
      const problem = check(req, res);
      if (problem) throw new Error(`${problem}\n  request: ${describeRequest(req)}\n  answer: ${res.status} ${JSON.stringify(res.body.subarray(0, 400).toString("utf8"))}`);
    }),
    // Shrinking replays requests against a live server: a few hundred at most, then report what it has.
    { seed: seedFor(name), numRuns: runs, maxSkipsPerRun: 1000, interruptAfterTimeLimit: 600_000 },
  );
  expect(await healthy(baseURL), `the server stopped answering /api/health after fuzzing ${name}`).toBe(true);
}

test("every route under app/, every fast-path route and every server action's page is fuzzed", () => {
  const unclassified = discovered.filter((r) => r.kind === undefined).map((r) => r.pattern);
  expect(unclassified, "routes with no response shape in e2e/fuzz/routes.ts KIND_RULES").toEqual([]);
  expect(routes.filter((r) => !r.page && r.methods.length === 0).map((r) => r.file), "route files exporting no method the fuzzer recognises").toEqual([]);
  const patterns = routes.map((r) => r.pattern);
  for (const path of PROTOCOL_PATHS) expect(patterns, `fast-path route ${path}`).toContain(path);
  for (const action of serverActions()) expect(patterns, `page of server action ${action.name}`).toContain(action.pagePattern);
  // Sanity: the walk found the tree (a moved app/ would fuzz nothing and pass).
  expect(routes.length).toBeGreaterThan(40);
});

for (const route of routes) {
  test(`fuzz ${route.pattern} ${route.methods.join(",")}`, async ({}, testInfo) => {
    test.setTimeout(120_000 + RUNS * 2_000);
    // Handlers that parse ids, bodies and credentials get twice the requests of pages and documents.
    const parses = dynamicSegments(route.pattern).length > 0 || route.kind === "api" || route.kind === "oauth";
    const runs = parses ? RUNS * 2 : RUNS;
    const check = (req: FuzzRequest, res: FuzzResponse) => {
      const exported = route.methods.includes(req.method) || (req.method === "HEAD" && route.methods.includes("GET"));
      if (!staysOnRoute(req.path)) return res.status >= 500 ? `status ${res.status}` : null;
      return shapeProblem(route.kind, req.method, exported, res);
    };
    await fuzz(route.pattern, testInfo, requestFor(route, keysFor(testInfo)), check, runs);
  });
}

// Server actions are POSTs to their page with a Next-Action header: a foreign or missing Origin, an unknown id and a body that is not
// React's encoding must each be refused without a 500 (unauthenticated: the owner's session is never used here).
test("fuzz server actions", async ({}, testInfo) => {
  test.setTimeout(120_000 + RUNS * 8_000);
  const actions = serverActions();
  const byPattern = new Map(routes.map((r) => [r.pattern, r]));
  const arbitrary = fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...actions) }, { weight: 1, arbitrary: fc.constantFrom(...actions).map((a) => ({ ...a, id: "7f".repeat(21) })) }),
      fc.option(fc.constantFrom("https://evil.example", "null", new URL(baseUrlOf(testInfo)).origin), { nil: undefined }),
      fc.constantFrom("text/plain;charset=UTF-8", "multipart/form-data; boundary=----fuzz", "application/x-www-form-urlencoded", "application/json"),
      otherHeaders,
      fc.oneof(body, fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }).map((args) => Buffer.from(JSON.stringify(args)))),
      query,
    )
    .chain(([action, origin, type, headers, payload, q]) =>
      pathFor(byPattern.get(action.pagePattern)!).map((path) => ({
        method: "POST",
        path: (path + q).slice(0, MAX_TARGET),
        headers: { ...headers, "content-type": type, "next-action": action.id, accept: "text/x-component", ...(origin ? { origin } : {}) },
        body: payload,
      })),
    );
  await fuzz("server actions", testInfo, arbitrary, (_req, res) => (res.status >= 500 ? `status ${res.status}` : null), RUNS * 6);
});

// The valid key must leave the shared data as it found it: settings untouched, anything the fuzzer happened to create removed.
test.afterAll(async ({}, testInfo) => {
  const after = await snapshot(testInfo);
  for (const name of after.roles.filter((r) => !before.roles.includes(r))) await api(testInfo, "DELETE", `/api/v1/roles/${encodeURIComponent(name)}`);
  for (const name of after.scopes.filter((s) => !before.scopes.includes(s))) await api(testInfo, "DELETE", `/api/v1/scopes/${encodeURIComponent(name)}`);
  for (const id of after.apps.filter((a) => !before.apps.includes(a))) await api(testInfo, "DELETE", `/api/v1/connected-apps/${encodeURIComponent(id)}`);
  expect(after.settings).toEqual(before.settings);
  expect(after.defaultRole).toEqual(before.defaultRole);
});
