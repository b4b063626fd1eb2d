import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import path from "node:path";
import { lockDataDir } from "./data-dir-lock";
import { PrismaClient } from "./generated/client.ts";
import type { SqlSession } from "./sql";

/** An open database: the Prisma client plus raw sessions for the migration runner. */
export interface Database {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  /** Runs fn on one dedicated connection (session-level locks hold across its calls). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball (tests reuse a migrated one, see `snapshot`). */
  dumpDataDir?(): Promise<Blob>;
}

export type DatabaseTarget =
  /** PostgreSQL; `schema` puts every table in that schema (tests use one schema each). */
  | { kind: "postgres"; url: string; schema?: string; maxConnections?: number }
  /**
   * PGlite in `dataDir`, or in memory when dataDir is undefined; an in-memory
   * one may start from `snapshot`, a dumped data directory (tests: a migrated
   * database in a fraction of the time of creating and migrating one).
   */
  | { kind: "pglite"; dataDir?: string; snapshot?: Blob };

/** Opens a database without migrating it. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === "postgres" ? openPostgres(target) : openPGlite(target.dataDir, target.snapshot);
}

function openPostgres(target: { url: string; schema?: string; maxConnections?: number }): Database {
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.maxConnections ?? 10,
    // Fail fast (health 503, start-up error) instead of hanging on an unreachable server.
    connectionTimeoutMillis: 5_000,
    ...(target.schema ? { options: `-c search_path=${quoteIdent(target.schema)}` } : {}),
  });
  // An idle connection dropped by the server must not crash the process.
  pool.on("error", (error) => console.error("postgres pool error:", error.message));
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, target.schema ? { schema: target.schema } : undefined),
  });
  return {
    kind: "postgres",
    prisma,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params)).rows,
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPGlite(dataDir: string | undefined, snapshot: Blob | undefined): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite;
  try {
    db = dataDir
      ? await PGlite.create(path.join(/* turbopackIgnore: true */ dataDir, "pglite"))
      : await PGlite.create(snapshot ? { loadDataDir: snapshot } : {});
  } catch (error) {
    release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  // PGlite is a single connection, so every session is that connection.
  const session: SqlSession = {
    exec: async (sql) => void (await db.exec(sql)),
    query: async (sql, params) => (await db.query<never>(sql, params)).rows,
  };
  return {
    kind: "pglite",
    prisma,
    withSession: (fn) => fn(session),
    async close() {
      await prisma.$disconnect();
      await db.close();
      release();
    },
    dumpDataDir: () => db.dumpDataDir("none"),
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
