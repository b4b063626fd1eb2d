import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import path from "node:path";
import { lockDataDir } from "./data-dir-lock";
import { PrismaClient } from "./generated/client.ts";
import type { SqlClient, SqlSession } from "./sql";
import { sqlLiteral } from "./sql-literal";

/** An open database: the Prisma client plus raw sessions for the migration runner. */
export interface Database {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  /** Raw statements for the protocol's hot path (lib/db/oauth-store). */
  sql: SqlClient;
  /**
   * LISTENs on `channel` (PostgreSQL NOTIFY): `onMessage` gets each payload,
   * `onLive` whether notifications are arriving (a dropped connection is
   * retried; nothing is announced meanwhile). Stopped by close().
   */
  listen(channel: string, onMessage: (payload: string) => void, onLive: (live: boolean) => void): void;
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
  const listeners: { stop(): Promise<void> }[] = [];
  return {
    kind: "postgres",
    prisma,
    listen(channel, onMessage, onLive) {
      listeners.push(listenPostgres(target, channel, onMessage, onLive));
    },
    sql: {
      query: async (statement, values) => (await pool.query({ name: statement.name, text: statement.text, values: values as unknown[] })).rows,
    },
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
      await Promise.all(listeners.map((l) => l.stop()));
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
  const unlisten: (() => Promise<void>)[] = [];
  return {
    kind: "pglite",
    prisma,
    listen(channel, onMessage, onLive) {
      // One process, one connection: notifications cannot be missed once listening.
      void db.listen(channel, onMessage).then((stop) => {
        unlisten.push(stop);
        onLive(true);
      });
    },
    sql: preparedStatements(db),
    withSession: (fn) => fn(session),
    async close() {
      for (const stop of unlisten) await stop().catch(() => {});
      await prisma.$disconnect();
      await db.close();
      release();
    },
    dumpDataDir: () => db.dumpDataDir("none"),
  };
}

/**
 * Named statements on PGlite: PREPAREd once, then EXECUTEd with the values
 * as literals. PGlite parses and plans every parameterised query afresh (in
 * WebAssembly, ~2 ms of CPU for one of the token path's statements);
 * EXECUTE of a prepared one costs about a third of that. Its extended
 * protocol cannot bind parameters to EXECUTE, hence the literals
 * (sqlLiteral; the open checks standard_conforming_strings). PGlite
 * queues every call behind an open transaction, Prisma's included.
 */
function preparedStatements(db: PGlite): SqlClient {
  // The promise, not a flag: concurrent first calls must not PREPARE twice.
  const prepared = new Map<string, Promise<unknown>>();
  let checked: Promise<void> | undefined;
  return {
    async query(statement, values) {
      checked ??= db.query<{ standard_conforming_strings: string }>("SHOW standard_conforming_strings").then(({ rows }) => {
        if (rows[0]?.standard_conforming_strings !== "on") throw new Error("standard_conforming_strings must be on");
      });
      await checked;
      if (!/^[a-z_][a-z0-9_]*$/.test(statement.name)) throw new Error(`bad statement name ${statement.name}`);
      let ready = prepared.get(statement.name);
      if (!ready) {
        ready = db.exec(`PREPARE ${statement.name} AS ${statement.text}`);
        prepared.set(statement.name, ready);
        ready.catch(() => prepared.delete(statement.name));
      }
      await ready;
      const args = values.length ? `(${values.map(sqlLiteral).join(", ")})` : "";
      const [result] = await db.exec(`EXECUTE ${statement.name}${args}`);
      return (result?.rows ?? []) as never[];
    },
  };
}

/**
 * A dedicated connection (outside the pool) that LISTENs on `channel`, and
 * reconnects after a growing pause when it drops.
 */
function listenPostgres(
  target: { url: string },
  channel: string,
  onMessage: (payload: string) => void,
  onLive: (live: boolean) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | undefined;
  let pause = 500;
  let timer: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5_000 });
    client = c;
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      onLive(false);
      c.end().catch(() => {});
      if (!stopped) timer = setTimeout(() => void connect(), (pause = Math.min(pause * 2, 30_000)));
    };
    c.on("error", lost);
    c.on("end", lost);
    c.on("notification", (n) => {
      if (n.channel === channel) onMessage(n.payload ?? "");
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(channel)}`);
      if (stopped) return void (await c.end());
      pause = 500;
      onLive(true);
    } catch {
      lost();
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
