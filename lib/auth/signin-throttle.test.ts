import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { runAdminCommand } from "../admin/commands";
import { signInFailureMessage, throttledSignInError } from "./signin-messages";
import { FORM_LIMITS, formAttemptWait, tooManyAttempts } from "./form-throttle";
import { lockedSignIns, SIGNIN_LIMITS, signInWithPassword, unlockSignIn } from "./signin-throttle";
import { createUser } from "./users";

const PASSWORD = "correct horse battery";
const LIMIT = SIGNIN_LIMITS.account.attempts;

describe.each(testDatabases)("sign-in throttling on $name", ({ name, target }) => {
  let db: TestDatabase;
  let others: TestDatabase[] = [];
  beforeAll(async () => {
    const t = await target();
    db = await openTestDatabase(t);
    // Other server instances on the same PostgreSQL count together.
    others = name === "postgres" ? await Promise.all([1, 2].map(() => openTestDatabase({ ...t, drop: async () => {} }))) : [];
  });
  afterAll(async () => {
    for (const o of others) await o.dispose();
    await db?.dispose();
  });

  const attempt = (email: string, password: string, at = new Date(), instance = db, source: string | null = null) =>
    signInWithPassword(instance.prisma, { email, password, source }, at).then((r) => (r.ok ? "ok" : r.reason));

  it(`locks an account for its window after ${LIMIT} attempts, even with the right password; then it opens again`, async () => {
    await createUser(db.prisma, { email: "locked@example.com", password: PASSWORD });
    const t0 = new Date("2035-01-01T00:00:00Z");
    for (let i = 0; i < LIMIT; i++) expect(await attempt("locked@example.com", "wrong", t0, others[i % 2] ?? db)).toBe("invalid");
    expect(await attempt(" LOCKED@example.com ", PASSWORD, t0)).toBe("throttled");
    const refused = await signInWithPassword(db.prisma, { email: "locked@example.com", password: PASSWORD, source: null }, t0);
    expect(refused).toMatchObject({ ok: false, reason: "throttled", retryAfter: SIGNIN_LIMITS.account.windowSeconds });
    const events = await db.prisma.auditEvent.findMany({ where: { action: "user.signin_locked" } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain("wrong");
    // The lock ends with its window.
    const later = new Date(t0.getTime() + SIGNIN_LIMITS.account.windowSeconds * 1000);
    expect(await attempt("locked@example.com", PASSWORD, later)).toBe("ok");
  });

  it("a successful sign-in clears the count; another account is not affected", async () => {
    await createUser(db.prisma, { email: "resets@example.com", password: PASSWORD });
    const t0 = new Date("2035-02-01T00:00:00Z");
    for (let i = 0; i < LIMIT - 1; i++) expect(await attempt("resets@example.com", "wrong", t0)).toBe("invalid");
    expect(await attempt("resets@example.com", PASSWORD, t0)).toBe("ok");
    for (let i = 0; i < LIMIT - 1; i++) expect(await attempt("resets@example.com", "wrong", t0)).toBe("invalid");
    expect(await attempt("resets@example.com", PASSWORD, t0)).toBe("ok");
    expect(await attempt("someone-else@example.com", "wrong", t0)).toBe("invalid");
  });

  it("an unknown email is throttled like a real one (the limit says nothing about who has an account)", async () => {
    const t0 = new Date("2035-03-01T00:00:00Z");
    // Whatever is typed, even text no column can hold, is counted, never a database error.
    for (let i = 0; i < LIMIT; i++) expect(await attempt("a\u0000b", "guess", t0)).toBe("invalid");
    expect(await attempt("a\u0000b", "guess", t0)).toBe("throttled");
    for (let i = 0; i < LIMIT; i++) expect(await attempt("nobody-here@example.com", "guess", t0)).toBe("invalid");
    expect(await attempt("nobody-here@example.com", "guess", t0)).toBe("throttled");
  });

  it("parallel guesses get at most the limit checked", async () => {
    await createUser(db.prisma, { email: "burst@example.com", password: PASSWORD });
    const t0 = new Date("2035-04-01T00:00:00Z");
    const results = await Promise.all(Array.from({ length: 3 * LIMIT }, (_, i) => attempt("burst@example.com", i === 0 ? "wrong" : "guess", t0, others[i % 2] ?? db)));
    expect(results.filter((r) => r === "invalid")).toHaveLength(LIMIT);
    expect(results.filter((r) => r === "throttled")).toHaveLength(2 * LIMIT);
  });

  it("behind a trusted proxy, one source is limited across accounts", async () => {
    const t0 = new Date("2035-05-01T00:00:00Z");
    // A smaller source limit than the shipped 100, so the test does not hash 100 passwords.
    const limits = { ...SIGNIN_LIMITS, source: { attempts: 4, windowSeconds: 900 } };
    const spray = (email: string, source: string) => signInWithPassword(db.prisma, { email, password: "guess", source }, t0, limits).then((r) => (r.ok ? "ok" : r.reason));
    const results: string[] = [];
    for (let i = 0; i < 5; i++) results.push(await spray(`spray-${i}@example.com`, "203.0.113.99"));
    expect(results).toEqual(["invalid", "invalid", "invalid", "invalid", "throttled"]);
    expect(await spray("spray-new@example.com", "198.51.100.1")).toBe("invalid");
  });

  it("the owner lifts a lock at once with the admin CLI, and it is audited", async () => {
    await createUser(db.prisma, { email: "unlock-me@example.com", password: PASSWORD });
    const now = new Date();
    for (let i = 0; i <= LIMIT; i++) await attempt("unlock-me@example.com", "wrong", now);
    expect(await attempt("unlock-me@example.com", PASSWORD, now)).toBe("throttled");
    expect(await runAdminCommand(db.prisma, "unlock-sign-in", { email: "Unlock-Me@example.com" })).toBe("sign-in for Unlock-Me@example.com is unlocked");
    expect(await attempt("unlock-me@example.com", PASSWORD, now)).toBe("ok");
    expect(await runAdminCommand(db.prisma, "unlock-sign-in", { email: "unlock-me@example.com" })).toBe("sign-in for unlock-me@example.com was not locked");
    expect(await db.prisma.auditEvent.count({ where: { action: "user.signin_unlocked" } })).toBe(2);
  });

  it("the dashboard lists the accounts locked now, until their window ends; not once unlocked, nor in the next window", async () => {
    const user = await createUser(db.prisma, { email: "listed@example.com", password: PASSWORD });
    const t0 = new Date();
    for (let i = 0; i <= LIMIT; i++) await attempt("listed@example.com", "wrong", t0);
    // Locks of unknown emails are never listed (no account to name).
    for (let i = 0; i <= LIMIT; i++) await attempt("nobody-here@example.com", "wrong", t0);
    const windowEnd = new Date(Math.ceil(t0.getTime() / (SIGNIN_LIMITS.account.windowSeconds * 1000)) * SIGNIN_LIMITS.account.windowSeconds * 1000);
    expect(await lockedSignIns(db.prisma, t0)).toEqual([{ userId: user.id, email: "listed@example.com", until: windowEnd }]);
    expect(await lockedSignIns(db.prisma, windowEnd)).toEqual([]);
    await unlockSignIn(db.prisma, { type: "system", id: null, label: "t" }, "listed@example.com");
    expect(await lockedSignIns(db.prisma, t0)).toEqual([]);
  });
});

describe.each(testDatabases)("sign-up and setup attempts per source on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.each(["signup", "setup"] as const)("%s: a source gets its attempts per window, then a wait; other sources and unknown ones are not held up", async (form) => {
    const t0 = new Date("2036-04-01T00:10:00Z");
    const { attempts, windowSeconds } = FORM_LIMITS[form];
    for (let i = 0; i < attempts; i++) expect(await formAttemptWait(db.prisma, form, "198.51.100.7", t0)).toBeNull();
    expect(await formAttemptWait(db.prisma, form, "198.51.100.7", t0)).toBe(windowSeconds - 600);
    expect(await formAttemptWait(db.prisma, form, "198.51.100.8", t0)).toBeNull();
    for (let i = 0; i < attempts + 5; i++) expect(await formAttemptWait(db.prisma, form, null, t0)).toBeNull();
    expect(await formAttemptWait(db.prisma, form, "198.51.100.7", new Date(t0.getTime() + windowSeconds * 1000))).toBeNull();
    expect(tooManyAttempts(61)).toBe("Too many attempts from your network. Try again in 2 minutes.");
  });
});

describe("what the sign-in form says", () => {
  it("says how long to wait when throttled, and one message for every other failure", () => {
    expect(signInFailureMessage(throttledSignInError(60))).toBe("Too many failed sign-ins for this account. Try again in 1 minute, or ask the owner to unlock it.");
    expect(signInFailureMessage(throttledSignInError(899))).toContain("Try again in 15 minutes");
    for (const error of ["CredentialsSignin", null, undefined, "anything"]) expect(signInFailureMessage(error)).toBe("Incorrect email or password.");
  });
});
