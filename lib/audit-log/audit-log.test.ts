import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { listAudit, recordAudit, type Actor, type AuditFilter } from "../audit";
import { createApiKey } from "../auth/api-keys";
import { createUser } from "../auth/users";
import { createApp, deleteApp } from "../clients/apps";
import { createMachineClient } from "../clients/machine-clients";
import { createRole, deleteRole } from "../rbac/roles";
import { AUDIT_ACTION_NAMES } from "./actions";
import { auditCsvStream, csvCell, csvFilename, csvRow } from "./csv";
import { auditHref, parseAuditFilter, type AuditFilterValues } from "./filters";
import { namedAuditEvents } from "./targets";

const owner: Actor = { type: "user", id: null, label: "Owner@Example.com" };
const robot: Actor = { type: "api_key", id: null, label: "deploy bot (…abcd)" };
const none: AuditFilterValues = { actor: "", action: "", app: "", from: "", to: "" };
const filterOf = (values: Partial<AuditFilterValues>): AuditFilter => {
  const parsed = parseAuditFilter({ ...none, ...values });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filter;
};

describe("audit log filters as typed", () => {
  it("turns dates into whole UTC days, the To day included", () => {
    expect(parseAuditFilter({ ...none, from: "2026-03-01", to: "2026-03-02" })).toEqual({
      ok: true,
      filter: { from: new Date("2026-03-01T00:00:00.000Z"), until: new Date("2026-03-03T00:00:00.000Z") },
    });
    expect(parseAuditFilter({ ...none, from: "2026-03-01", to: "2026-03-01" })).toMatchObject({ ok: true });
    expect(parseAuditFilter(none)).toEqual({ ok: true, filter: {} });
  });

  it("gives one readable message per bad field, never throws", () => {
    expect(parseAuditFilter({ ...none, from: "yesterday" })).toEqual({ ok: false, errors: { from: "must be a date (YYYY-MM-DD)" } });
    expect(parseAuditFilter({ ...none, to: "2026-02-30" })).toEqual({ ok: false, errors: { to: "is not a date in the calendar" } });
    expect(parseAuditFilter({ ...none, from: "2026-03-02", to: "2026-03-01" })).toEqual({ ok: false, errors: { to: "must not be before the From date" } });
    expect(parseAuditFilter({ ...none, from: "0000-01-01", to: "9999-12-31" })).toEqual({ ok: false, errors: { from: "must be between 1970 and 9998", to: "must be between 1970 and 9998" } });
    expect(parseAuditFilter({ ...none, action: "user.hacked" })).toEqual({ ok: false, errors: { action: "is not an action the audit log records" } });
    expect(parseAuditFilter({ ...none, app: "a b" })).toEqual({ ok: false, errors: { app: "is not a client_id" } });
    expect(parseAuditFilter({ ...none, actor: "a\u0000b" })).toMatchObject({ ok: false, errors: { actor: expect.any(String) } });
    expect(parseAuditFilter({ ...none, actor: "x".repeat(201) })).toMatchObject({ ok: false, errors: { actor: expect.any(String) } });
  });

  it("offers every action the server records, the new ones included", () => {
    for (const action of ["user.signed_in", "user.sign_in_failed", "consent.granted", "connected_app.created", "grant.revoked"]) expect(AUDIT_ACTION_NAMES).toContain(action);
  });

  it("keeps the filters and the page size in the address of another page", () => {
    expect(auditHref("/dashboard/audit", { ...none, action: "user.signed_in", from: "2026-03-01" }, { perPage: 10, cursor: "c" })).toBe(
      "/dashboard/audit?action=user.signed_in&from=2026-03-01&per_page=10&cursor=c",
    );
    expect(auditHref("/dashboard/audit", none)).toBe("/dashboard/audit");
  });
});

