import { oauthContextFor } from "@/lib/oauth-context";
import type { OAuthContext } from "@/lib/oauth/context";
import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openMigratedDatabase, type Database } from "@/lib/db";
import { readMigrations } from "@/lib/db/migrations";
import type { DatabaseTarget } from "@/lib/db/open";

/**
 * The databases integration tests run against: always an in-memory PGlite,
 * and PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). Use with
 * `describe.each(testDatabases)`.
 */
export const testDatabases: { name: string; target: (options?: { empty?: boolean }) => Promise<TestTarget> }[] = [
  {
    name: "pglite",
    // Migrated already unless `empty` (the migration runner's own tests).
    target: async ({ empty = false } = {}) => ({
      target: { kind: "pglite", ...(empty ? {} : { snapshot: await migratedPGlite() }) },
      drop: async () => {},
    }),
  },
  ...(process.env.TEST_DATABASE_URL
    ? [{ name: "postgres", target: () => freshPostgresSchema(process.env.TEST_DATABASE_URL!) }]
    : []),
];

export interface TestTarget {
  target: DatabaseTarget;
  /** Removes what the test created (the PostgreSQL schema). */
  drop(): Promise<void>;
}

/** A new, empty schema in the test PostgreSQL database, so tests never see each other's rows. */
async function freshPostgresSchema(url: string): Promise<TestTarget> {
  const schema = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  return {
    target: { kind: "postgres", url, schema },
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/**
 * A freshly migrated PGlite data directory, made once and kept in the system
 * temporary folder under a name derived from the migrations, so test files
 * (each in its own process) load it instead of creating and migrating a
 * database each: an edited or new migration gets a new snapshot. The
 * migration runner still runs on it and finds nothing to apply.
 */
async function migratedPGlite(): Promise<Blob> {
  const migrations = await readMigrations();
  const { version } = JSON.parse(await readFile(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string };
  const key = createHash("sha256").update(version).update(JSON.stringify(migrations.map((m) => [m.name, m.checksum]))).digest("hex");
  const file = path.join(tmpdir(), `connected-apps-test-pglite-${key.slice(0, 16)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // Not made yet: make it. Processes racing here each write their own file and rename it into place.
  }
  const db = await openMigratedDatabase({ kind: "pglite" }, () => {});
  const snapshot = await db.dumpDataDir!();
  await db.close();
  const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(partial, Buffer.from(await snapshot.arrayBuffer()));
  await rename(partial, file);
  return snapshot;
}

/** Opens and migrates a fresh test database; returns it with a cleanup function. */
export type TestDatabase = Database & {
  /** The OAuth context of this database, issuer TEST_ISSUER. */
  oauth: OAuthContext;
  dispose(): Promise<void>;
};

/** The issuer of test databases' OAuth contexts. */
export const TEST_ISSUER = "https://id.example.com";

export async function openTestDatabase(t: TestTarget): Promise<TestDatabase> {
  const db = await openMigratedDatabase(t.target, () => {});
  return Object.assign(db, {
    oauth: oauthContextFor(db, TEST_ISSUER),
    async dispose() {
      await db.close();
      await t.drop();
    },
  });
}
