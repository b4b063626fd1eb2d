import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto/tokens";
import { openMigratedDatabase } from "@/lib/db";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "admin-cli-test-"));

/** Runs `npm run admin -- …` the way an operator would: a real process on a real data folder. */
async function admin(args: string[], stdin?: string) {
  const child = execFile(
    process.execPath,
    [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "scripts", "admin.ts"), ...args],
    { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", AUTH_SECRET: "", OWNER_EMAIL: "", OWNER_PASSWORD: "" } },
  );
  if (stdin !== undefined) child.stdin!.end(stdin);
  const [stdout, stderr, code] = await new Promise<[string, string, number | null]>((resolve) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    child.on("close", (c) => resolve([out, err, c]));
  });
  return { stdout, stderr, code };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm run admin", () => {
  it("seeds a fresh instance: owner (password from stdin), API key printed once and stored hashed", async () => {
    const owner = await admin(["create-owner", "--email", "ops@example.com", "--password-stdin"], "stdin-password-1\n");
    expect(owner).toMatchObject({ code: 0, stdout: expect.stringContaining("owner ops@example.com") });

    const created = await admin(["create-api-key", "--name", "ci"]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim().split("\n").at(-1)!;
    expect(key).toMatch(/^ca_key_[\w-]{43}$/);

    const db = await openMigratedDatabase({ kind: "pglite", dataDir }, () => {});
    try {
      const rows = await db.prisma.apiKey.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.keyHash).toBe(hashToken(key));
      expect(JSON.stringify(rows)).not.toContain(key);
      const user = await db.prisma.user.findUniqueOrThrow({ where: { email: "ops@example.com" } });
      expect(user.role).toBe("owner");
      expect(user.passwordHash).not.toContain("stdin-password-1");
    } finally {
      await db.close();
    }
  });

  it("creates a role and gives it to a user by email", async () => {
    expect(await admin(["create-user", "--email", "clerk@example.com", "--password", "clerk-password-1"])).toMatchObject({ code: 0 });
    const role = await admin(["create-role", "--name", "accountant", "--permissions", "invoices.read,invoices.pay"]);
    expect(role).toMatchObject({ code: 0, stdout: "role accountant created (permissions: invoices.read, invoices.pay)\n" });
    const assigned = await admin(["assign-role", "--email", "clerk@example.com", "--role", "accountant"]);
    expect(assigned).toMatchObject({ code: 0, stdout: "clerk@example.com holds the role accountant\n" });
    const missing = await admin(["unassign-role", "--email", "clerk@example.com", "--role", "ghost"]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("No role named ghost") });
  });

  it("exits non-zero with a readable message on bad input", async () => {
    const short = await admin(["create-user", "--email", "x@example.com", "--password", "short"]);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("Password must be at least 8 characters");
    const unknown = await admin(["create-user", "--emial", "x@example.com"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--emial");
    const usage = await admin([]);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toContain("usage: npm run admin");
  });
});
