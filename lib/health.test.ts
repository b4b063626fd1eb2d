import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "./db";

// checkHealth uses the process-wide database (getDb) and configuration
// (getConfig), both created on first use. Each test sets the environment,
// then loads fresh modules and clears the global database holder, so this
// file (its own process under the forks pool) never touches the project's
// real data folder.
const HOLDER = Symbol.for("connected-apps.database");
const holder = globalThis as { [HOLDER]?: Promise<Database> };

async function closeGlobalDatabase() {
  const pending = holder[HOLDER];
  delete holder[HOLDER];
  await pending?.then((db) => db.close()).catch(() => {});
}

async function freshCheckHealth(env: Record<string, string | undefined>) {
  await closeGlobalDatabase();
  for (const name of ["DATABASE_URL", "DATA_DIR", "AUTH_SECRET", "ISSUER", "OWNER_EMAIL", "OWNER_PASSWORD"]) {
    vi.stubEnv(name, env[name]);
  }
  vi.resetModules();
  const { checkHealth } = await import("./health");
  const { getDb } = await import("./db");
  return { checkHealth, getDb };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "health-test-"));

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await closeGlobalDatabase();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("checkHealth", () => {
  it("reports ok with the embedded database", async () => {
    const { checkHealth, getDb } = await freshCheckHealth({ DATA_DIR: dataDir });
    // Start-up opens (creates, migrates) the database before serving; a cold
    // first open of an on-disk PGlite can take longer than the check's timeout.
    await getDb();
    const health = await checkHealth();
    expect(health).toEqual({
      status: "ok",
      database: { status: "ok", kind: "pglite", latencyMs: expect.any(Number) },
    });
    expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);
    // The database it checked is the configured one.
    expect((await holder[HOLDER])?.kind).toBe("pglite");
  });

  it("reports an unreachable database as an error without leaking the reason, and never throws", async () => {
    const { checkHealth } = await freshCheckHealth({
      DATABASE_URL: "postgres://nobody:secret-password@127.0.0.1:1/nothing",
      AUTH_SECRET: "x".repeat(32),
    });
    const health = await checkHealth();
    expect(health).toEqual({ status: "error", database: { status: "error", error: "database unavailable" } });
    expect(JSON.stringify(health)).not.toContain("secret-password");
    expect(JSON.stringify(health)).not.toContain("127.0.0.1");
    // The reason goes to the server log instead.
    expect(console.error).toHaveBeenCalled();
  });

  it("recovers once the database is reachable (a failed open is retried)", async () => {
    const failing = await freshCheckHealth({
      DATABASE_URL: "postgres://nobody:pw@127.0.0.1:1/nothing",
      AUTH_SECRET: "x".repeat(32),
    });
    expect((await failing.checkHealth()).status).toBe("error");
    expect(holder[HOLDER]).toBeUndefined();

    const working = await freshCheckHealth({ DATA_DIR: dataDir });
    await working.getDb();
    expect((await working.checkHealth()).status).toBe("ok");
  });
});
