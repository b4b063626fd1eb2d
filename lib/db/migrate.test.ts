import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testDatabases, type TestTarget } from "@/tests/databases";
import { applyMigrations, MIGRATIONS_TABLE, MigrationError } from "./migrate";
import { readMigrations, type Migration } from "./migrations";
import { openDatabase, type Database, type DatabaseTarget } from "./open";

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
}

/** Opens an empty (unmigrated) database, runs fn, then closes and drops it. */
async function withEmptyDatabase<T>(
  target: (options: { empty: true }) => Promise<TestTarget>,
  fn: (db: Database, target: DatabaseTarget) => Promise<T>,
): Promise<T> {
  const t = await target({ empty: true });
  const db = await openDatabase(t.target);
  try {
    return await fn(db, t.target);
  } finally {
    await db.close();
    await t.drop();
  }
}

function migrate(db: Database, migrations: readonly Migration[], log?: (message: string) => void) {
  return db.withSession((s) => applyMigrations(s, migrations, log));
}

async function recorded(db: Database): Promise<{ name: string; checksum: string }[]> {
  return db.withSession((s) =>
    s.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY name`),
  );
}

/** Tables in the connection's current schema (each test has its own). */
async function tables(db: Database): Promise<string[]> {
  const rows = await db.withSession((s) =>
    s.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    ),
  );
  return rows.map((r) => r.table_name);
}

describe.each(testDatabases)("applyMigrations on $name", ({ target }) => {
  it("applies every committed migration to an empty database and records each once", async () => {
    const committed = await readMigrations();
    expect(committed.length).toBeGreaterThan(0);
    await withEmptyDatabase(target, async (db) => {
      const logged: string[] = [];
      const result = await migrate(db, committed, (m) => logged.push(m));
      expect(result).toEqual({ applied: committed.map((m) => m.name), alreadyApplied: 0 });
      expect(logged).toHaveLength(committed.length);
      expect(await recorded(db)).toEqual(committed.map((m) => ({ name: m.name, checksum: m.checksum })));
      expect(await tables(db)).toEqual(
        expect.arrayContaining(["users", "api_keys", "setup_tokens", MIGRATIONS_TABLE]),
      );
      // The schema works through Prisma too.
      await db.prisma.user.create({ data: { email: "migrated@example.com", passwordHash: "x" } });
      expect(await db.prisma.user.count()).toBe(1);

      // A second run (the next start-up) has nothing to do.
      const again = await migrate(db, committed);
      expect(again).toEqual({ applied: [], alreadyApplied: committed.length });
      expect(await recorded(db)).toHaveLength(committed.length);
    });
  });

  it("applies only the migrations that are new", async () => {
    await withEmptyDatabase(target, async (db) => {
      const first = [migration("0001_a", "CREATE TABLE a (id int)")];
      await migrate(db, first);
      const next = [...first, migration("0002_b", "CREATE TABLE b (id int)")];
      expect(await migrate(db, next)).toEqual({ applied: ["0002_b"], alreadyApplied: 1 });
      expect((await recorded(db)).map((r) => r.name)).toEqual(["0001_a", "0002_b"]);
    });
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    await withEmptyDatabase(target, async (db) => {
      const original = migration("0001_a", "CREATE TABLE a (id int)");
      await migrate(db, [original]);
      const edited = migration("0001_a", "CREATE TABLE a (id int, extra text)");
      const pending = migration("0002_b", "CREATE TABLE b (id int)");

      const error = await migrate(db, [edited, pending]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toContain("0001_a");
      // Nothing else ran, and the record still holds the original checksum.
      expect(await recorded(db)).toEqual([{ name: "0001_a", checksum: original.checksum }]);
      expect(await tables(db)).not.toContain("b");

      // The lock was released: with the original restored the next run proceeds.
      expect((await migrate(db, [original, pending])).applied).toEqual(["0002_b"]);
    });
  });

  it("rolls a failing migration back entirely and keeps the earlier ones", async () => {
    await withEmptyDatabase(target, async (db) => {
      const good = migration("0001_good", "CREATE TABLE good (id int); INSERT INTO good VALUES (1);");
      const bad = migration(
        "0002_bad",
        "CREATE TABLE half (id int); INSERT INTO good VALUES (2); SELECT * FROM no_such_table;",
      );
      const later = migration("0003_later", "CREATE TABLE later (id int)");

      const error = await migrate(db, [good, bad, later]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toContain("0002_bad");

      expect((await recorded(db)).map((r) => r.name)).toEqual(["0001_good"]);
      const present = await tables(db);
      expect(present).toContain("good");
      expect(present).not.toContain("half");
      expect(present).not.toContain("later");
      const rows = await db.withSession((s) => s.query<{ id: number }>("SELECT id FROM good ORDER BY id"));
      expect(rows).toEqual([{ id: 1 }]);

      // The session is usable and unlocked: a fixed migration applies.
      const fixed = migration("0002_bad", "CREATE TABLE half (id int);");
      expect((await migrate(db, [good, fixed, later])).applied).toEqual(["0002_bad", "0003_later"]);
    });
  });

  it("applies migrations in name order even when given out of order", async () => {
    await withEmptyDatabase(target, async (db) => {
      const result = await migrate(db, [
        migration("0002_fill", "INSERT INTO ordered (step) VALUES ('second');"),
        migration("0001_create", "CREATE TABLE ordered (step text NOT NULL);"),
      ]);
      expect(result.applied).toEqual(["0001_create", "0002_fill"]);
    });
  });

  it("applies migration folders in name order, whatever order they were created in", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "migrations-test-"));
    try {
      // Each migration depends on the one before it; created out of order.
      const folders: [string, string][] = [
        ["20260103000000_c", "INSERT INTO t (step) VALUES ('c');"],
        ["20260101000000_a", "CREATE TABLE t (n serial PRIMARY KEY, step text NOT NULL);"],
        ["20260102000000_b", "INSERT INTO t (step) VALUES ('b');"],
      ];
      for (const [name, sql] of folders) {
        mkdirSync(path.join(dir, name));
        writeFileSync(path.join(dir, name, "migration.sql"), sql);
      }
      writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');

      const migrations = await readMigrations(dir);
      const names = ["20260101000000_a", "20260102000000_b", "20260103000000_c"];
      expect(migrations.map((m) => m.name)).toEqual(names);
      await withEmptyDatabase(target, async (db) => {
        const logged: string[] = [];
        expect((await migrate(db, migrations, (m) => logged.push(m))).applied).toEqual(names);
        expect(logged).toEqual(names.map((n) => expect.stringContaining(n)));
        const steps = await db.withSession((s) => s.query<{ step: string }>("SELECT step FROM t ORDER BY n"));
        expect(steps.map((r) => r.step)).toEqual(["b", "c"]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Several app instances start against one PostgreSQL; PGlite is single-process.
describe.each(testDatabases.filter((d) => d.name === "postgres"))("applyMigrations on $name", ({ target }) => {
  it(
    "two instances migrating the same fresh database at once: both succeed, each migration runs once",
    async () => {
      const committed = await readMigrations();
      // Holds the migration lock long enough that the second run certainly
      // arrives while the first is still migrating.
      const slow = migration("00000000000000_slow", "SELECT pg_sleep(0.3);");
      const migrations = [slow, ...committed];
      const t = await target({ empty: true });
      const a = await openDatabase(t.target);
      const b = await openDatabase(t.target);
      try {
        const results = await Promise.all([migrate(a, migrations), migrate(b, migrations)]);
        const applied = results.map((r) => r.applied).sort((x, y) => y.length - x.length);
        expect(applied).toEqual([migrations.map((m) => m.name), []]);
        expect(results.map((r) => r.alreadyApplied).sort()).toEqual([0, migrations.length]);

        const counts = await a.withSession((s) =>
          s.query<{ name: string; n: number }>(
            `SELECT name, count(*)::int AS n FROM ${MIGRATIONS_TABLE} GROUP BY name ORDER BY name`,
          ),
        );
        expect(counts).toEqual(migrations.map((m) => ({ name: m.name, n: 1 })));
        const all = await tables(a);
        for (const table of ["users", "api_keys", "setup_tokens", MIGRATIONS_TABLE]) {
          expect(all.filter((x) => x === table)).toEqual([table]);
        }
      } finally {
        await a.close();
        await b.close();
        await t.drop();
      }
    },
  );
});
