import { randomBytes } from "node:crypto";
import pg from "pg";
import { openMigratedDatabase, type Database } from "@/lib/db";
import type { DatabaseTarget } from "@/lib/db/open";

/**
 * The databases integration tests run against: always an in-memory PGlite,
 * and PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). Use with
 * `describe.each(testDatabases)`.
 */
export const testDatabases: { name: string; target: () => Promise<TestTarget> }[] = [
  { name: "pglite", target: async () => ({ target: { kind: "pglite" }, drop: async () => {} }) },
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

/** Opens and migrates a fresh test database; returns it with a cleanup function. */
export async function openTestDatabase(t: TestTarget): Promise<Database & { dispose(): Promise<void> }> {
  const db = await openMigratedDatabase(t.target, () => {});
  return Object.assign(db, {
    async dispose() {
      await db.close();
      await t.drop();
    },
  });
}
