import { randomBytes } from "node:crypto";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { verifyPassword } from "./password";
import { createUser, verifyCredentials } from "./users";

const EMAIL_TAKEN = { name: "DomainError", code: "conflict", message: "An account with this email already exists" };

const PASSWORD = "a sound password";

/** An email no other test uses (all tests share one database). */
function uniqueEmail(label = "user"): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.com`;
}

describe.each(testDatabases)("users on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  describe("createUser", () => {
    it("trims and lower-cases the email", async () => {
      const email = uniqueEmail("Mixed");
      const user = await createUser(db.prisma, { email: `  ${email.toUpperCase()}\t`, password: PASSWORD });
      expect(user.email).toBe(email.toLowerCase());
      const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(stored.email).toBe(email.toLowerCase());
    });

    it("stores a scrypt hash of the password, never the password", async () => {
      const user = await createUser(db.prisma, { email: uniqueEmail(), password: PASSWORD });
      expect(user.passwordHash).toMatch(/^scrypt\$/);
      expect(user.passwordHash).not.toContain(PASSWORD);
      expect(await verifyPassword(PASSWORD, user.passwordHash!)).toBe(true);

      const [row] = await db.prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM users WHERE id = ${user.id}::uuid`;
      expect(row).toBeDefined();
      for (const value of Object.values(row!)) {
        expect(String(value)).not.toContain(PASSWORD);
      }
    });

    it("makes members by default, owners on request, and keeps an optional trimmed name", async () => {
      const member = await createUser(db.prisma, { email: uniqueEmail(), password: PASSWORD, name: "  Ada  " });
      expect(member.role).toBe("member");
      expect(member.name).toBe("Ada");
      const owner = await createUser(db.prisma, { email: uniqueEmail(), password: PASSWORD, name: "  " }, "owner");
      expect(owner.role).toBe("owner");
      expect(owner.name).toBeNull();
    });

    it("refuses an email that is taken, in any case or spacing", async () => {
      const email = uniqueEmail();
      await createUser(db.prisma, { email, password: PASSWORD });
      await expect(createUser(db.prisma, { email, password: "another password" })).rejects.toMatchObject(EMAIL_TAKEN);
      await expect(
        createUser(db.prisma, { email: ` ${email.toUpperCase()} `, password: PASSWORD }),
      ).rejects.toMatchObject(EMAIL_TAKEN);
      expect(await db.prisma.user.count({ where: { email } })).toBe(1);
    });

    it("lets exactly one of several concurrent sign-ups with one email win", async () => {
      const email = uniqueEmail("race");
      const spellings = [email, email.toUpperCase(), ` ${email}`, email, `${email} `];
      const results = await Promise.allSettled(
        spellings.map((spelling, i) => createUser(db.prisma, { email: spelling, password: `${PASSWORD} ${i}` })),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(4);
      for (const { reason } of lost) expect(reason).toMatchObject(EMAIL_TAKEN);
      expect(await db.prisma.user.count({ where: { email } })).toBe(1);
    });

    it.each([
      ["an invalid email", { email: "not-an-email", password: PASSWORD }],
      ["an empty email", { email: "   ", password: PASSWORD }],
      ["a password of 7 characters", { email: uniqueEmail(), password: "1234567" }],
      ["a password of 257 characters", { email: uniqueEmail(), password: "p".repeat(257) }],
    ])("refuses %s with a validation error and creates nothing", async (_, input) => {
      const before = await db.prisma.user.count();
      await expect(createUser(db.prisma, input)).rejects.toBeInstanceOf(ZodError);
      expect(await db.prisma.user.count()).toBe(before);
    });

    it("accepts a password of exactly 8 characters", async () => {
      const user = await createUser(db.prisma, { email: uniqueEmail(), password: "12345678" });
      expect(await verifyPassword("12345678", user.passwordHash!)).toBe(true);
    });
  });

  describe("verifyCredentials", () => {
    let email: string;
    let id: string;
    beforeAll(async () => {
      email = uniqueEmail("signin");
      ({ id } = await createUser(db.prisma, { email, password: PASSWORD }));
    });

    it("returns the user for the right email and password", async () => {
      const user = await verifyCredentials(db.prisma, email, PASSWORD);
      expect(user?.id).toBe(id);
      expect(user?.email).toBe(email);
    });

    it("matches the email case- and space-insensitively", async () => {
      expect((await verifyCredentials(db.prisma, ` ${email.toUpperCase()} `, PASSWORD))?.id).toBe(id);
    });

    it("returns null for a wrong password", async () => {
      expect(await verifyCredentials(db.prisma, email, `${PASSWORD}!`)).toBeNull();
      expect(await verifyCredentials(db.prisma, email, "")).toBeNull();
    });

    it("returns null for an unknown or invalid email", async () => {
      expect(await verifyCredentials(db.prisma, uniqueEmail("nobody"), PASSWORD)).toBeNull();
      expect(await verifyCredentials(db.prisma, "not an email", PASSWORD)).toBeNull();
      expect(await verifyCredentials(db.prisma, "", PASSWORD)).toBeNull();
    });

    it("returns null for an account without a password (made by a sign-in connection), whatever is typed", async () => {
      const email = uniqueEmail("federated");
      await db.prisma.user.create({ data: { email, passwordHash: null } });
      expect(await verifyCredentials(db.prisma, email, PASSWORD)).toBeNull();
      expect(await verifyCredentials(db.prisma, email, "")).toBeNull();
    });
  });
});
