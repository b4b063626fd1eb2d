import { chromium } from "@playwright/test";
import { existsSync } from "node:fs";

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/**
 * The browser for the e2e suite: CHROMIUM_PATH if set, else Playwright's own
 * Chromium if it is installed, else a system Chromium. `undefined` means
 * "Playwright's own"; no browser at all is a clear error, not a skip.
 */
export function findChromium(): string | undefined {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist`);
    return explicit;
  }
  if (existsSync(chromium.executablePath())) return undefined;
  const system = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  if (system) return system;
  throw new Error(
    "No Chromium found for the e2e tests. Install one of: Playwright's browser (`npx playwright install chromium`), " +
      "a system Chromium (Debian/Ubuntu: `apt-get install chromium`), or set CHROMIUM_PATH to a Chromium binary.",
  );
}

/** Flags for a system Chromium in a sandboxed, offline CI container. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];
