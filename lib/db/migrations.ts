import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** One committed migration folder in Prisma's layout: `<name>/migration.sql`. */
export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of the SQL, to detect a migration edited after it was applied. */
  checksum: string;
}

/** Default location of the committed migrations, relative to the project root. */
export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

/** Reads the migration folders in name (= timestamp) order. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  // The folder is read at run time from the project root, not bundled.
  const entries = await readdir(/* turbopackIgnore: true */ dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/* turbopackIgnore: true */ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}
