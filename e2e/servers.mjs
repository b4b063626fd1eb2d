// Shared by the e2e server launcher (serve.mjs), playwright.config.ts and the tests.
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Port of the main e2e server; the fresh (owner-less) one listens on the next port. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

/** The owner the main server bootstraps from OWNER_EMAIL / OWNER_PASSWORD. */
export const OWNER = { email: "owner@e2e.test", password: "owner-password-e2e" };

/** Where the fresh server's output (with its setup URL) goes. */
export const FRESH_SERVER_LOG = path.join(root, ".test-output", "e2e-fresh-server.log");

/**
 * Owner API keys the launcher creates on the main server's database before
 * starting it (the management API has no HTTP way to mint one): an active
 * one, and one already revoked (named "e2e" and "e2e-revoked").
 */
export const E2E_API_KEY_FILE = path.join(root, ".test-output", "e2e-api-key.txt");
export const E2E_REVOKED_API_KEY_FILE = path.join(root, ".test-output", "e2e-api-key-revoked.txt");

export function e2eDataDir(port) {
  return path.join(root, ".test-output", `e2e-data-${port}`);
}
