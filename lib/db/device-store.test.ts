import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "@/lib/clients/apps";
import { createUser } from "@/lib/auth/users";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { NewDeviceAuthorization } from "../oauth/store";
import { prismaDeviceInteractions, sqlDeviceStore } from "./device-store";

const SYSTEM = { type: "system", id: null, label: "test" } as const;
const MINUTE = 60_000;
const SIGN_IN = { amr: ["pwd"], idp: "email" };

/**
 * The device grant's store, verb by verb, on the edges the flow tests do not
 * reach because the protocol checks first (lib/oauth/device/verification.ts
 * refuses an expired code before deciding it): the store must hold on its
 * own. The store is built inside each test: what a hook builds runs before
 * mutation testing switches a mutant on.
 */
describe.each(testDatabases)("the device authorization store on $name", ({ target }) => {
  let db: TestDatabase;
  let appId: string;
  let userId: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    userId = (await createUser(db.prisma, { email: "device-store@example.com", password: "correct horse battery", name: "Device User" }, "member")).id;
    const { app } = await createApp(db.prisma, SYSTEM, { client_type: "first_party", name: "TV", redirect_uris: ["https://tv.example/cb"] }, "api");
    appId = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } })).id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const stores = () => ({ device: sqlDeviceStore(db.sql), pages: prismaDeviceInteractions(db.prisma) });

  async function started(overrides: Partial<NewDeviceAuthorization> = {}): Promise<NewDeviceAuthorization> {
    const now = new Date();
    const authorization: NewDeviceAuthorization = {
      id: randomUUID(),
      deviceCodeHash: `device-${randomUUID()}`,
      userCodeHash: `user-${randomUUID()}`,
      appId,
      scopes: ["openid", "profile", "offline_access"],
      resources: ["https://api.example"],
      intervalSeconds: 5,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 10 * MINUTE),
      ...overrides,
    };
    expect(await stores().device.insertDeviceAuthorization(authorization)).toBe(true);
    return authorization;
  }

  const decision = (a: NewDeviceAuthorization, choice: "approved" | "denied", now = new Date()) => ({
    id: a.id,
    decision: choice,
    userId,
    grantedScopes: ["openid", "profile"],
    authTime: new Date(now.getTime() - MINUTE),
    signIn: SIGN_IN,
    now,
  });

  const poll = (a: NewDeviceAuthorization, now = new Date(), refreshToken: { id: string; hash: string; expiresAt: Date } | null = null) =>
    stores().device.pollDeviceCode({ deviceCodeHash: a.deviceCodeHash, appId, familyId: randomUUID(), refreshToken, familyExpiresAt: new Date(now.getTime() + 10 * MINUTE), now });

  const grantOf = async () => (await db.prisma.grant.findUnique({ where: { userId_appId: { userId, appId } } }))?.scopes ?? null;

  it("reads an unknown id or user code as nothing, and a pending one as stored, undecided", async () => {
    const { pages } = stores();
    expect(await pages.deviceAuthorization(randomUUID())).toBeNull();
    expect(await pages.deviceAuthorizationByUserCode("user-nothing")).toBeNull();
    const a = await started();
    for (const read of [await pages.deviceAuthorization(a.id), await pages.deviceAuthorizationByUserCode(a.userCodeHash)]) {
      expect(read).toMatchObject({ id: a.id, appId, scopes: a.scopes, resources: a.resources, decision: null, userId: null, grantedScopes: [], redeemedAt: null });
    }
  });

  it("refuses to decide an expired authorization, whatever the caller checked: nothing is recorded or granted", async () => {
    const a = await started({ expiresAt: new Date(Date.now() - 1000) });
    expect(await stores().pages.decideDeviceAuthorization(decision(a, "approved"))).toBe(false);
    expect(await stores().pages.deviceAuthorization(a.id)).toMatchObject({ decision: null, userId: null, grantedScopes: [] });
    expect(await grantOf()).toBeNull();
  });

  it("a denial records the user and no scopes, and grants the app nothing", async () => {
    const a = await started();
    expect(await stores().pages.decideDeviceAuthorization(decision(a, "denied"))).toBe(true);
    expect(await stores().pages.deviceAuthorization(a.id)).toMatchObject({ decision: "denied", userId, grantedScopes: [] });
    expect(await grantOf()).toBeNull();
  });

  it("an approval records what was granted and how the user signed in, merges it into the grant, and the poll hands it over once", async () => {
    const a = await started();
    expect(await stores().pages.decideDeviceAuthorization(decision(a, "approved"))).toBe(true);
    expect(await stores().pages.decideDeviceAuthorization(decision(a, "denied"))).toBe(false);
    expect(await stores().pages.deviceAuthorization(a.id)).toMatchObject({ decision: "approved", userId, grantedScopes: ["openid", "profile"], signIn: SIGN_IN });
    expect(await grantOf()).toEqual(["openid", "profile"]);
    const issued = await poll(a);
    expect(issued).toMatchObject({ kind: "issued", refreshTokenStored: false, user: { id: userId, email: "device-store@example.com", name: "Device User" } });
    expect(issued.authorization).toMatchObject({ decision: "approved", grantedScopes: ["openid", "profile"], signIn: SIGN_IN });
    expect(await poll(a)).toMatchObject({ kind: "untouched" });
  });

  it("a poll of a pending authorization without a refresh token is recorded; one too soon grows the interval", async () => {
    const a = await started();
    const now = new Date();
    expect(await poll(a, now)).toMatchObject({ kind: "pending", tooFast: false, authorization: { intervalSeconds: 5 } });
    expect(await poll(a, new Date(now.getTime() + 1000))).toMatchObject({ kind: "pending", tooFast: true, authorization: { intervalSeconds: 10 } });
  });

  it("reads list columns another writer left NULL as empty lists", async () => {
    const a = await started();
    await db.sql.query(
      { name: "t_null_device", text: "UPDATE device_authorizations SET scopes = NULL, resources = NULL, granted_scopes = NULL, amr = NULL WHERE id = $1::uuid" },
      [a.id],
    );
    const pending = await poll(a);
    expect(pending.authorization).toMatchObject({ scopes: [], resources: [], grantedScopes: [], signIn: { amr: [], idp: null } });
  });
});
