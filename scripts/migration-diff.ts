import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
export const MIGRATIONS_DIR = path.join(root, "prisma", "migrations");

/**
 * The SQL that brings a database built from the committed migrations to
 * prisma/schema.prisma, or "" when they already agree. Offline: Prisma's JS
 * schema engine replays the migrations into an in-memory PGlite shadow
 * database (see prisma.config.ts); the engine-binary variables keep the CLI
 * from trying to download anything.
 */
export async function diffSchemaAgainstMigrations(): Promise<string> {
  const hasMigrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).some((e) => e.isDirectory());
  const from = hasMigrations ? ["--from-migrations", MIGRATIONS_DIR] : ["--from-empty"];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(root, "node_modules", "prisma", "build", "index.js"),
      "migrate",
      "diff",
      ...from,
      "--to-schema-datamodel",
      path.join(root, "prisma", "schema.prisma"),
      "--script",
    ],
    {
      cwd: root,
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false" },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout.includes("-- This is an empty migration.") ? "" : stdout.trim();
}
