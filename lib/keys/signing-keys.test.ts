import { SignJWT, createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { RETIRED_KEY_PUBLISH_MS, ensureSigningKeys, rotateSigningKeys } from "./signing-keys";
import { SIGNING_ALGS } from "../oauth/keys/algorithms";
import { activeSigningKey, publishedJwks } from "@/tests/jwks";

const actor: Actor = { type: "system", id: null, label: "test" };

async function signWith(db: TestDatabase, alg: "RS256" | "ES256") {
  const { kid, key } = await activeSigningKey(db, alg);
  return new SignJWT({ sub: "u1" }).setProtectedHeader({ alg, kid }).setIssuedAt().setExpirationTime("5m").sign(key);
}

describe.each(testDatabases)("signing keys on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("creates one RS256 and one ES256 key on first start, and none on the next", async () => {
    await ensureSigningKeys(db.prisma);
    await ensureSigningKeys(db.prisma);
    const keys = await db.prisma.signingKey.findMany({ where: { status: "active" } });
    expect(keys.map((k) => k.alg).sort()).toEqual([...SIGNING_ALGS].sort());
    const jwks = await publishedJwks(db);
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const jwk of jwks.keys) {
      expect(jwk).toMatchObject({ use: "sig", kid: expect.any(String) });
      expect(jwk).not.toHaveProperty("d"); // public parts only
    }
  });

  it("stores private keys only encrypted", async () => {
    const rows = await db.prisma.signingKey.findMany();
    for (const row of rows) {
      expect(row.privateJwkEncrypted).toMatch(/^v1\./);
      expect(row.privateJwkEncrypted).not.toContain('"d"');
    }
  });

  it.each(SIGNING_ALGS)("signs %s tokens that verify against the published JWKS", async (alg) => {
    const token = await signWith(db, alg);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await publishedJwks(db)));
    expect(payload.sub).toBe("u1");
    expect(protectedHeader.alg).toBe(alg);
  });

  it("rotation: new keys sign at once; old tokens still verify until their publish window ends", async () => {
    const before = await signWith(db, "RS256");
    const oldKid = (await activeSigningKey(db, "RS256")).kid;
    const now = new Date();
    const kids = await rotateSigningKeys(db.prisma, actor, now);
    expect(kids).toHaveLength(2);
    expect((await activeSigningKey(db, "RS256")).kid).not.toBe(oldKid);

    const jwks = await publishedJwks(db, now);
    expect(jwks.keys.map((k) => k.kid)).toContain(oldKid);
    await jwtVerify(before, createLocalJWKSet(jwks));
    await jwtVerify(await signWith(db, "RS256"), createLocalJWKSet(jwks));

    // Published as long as a token it signed may live (access tokens: at most 24 hours per app) plus 5 minutes of clock skew.
    const window = (24 * 60 + 5) * 60 * 1000;
    expect((await publishedJwks(db, new Date(now.getTime() + window - 1))).keys.map((k) => k.kid)).toContain(oldKid);
    expect((await publishedJwks(db, new Date(now.getTime() + window))).keys.map((k) => k.kid)).not.toContain(oldKid);

    const later = new Date(now.getTime() + RETIRED_KEY_PUBLISH_MS + 1000);
    const afterWindow = await publishedJwks(db, later);
    expect(afterWindow.keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(afterWindow.keys.map((k) => k.kid).sort()).toEqual([...kids].sort());
    expect(await db.prisma.auditEvent.count({ where: { action: "signing_keys.rotated" } })).toBe(1);
  });

  it("each algorithm's key is of its own type, and a missing one is made without touching the other", async () => {
    await ensureSigningKeys(db.prisma);
    const active = await db.prisma.signingKey.findMany({ where: { status: "active" } });
    const rs = active.find((k) => k.alg === "RS256")!;
    const es = active.find((k) => k.alg === "ES256")!;
    expect(rs.publicJwk).toMatchObject({ kty: "RSA", alg: "RS256" });
    expect(es.publicJwk).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
    // Only the ES256 key is missing (retired, say, by hand): ensureSigningKeys makes that one alone.
    await db.prisma.signingKey.update({ where: { kid: es.kid }, data: { status: "retired", retiredAt: new Date() } });
    await ensureSigningKeys(db.prisma);
    const after = await db.prisma.signingKey.findMany({ where: { status: "active" } });
    expect(after.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    expect(after.find((k) => k.alg === "RS256")!.kid).toBe(rs.kid);
    expect(after.find((k) => k.alg === "ES256")!.kid).not.toBe(es.kid);
    // A retired key of an algorithm does not count as its key.
    expect(await db.prisma.signingKey.count({ where: { alg: "ES256" } })).toBeGreaterThanOrEqual(2);
  });

  it("JWKS lists the active keys first, then retired ones newest first", async () => {
    await ensureSigningKeys(db.prisma);
    await rotateSigningKeys(db.prisma, actor);
    await rotateSigningKeys(db.prisma, actor);
    const rows = await db.prisma.signingKey.findMany({ orderBy: { createdAt: "desc" } });
    const { keys } = await publishedJwks(db);
    const statusOf = new Map(rows.map((r) => [r.kid, r.status]));
    const statuses = keys.map((k) => statusOf.get(k.kid!));
    expect(statuses.slice(0, 2)).toEqual(["active", "active"]);
    expect(statuses.slice(2).every((s) => s === "retired")).toBe(true);
    const createdOf = new Map(rows.map((r) => [r.kid, r.createdAt.getTime()]));
    const retiredCreated = keys.slice(2).map((k) => createdOf.get(k.kid!)!);
    expect(retiredCreated).toEqual([...retiredCreated].sort((a, b) => b - a));
  });
});

describe.each(testDatabases.filter((d) => d.name === "postgres"))("signing keys on $name, concurrently", ({ target }) => {
  it("several instances starting at once create exactly one key per algorithm", async () => {
    const t = await target();
    const first = await openTestDatabase(t);
    const others = await Promise.all([1, 2, 3].map(() => openTestDatabase({ ...t, drop: async () => {} })));
    try {
      await Promise.all([first, ...others].map((db) => ensureSigningKeys(db.prisma)));
      const keys = await first.prisma.signingKey.findMany();
      expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    } finally {
      for (const db of others) await db.dispose();
      await first.dispose();
    }
  });
});
