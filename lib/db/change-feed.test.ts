import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { updateProjectSettings } from "../settings";
import type { ChangeTopic } from "../oauth/store";
import { openMigratedDatabase, type Database } from ".";
import { changeFeed } from "./change-feed";
import { announceLocalChange } from "./local-changes";

const until = async (condition: () => boolean, ms = 5000) => {
  for (const start = Date.now(); !condition(); ) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.each(testDatabases)("change feed on $name", ({ target }) => {
  let db: TestDatabase;
  const seen: ChangeTopic[] = [];
  let feed: ReturnType<typeof changeFeed>;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    feed = changeFeed(db);
    feed.subscribe((topic) => seen.push(topic));
    await until(() => feed.live());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.each([
    ["clients", `UPDATE connected_apps SET name = name`],
    ["clients", `DELETE FROM client_secrets WHERE false`],
    ["settings", `DELETE FROM project_settings WHERE key = 'nothing'`],
    ["keys", `UPDATE signing_keys SET alg = alg`],
  ] as const)("announces %s when this statement commits: %s", async (topic, statement) => {
    seen.length = 0;
    await db.withSession((s) => s.exec(statement));
    await until(() => seen.includes(topic));
    expect(new Set(seen)).toEqual(new Set([topic]));
  });

  // Built inside the test, not in beforeAll: what a hook builds runs before mutation testing switches a mutant on.
  it("a new feed is not live until it listens, then every subscriber hears every change", async () => {
    const fresh = changeFeed(db);
    expect(fresh.live()).toBe(false);
    const first: ChangeTopic[] = [];
    const second: ChangeTopic[] = [];
    fresh.subscribe((topic) => first.push(topic));
    fresh.subscribe((topic) => second.push(topic));
    await until(() => fresh.live());
    first.length = 0;
    second.length = 0;
    await db.withSession((s) => s.exec(`UPDATE signing_keys SET alg = alg`));
    await until(() => first.includes("keys") && second.includes("keys"));
    expect(fresh.live()).toBe(true);
  });

  it("announces nothing for a write that rolls back", async () => {
    seen.length = 0;
    await db.withSession((s) => s.exec("BEGIN; UPDATE connected_apps SET name = name; ROLLBACK"));
    await db.withSession((s) => s.exec(`UPDATE signing_keys SET alg = alg`));
    await until(() => seen.includes("keys"));
    expect(seen).not.toContain("clients");
  });

  it("hears writes of this process at once, before their notification", async () => {
    seen.length = 0;
    await updateProjectSettings(db.prisma, { type: "system", id: null, label: "t" }, { dcr_enabled: true });
    expect(seen).toContain("settings");
    seen.length = 0;
    announceLocalChange("keys");
    expect(seen).toEqual(["keys"]);
  });
});

describe.each(testDatabases.filter((d) => d.name === "postgres"))("change feed connection on $name", ({ target }) => {
  // A bare database (no OAuth context, so no listener of its own): the only new LISTEN connection is the feed's.
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await target();
    db = await openMigratedDatabase(t.target, () => {});
    drop = t.drop;
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it("is not live while its connection is gone, announces everything when it is back, and hears changes again", async () => {
    const listening = async () =>
      (await db.withSession((s) => s.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN "connected_apps_changes"'`))).map((r) => r.pid);
    const before = await listening();
    const feed = changeFeed(db);
    const seen: ChangeTopic[] = [];
    feed.subscribe((topic) => seen.push(topic));
    await until(() => feed.live());
    // This feed's connection: the one that was not there before (other test files listen too).
    const ours = (await listening()).filter((pid) => !before.includes(pid));
    expect(ours).toHaveLength(1);
    seen.length = 0;
    await db.withSession((s) => s.query(`SELECT pg_terminate_backend($1)`, [ours[0]]));
    await until(() => !feed.live());
    expect(new Set(seen)).toEqual(new Set(["clients", "settings", "keys"]));
    await until(() => feed.live(), 10_000);
    seen.length = 0;
    await db.withSession((s) => s.exec(`UPDATE connected_apps SET name = name`));
    await until(() => seen.includes("clients"));
  });
});
