import { decode, type JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { changePassword, deleteAccount } from "../account/account";
import { requestPasswordReset, resetPassword } from "../account/password-reset";
import { userActor } from "../audit";
import { upsertOwner } from "./bootstrap";
import { authOptions } from "./options";
import { renewedSessionToken, sessionCookieFor } from "./session-cookie";
import { currentSessionEpoch, sessionEpochOf, sessionIsCurrent, withCurrentSessionEpoch } from "./session-epoch";
import { createUser } from "./users";

// The real next-auth configuration, with a known secret (each test file runs in its own process).
process.env.AUTH_SECRET = "session-epoch-test-secret-0123456789abcdef";
process.env.ISSUER = "http://localhost:3000";

const OLD = "correct horse battery";

describe("sessionEpochOf", () => {
  it("reads the claim; a session from before the column (no claim) or a malformed one counts as 0", () => {
    expect(sessionEpochOf({ sessionEpoch: 4 })).toBe(4);
    expect(sessionEpochOf({ sessionEpoch: 0 })).toBe(0);
    for (const bad of [{}, { sessionEpoch: "4" }, { sessionEpoch: 1.5 }, { sessionEpoch: Number.MAX_VALUE }, { sessionEpoch: null }]) expect(sessionEpochOf(bad)).toBe(0);
    expect(sessionEpochOf(null)).toBe(0);
    expect(sessionEpochOf(undefined)).toBe(0);
  });
});

describe.each(testDatabases)("sessions end with a password change or reset on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  let n = 0;
  const member = () => createUser(db.prisma, { email: `epoch-${++n}@example.com`, password: OLD }, "member");
  /** A user made by a sign-in connection: no password. */
  const passwordless = async () => {
    const u = await member();
    return db.prisma.user.update({ where: { id: u.id }, data: { passwordHash: null } });
  };
  const options = () => authOptions();
  /** What the server reads from a session cookie: the session callback's output, as getServerSession returns it. */
  const sessionOf = async (sealed: string) => {
    const token = (await decode({ token: sealed, secret: options().secret! })) as JWT;
    return options().callbacks!.session!({ session: { expires: "" }, token, user: undefined!, newSession: undefined, trigger: "update" });
  };
  const cookieValue = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1, cookie.indexOf(";"));
  const signIn = async (u: { id: string; email: string; name: string | null }) => {
    const sessionEpoch = (await currentSessionEpoch(db.prisma, u.id))!;
    return cookieValue(await sessionCookieFor(options(), { ...u, sessionEpoch }));
  };
  const stands = async (userId: string, sealed: string) => sessionIsCurrent(db.prisma, userId, sessionEpochOf(await sessionOf(sealed)));

  it("a new user's sessions stand; a password change ends every one, and the changing browser's re-issued one stands", async () => {
    const u = await member();
    const [here, elsewhere] = [await signIn(u), await signIn(u)];
    expect(await stands(u.id, here)).toBe(true);
    expect(await stands(u.id, elsewhere)).toBe(true);

    const { sessionEpoch } = await changePassword(db.prisma, userActor(u), u, { current: OLD, next: "a new password", source: null });
    expect(sessionEpoch).toBe(1);
    expect(await stands(u.id, here)).toBe(false);
    expect(await stands(u.id, elsewhere)).toBe(false);

    const renewed = (await renewedSessionToken(options(), [{ name: "next-auth.session-token", value: here }], sessionEpoch))!;
    expect(await stands(u.id, renewed)).toBe(true);
    expect(await stands(u.id, elsewhere)).toBe(false);
    // A session signed in after the change stands too.
    expect(await stands(u.id, await signIn(u))).toBe(true);
  });

  it("setting a first password (a user made by a sign-in connection) ends the other sessions too", async () => {
    const u = await passwordless();
    const before = await signIn(u);
    const { sessionEpoch } = await changePassword(db.prisma, userActor(u), u, { current: null, next: "a first password", source: null });
    expect(await stands(u.id, before)).toBe(false);
    expect(await sessionIsCurrent(db.prisma, u.id, sessionEpoch)).toBe(true);
  });

  it("a refused change (wrong current password, too short) ends nothing", async () => {
    const u = await member();
    const session = await signIn(u);
    await expect(changePassword(db.prisma, userActor(u), u, { current: "wrong password", next: "a new password", source: null })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(changePassword(db.prisma, userActor(u), u, { current: OLD, next: "short", source: null })).rejects.toMatchObject({ code: "invalid_input" });
    expect(await stands(u.id, session)).toBe(true);
  });

  it("a reset link ends every session; a spent link ends nothing more", async () => {
    const u = await member();
    const session = await signIn(u);
    const sent: string[] = [];
    await requestPasswordReset(db.prisma, { email: u.email, source: null, issuer: "https://id.example.test" }, async (_to, link) => void sent.push(link));
    const token = new URL(sent[0]!).searchParams.get("token")!;
    expect(await resetPassword(db.prisma, { token, password: "a reset password" })).toEqual({ email: u.email });
    expect(await stands(u.id, session)).toBe(false);
    const after = await signIn(u);
    expect(await resetPassword(db.prisma, { token, password: "another password" })).toBeNull();
    expect(await stands(u.id, after)).toBe(true);
  });

  it("making an existing account the owner with a new password (admin CLI create-owner) ends its sessions", async () => {
    const u = await member();
    const session = await signIn(u);
    await upsertOwner(db.prisma, { email: u.email, password: "the owner password" });
    expect(await stands(u.id, session)).toBe(false);
  });

  it("a session exchange's user gets the current epoch (moved on by a change), a deleted one 0", async () => {
    const u = await member();
    const holder = { id: u.id, email: u.email, name: u.name };
    expect(await withCurrentSessionEpoch(db.prisma, holder)).toEqual({ ...holder, sessionEpoch: 0 });
    await changePassword(db.prisma, userActor(u), u, { current: OLD, next: "a new password", source: null });
    const current = await withCurrentSessionEpoch(db.prisma, holder);
    expect(current).toEqual({ ...holder, sessionEpoch: 1 });
    expect(await stands(u.id, cookieValue(await sessionCookieFor(options(), current)))).toBe(true);
    await deleteAccount(db.prisma, userActor(u), u, u.email);
    expect(await withCurrentSessionEpoch(db.prisma, holder)).toEqual({ ...holder, sessionEpoch: 0 });
  });

  it("a deleted user's session stands no more, and has no epoch", async () => {
    const u = await member();
    const session = await signIn(u);
    await deleteAccount(db.prisma, userActor(u), u, u.email);
    expect(await stands(u.id, session)).toBe(false);
    expect(await currentSessionEpoch(db.prisma, u.id)).toBeNull();
  });

  it("concurrent changes each move the epoch on in the database: every caller gets its own value, the last one stands", async () => {
    const u = await passwordless();
    const session = await signIn(u);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => changePassword(db.prisma, userActor(u), u, { current: null, next: `concurrent password ${i}`, source: null })),
    );
    const epochs = results.map((r) => r.sessionEpoch).sort((a, b) => a - b);
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await currentSessionEpoch(db.prisma, u.id)).toBe(6);
    expect(await stands(u.id, session)).toBe(false);
    expect(await sessionIsCurrent(db.prisma, u.id, 5)).toBe(false);
    expect(await sessionIsCurrent(db.prisma, u.id, 6)).toBe(true);
  });
});
