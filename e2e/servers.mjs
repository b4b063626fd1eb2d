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
