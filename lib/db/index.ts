import { getConfig, type Config } from "../config";
import { applyMigrations } from "./migrate";
import { readMigrations } from "./migrations";
import { openDatabase, type Database, type DatabaseTarget } from "./open";

export type { Database } from "./open";

/**
 * Where the configured database lives: PostgreSQL if DATABASE_URL is set, else
 * PGlite in DATA_DIR. A `?schema=name` parameter (Prisma's convention) puts
 * every table in that schema; it is taken out of the URL given to the driver.
 */
export function databaseTarget(config: Config): DatabaseTarget {
  if (!config.databaseUrl) return { kind: "pglite", dataDir: config.dataDir };
  const url = new URL(config.databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return { kind: "postgres", url: url.href, ...(schema ? { schema } : {}) };
}

/** Opens a database and applies pending migrations. */
export async function openMigratedDatabase(
  target: DatabaseTarget,
  log: (message: string) => void = (m) => console.log(m),
): Promise<Database> {
  const db = await openDatabase(target);
  try {
    if (target.kind === "postgres" && target.schema) await createSchema(db, target.schema);
    const migrations = await readMigrations();
    await db.withSession((session) => applyMigrations(session, migrations, log));
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

async function createSchema(db: Database, schema: string): Promise<void> {
  try {
    await db.withSession((s) => s.exec(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`));
  } catch (error) {
    // Two instances creating it at the same moment: one wins, which is all we need.
    if ((error as { code?: string }).code !== "23505") throw error;
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
