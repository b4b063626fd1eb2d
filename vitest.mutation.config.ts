import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:mutation`: the suites that exercise the mutated modules
// (lib/oauth, lib/clients, the protocol store in lib/db, signing keys,
// authorized apps, custom-scope consent, the management and current-user
// APIs, examples).
// The others (migrations, admin CLI, data-folder lock) cannot kill a protocol
// mutant and would only slow every run. (mergeConfig would append to include.)
export default defineConfig({
  ...base,
  test: { ...base.test, include: [
      "lib/oauth/**/*.test.ts",
      "lib/clients/**/*.test.ts",
      "lib/connections/**/*.test.ts",
      "lib/api/**/*.test.ts",
      "lib/db/change-feed.test.ts",
      "lib/db/oauth-store.test.ts",
      "lib/db/device-store.test.ts",
      "lib/keys/**/*.test.ts",
      "lib/grants/**/*.test.ts",
      "lib/rbac/**/*.test.ts",
      // Activity counts and audit events are written from the protocol core (token endpoint, consent, device approval).
      "lib/activity/**/*.test.ts",
      "lib/audit-log/**/*.test.ts",
      "lib/db/sql-literal.test.ts",
      // The environment's bounds on pending requests (lib/oauth/authorize/pending-limits.ts) are parsed there.
      "lib/config.test.ts",
      "tests/**/*.test.ts",
    ], },
});
