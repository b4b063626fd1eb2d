import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase, type TestTarget } from "@/tests/databases";
import { deviceClient } from "@/tests/device-client";
import type { Actor } from "../audit";
import { createUser } from "../auth/users";
import { createApp, deleteApp } from "../clients/apps";
import { createMachineClient } from "../clients/machine-clients";
import { openDatabase, type Database } from "../db/open";
import { sqlOAuthStore } from "../db/oauth-store";
import { ensureSigningKeys } from "../keys/signing-keys";
import { updateProjectSettings } from "../settings";
import { issueAuthorizationCode } from "../oauth/codes";
import { purgeExpired } from "../oauth/housekeeping";
import { authorize } from "../oauth/authorize/flow";
import { handleTokenRequest } from "../oauth/token-endpoint";
import { activityCounter } from "./counter";
import { activityOf } from "./series";

const actor: Actor = { type: "system", id: null, label: "test" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const totals = (a: Awaited<ReturnType<typeof activityOf>>) => Object.fromEntries(a.series.map((s) => [s.id, s.total]));

describe.each(testDatabases)("activity counts on $name", ({ target }) => {
  let t: TestTarget;
  let db: TestDatabase;
  let appId: string;
  let clientId: string;
  let clientSecret: string;
  beforeAll(async () => {
    t = await target();
    db = await openTestDatabase(t);
    await ensureSigningKeys(db.prisma);
    const created = await createApp(db.prisma, actor, { client_type: "first_party", name: "Counted", redirect_uris: ["https://rp.example/cb"] }, "api");
    clientId = created.app.client_id;
    clientSecret = created.clientSecret!;
    appId = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId } })).id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const counterOn = (database: Pick<Database, "sql" | "prisma">) => activityCounter(sqlOAuthStore(database));

  it("a flush adds to the rows already there: the app's and the project's", async () => {
    const hour = new Date(Date.UTC(2026, 0, 10, 7));
    const counter = counterOn(db);
    for (let i = 0; i < 3; i++) counter.count(appId, "consent", new Date(hour.getTime() + i * 60_000));
    counter.count(null, "consent", hour);
    await counter.flush();
    counter.count(appId, "consent", hour);
    await counter.flush();
    const app = await db.prisma.activityCount.findMany({ where: { bucket: hour } });
    expect(app.map((r) => [r.appId, r.kind, Number(r.count)])).toEqual([[appId, "consent", 4]]);
    const project = await db.prisma.projectActivityCount.findMany({ where: { bucket: hour } });
    expect(project.map((r) => [r.kind, Number(r.count)])).toEqual([["consent", 5]]);
  });

  it("flushers on separate connection pools, adding at the same moment, sum exactly", async () => {
    const hour = new Date(Date.UTC(2026, 0, 11, 9));
    // PostgreSQL: a second pool on the same schema, as a second instance has; PGlite: one connection, flushes interleaved.
    const second = t.target.kind === "postgres" ? await openDatabase(t.target) : db;
    try {
      const instances = Array.from({ length: 8 }, (_, i) => counterOn(i % 2 === 0 ? db : second));
      const rounds = 5;
      for (let round = 0; round < rounds; round++) {
        for (const [i, counter] of instances.entries()) {
          for (let n = 0; n <= i; n++) counter.count(appId, "token.refresh_token", hour);
          counter.count(appId, "error", hour);
          counter.count(null, "sign_in", hour);
        }
        await Promise.all(instances.map((c) => c.flush()));
      }
      expect(instances.every((c) => c.held() === 0)).toBe(true);
      const rows = await db.prisma.activityCount.findMany({ where: { bucket: hour }, orderBy: { kind: "asc" } });
      expect(rows.map((r) => [r.kind, Number(r.count)])).toEqual([
        ["error", 8 * rounds],
        ["token.refresh_token", 36 * rounds],
      ]);
      const project = await db.prisma.projectActivityCount.findMany({ where: { bucket: hour }, orderBy: { kind: "asc" } });
      expect(project.map((r) => [r.kind, Number(r.count)])).toEqual([
        ["error", 8 * rounds],
        ["sign_in", 8 * rounds],
        ["token.refresh_token", 36 * rounds],
      ]);
    } finally {
      if (second !== db) await second.close();
    }
  });

  it("a failed flush (the database gone) keeps its counts; the next one writes them once", async () => {
    const hour = new Date(Date.UTC(2026, 0, 12, 1));
    let down = true;
    const store = sqlOAuthStore(db);
    const counter = activityCounter({ addActivity: (rows) => (down ? Promise.reject(new Error("connection terminated")) : store.addActivity(rows)) }, { log: () => {} });
    counter.count(appId, "sign_in", hour);
    await counter.flush();
    expect(counter.held()).toBe(1);
    down = false;
    await counter.flush();
    await counter.flush();
    const rows = await db.prisma.activityCount.findMany({ where: { bucket: hour } });
    expect(rows.map((r) => Number(r.count))).toEqual([1]);
  });

  it("counts of an app deleted before the flush go to the project only; deleting an app removes its rows", async () => {
    const hour = new Date(Date.UTC(2026, 0, 13, 2));
    const { app } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Gone", redirect_uris: ["https://gone.example/cb"] }, "api");
    const goneId = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } })).id;
    const counter = counterOn(db);
    counter.count(goneId, "sign_in", hour);
    await counter.flush();
    expect(await db.prisma.activityCount.count({ where: { appId: goneId } })).toBe(1);
    counter.count(goneId, "sign_in", hour);
    await deleteApp(db.prisma, actor, app.client_id);
    expect(await db.prisma.activityCount.count({ where: { appId: goneId } })).toBe(0);
    await counter.flush();
    expect(counter.held()).toBe(0);
    expect(await db.prisma.activityCount.count({ where: { appId: goneId } })).toBe(0);
    const project = await db.prisma.projectActivityCount.findUniqueOrThrow({ where: { bucket_kind: { bucket: hour, kind: "sign_in" } } });
    expect(Number(project.count)).toBe(2);
  });

  it("series fill every bucket of 24 h (hourly), 7 d and 30 d (daily), empty ones with 0", async () => {
    const { app } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Charted", redirect_uris: ["https://chart.example/cb"] }, "api");
    const id = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } })).id;
    const scope = { clientId: app.client_id };
    const now = new Date(Date.UTC(2026, 2, 20, 15, 42));
    const counter = counterOn(db);
    const add = (at: Date, kind: "sign_in" | "token.refresh_token" | "token.authorization_code" | "error", n: number) => {
      for (let i = 0; i < n; i++) counter.count(id, kind, at);
    };
    add(new Date(now.getTime() - 10 * 60_000), "sign_in", 2); // this hour
    add(new Date(now.getTime() - 23 * HOUR), "token.refresh_token", 3); // the 24 h window's first hour
    add(new Date(now.getTime() - 24 * HOUR), "token.authorization_code", 5); // just outside 24 h, inside today−1
    add(new Date(Date.UTC(2026, 2, 14, 0, 0)), "error", 7); // 6 days ago, first hour: inside 7 d
    add(new Date(Date.UTC(2026, 2, 13, 23, 59)), "error", 11); // 7 days ago: outside 7 d, inside 30 d
    add(new Date(Date.UTC(2026, 1, 19, 12)), "error", 13); // 29 days ago: inside 30 d
    add(new Date(Date.UTC(2026, 1, 18, 23)), "error", 17); // 30 days ago: outside
    await counter.flush();

    const day = await activityOf(db.prisma, scope, "24h", now);
    expect(day.buckets).toHaveLength(24);
    expect(day.buckets[0]!.toISOString()).toBe("2026-03-19T16:00:00.000Z");
    expect(day.buckets[23]!.toISOString()).toBe("2026-03-20T15:00:00.000Z");
    const series = (a: typeof day, id: string) => a.series.find((s) => s.id === id)!.values;
    expect(series(day, "sign_in")).toEqual([...new Array(23).fill(0), 2]);
    expect(series(day, "refresh")).toEqual([3, ...new Array(23).fill(0)]);
    expect(series(day, "token")).toEqual([3, ...new Array(22).fill(0), 0]);
    expect(totals(day)).toEqual({ sign_in: 2, consent: 0, token: 3, refresh: 3, error: 0 });

    const week = await activityOf(db.prisma, scope, "7d", now);
    expect(week.buckets.map((b) => b.toISOString().slice(0, 10))).toEqual(["2026-03-14", "2026-03-15", "2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20"]);
    expect(series(week, "error")).toEqual([7, 0, 0, 0, 0, 0, 0]);
    expect(series(week, "token")).toEqual([0, 0, 0, 0, 0, 8, 0]);
    expect(totals(week)).toEqual({ sign_in: 2, consent: 0, token: 8, refresh: 3, error: 7 });

    const month = await activityOf(db.prisma, scope, "30d", now);
    expect(month.buckets).toHaveLength(30);
    expect(month.buckets[0]!.toISOString()).toBe("2026-02-19T00:00:00.000Z");
    expect(series(month, "error")[0]).toBe(13);
    expect(series(month, "error")[22]).toBe(11);
    expect(totals(month).error).toBe(7 + 11 + 13);

    const project = await activityOf(db.prisma, "project", "30d", now);
    expect(totals(project).error).toBe(7 + 11 + 13);
  });

  it("the purge deletes hours older than 31 days, of apps and of the project, and keeps the rest", async () => {
    const now = new Date(Date.UTC(2027, 5, 1, 12));
    const counter = counterOn(db);
    counter.count(appId, "sign_in", new Date(now.getTime() - 31 * DAY - HOUR));
    counter.count(appId, "sign_in", new Date(now.getTime() - 31 * DAY + HOUR));
    await counter.flush();
    const before = Math.max(await db.prisma.activityCount.count(), await db.prisma.projectActivityCount.count());
    const purged = await purgeExpired({ ...db.oauth, clock: () => now }, { sleep: async () => {} });
    // Every earlier test's hours are long before: only the newest row of each table stays (the larger table's deletions are reported).
    expect(purged.activity_counts).toBe(before - 1);
    expect((await db.prisma.activityCount.findMany()).map((r) => r.bucket.toISOString())).toEqual([new Date(now.getTime() - 30 * DAY - 23 * HOUR).toISOString()]);
    expect((await db.prisma.projectActivityCount.findMany()).map((r) => r.bucket.toISOString())).toEqual([new Date(now.getTime() - 30 * DAY - 23 * HOUR).toISOString()]);
  });

  it("a token request counts for its app after a flush: tokens per grant, refreshes, errors; a refused client for the project only", async () => {
    await db.prisma.activityCount.deleteMany();
    await db.prisma.projectActivityCount.deleteMany();
    const user = await createUser(db.prisma, { email: "counted@example.com", password: "correct horse battery" }, "member");
    const now = new Date();
    const params = { clientId, redirectUri: "https://rp.example/cb", redirectUriSent: true, scopes: ["openid", "offline_access"], prompt: [], resources: [] };
    const code = await issueAuthorizationCode(db.oauth, appId, user.id, params, now, now);
    const token = (form: Record<string, string>, secret = clientSecret) =>
      handleTokenRequest(db.oauth, { authorization: basic(clientId, secret), form: new URLSearchParams(form) });
    const issued = await token({ grant_type: "authorization_code", code, redirect_uri: "https://rp.example/cb" });
    await token({ grant_type: "refresh_token", refresh_token: issued.refresh_token! });
    await token({ grant_type: "refresh_token", refresh_token: issued.refresh_token! });
    await expect(token({ grant_type: "authorization_code", code, redirect_uri: "https://rp.example/cb" })).rejects.toMatchObject({ code: "invalid_grant" });
    await expect(token({ grant_type: "refresh_token", refresh_token: "x" }, "wrong secret")).rejects.toMatchObject({ code: "invalid_client" });
    await updateProjectSettings(db.prisma, actor, { resource_servers: ["https://api.example.com"] });
    const machine = await createMachineClient(db.prisma, actor, { name: "Worker", grants: [{ resource: "https://api.example.com", scopes: ["read"] }] }, "api");
    const machineId = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: machine.client.client_id } })).id;
    await handleTokenRequest(db.oauth, { authorization: basic(machine.client.client_id, machine.clientSecret!), form: new URLSearchParams({ grant_type: "client_credentials" }) });

    // Nothing is written by the requests themselves.
    expect(await db.prisma.activityCount.count()).toBe(0);
    await db.oauth.activity.flush();
    const rows = await db.prisma.activityCount.findMany({ orderBy: [{ appId: "asc" }, { kind: "asc" }] });
    expect(rows.map((r) => [r.appId === appId ? "app" : r.appId === machineId ? "machine" : r.appId, r.kind, Number(r.count)]).sort()).toEqual(
      [
        ["app", "error", 1],
        ["app", "token.authorization_code", 1],
        ["app", "token.refresh_token", 2],
        ["machine", "token.client_credentials", 1],
      ].sort(),
    );
    const project = await db.prisma.projectActivityCount.findMany({ orderBy: { kind: "asc" } });
    expect(project.map((r) => [r.kind, Number(r.count)])).toEqual([
      ["error", 2],
      ["token.authorization_code", 1],
      ["token.client_credentials", 1],
      ["token.refresh_token", 2],
    ]);
  });

  it("a device polling while its user decides (authorization_pending) is no error; a poll with a wrong device code is", async () => {
    await db.prisma.activityCount.deleteMany();
    await db.prisma.projectActivityCount.deleteMany();
    const device = await deviceClient(db);
    const { device_code } = await device.start({ scope: "openid" });
    await expect(device.poll(device_code)).rejects.toMatchObject({ code: "authorization_pending" });
    await db.oauth.activity.flush();
    expect(await db.prisma.activityCount.count()).toBe(0);
    await expect(device.poll("not-a-device-code")).rejects.toMatchObject({ code: "invalid_grant" });
    await db.oauth.activity.flush();
    expect((await db.prisma.activityCount.findMany()).map((r) => [r.kind, Number(r.count)])).toEqual([["error", 1]]);
  });

  it("an authorization error sent to the app's redirect URI counts for the app; a refused redirect URI (an error page) does not", async () => {
    await db.prisma.activityCount.deleteMany();
    await db.prisma.projectActivityCount.deleteMany();
    const request = (extra: Record<string, string>) =>
      authorize(db.oauth, new URLSearchParams({ client_id: clientId, redirect_uri: "https://rp.example/cb", response_type: "code", scope: "openid", state: "s", ...extra }), null);
    expect(await request({ response_type: "token" })).toMatchObject({ type: "redirect", location: expect.stringContaining("error=unsupported_response_type") });
    expect(await request({ prompt: "none" })).toMatchObject({ type: "redirect", location: expect.stringContaining("error=login_required") });
    expect(await request({ redirect_uri: "https://elsewhere.example/cb" })).toMatchObject({ type: "error_page" });
    // Asking to sign in is no error.
    expect(await request({})).toMatchObject({ type: "redirect", location: expect.stringMatching(/^\/signin\?/) });
    await db.oauth.activity.flush();
    const rows = await db.prisma.activityCount.findMany();
    expect(rows.map((r) => [r.appId, r.kind, Number(r.count)])).toEqual([[appId, "error", 2]]);
  });
});

