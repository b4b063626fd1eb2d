import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases } from "@/tests/databases";
import { listAudit, recordAudit, type Actor } from "./audit";
import type { Database } from "./db";
import { getProjectSettings, updateProjectSettings } from "./settings";

const actor: Actor = { type: "user", id: null, label: "owner@example.com" };

describe.each(testDatabases)("project settings and audit log on $name", ({ target }) => {
  let db: Database & { dispose(): Promise<void> };
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("defaults DCR and CIMD to off, stores changes and audits them", async () => {
    expect(await getProjectSettings(db.prisma)).toEqual({ dcr_enabled: false, cimd_enabled: false });
    expect(await updateProjectSettings(db.prisma, actor, { dcr_enabled: true })).toEqual({ dcr_enabled: true, cimd_enabled: false });
    expect(await updateProjectSettings(db.prisma, actor, { cimd_enabled: true, dcr_enabled: false })).toEqual({
      dcr_enabled: false,
      cimd_enabled: true,
    });
    expect(await getProjectSettings(db.prisma)).toEqual({ dcr_enabled: false, cimd_enabled: true });
    const { events } = await listAudit(db.prisma);
    expect(events.filter((e) => e.action === "project_settings.updated").map((e) => e.details)).toEqual([
      { cimd_enabled: true, dcr_enabled: false },
      { dcr_enabled: true },
    ]);
  });

  it("refuses unknown settings and wrong types", async () => {
    await expect(updateProjectSettings(db.prisma, actor, { dcr_enabled: "yes" } as never)).rejects.toThrow();
    await expect(updateProjectSettings(db.prisma, actor, { other: true } as never)).rejects.toThrow();
  });

  it("lists audit events newest first, page by page", async () => {
    for (let i = 0; i < 7; i++) await recordAudit(db.prisma, actor, "test.paged", `t${i}`);
    const first = await listAudit(db.prisma, { limit: 4 });
    const second = await listAudit(db.prisma, { limit: 4, cursor: first.nextCursor! });
    const ids = [...first.events, ...second.events].filter((e) => e.action === "test.paged").map((e) => e.targetId);
    expect(ids.slice(0, 7)).toEqual(["t6", "t5", "t4", "t3", "t2", "t1", "t0"]);
  });
});
