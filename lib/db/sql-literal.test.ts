import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./open";
import { sqlLiteral } from "./sql-literal";

const TRICKY = [
  "",
  "plain",
  "it's",
  "''",
  "\\",
  "\\'",
  "a\\'; DROP TABLE t; --",
  "'); DROP TABLE t; --",
  "$$ $1 $tag$",
  "line\nbreak\ttab\r",
  "E'\\x41'",
  "ünïcødé ✓ 😀",
  "%_*?[]{}",
];

describe("sqlLiteral", () => {
  it("spells each kind of value", () => {
    expect(sqlLiteral(null)).toBe("NULL");
    expect(sqlLiteral(undefined)).toBe("NULL");
    expect(sqlLiteral(true)).toBe("TRUE");
    expect(sqlLiteral(false)).toBe("FALSE");
    expect(sqlLiteral(42)).toBe("42");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe("'2026-01-02T03:04:05.006Z'");
    expect(sqlLiteral(["a", "b'c"])).toBe("ARRAY['a', 'b''c']::text[]");
    expect(sqlLiteral([])).toBe("ARRAY[]::text[]");
    expect(sqlLiteral({ a: "it's" })).toBe(`'{"a":"it''s"}'`);
  });

  it("refuses what it cannot spell safely", () => {
    expect(() => sqlLiteral("nul\u0000")).toThrow(TypeError);
    expect(() => sqlLiteral(["ok", "nul\u0000"])).toThrow(TypeError);
    expect(() => sqlLiteral(Number.NaN)).toThrow(TypeError);
    expect(() => sqlLiteral(Infinity)).toThrow(TypeError);
    expect(() => sqlLiteral([1, 2])).toThrow(TypeError);
  });
});

// The prepared statements of the embedded database take their values as literals: each must arrive intact.
describe("prepared statements on PGlite", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite" });
    await db.withSession((s) => s.exec("CREATE TABLE t (v text, a text[], at timestamptz, ok boolean, n int)"));
  });
  afterAll(async () => {
    await db?.close();
  });
  const echo = { name: "test_echo", text: "SELECT $1::text AS v, $2::text[] AS a, $3::timestamptz AS at, $4::boolean AS ok, $5::int AS n" };

  it.each(TRICKY)("round-trips %j unchanged, and nothing else runs", async (value) => {
    const at = new Date(Date.UTC(2026, 11, 3, 4, 5, 6, 789));
    const [row] = await db.sql.query(echo, [value, [value, "x"], at, true, 7]);
    expect(row).toEqual({ v: value, a: [value, "x"], at, ok: true, n: 7 });
    expect(await db.withSession((s) => s.query("SELECT count(*)::int AS n FROM t"))).toEqual([{ n: 0 }]);
  });

  it("passes NULLs and empty arrays", async () => {
    const [row] = await db.sql.query(echo, [null, [], null, null, null]);
    expect(row).toEqual({ v: null, a: [], at: null, ok: null, n: null });
  });

  it("prepares a statement once when its first calls come together", async () => {
    const statement = { name: "test_together", text: "SELECT $1::int + 1 AS n" };
    const rows = await Promise.all(Array.from({ length: 10 }, (_, i) => db.sql.query(statement, [i])));
    expect(rows).toEqual(Array.from({ length: 10 }, (_, i) => [{ n: i + 1 }]));
  });

  it("runs writes, and each statement is prepared once", async () => {
    const insert = { name: "test_insert", text: "INSERT INTO t (v) VALUES ($1) RETURNING v" };
    for (const value of TRICKY) expect(await db.sql.query(insert, [value])).toEqual([{ v: value }]);
    const prepared = await db.withSession((s) => s.query<{ name: string }>("SELECT name FROM pg_prepared_statements ORDER BY name"));
    expect(prepared.map((p) => p.name)).toEqual(["test_echo", "test_insert", "test_together"]);
  });
});
