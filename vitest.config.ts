import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    // Integration tests open PGlite (a wasm Postgres) and PostgreSQL pools.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
