import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import { createApp } from "../clients/apps";
import { createMachineClient } from "../clients/machine-clients";
import { ensureSigningKeys } from "../keys/signing-keys";
import { signedInUser, testClient } from "@/tests/oauth-client";
import { gettingStarted, overviewCounts } from "./overview";

describe.each(testDatabases)("getting-started checklist on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const done = async () => (await gettingStarted(db.prisma)).filter((s) => s.done).map((s) => s.id);

  it("ticks each step as the database shows it happened: app, sign-in (a code), token (a redeemed code)", async () => {
    expect(await done()).toEqual(["owner"]);
    await createMachineClient(db.prisma, { type: "system", id: null, label: "test" }, { name: "Not an app" }, "dashboard");
    expect(await done()).toEqual(["owner"]);
    const app = await testClient(db);
    expect(await done()).toEqual(["owner", "app"]);
    const code = await app.authorize(await signedInUser(db.prisma, "checklist@example.com"), "openid");
    expect(await done()).toEqual(["owner", "app", "sign-in"]);
    await app.exchange(code);
    expect(await done()).toEqual(["owner", "app", "sign-in", "token"]);
  });
});

describe.each(testDatabases)("dashboard overview on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("counts end users and owners apart, connected apps and machine clients apart, and only this owner's live keys", async () => {
    const user = (email: string, role: "owner" | "member") => db.prisma.user.create({ data: { email, passwordHash: "unused", role } });
    const owner = await user("owner@example.com", "owner");
    const other = await user("other-owner@example.com", "owner");
    for (const n of [1, 2, 3]) await user(`member${n}@example.com`, "member");
    const actor = { type: "system" as const, id: null, label: "test" };
    await createApp(db.prisma, actor, { name: "A", client_type: "first_party_public", redirect_uris: ["https://a.example/cb"] }, "dashboard");
    await createApp(db.prisma, actor, { name: "B", client_type: "third_party", redirect_uris: ["https://b.example/cb"] }, "api");
    await createMachineClient(db.prisma, actor, { name: "Nightly job" }, "dashboard");
    await createApiKey(db.prisma, owner.id, "live");
    const { record: revoked } = await createApiKey(db.prisma, owner.id, "revoked");
    await revokeApiKey(db.prisma, actor, owner.id, revoked.id);
    await createApiKey(db.prisma, other.id, "someone else's");

    expect(await overviewCounts(db.prisma, owner.id)).toEqual({ members: 3, owners: 2, apps: 2, machineClients: 1, apiKeys: 1 });
  });
});
