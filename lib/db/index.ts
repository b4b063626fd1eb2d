import { getConfig, type Config } from "../config";
import { applyMigrations } from "./migrate";
import { readMigrations } from "./migrations";
import { openDatabase, type Database, type DatabaseTarget } from "./open";

export type { Database } from "./open";

/** Where the configured database lives: PostgreSQL if DATABASE_URL is set, else PGlite in DATA_DIR. */
export function databaseTarget(config: Config): DatabaseTarget {
  return config.databaseUrl
    ? { kind: "postgres", url: config.databaseUrl }
    : { kind: "pglite", dataDir: config.dataDir };
}

/** Opens a database and applies pending migrations. */
export async function openMigratedDatabase(
  target: DatabaseTarget,
  log: (message: string) => void = (m) => console.log(m),
): Promise<Database> {
  const db = await openDatabase(target);
  try {
    const migrations = await readMigrations();
    await db.withSession((session) => applyMigrations(session, migrations, log));
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

// One database per process, held on globalThis: `next dev` re-evaluates
// modules per route and on reload, and a second PGlite on the same folder
// would corrupt it.
const KEY = Symbol.for("connected-apps.database");
type Holder = { [KEY]?: Promise<Database> };

/** The process's database, opened and migrated on first use. A failed open is retried on the next call. */
export function getDb(): Promise<Database> {
  const holder = globalThis as Holder;
  holder[KEY] ??= openMigratedDatabase(databaseTarget(getConfig())).catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}

/** The Prisma client of the process's database. */
export async function getPrisma(): Promise<Database["prisma"]> {
  return (await getDb()).prisma;
}
