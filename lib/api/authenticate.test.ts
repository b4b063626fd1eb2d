import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import { authenticate } from "./authenticate";

describe.each(testDatabases)("authenticating management requests on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const request = (authorization?: string) =>
    new Request("http://localhost/api/v1/connected-apps?limit=5", {
      method: "GET",
      headers: authorization === undefined ? {} : { authorization },
    });

  async function newOwnerKey(name = "ci") {
    const owner = await db.prisma.user.create({
      data: { email: `owner-${randomBytes(4).toString("hex")}@example.com`, passwordHash: "unused", role: "owner" },
    });
    return { owner, ...(await createApiKey(db.prisma, owner.id, name)) };
  }

  it("an owner's active key: the key's actor, and the use is in the audit log", async () => {
    const { key, record } = await newOwnerKey("deploy");
    const actor = await authenticate(db.prisma, request(`Bearer ${key}`));
    expect(actor).toEqual({ type: "api_key", id: record.id, label: `API key "deploy" (…${record.last4})` });
    const used = await db.prisma.auditEvent.findFirst({ where: { action: "api_key.used", targetId: record.id } });
    expect(used?.details).toEqual({ method: "GET", path: "/api/v1/connected-apps" });
  });

  it("no key, another scheme, a malformed header: 401 invalid_token", async () => {
    for (const header of [undefined, "Basic dXNlcjpwYXNz", "Bearer", "Bearer a b"]) {
      await expect(authenticate(db.prisma, request(header))).rejects.toMatchObject({ status: 401, code: "invalid_token" });
    }
    await expect(authenticate(db.prisma, request())).rejects.toMatchObject({ options: { credentialsSent: false } });
    await expect(authenticate(db.prisma, request("Bearer a b"))).rejects.toMatchObject({ options: { credentialsSent: true } });
  });

  it("an unknown key, a revoked key, a demoted owner's key: 401 invalid_token", async () => {
    const { key } = await newOwnerKey();
    await expect(authenticate(db.prisma, request(`Bearer ${key.slice(0, -1)}x`))).rejects.toMatchObject({ status: 401 });
    await expect(authenticate(db.prisma, request("Bearer garbage"))).rejects.toMatchObject({ status: 401 });

    const revoked = await newOwnerKey();
    await revokeApiKey(db.prisma, { type: "system", id: null, label: "test" }, revoked.owner.id, revoked.record.id);
    await expect(authenticate(db.prisma, request(`Bearer ${revoked.key}`))).rejects.toMatchObject({
      status: 401,
      description: "The API key is unknown or revoked",
    });

    const demoted = await newOwnerKey();
    expect(await authenticate(db.prisma, request(`Bearer ${demoted.key}`))).toMatchObject({ type: "api_key" });
    await db.prisma.user.update({ where: { id: demoted.owner.id }, data: { role: "member" } });
    await expect(authenticate(db.prisma, request(`Bearer ${demoted.key}`))).rejects.toMatchObject({ status: 401 });
  });
});
