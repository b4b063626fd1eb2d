import type { Migration } from "./migrations";
import type { SqlSession } from "./sql";

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Where applied migrations are recorded (in the connection's current schema). */
export const MIGRATIONS_TABLE = "schema_migrations";

// Session-level advisory lock: a second instance starting at the same time
// waits here until the first has finished, then finds nothing left to do.
const LOCK = `hashtext('connected-apps.migrations')`;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in name order, each inside its own transaction
 * together with its row in the migrations table, so a migration is applied
 * exactly once or not at all. Refuses to run if an applied migration's SQL was
 * edited afterwards.
 */
export async function applyMigrations(
  session: SqlSession,
  migrations: readonly Migration[],
  log: (message: string) => void = () => {},
): Promise<MigrationResult> {
  await session.exec(`SELECT pg_advisory_lock(${LOCK})`);
  try {
    await session.exec(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
         name text PRIMARY KEY,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows = await session.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM ${MIGRATIONS_TABLE}`,
    );
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));

    const pending: Migration[] = [];
    // Names start with a timestamp: name order is the order they were written.
    for (const migration of [...migrations].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const checksum = applied.get(migration.name);
      if (checksum === undefined) pending.push(migration);
      else if (checksum !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was changed after it was applied; add a new migration instead of editing it`,
        );
      }
    }

    for (const migration of pending) {
      await session.exec("BEGIN");
      try {
        await session.exec(migration.sql);
        await session.query(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum) VALUES ($1, $2)`, [
          migration.name,
          migration.checksum,
        ]);
        await session.exec("COMMIT");
      } catch (error) {
        await session.exec("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      log(`applied migration ${migration.name}`);
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size };
  } finally {
    await session.exec(`SELECT pg_advisory_unlock(${LOCK})`);
  }
}
