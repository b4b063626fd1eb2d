// StrykerJS: mutation testing of the protocol core and the security modules
// of lib/clients against the unit and integration suites (`npm run test:mutation`).
// Slow (tens of minutes on two cores): not part of CI. See docs/reference/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  // Static mutants (module-level tables: the policy table, address ranges) would each rerun every test;
  // table-driven tests check those rows instead (docs/reference/testing.md).
  ignoreStatic: true,
  coverageAnalysis: "perTest",
  mutate: [
    "lib/oauth/**/*.ts",
    "lib/clients/secrets.ts",
    "lib/clients/redirect-uris.ts",
    "lib/clients/cimd-fetch.ts",
    "lib/clients/cimd-address.ts",
    "lib/clients/policy.ts",
    "lib/clients/client-jwks.ts",
    "lib/clients/remote-jwks.ts",
    // Protocol code that lives outside lib/oauth because it is not on a protocol path.
    "lib/keys/signing-keys.ts",
    "lib/grants/authorized-apps.ts",
    // The protocol store's SQL and its PGlite statements.
    "lib/db/oauth-store.ts",
    "lib/db/interaction-store.ts",
    "lib/db/device-store.ts",
    "lib/db/family-sql.ts",
    "lib/db/merge-grant.ts",
    "lib/db/sql-literal.ts",
    "lib/db/change-feed.ts",
    // Sign-in connections: the upstream round trip, ID token checks, users from connections, the visibility rule.
    "lib/connections/**/*.ts",
    "!**/*.test.ts",
  ],
  ignorePatterns: [".next", ".data", ".test-output", "test-results", "playwright-report", "e2e", "reports", ".stryker-tmp"],
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  concurrency: 2,
  timeoutMS: 30000,
  // The first full run of the suites (to learn which tests cover what) takes minutes on a busy 2-core machine.
  dryRunTimeoutMinutes: 60,
  // Later runs retest only the mutants whose code or covering tests changed (`--force` for all).
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};

export default config;
