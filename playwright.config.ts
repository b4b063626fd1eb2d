import { defineConfig } from "@playwright/test";
import path from "node:path";
import { CHROMIUM_ARGS, findChromium } from "./e2e/chromium";
import { E2E_OWNER } from "./e2e/fixtures";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
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
    launchOptions: executablePath ? { executablePath, args: CHROMIUM_ARGS } : { args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    command: "node e2e/serve.mjs",
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      ISSUER: baseURL,
      DATA_DIR: path.resolve(".test-output/e2e-data"),
      OWNER_EMAIL: E2E_OWNER.email,
      OWNER_PASSWORD: E2E_OWNER.password,
      DATABASE_URL: "",
      AUTH_SECRET: "",
    },
  },
});
