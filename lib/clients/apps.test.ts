import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { authenticateClient } from "../oauth/client-auth";
import type { OAuthContext } from "../oauth/context";
import { OAuthError } from "../oauth/oauth-error";
import * as apps from "./apps";
import { DomainError } from "../domain-error";
import { CLIENT_TYPES, policyFor } from "./policy";

/** Whether the token endpoint's client authentication (Basic) accepts `secret` for the app. */
async function authenticates(ctx: OAuthContext, clientId: string, secret: string): Promise<boolean> {
  try {
    await authenticateClient(ctx, { clientId, secret, method: "client_secret_basic" });
    return true;
  } catch (e) {
    if (e instanceof OAuthError && e.code === "invalid_client") return false;
    throw e;
  }
}

const actor: Actor = { type: "user", id: null, label: "owner@example.com" };

describe.each(testDatabases)("connected apps on $name", ({ name, target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const create = (input: Record<string, unknown>) =>
    apps.createApp(db.prisma, actor, { name: "App", redirect_uris: ["https://app.example.com/cb"], ...input }, "dashboard");

  it.each(CLIENT_TYPES)("creates a %s app; a secret exists, once, exactly for confidential types", async (type) => {
    const { app, clientSecret } = await create({ client_type: type });
    const confidential = policyFor(type).confidential;
    expect(app.client_id).toMatch(/^ca_[\w-]{22}$/);
    expect(app.client_type).toBe(type);
    expect(app.is_public).toBe(!confidential);
    expect(app.is_first_party).toBe(policyFor(type).ownership === "first_party");
    expect(app.creation_method).toBe("dashboard");
    expect(clientSecret === null).toBe(!confidential);
    expect(app.client_secret_last4).toBe(clientSecret ? clientSecret.slice(-4) : null);
    expect(JSON.stringify(await apps.getApp(db.prisma, app.client_id))).not.toContain(clientSecret ?? "-none-");
    if (clientSecret) {
      // A database dump holds only the keyed hash.
      const rows = await db.prisma.clientSecret.findMany({ where: { app: { clientId: app.client_id } } });
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(clientSecret);
      expect(await authenticates(db.oauth, app.client_id, clientSecret)).toBe(true);
    }
  });

  it("verifies secrets through a whole rotation cycle", async () => {
    const { app, clientSecret: first } = await create({ client_type: "third_party" });
    const verify = (s: string) => authenticates(db.oauth, app.client_id, s);

    const started = await apps.startSecretRotation(db.prisma, actor, app.client_id);
    const second = started.clientSecret;
    expect(started.app.next_client_secret_last4).toBe(second.slice(-4));
    expect([await verify(first!), await verify(second)]).toEqual([true, true]);
    await expect(apps.startSecretRotation(db.prisma, actor, app.client_id)).rejects.toMatchObject({ name: "DomainError", code: "conflict" });

    const completed = await apps.completeSecretRotation(db.prisma, actor, app.client_id);
    expect(completed.client_secret_last4).toBe(second.slice(-4));
    expect(completed.next_client_secret_last4).toBeNull();
    expect([await verify(first!), await verify(second)]).toEqual([false, true]);
    await expect(apps.completeSecretRotation(db.prisma, actor, app.client_id)).rejects.toMatchObject({ name: "DomainError", code: "conflict" });

    const third = (await apps.startSecretRotation(db.prisma, actor, app.client_id)).clientSecret;
    const cancelled = await apps.cancelSecretRotation(db.prisma, actor, app.client_id);
    expect(cancelled.client_secret_last4).toBe(second.slice(-4));
    expect([await verify(second), await verify(third)]).toEqual([true, false]);
    await expect(apps.cancelSecretRotation(db.prisma, actor, app.client_id)).rejects.toMatchObject({ name: "DomainError", code: "conflict" });
  });

  it("moves the app's updated time with each rotation step", async () => {
    const { app } = await create({ client_type: "first_party" });
    const updatedAt = async () => (await apps.getApp(db.prisma, app.client_id))!.updated_at;
    const later = async (step: () => Promise<unknown>) => {
      const before = await updatedAt();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await step();
      return (await updatedAt()) > before;
    };
    expect(await later(() => apps.startSecretRotation(db.prisma, actor, app.client_id))).toBe(true);
    expect(await later(() => apps.completeSecretRotation(db.prisma, actor, app.client_id))).toBe(true);
    expect(await later(() => apps.startSecretRotation(db.prisma, actor, app.client_id))).toBe(true);
    expect(await later(() => apps.cancelSecretRotation(db.prisma, actor, app.client_id))).toBe(true);
    // A refused step changes nothing.
    expect(await later(() => apps.cancelSecretRotation(db.prisma, actor, app.client_id).catch(() => null))).toBe(false);
  });

  it("refuses secrets for unknown, disabled and public apps", async () => {
    const { app, clientSecret } = await create({ client_type: "first_party" });
    expect(await authenticates(db.oauth, "ca_unknown", clientSecret!)).toBe(false);
    await apps.updateApp(db.prisma, actor, app.client_id, { status: "disabled" });
    expect(await authenticates(db.oauth, app.client_id, clientSecret!)).toBe(false);
    const pub = await create({ client_type: "first_party_public" });
    expect(await authenticates(db.oauth, pub.app.client_id, "")).toBe(false);
    await expect(apps.startSecretRotation(db.prisma, actor, pub.app.client_id)).rejects.toMatchObject({ name: "DomainError", code: "conflict" });
  });

  it.each([
    ["first_party", "dcr"],
    ["first_party_public", "cimd"],
    ["first_party", "cimd"],
  ] as const)("refuses to create a %s app by %s: the policy table's creation methods", async (clientType, creationMethod) => {
    expect(policyFor(clientType).creationMethods).not.toContain(creationMethod);
    const input = { client_type: clientType, name: "App", redirect_uris: ["https://app.example.com/cb"] };
    await expect(apps.createApp(db.prisma, actor, input, creationMethod)).rejects.toMatchObject({ name: "DomainError", code: "invalid_input", fields: { client_type: expect.stringContaining(creationMethod) } });
  });

  it("forgets remembered consent when the redirect URIs change, and only then", async () => {
    const { app } = await create({ client_type: "third_party", redirect_uris: ["https://app.example.com/cb", "https://app.example.com/other"] });
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } });
    const user = await db.prisma.user.create({ data: { email: `consent-${Date.now()}@example.com`, passwordHash: "x" } });
    await db.prisma.grant.create({ data: { userId: user.id, appId: row.id, scopes: ["openid"] } });
    const grants = () => db.prisma.grant.count({ where: { appId: row.id } });

    await apps.updateApp(db.prisma, actor, app.client_id, { name: "Renamed", redirect_uris: ["https://app.example.com/other", "https://app.example.com/cb"] });
    expect(await grants()).toBe(1); // same set, another order
    await apps.updateApp(db.prisma, actor, app.client_id, { redirect_uris: ["https://app.example.com/cb"] });
    expect(await grants()).toBe(0);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: app.client_id, action: "connected_app.updated" }, orderBy: { seq: "desc" } });
    expect(audit.details).toEqual({ changed: ["redirect_uris"], consent_reset: true });
  });

  it("updates settings within the type's rules; the type itself never changes", async () => {
    const { app } = await create({ client_type: "third_party_public" });
    const updated = await apps.updateApp(db.prisma, actor, app.client_id, {
      name: "Renamed",
      redirect_uris: ["http://127.0.0.1/cb", "com.example.app:/cb"],
    });
    expect(updated).toMatchObject({ name: "Renamed", redirect_uris: ["http://127.0.0.1/cb", "com.example.app:/cb"] });
    const refusal = await apps
      .updateApp(db.prisma, actor, app.client_id, { client_type: "first_party", skip_consent: true })
      .catch((e: unknown) => e);
    expect(refusal).toMatchObject({ name: "DomainError", code: "invalid_input" });
    expect(Object.keys((refusal as DomainError).fields)).toEqual(["client_type"]);
    await expect(apps.updateApp(db.prisma, actor, app.client_id, { skip_consent: true })).rejects.toThrow(
      "only first-party apps may skip consent",
    );
    await expect(apps.updateApp(db.prisma, actor, "ca_nope", { name: "x" })).rejects.toMatchObject({ name: "DomainError", code: "not_found" });
    expect((await apps.getApp(db.prisma, app.client_id))?.client_type).toBe("third_party_public");
  });

  it("allows http://localhost for a confidential app only when the caller says the server is in development", async () => {
    const local = { client_type: "first_party", redirect_uris: ["http://localhost:4000/cb"] };
    await expect(create(local)).rejects.toThrow("must use https");
    const { app } = await apps.createApp(db.prisma, actor, { name: "Dev", ...local }, "dashboard", { development: true });
    expect(app.redirect_uris).toEqual(["http://localhost:4000/cb"]);
    const later = { redirect_uris: ["http://localhost:5000/cb"] };
    await expect(apps.updateApp(db.prisma, actor, app.client_id, later)).rejects.toThrow("must use https");
    expect((await apps.updateApp(db.prisma, actor, app.client_id, later, { development: true })).redirect_uris).toEqual(later.redirect_uris);
  });

  it("deletes an app with its secrets", async () => {
    const { app } = await create({ client_type: "first_party" });
    await apps.deleteApp(db.prisma, actor, app.client_id);
    expect(await apps.getApp(db.prisma, app.client_id)).toBeNull();
    expect(await db.prisma.clientSecret.count({ where: { app: { clientId: app.client_id } } })).toBe(0);
    await expect(apps.deleteApp(db.prisma, actor, app.client_id)).rejects.toMatchObject({ name: "DomainError", code: "not_found" });
  });

  it("pages through apps in creation order with a cursor, and searches by name or client_id", async () => {
    const tag = `Paged-${name}-${Date.now()}`;
    const created: string[] = [];
    for (let i = 0; i < 23; i++) created.push((await create({ client_type: "first_party_public", name: `${tag} ${i}` })).app.client_id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await apps.listApps(db.prisma, { limit: 10, cursor, search: tag });
      expect(page.apps.length).toBeLessThanOrEqual(10);
      seen.push(...page.apps.map((a) => a.client_id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(created);
    expect((await apps.listApps(db.prisma, { search: tag.toLowerCase() + " 7" })).apps.map((a) => a.name)).toEqual([`${tag} 7`]);
    expect((await apps.listApps(db.prisma, { search: created[3] })).apps.map((a) => a.client_id)).toEqual([created[3]]);
  });

  it("records every change in the audit log, never a secret", async () => {
    const { app, clientSecret } = await create({ client_type: "first_party" });
    const { clientSecret: next } = await apps.startSecretRotation(db.prisma, actor, app.client_id);
    await apps.completeSecretRotation(db.prisma, actor, app.client_id);
    await apps.updateApp(db.prisma, actor, app.client_id, { name: "Audited" });
    await apps.deleteApp(db.prisma, actor, app.client_id);
    const events = await db.prisma.auditEvent.findMany({ where: { targetId: app.client_id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual([
      "connected_app.created",
      "connected_app.secret_rotation_started",
      "connected_app.secret_rotation_completed",
      "connected_app.updated",
      "connected_app.deleted",
    ]);
    expect(events.every((e) => e.actorLabel === "owner@example.com")).toBe(true);
    const dump = JSON.stringify(await db.prisma.auditEvent.findMany(), (_, v) => (typeof v === "bigint" ? String(v) : v));
    expect(dump).not.toContain(clientSecret!);
    expect(dump).not.toContain(next);
  });
});

// Real concurrency needs several connections: PostgreSQL only (PGlite is one connection).
describe.each(testDatabases.filter((d) => d.name === "postgres"))("connected apps on $name, concurrently", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const create = (input: Record<string, unknown>) => apps.createApp(db.prisma, actor, { name: "App", ...input }, "api");

  it("rotation steps stay consistent under concurrent requests", async () => {
    const { app } = await create({ client_type: "first_party" });
    const starts = await Promise.allSettled(Array.from({ length: 5 }, () => apps.startSecretRotation(db.prisma, actor, app.client_id)));
    expect(starts.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(starts.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof DomainError && (r as PromiseRejectedResult).reason.code === "conflict")).toBe(true);
    const winner = (starts.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ clientSecret: string }>).value.clientSecret;

    const completes = await Promise.allSettled(Array.from({ length: 4 }, () => apps.completeSecretRotation(db.prisma, actor, app.client_id)));
    expect(completes.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const slots = await db.prisma.clientSecret.findMany({ where: { app: { clientId: app.client_id } } });
    expect(slots.map((s) => s.slot)).toEqual(["current"]);
    expect(await authenticates(db.oauth, app.client_id, winner)).toBe(true);
  });
});

describe.each(testDatabases)("listing connected apps on $name", ({ name, target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const create = (appName: string) => apps.createApp(db.prisma, actor, { client_type: "first_party_public", name: appName }, "api");

  it("keeps following pages when the app a page ended on was deleted", async () => {
    const tag = `Del-${name}-${Date.now()}`;
    for (let i = 0; i < 3; i++) await create(`${tag} ${i}`);
    const first = await apps.listApps(db.prisma, { limit: 1, search: tag });
    await apps.deleteApp(db.prisma, actor, first.apps[0]!.client_id);
    const rest = await apps.listApps(db.prisma, { cursor: first.nextCursor!, search: tag });
    expect(rest.apps.map((a) => a.name)).toEqual([`${tag} 1`, `${tag} 2`]);
  });

  it("treats % and _ in a search literally", async () => {
    await create("100% real_app");
    await create("plain app");
    expect((await apps.listApps(db.prisma, { search: "%" })).apps.map((a) => a.name)).toEqual(["100% real_app"]);
    expect((await apps.listApps(db.prisma, { search: "l_app" })).apps.map((a) => a.name)).toEqual(["100% real_app"]);
  });

  it("refuses malformed cursors and unstorable input with field errors, not database errors", async () => {
    await expect(apps.listApps(db.prisma, { cursor: "ca_nope" })).rejects.toMatchObject({ name: "DomainError", code: "invalid_input" });
    await expect(apps.listApps(db.prisma, { cursor: "9".repeat(19) })).rejects.toMatchObject({ name: "DomainError", code: "invalid_input" });
    await expect(apps.listApps(db.prisma, { search: "a\u0000b" })).rejects.toMatchObject({ name: "DomainError", code: "invalid_input" });
    const bad = await apps
      .createApp(db.prisma, actor, { client_type: "first_party", name: "nul\u0000name", redirect_uris: ["https://a.example/\uD800"] }, "api")
      .catch((e: unknown) => e as DomainError);
    expect(bad).toMatchObject({ name: "DomainError", code: "invalid_input" });
    expect(Object.keys((bad as DomainError).fields).sort()).toEqual(["name", "redirect_uris[0]"]);
  });
});
