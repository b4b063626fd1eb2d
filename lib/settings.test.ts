import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { listAudit, recordAudit, type Actor } from "./audit";
import { getProjectSettings, updateProjectSettings } from "./settings";

const actor: Actor = { type: "user", id: null, label: "owner@example.com" };

describe.each(testDatabases)("project settings and audit log on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("defaults sign-up to open, DCR and CIMD to off and access tokens to RS256, stores changes and audits them", async () => {
    expect(await getProjectSettings(db.prisma)).toEqual({ password_signin_enabled: true, signup_enabled: true, dcr_enabled: false, cimd_enabled: false, resource_servers: [], access_token_alg: "RS256", require_par: false });
    expect(await updateProjectSettings(db.prisma, actor, { dcr_enabled: true })).toEqual({ password_signin_enabled: true, signup_enabled: true, dcr_enabled: true, cimd_enabled: false, resource_servers: [], access_token_alg: "RS256", require_par: false });
    expect(await updateProjectSettings(db.prisma, actor, { cimd_enabled: true, dcr_enabled: false })).toEqual({
      password_signin_enabled: true,
      signup_enabled: true,
      dcr_enabled: false,
      cimd_enabled: true,
      resource_servers: [],
      access_token_alg: "RS256",
      require_par: false,
    });
    expect(await getProjectSettings(db.prisma)).toEqual({ password_signin_enabled: true, signup_enabled: true, dcr_enabled: false, cimd_enabled: true, resource_servers: [], access_token_alg: "RS256", require_par: false });
    const { events } = await listAudit(db.prisma);
    expect(events.filter((e) => e.action === "project_settings.updated").map((e) => e.details)).toEqual([
      { cimd_enabled: true, dcr_enabled: false },
      { dcr_enabled: true },
    ]);
  });

  it("refuses unknown settings and wrong types", async () => {
    await expect(updateProjectSettings(db.prisma, actor, { dcr_enabled: "yes" } as never)).rejects.toThrow();
    await expect(updateProjectSettings(db.prisma, actor, { other: true } as never)).rejects.toThrow();
    await expect(updateProjectSettings(db.prisma, actor, { access_token_alg: "HS256" } as never)).rejects.toThrow();
    await expect(updateProjectSettings(db.prisma, actor, { access_token_alg: "none" } as never)).rejects.toThrow();
  });

  it("stores resource servers (an unchanged list is not audited again) and refuses invalid ones, changing nothing", async () => {
    const servers = ["https://mcp.example.com/mcp", "https://api.example.com"];
    expect((await updateProjectSettings(db.prisma, actor, { resource_servers: servers })).resource_servers).toEqual(servers);
    expect((await updateProjectSettings(db.prisma, actor, { resource_servers: [...servers] })).resource_servers).toEqual(servers);
    const audited = (await listAudit(db.prisma)).events.filter((e) => e.action === "project_settings.updated" && "resource_servers" in (e.details as object));
    expect(audited.map((e) => e.details)).toEqual([{ resource_servers: servers }]);
    const refused = [
      "mcp.example.com/mcp",
      "/relative",
      "http://mcp.example.com/mcp",
      "http://localhost:8080/mcp",
      "https://mcp.example.com/mcp#frag",
      "https://mcp.example.com/mcp?x=1",
      "https://user:pw@mcp.example.com/",
      "ftp://files.example.com/",
      `https://mcp.example.com/${"a".repeat(2048)}`,
    ];
    for (const value of refused) {
      await expect(updateProjectSettings(db.prisma, actor, { resource_servers: [value] }, { development: false }), value).rejects.toThrow();
    }
    // Twice the same resource, even spelled with a trailing slash.
    await expect(updateProjectSettings(db.prisma, actor, { resource_servers: ["https://api.example.com", "https://api.example.com/"] })).rejects.toThrow(/listed twice/);
    await expect(updateProjectSettings(db.prisma, actor, { resource_servers: Array.from({ length: 21 }, (_, i) => `https://r${i}.example.com`) })).rejects.toThrow();
    expect((await getProjectSettings(db.prisma)).resource_servers).toEqual(servers);
    // In development, http loopback is allowed (a local MCP server).
    const local = ["http://localhost:8080/mcp", "http://127.0.0.1:3001/"];
    expect((await updateProjectSettings(db.prisma, actor, { resource_servers: local }, { development: true })).resource_servers).toEqual(local);
    await expect(updateProjectSettings(db.prisma, actor, { resource_servers: ["http://mcp.example.com/"] }, { development: true })).rejects.toThrow(/https/);
    await updateProjectSettings(db.prisma, actor, { resource_servers: [], access_token_alg: "RS256", require_par: false });
  });

  it("lists audit events newest first, page by page", async () => {
    for (let i = 0; i < 7; i++) await recordAudit(db.prisma, actor, "test.paged", `t${i}`);
    const first = await listAudit(db.prisma, { limit: 4 });
    const second = await listAudit(db.prisma, { limit: 4, cursor: first.nextCursor! });
    const ids = [...first.events, ...second.events].filter((e) => e.action === "test.paged").map((e) => e.targetId);
    expect(ids.slice(0, 7)).toEqual(["t6", "t5", "t4", "t3", "t2", "t1", "t0"]);
  });
});
