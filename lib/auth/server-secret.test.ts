import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../config";
import { loadServerSecret } from "./server-secret";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "server-secret-test-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("loadServerSecret", () => {
  it("returns AUTH_SECRET when set, and writes no file", () => {
    const secret = "an explicit secret of at least 32 characters";
    const config = parseConfig({ AUTH_SECRET: secret, DATA_DIR: dir });
    expect(loadServerSecret(config)).toBe(secret);
    expect(existsSync(path.join(dir, "server-secret"))).toBe(false);
  });

  it("prefers AUTH_SECRET over a generated secret already on disk", () => {
    const generated = loadServerSecret(parseConfig({ DATA_DIR: dir }));
    const secret = "x".repeat(40);
    expect(loadServerSecret(parseConfig({ AUTH_SECRET: secret, DATA_DIR: dir }))).toBe(secret);
    expect(secret).not.toBe(generated);
  });

  it("without AUTH_SECRET generates a strong secret in DATA_DIR/server-secret, mode 0600", () => {
    const dataDir = path.join(dir, "nested", "data"); // created on demand
    const secret = loadServerSecret(parseConfig({ DATA_DIR: dataDir }));
    expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(secret, "base64url").length).toBeGreaterThanOrEqual(32);

    const file = path.join(dataDir, "server-secret");
    expect(readFileSync(file, "utf8")).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("returns the same secret on every later call, also after a restart", async () => {
    const config = parseConfig({ DATA_DIR: dir });
    const first = loadServerSecret(config);
    expect(loadServerSecret(config)).toBe(first);

    // A "restart": a fresh copy of the module and a freshly parsed config.
    vi.resetModules();
    const reloaded = await import("./server-secret");
    const { parseConfig: reparse } = await import("../config");
    expect(reloaded.loadServerSecret(reparse({ DATA_DIR: dir }))).toBe(first);
  });

  it("generates a different secret per data folder", () => {
    const other = mkdtempSync(path.join(os.tmpdir(), "server-secret-test-"));
    try {
      const a = loadServerSecret(parseConfig({ DATA_DIR: dir }));
      const b = loadServerSecret(parseConfig({ DATA_DIR: other }));
      expect(a).not.toBe(b);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("uses an existing secret file (ignoring surrounding whitespace)", () => {
    writeFileSync(path.join(dir, "server-secret"), "secret-written-by-another-instance\n", { mode: 0o600 });
    expect(loadServerSecret(parseConfig({ DATA_DIR: dir }))).toBe("secret-written-by-another-instance");
  });
});
