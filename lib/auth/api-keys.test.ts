import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { hashToken, randomToken } from "../crypto/tokens";
import { API_KEY_PREFIX, createApiKey, findApiKey } from "./api-keys";

describe.each(testDatabases)("API keys on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** A fresh owner (the password hash is irrelevant here, so no scrypt). */
  async function newOwner() {
    const email = `owner-${randomBytes(4).toString("hex")}@example.com`;
    return db.prisma.user.create({ data: { email, passwordHash: "unused", role: "owner" } });
  }

  it("creates a key with the ca_key_ prefix and 256 bits of base64url after it", async () => {
    const owner = await newOwner();
    const { key, record } = await createApiKey(db.prisma, owner.id, "CI");
    expect(API_KEY_PREFIX).toBe("ca_key_");
    expect(key.startsWith("ca_key_")).toBe(true);
    const secret = key.slice("ca_key_".length);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(secret, "base64url").length).toBeGreaterThanOrEqual(32);
    expect(record).toMatchObject({ ownerId: owner.id, name: "CI", revokedAt: null, lastUsedAt: null });

    const another = await createApiKey(db.prisma, owner.id, "CI");
    expect(another.key).not.toBe(key);
  });

  it("stores only the key's hash and its last four characters", async () => {
    const owner = await newOwner();
    const { key, record } = await createApiKey(db.prisma, owner.id, "deploy");
    const secret = key.slice(API_KEY_PREFIX.length);

    const rows = await db.prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM api_keys WHERE id = ${record.id}::uuid`;
    expect(rows).toHaveLength(1);
    for (const [column, value] of Object.entries(rows[0]!)) {
      expect(String(value), column).not.toContain(secret);
    }
    expect(rows[0]!.key_hash).toBe(hashToken(key));
    expect(rows[0]!.last4).toBe(key.slice(-4));
    expect(record.last4).toBe(key.slice(-4));
  });

  it("finds the active key of an owner", async () => {
    const owner = await newOwner();
    const { key, record } = await createApiKey(db.prisma, owner.id, "ops");
    const found = await findApiKey(db.prisma, key);
    expect(found?.id).toBe(record.id);
    expect(found?.ownerId).toBe(owner.id);
    expect(found?.owner.role).toBe("owner");
  });

  it("does not find a wrong key, a key without its prefix, or the stored hash", async () => {
    const owner = await newOwner();
    const { key } = await createApiKey(db.prisma, owner.id, "ops");
    const secret = key.slice(API_KEY_PREFIX.length);
    const flipped = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");

    expect(await findApiKey(db.prisma, flipped)).toBeNull();
    expect(await findApiKey(db.prisma, API_KEY_PREFIX + randomToken(32))).toBeNull();
    expect(await findApiKey(db.prisma, secret)).toBeNull();
    expect(await findApiKey(db.prisma, `${key} `)).toBeNull();
    expect(await findApiKey(db.prisma, key.toUpperCase())).toBeNull();
    expect(await findApiKey(db.prisma, hashToken(key))).toBeNull();
    expect(await findApiKey(db.prisma, API_KEY_PREFIX + hashToken(key))).toBeNull();
    expect(await findApiKey(db.prisma, "")).toBeNull();
    expect(await findApiKey(db.prisma, API_KEY_PREFIX)).toBeNull();
    // Still there for the right key.
    expect(await findApiKey(db.prisma, key)).not.toBeNull();
  });

  it("does not find a revoked key", async () => {
    const owner = await newOwner();
    const { key, record } = await createApiKey(db.prisma, owner.id, "old");
    const kept = await createApiKey(db.prisma, owner.id, "kept");
    await db.prisma.apiKey.update({ where: { id: record.id }, data: { revokedAt: new Date() } });
    expect(await findApiKey(db.prisma, key)).toBeNull();
    expect((await findApiKey(db.prisma, kept.key))?.id).toBe(kept.record.id);
  });

  it("does not find the key of an owner demoted to member", async () => {
    const owner = await newOwner();
    const { key, record } = await createApiKey(db.prisma, owner.id, "ops");
    await db.prisma.user.update({ where: { id: owner.id }, data: { role: "member" } });
    expect(await findApiKey(db.prisma, key)).toBeNull();
    // The role is read on every lookup: promoted again, the key works again.
    await db.prisma.user.update({ where: { id: owner.id }, data: { role: "owner" } });
    expect((await findApiKey(db.prisma, key))?.id).toBe(record.id);
  });

  it("keys die with their owner", async () => {
    const owner = await newOwner();
    const { key } = await createApiKey(db.prisma, owner.id, "ops");
    await db.prisma.user.delete({ where: { id: owner.id } });
    expect(await findApiKey(db.prisma, key)).toBeNull();
  });
});
