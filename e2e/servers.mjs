// Shared by the e2e server launcher (serve.mjs), playwright.config.ts and the tests.
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Port of the main e2e server; the fresh (owner-less) one listens on the next port. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

/** The owner the main server bootstraps from OWNER_EMAIL / OWNER_PASSWORD. */
export const OWNER = { email: "owner@e2e.test", password: "owner-password-e2e" };

/** End users (members) seeded on the main and PostgreSQL servers, for the OAuth flows. */
export const END_USERS = [
  { email: "alice@e2e.test", password: "alice-password-e2e", name: "Alice Example" },
  { email: "bob@e2e.test", password: "bob-password-e2e", name: "Bob Example" },
];

/** Where the fresh server's output (with its setup URL) goes. */
export const FRESH_SERVER_LOG = path.join(root, ".test-output", `e2e-fresh-server-${E2E_PORT}.log`);

/**
 * With TEST_DATABASE_URL set, a third server runs on PostgreSQL (schema
 * `e2e`, recreated each run) on E2E_PORT + 2, and the management-API tests
 * run against it too (Playwright project "postgres").
 */
export const PG_TEST_URL = process.env.TEST_DATABASE_URL || undefined;
export const PG_PORT = E2E_PORT + 2;
export const PG_SCHEMA = `e2e_${E2E_PORT}`;

/** TEST_DATABASE_URL with every table in `schema`. */
export function pgSchemaUrl(schema) {
  const url = new URL(PG_TEST_URL);
  url.searchParams.set("schema", schema);
  return url.href;
}

/**
 * Owner API keys the launcher creates in a server's database before starting
 * it (the management API has no HTTP way to mint one): an active one ("e2e")
 * and one already revoked ("e2e-revoked"), per Playwright project.
 */
export function apiKeyFiles(project) {
  const dir = path.join(root, ".test-output");
  // Named by port too, so runs on different E2E_PORTs do not overwrite each other's keys.
  return {
    active: path.join(dir, `e2e-api-key-${project}-${E2E_PORT}.txt`),
    revoked: path.join(dir, `e2e-api-key-revoked-${project}-${E2E_PORT}.txt`),
  };
}

export function e2eDataDir(port) {
  return path.join(root, ".test-output", `e2e-data-${port}`);
}

/**
 * With TEST_DATABASE_URL, two more servers ("instances" A and B) share one
 * PostgreSQL schema (`e2e_multi_<E2E_PORT>`, recreated each run) behind a
 * round-robin proxy on 127.0.0.1 (e2e/proxy.mjs), for the multi-instance
 * suite (Playwright project "instances"). Both have the proxy's URL as their
 * issuer and the same AUTH_SECRET; A serves the protocol endpoints through
 * the fast path, B through Next.
 */
export const PROXY_PORT = E2E_PORT + 3;
export const INSTANCE_PORTS = /** @type {const} */ ([E2E_PORT + 4, E2E_PORT + 5]);
export const INSTANCES_SCHEMA = `e2e_multi_${E2E_PORT}`;
export const INSTANCES_ISSUER = `http://127.0.0.1:${PROXY_PORT}`;
/** Response header the proxy adds: the port of the instance that answered, so tests can see the spread. */
export const UPSTREAM_HEADER = "x-e2e-upstream";

/** Small DCR limit for the instances, so the suite can reach it: new clients per source per window. */
export const INSTANCES_DCR_LIMIT = 3;
export const INSTANCES_DCR_WINDOW_SECONDS = 3600;

/**
 * What the instances share (and the admin CLI needs to reach their
 * database): one schema, the issuer, the secret, TRUST_PROXY (the proxy
 * overwrites X-Forwarded-For with the peer's address) and the DCR limit.
 * Undefined without TEST_DATABASE_URL.
 */
export function instancesEnv() {
  if (!PG_TEST_URL) return undefined;
  return {
    DATABASE_URL: pgSchemaUrl(INSTANCES_SCHEMA),
    ISSUER: INSTANCES_ISSUER,
    AUTH_SECRET: "e2e-instances-secret-e2e-instances-secret",
    TRUST_PROXY: "1",
    DCR_RATE_LIMIT: String(INSTANCES_DCR_LIMIT),
    DCR_RATE_LIMIT_WINDOW_SECONDS: String(INSTANCES_DCR_WINDOW_SECONDS),
  };
}

/**
 * Sign-in connections (e2e/sign-in-connections.spec.ts): a second server of
 * this project on 127.0.0.1 (its own PGlite) is the upstream OpenID Connect
 * provider of the main server, which has two connections to it (seeded by
 * e2e/connections/seed.ts): one project-level, one app-level for a seeded
 * first-party app. The upstream's users sign in there with a password.
 */
export const CONNECTIONS_E2E = {
  upstreamPort: E2E_PORT + 6,
  upstreamIssuer: `http://127.0.0.1:${E2E_PORT + 6}`,
  mainIssuer: `http://localhost:${E2E_PORT}`,
  slugs: { project: "upstream", app: "upstream-app" },
  users: [
    { email: "carol@upstream.test", password: "carol-password-e2e", name: "Carol Upstream" },
    { email: "dave@upstream.test", password: "dave-password-e2e", name: "Dave Upstream" },
  ],
  /** What the seeding made: the first-party app on the main server. */
  file: path.join(root, ".test-output", `e2e-connections-${E2E_PORT}.json`),
  log: path.join(root, ".test-output", `e2e-upstream-server-${E2E_PORT}.log`),
};

/**
 * The SMTP listener e2e/account.spec.ts starts on 127.0.0.1 to receive the
 * main server's forgot-password mail (SMTP_URL of the main server). Mail sent
 * while no test listens fails and is logged; nothing waits for it.
 */
export const SMTP_E2E_PORT = E2E_PORT + 12;

/** What e2e/playground/seed.ts made on the main server (a confidential app with the playground's callback), for e2e/playground.spec.ts. */
export const PLAYGROUND_E2E_FILE = path.join(root, ".test-output", `e2e-playground-${E2E_PORT}.json`);