describe("CSV cells", () => {
  it("quotes as RFC 4180 says and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\r\ngo')).toBe('"say ""hi"", then\r\ngo"');
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    for (const lead of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${lead}1`).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell("a=1")).toBe("a=1");
    expect(csvRow(["a", "b,c"])).toBe('a,"b,c"\r\n');
    expect(csvFilename(new Date("2026-12-05T23:59:00Z"))).toBe("audit-log-2026-12-05.csv");
  });
});

describe.each(testDatabases)("the audit log on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const at = (iso: string, action: string, extra: { actor?: Actor; targetId?: string; details?: object } = {}) => {
    const actor = extra.actor ?? owner;
    return db.prisma.auditEvent.create({
      data: { at: new Date(iso), actorType: actor.type, actorId: actor.id, actorLabel: actor.label, action, targetId: extra.targetId ?? null, details: extra.details ?? {} },
    });
  };
  const actions = async (filter: AuditFilter, limit = 100) => (await listAudit(db.prisma, { filter, limit })).events.map((e) => `${e.action}@${e.at.toISOString().slice(0, 10)}`);

  it("filters by each of actor, action, app and date range, and by all at once (AND)", async () => {
    const { app } = await createApp(db.prisma, owner, { client_type: "first_party", name: "Filter app", redirect_uris: ["https://rp.example/cb"] }, "api");
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } });
    await db.prisma.auditEvent.deleteMany();
    await at("2030-01-01T00:00:00.000Z", "user.signed_in", { details: { method: "password", client_id: app.client_id } });
    await at("2030-01-01T23:59:59.999Z", "user.sign_in_failed", { actor: { type: "user", id: null, label: "mallory@example.com" } });
    await at("2030-01-02T00:00:00.000Z", "connected_app.updated", { targetId: app.client_id });
    await at("2030-01-02T12:00:00.000Z", "grant.revoked", { actor: robot, targetId: row.id });
    await at("2030-01-03T00:00:00.000Z", "consent.granted", { targetId: "ca_other", details: { client_id: "ca_other" } });

    expect(await actions(filterOf({ actor: "OWNER" }))).toEqual(["consent.granted@2030-01-03", "connected_app.updated@2030-01-02", "user.signed_in@2030-01-01"]);
    expect(await actions(filterOf({ actor: "deploy bot" }))).toEqual(["grant.revoked@2030-01-02"]);
    expect(await actions(filterOf({ action: "user.sign_in_failed" }))).toEqual(["user.sign_in_failed@2030-01-01"]);
    // The app: its target (by client_id, or by internal id for a revocation) or its client_id in the details.
    expect(await actions(filterOf({ app: app.client_id }))).toEqual(["grant.revoked@2030-01-02", "connected_app.updated@2030-01-02", "user.signed_in@2030-01-01"]);
    expect(await actions(filterOf({ app: "ca_other" }))).toEqual(["consent.granted@2030-01-03"]);
    expect(await actions(filterOf({ app: "ca_nobody" }))).toEqual([]);
    // Dates: whole UTC days, both ends included; the last millisecond of the To day is in, the next day's first is out.
    expect(await actions(filterOf({ from: "2030-01-01", to: "2030-01-01" }))).toEqual(["user.sign_in_failed@2030-01-01", "user.signed_in@2030-01-01"]);
    expect(await actions(filterOf({ from: "2030-01-02" }))).toEqual(["consent.granted@2030-01-03", "grant.revoked@2030-01-02", "connected_app.updated@2030-01-02"]);
    expect(await actions(filterOf({ to: "2030-01-02" }))).toHaveLength(4);
    expect(await actions(filterOf({ from: "2030-01-04" }))).toEqual([]);
    // The widest range accepted reaches the database as timestamps it takes.
    expect(await actions(filterOf({ from: "1970-01-01", to: "9998-12-31" }))).toHaveLength(5);
    // All at once.
    expect(await actions(filterOf({ actor: "owner", app: app.client_id, from: "2030-01-02", to: "2030-01-02" }))).toEqual(["connected_app.updated@2030-01-02"]);
    expect(await actions(filterOf({ actor: "owner", action: "grant.revoked" }))).toEqual([]);
  });

  it("pages through filtered events without losing or repeating one", async () => {
    await db.prisma.auditEvent.deleteMany();
    for (let i = 0; i < 7; i++) {
      await recordAudit(db.prisma, owner, "role.created", `kept-${i}`);
      await recordAudit(db.prisma, owner, "role.deleted", `other-${i}`);
    }
    const filter = filterOf({ action: "role.created" });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const { events, nextCursor } = await listAudit(db.prisma, { limit: 3, cursor, filter });
      seen.push(...events.map((e) => e.targetId!));
      if (!nextCursor) break;
      cursor = nextCursor;
    }
    expect(seen).toEqual(["kept-6", "kept-5", "kept-4", "kept-3", "kept-2", "kept-1", "kept-0"]);
  });

  it("names targets and user actors with links, one query per kind; a deleted one keeps its id and says so", async () => {
    await db.prisma.auditEvent.deleteMany();
    const person = await createUser(db.prisma, { email: "named@example.com", password: "correct horse battery" }, "owner");
    const { app } = await createApp(db.prisma, owner, { client_type: "first_party", name: "Named app", redirect_uris: ["https://rp.example/cb"] }, "api");
    const { app: gone } = await createApp(db.prisma, owner, { client_type: "first_party", name: "Gone app", redirect_uris: ["https://rp.example/cb"] }, "api");
    const { client: machine } = await createMachineClient(db.prisma, owner, { name: "Named machine", grants: [] }, "api");
    await deleteApp(db.prisma, owner, gone.client_id);
    await createApiKey(db.prisma, person.id, "ci key", owner);
    await createRole(db.prisma, owner, { name: "auditors" });
    const role = await db.prisma.role.findUniqueOrThrow({ where: { name: "auditors" } });
    await deleteRole(db.prisma, owner, "auditors");
    await recordAudit(db.prisma, { type: "user", id: person.id, label: person.email }, "consent.granted", app.client_id, { client_id: app.client_id });
    const { events } = await listAudit(db.prisma, { limit: 100 });
    const named = await namedAuditEvents(db.prisma, events);
    const find = (action: string, targetId?: string) => named.find((e) => e.action === action && (!targetId || e.targetId === targetId))!;

    expect(find("connected_app.created", app.client_id).target).toEqual({ id: app.client_id, name: "Named app", href: `/dashboard/apps/${app.client_id}`, deleted: false });
    expect(find("machine_client.created").target).toEqual({ id: machine.client_id, name: "Named machine", href: `/dashboard/machine-clients/${machine.client_id}`, deleted: false });
    expect(find("connected_app.deleted").target).toEqual({ id: gone.client_id, name: null, href: null, deleted: true });
    expect(find("api_key.created").target).toMatchObject({ name: "ci key", href: "/dashboard/api-keys" });
    expect(find("role.deleted").target).toEqual({ id: role.id, name: null, href: null, deleted: true });
    const consent = find("consent.granted");
    expect(consent.actorUser).toEqual({ id: person.id, name: "named@example.com", href: "/dashboard/users?q=named%40example.com", deleted: false });
    expect(consent.app).toMatchObject({ name: "Named app", href: `/dashboard/apps/${app.client_id}` });
    // No target, an unknown action, an id no uuid column can hold: shown as recorded, nothing looked up.
    await recordAudit(db.prisma, owner, "test.unknown", "whatever");
    await recordAudit(db.prisma, owner, "user.deleted", "not-a-uuid");
    const more = await namedAuditEvents(db.prisma, (await listAudit(db.prisma, { limit: 2 })).events);
    expect(more.map((e) => e.target)).toEqual([
      { id: "not-a-uuid", name: null, href: null, deleted: true },
      { id: "whatever", name: null, href: null, deleted: false },
    ]);
    expect(more.map((e) => e.actorUser)).toEqual([null, null]);
  });

  async function csvOf(filter: AuditFilter, limit?: number): Promise<string> {
    // ignoreBOM: keep the byte-order mark, to see it is there.
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(auditCsvStream(db.prisma, filter, limit)).arrayBuffer());
  }

  it("exports the filtered events as CSV: header, names, quoting, formula injection defused, a limit", async () => {
    await db.prisma.auditEvent.deleteMany();
    const { app } = await createApp(db.prisma, owner, { client_type: "first_party", name: "=cmd|' /C calc'!A0", redirect_uris: ["https://rp.example/cb"] }, "api");
    await recordAudit(db.prisma, { type: "user", id: null, label: "+evil@example.com" }, "user.sign_in_failed", null, { email: "+evil@example.com", reason: "unknown account" });
    const csv = await csvOf(filterOf({}));
    expect(csv.startsWith("\uFEFFtime_utc,actor_type,actor,action,target_id,target,details\r\n")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines).toHaveLength(4); // header, two events, the empty string after the last CRLF
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,user,'\+evil@example\.com,user\.sign_in_failed,,,"\{""email"":""\+evil@example\.com"",""reason"":""unknown account""\}"$/);
    expect(lines[2]).toContain(`,connected_app.created,${app.client_id},'=cmd|' /C calc'!A0,`);
    // Filters apply; the limit holds.
    expect((await csvOf(filterOf({ action: "connected_app.created" }))).slice(1).split("\r\n")).toHaveLength(3);
    for (let i = 0; i < 5; i++) await recordAudit(db.prisma, owner, "role.created", `r${i}`);
    expect((await csvOf(filterOf({}), 3)).slice(1).split("\r\n")).toHaveLength(5);
    expect((await csvOf(filterOf({ from: "2031-01-01" }))).slice(1)).toBe("time_utc,actor_type,actor,action,target_id,target,details\r\n");
  });
});
