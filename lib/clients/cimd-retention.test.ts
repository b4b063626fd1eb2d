import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { createUser } from "../auth/users";
import { hashToken } from "../crypto/tokens";
import { updateProjectSettings } from "../settings";
import { createApp, deleteAppIf } from "./apps";
import { cimdHousekeeping } from "./cimd";
import { parseCimdConfig } from "./cimd-config";
import { removeUnusedCimdApps } from "./cimd-retention";
import { DEFAULT_SCOPES } from "./policy";

const DAY = 24 * 60 * 60 * 1000;
const housekeeping: Actor = { type: "system", id: null, label: "Client ID Metadata Document" };

describe.each(testDatabases)("removing CIMD apps nobody authorized on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const now = new Date();
  const cimdApp = (name: string, createdDaysAgo: number, extra: { status?: "active" | "disabled" } = {}) =>
    db.prisma.connectedApp.create({
      data: {
        clientId: `https://${name}.example/client.json`,
        name,
        clientType: "third_party_public",
        redirectUris: ["http://127.0.0.1/callback"],
        allowedScopes: [...DEFAULT_SCOPES],
        creationMethod: "cimd",
        createdAt: new Date(now.getTime() - createdDaysAgo * DAY),
        ...extra,
      },
    });

  it("removes them after the retention period, through the audited delete; keeps every app someone authorized or is authorizing", async () => {
    const user = await createUser(db.prisma, { email: "cimd-retention@example.com", password: "correct horse battery" }, "member");
    const unused = await cimdApp("unused", 8);
    const young = await cimdApp("young", 6);
    const granted = await cimdApp("granted", 30);
    await db.prisma.grant.create({ data: { userId: user.id, appId: granted.id, scopes: ["openid"] } });
    const tokens = await cimdApp("tokens", 30);
    await db.prisma.tokenFamily.create({ data: { appId: tokens.id, userId: user.id, scopes: [], resources: [], authTime: now } });
    const coded = await cimdApp("coded", 30);
    await db.prisma.authorizationCode.create({
      data: { codeHash: hashToken("retention-code"), appId: coded.id, userId: user.id, redirectUri: "http://127.0.0.1/callback", redirectUriSent: true, scopes: [], resources: [], authTime: now, expiresAt: now },
    });
    const exchanged = await cimdApp("exchanged", 30);
    await db.prisma.sessionExchange.create({
      data: { jti: "retention-jti", appId: exchanged.id, userId: user.id, linkHash: hashToken("retention-link"), linkExpiresAt: now },
    });
    const signingIn = await cimdApp("signing-in", 30);
    await db.prisma.authorizationRequest.create({ data: { appId: signingIn.id, params: {}, bindingHash: "retention-b", expiresAt: new Date(now.getTime() + 3_600_000) } });
    const disabled = await cimdApp("disabled", 30, { status: "disabled" });
    const { app: byHand } = await createApp(db.prisma, housekeeping, { name: "By hand", client_type: "third_party_public", redirect_uris: ["https://hand.example/cb"] }, "dashboard");
    await db.prisma.connectedApp.update({ where: { clientId: byHand.client_id }, data: { createdAt: new Date(now.getTime() - 30 * DAY) } });

    expect(await removeUnusedCimdApps(db.prisma, housekeeping, { retentionDays: 7, now })).toBe(1);
    const left = (await db.prisma.connectedApp.findMany({ select: { clientId: true } })).map((a) => a.clientId);
    expect(left).not.toContain(unused.clientId);
    for (const kept of [young, granted, tokens, coded, exchanged, signingIn, disabled]) expect(left).toContain(kept.clientId);
    expect(left).toContain(byHand.client_id);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "connected_app.deleted", targetId: unused.clientId } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "Client ID Metadata Document", details: { reason: "cimd_unused", unused_retention_days: 7 } });
    // A day later the young one has had its week too.
    expect(await removeUnusedCimdApps(db.prisma, housekeeping, { retentionDays: 7, now: new Date(now.getTime() + 2 * DAY) })).toBe(1);
    expect(await db.prisma.connectedApp.count({ where: { clientId: young.clientId } })).toBe(0);
  });

  it("runs in the periodic CIMD housekeeping, with CIMD_UNUSED_RETENTION_DAYS, also while CIMD is off", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      await updateProjectSettings(db.prisma, housekeeping, { cimd_enabled: false });
      const app = await cimdApp("scheduled", 3);
      const config = { ...parseCimdConfig({}), unusedRetentionDays: 2 };
      expect(await cimdHousekeeping(db.prisma, { config, now })).toEqual({ removed: 1, refreshed: 0, failed: 0 });
      expect(await db.prisma.connectedApp.count({ where: { id: app.id } })).toBe(0);
      expect(info).toHaveBeenCalledWith("connected-apps: removed 1 metadata-document apps nobody authorized");
    } finally {
      info.mockRestore();
    }
  });

  it("the delete checks its condition itself: an app used since it was picked stays", async () => {
    const user = await createUser(db.prisma, { email: "cimd-retention-race@example.com", password: "correct horse battery" }, "member");
    const app = await cimdApp("race", 30);
    await db.prisma.grant.create({ data: { userId: user.id, appId: app.id, scopes: ["openid"] } });
    expect(await deleteAppIf(db.prisma, housekeeping, app.clientId, { grants: { none: {} } })).toBe(false);
    expect(await db.prisma.connectedApp.count({ where: { id: app.id } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: "connected_app.deleted", targetId: app.clientId } })).toBe(0);
  });
});
