import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./e2e/chromium";
import { E2E_PORT, INSTANCES_ISSUER, PG_PORT, PG_TEST_URL } from "./e2e/servers.mjs";

const baseURL = `http://localhost:${E2E_PORT}`;
const executablePath = findChromium();

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: "list",
  outputDir: ".test-output/playwright",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) },
  },
  projects: [
    { name: "chromium", testIgnore: /instances\.spec\.ts/ },
    // The management API, the protocol suites and the fuzz suite once more, against a server on PostgreSQL (CI sets TEST_DATABASE_URL).
    ...(PG_TEST_URL
      ? [{ name: "postgres", testMatch: /(management-api|discovery|rbac-api|fuzz|oauth-[a-z-]+)\.spec\.ts/, use: { baseURL: `http://localhost:${PG_PORT}` } }]
      : []),
    // Two servers on one PostgreSQL behind a round-robin proxy (e2e/serve.mjs); without TEST_DATABASE_URL its tests skip, saying why.
    { name: "instances", testMatch: /instances\.spec\.ts/, use: { baseURL: INSTANCES_ISSUER } },
  ],
  webServer: {
    // Builds if needed, then starts the main server and an owner-less one (see e2e/serve.mjs).
    command: "node e2e/serve.mjs",
    url: `${baseURL}/api/health`,
    // A cold build takes minutes on two busy cores.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
