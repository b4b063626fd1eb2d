import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { parseConfig, type Config } from "../config";
import { hashToken, randomToken } from "../crypto/tokens";
import { bootstrapOwner, completeSetup, isSetupTokenValid, SETUP_TOKEN_TTL_MS } from "./bootstrap";

/** What the setup page shows for each refusal (a conflict DomainError's message). */
const refused = (message: string) => ({ name: "DomainError", code: "conflict", message });
const OWNER_EXISTS = refused("An owner already exists; sign in instead");
const BAD_LINK = refused("This setup link is invalid or has expired");
import { verifyPassword } from "./password";
import { createUser, verifyCredentials } from "./users";

const ISSUER = "https://id.example.com/auth";
const noEnvOwner: Config = parseConfig({ ISSUER: `${ISSUER}/` });

function envOwner(email: string, password: string): Config {
  return parseConfig({ ISSUER, OWNER_EMAIL: email, OWNER_PASSWORD: password });
}

/** The token inside a setup URL. */
function tokenOf(url: string): string {
  const token = new URL(url).searchParams.get("token");
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

describe.each(testDatabases)("owner bootstrap on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });
  // Whether an owner exists is the whole point here: every test starts empty.
  beforeEach(async () => {
    await db.prisma.setupToken.deleteMany();
    await db.prisma.apiKey.deleteMany();
    await db.prisma.user.deleteMany();
  });

  const owners = () => db.prisma.user.findMany({ where: { role: "owner" } });

  /** Issues a setup URL the way start-up does and returns its token. */
  async function issueToken(): Promise<string> {
    const result = await bootstrapOwner(db.prisma, noEnvOwner);
    if (result.kind !== "setup-url") throw new Error(`expected a setup URL, got ${result.kind}`);
    return tokenOf(result.url);
  }

  describe("without an owner and without OWNER_EMAIL", () => {
    it("issues a one-time setup URL under the issuer and stores only the token's hash", async () => {
      const result = await bootstrapOwner(db.prisma, noEnvOwner);
      expect(result.kind).toBe("setup-url");
      const url = (result as { url: string }).url;
      expect(url.startsWith(`${ISSUER}/setup?token=`)).toBe(true);
      const token = tokenOf(url);
      expect(url).toBe(`${ISSUER}/setup?token=${token}`);
      expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(32);

      const rows = await db.prisma.setupToken.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.tokenHash).toBe(hashToken(token));
      expect(rows[0]!.tokenHash).not.toContain(token);
      // Valid for the documented time, no longer.
      const ttl = rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime();
      expect(ttl).toBeGreaterThan(SETUP_TOKEN_TTL_MS - 60_000);
      expect(ttl).toBeLessThanOrEqual(SETUP_TOKEN_TTL_MS + 60_000);
      expect(await owners()).toEqual([]);
    });

    it("issues a new token at every start, each valid, and clears expired ones", async () => {
      const first = await issueToken();
      await db.prisma.setupToken.create({
        data: { tokenHash: hashToken("expired"), expiresAt: new Date(Date.now() - 1000) },
      });
      const second = await issueToken();
      expect(second).not.toBe(first);
      expect(await isSetupTokenValid(db.prisma, first)).toBe(true);
      expect(await isSetupTokenValid(db.prisma, second)).toBe(true);
      const hashes = (await db.prisma.setupToken.findMany()).map((t) => t.tokenHash).sort();
      expect(hashes).toEqual([hashToken(first), hashToken(second)].sort());
    });

    it("isSetupTokenValid: true for an issued token, false for garbage or an expired token", async () => {
      const token = await issueToken();
      expect(await isSetupTokenValid(db.prisma, token)).toBe(true);
      expect(await isSetupTokenValid(db.prisma, randomToken())).toBe(false);
      expect(await isSetupTokenValid(db.prisma, "")).toBe(false);
      expect(await isSetupTokenValid(db.prisma, hashToken(token))).toBe(false);

      await db.prisma.setupToken.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
      expect(await isSetupTokenValid(db.prisma, token)).toBe(false);
    });
  });

  describe("completeSetup", () => {
    it("creates the owner, spends the token and deletes the other tokens", async () => {
      const token = await issueToken();
      const other = await issueToken();
      const owner = await completeSetup(db.prisma, token, {
        email: " First.Owner@Example.com ",
        password: "owner password",
        name: "First",
      });
      expect(owner).toMatchObject({ email: "first.owner@example.com", role: "owner", name: "First" });
      expect(owner.passwordHash).not.toContain("owner password");
      expect((await verifyCredentials(db.prisma, "first.owner@example.com", "owner password"))?.id).toBe(owner.id);
      expect((await owners()).map((o) => o.id)).toEqual([owner.id]);

      expect(await db.prisma.setupToken.count()).toBe(0);
      expect(await isSetupTokenValid(db.prisma, token)).toBe(false);
      expect(await isSetupTokenValid(db.prisma, other)).toBe(false);

      await expect(
        completeSetup(db.prisma, token, { email: "second@example.com", password: "owner password" }),
      ).rejects.toMatchObject(BAD_LINK);
      expect(await owners()).toHaveLength(1);
    });

    it("refuses an unknown or expired token and creates nobody", async () => {
      const token = await issueToken();
      const input = { email: "owner@example.com", password: "owner password" };
      await expect(completeSetup(db.prisma, randomToken(), input)).rejects.toMatchObject(BAD_LINK);

      await db.prisma.setupToken.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
      await expect(completeSetup(db.prisma, token, input)).rejects.toMatchObject(BAD_LINK);
      expect(await db.prisma.user.count()).toBe(0);
    });

    it("refuses a valid token once an owner exists, and the token survives the refusal", async () => {
      const first = await issueToken();
      await completeSetup(db.prisma, first, { email: "owner@example.com", password: "owner password" });
      // A token issued by another instance that started before the owner existed.
      const late = randomToken();
      await db.prisma.setupToken.create({
        data: { tokenHash: hashToken(late), expiresAt: new Date(Date.now() + SETUP_TOKEN_TTL_MS) },
      });
      await expect(
        completeSetup(db.prisma, late, { email: "intruder@example.com", password: "intruder password" }),
      ).rejects.toMatchObject(OWNER_EXISTS);
      expect((await owners()).map((o) => o.email)).toEqual(["owner@example.com"]);
      expect(await db.prisma.user.count({ where: { email: "intruder@example.com" } })).toBe(0);
    });

    it("refuses an email that belongs to an existing account, keeping the token usable", async () => {
      await createUser(db.prisma, { email: "member@example.com", password: "member password" });
      const token = await issueToken();
      await expect(
        completeSetup(db.prisma, token, { email: "MEMBER@example.com", password: "owner password" }),
      ).rejects.toMatchObject(refused("An account with this email already exists"));
      expect(await owners()).toEqual([]);
      const member = await db.prisma.user.findUniqueOrThrow({ where: { email: "member@example.com" } });
      expect(member.role).toBe("member");
      expect(await verifyPassword("member password", member.passwordHash!)).toBe(true);
      // The whole transaction rolled back: the token was not spent.
      expect(await isSetupTokenValid(db.prisma, token)).toBe(true);
    });

    it("two different valid tokens used at once still yield exactly one owner", async () => {
      const tokens = [await issueToken(), await issueToken(), await issueToken()];
      const results = await Promise.allSettled(
        tokens.map((token, i) =>
          completeSetup(db.prisma, token, { email: `racer${i}@example.com`, password: "owner password" }),
        ),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      for (const { reason } of lost) expect([BAD_LINK.message, OWNER_EXISTS.message]).toContain((reason as Error).message);
      expect(await owners()).toHaveLength(1);
      expect(await db.prisma.user.count()).toBe(1);
      expect(await db.prisma.setupToken.count()).toBe(0);
    });

    it("validates the new owner's input before spending the token", async () => {
      const token = await issueToken();
      await expect(completeSetup(db.prisma, token, { email: "nope", password: "owner password" })).rejects.toThrow();
      await expect(completeSetup(db.prisma, token, { email: "a@example.com", password: "short" })).rejects.toThrow();
      expect(await isSetupTokenValid(db.prisma, token)).toBe(true);
      expect(await db.prisma.user.count()).toBe(0);
    });
  });

  describe("with OWNER_EMAIL and OWNER_PASSWORD", () => {
    it("creates the owner and issues no setup URL", async () => {
      const result = await bootstrapOwner(db.prisma, envOwner("Boss@Example.com", "boss password"));
      expect(result).toEqual({ kind: "owner-from-env", email: "boss@example.com" });
      const [owner, ...others] = await owners();
      expect(others).toEqual([]);
      expect(owner?.email).toBe("boss@example.com");
      expect(await verifyPassword("boss password", owner!.passwordHash!)).toBe(true);
      expect(await db.prisma.setupToken.count()).toBe(0);
    });

    it("promotes an existing member with that email and sets the configured password", async () => {
      const member = await createUser(db.prisma, { email: "boss@example.com", password: "old member password" });
      const result = await bootstrapOwner(db.prisma, envOwner("BOSS@example.com", "new owner password"));
      expect(result).toEqual({ kind: "owner-from-env", email: "boss@example.com" });

      const promoted = await db.prisma.user.findUniqueOrThrow({ where: { id: member.id } });
      expect(promoted.role).toBe("owner");
      expect(await verifyPassword("new owner password", promoted.passwordHash!)).toBe(true);
      expect(await verifyPassword("old member password", promoted.passwordHash!)).toBe(false);
      expect(await db.prisma.user.count()).toBe(1);
    });
  });

  describe("once an owner exists", () => {
    it("reports owner-exists and deletes leftover setup tokens", async () => {
      const leftover = await issueToken();
      await db.prisma.user.create({ data: { email: "owner@example.com", passwordHash: "unused", role: "owner" } });
      expect(await bootstrapOwner(db.prisma, noEnvOwner)).toEqual({ kind: "owner-exists" });
      expect(await db.prisma.setupToken.count()).toBe(0);
      expect(await isSetupTokenValid(db.prisma, leftover)).toBe(false);
    });

    it("ignores OWNER_EMAIL/OWNER_PASSWORD: no second owner, no password reset", async () => {
      const owner = await createUser(db.prisma, { email: "owner@example.com", password: "real password" }, "owner");
      await createUser(db.prisma, { email: "member@example.com", password: "member password" });

      expect(await bootstrapOwner(db.prisma, envOwner("owner@example.com", "env password"))).toEqual({
        kind: "owner-exists",
      });
      expect(await bootstrapOwner(db.prisma, envOwner("member@example.com", "env password"))).toEqual({
        kind: "owner-exists",
      });
      expect((await owners()).map((o) => o.id)).toEqual([owner.id]);
      expect((await verifyCredentials(db.prisma, "owner@example.com", "real password"))?.id).toBe(owner.id);
      expect(await verifyCredentials(db.prisma, "member@example.com", "env password")).toBeNull();
    });
  });
});
