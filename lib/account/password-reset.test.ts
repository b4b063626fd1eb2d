import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createUser, verifyCredentials } from "../auth/users";
import { RESET_LIFETIME_SECONDS, RESET_LIMITS, requestPasswordReset, resetLinkUsable, resetPassword } from "./password-reset";

const ISSUER = "https://id.example.test";
const OLD = "correct horse battery";

describe.each(testDatabases)("forgot password on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
  });
  afterAll(async () => {
    await db?.dispose();
  });

  let n = 0;
  const user = async () => createUser(db.prisma, { email: `reset-${++n}@example.com`, password: OLD }, "member");
  /** Asks for a link and returns what was delivered (to, link), with the answer. */
  const ask = async (email: string, { source = null as string | null, now = new Date() } = {}) => {
    const sent: { to: string; link: string }[] = [];
    const result = await requestPasswordReset(db.prisma, { email, source, issuer: ISSUER }, async (to, link) => void sent.push({ to, link }), now);
    return { result, sent };
  };
  const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

  it("mails a link to the account's email; the link sets a new password once, and only the new password signs in", async () => {
    const u = await user();
    const { result, sent } = await ask(u.email.toUpperCase());
    expect(result).toEqual({ ok: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(u.email);
    expect(sent[0]!.link.startsWith(`${ISSUER}/reset-password?token=`)).toBe(true);
    const token = tokenOf(sent[0]!.link);
    // Only its hash is stored.
    expect(JSON.stringify(await db.prisma.passwordReset.findMany({ where: { userId: u.id } }))).not.toContain(token);
    expect(await resetLinkUsable(db.prisma, token)).toBe(true);
    expect(await resetPassword(db.prisma, { token, password: "a brand new password" })).toEqual({ email: u.email });
    expect(await resetLinkUsable(db.prisma, token)).toBe(false);
    expect(await resetPassword(db.prisma, { token, password: "yet another password" })).toBeNull();
    expect(await verifyCredentials(db.prisma, u.email, OLD)).toBeNull();
    expect((await verifyCredentials(db.prisma, u.email, "a brand new password"))?.id).toBe(u.id);
    const audit = await db.prisma.auditEvent.findMany({ where: { targetId: u.id, action: "user.password_reset" } });
    expect(audit).toHaveLength(1);
  });

  it("of concurrent uses of one link, exactly one sets its password", async () => {
    const u = await user();
    const token = tokenOf((await ask(u.email)).sent[0]!.link);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => resetPassword(db.prisma, { token, password: `concurrent password ${i}` })));
    const winners = results.flatMap((r, i) => (r ? [i] : []));
    expect(winners).toHaveLength(1);
    expect((await verifyCredentials(db.prisma, u.email, `concurrent password ${winners[0]}`))?.id).toBe(u.id);
  });

  it("a link expires after 30 minutes", async () => {
    const u = await user();
    const asked = new Date(Date.now() - RESET_LIFETIME_SECONDS * 1000 - 1000);
    const token = tokenOf((await ask(u.email, { now: asked })).sent[0]!.link);
    expect(await resetLinkUsable(db.prisma, token)).toBe(false);
    expect(await resetPassword(db.prisma, { token, password: "too late password" })).toBeNull();
    expect((await verifyCredentials(db.prisma, u.email, OLD))?.id).toBe(u.id);
    // Just inside its life it works.
    const fresh = tokenOf((await ask(u.email, { now: new Date(Date.now() - RESET_LIFETIME_SECONDS * 1000 + 5000) })).sent[0]!.link);
    expect(await resetPassword(db.prisma, { token: fresh, password: "just in time password" })).toEqual({ email: u.email });
  });

  it("using one link spends the user's other pending links, not other users' links", async () => {
    const u = await user();
    const other = await user();
    const first = tokenOf((await ask(u.email)).sent[0]!.link);
    const second = tokenOf((await ask(u.email)).sent[0]!.link);
    const theirs = tokenOf((await ask(other.email)).sent[0]!.link);
    expect(await resetPassword(db.prisma, { token: second, password: "second link password" })).toEqual({ email: u.email });
    expect(await resetPassword(db.prisma, { token: first, password: "first link password" })).toBeNull();
    expect(await resetLinkUsable(db.prisma, theirs)).toBe(true);
  });

  it("asking again removes the user's spent and expired links, and keeps the pending ones", async () => {
    const u = await user();
    const expired = tokenOf((await ask(u.email, { now: new Date(Date.now() - 2 * RESET_LIFETIME_SECONDS * 1000) })).sent[0]!.link);
    const spent = tokenOf((await ask(u.email)).sent[0]!.link);
    await resetPassword(db.prisma, { token: spent, password: "a spent link password" });
    const pending = tokenOf((await ask(u.email, { now: new Date(Date.now() + 1000) })).sent[0]!.link);
    const rows = await db.prisma.passwordReset.findMany({ where: { userId: u.id }, select: { usedAt: true } });
    expect(rows).toEqual([{ usedAt: null }]);
    expect(await resetLinkUsable(db.prisma, pending)).toBe(true);
    expect(await resetLinkUsable(db.prisma, expired)).toBe(false);
  });

  it("an unknown email, and an account without a password, get the same answer and no mail", async () => {
    const unknown = await ask(`nobody-${++n}@example.com`);
    const noPassword = await db.prisma.user.create({ data: { email: `connection-${++n}@example.com` } });
    const connectionUser = await ask(noPassword.email);
    const known = await ask((await user()).email);
    expect(unknown.result).toEqual(known.result);
    expect(connectionUser.result).toEqual(known.result);
    expect(unknown.sent).toEqual([]);
    expect(connectionUser.sent).toEqual([]);
    expect(known.sent).toHaveLength(1);
    expect(await db.prisma.passwordReset.count({ where: { userId: noPassword.id } })).toBe(0);
  });

  it("beyond the per-email limit the answer stays the same and nothing is sent; beyond the per-source limit the source is told to wait", async () => {
    const u = await user();
    const now = new Date();
    for (let i = 0; i < RESET_LIMITS.email.attempts; i++) expect((await ask(u.email, { now })).sent).toHaveLength(1);
    const over = await ask(u.email, { now });
    expect(over.result).toEqual({ ok: true });
    expect(over.sent).toEqual([]);

    const source = "203.0.113.9";
    for (let i = 0; i < RESET_LIMITS.source.attempts; i++) expect((await ask(`someone-${i}@example.com`, { source, now })).result).toEqual({ ok: true });
    const refused = await ask(u.email, { source, now });
    expect(refused.result).toMatchObject({ ok: false });
    expect(refused.sent).toEqual([]);
    // Another source is not affected.
    expect((await ask(`someone-else-${++n}@example.com`, { source: "203.0.113.10", now })).result).toEqual({ ok: true });
  });

  it("a new password must be a valid one; the link is not spent by a refused one", async () => {
    const u = await user();
    const token = tokenOf((await ask(u.email)).sent[0]!.link);
    await expect(resetPassword(db.prisma, { token, password: "short" })).rejects.toMatchObject({ code: "invalid_input" });
    expect(await resetLinkUsable(db.prisma, token)).toBe(true);
  });

  it("with email-and-password sign-in off, no link is sent, with the same answer", async () => {
    const u = await user();
    await db.prisma.projectSetting.upsert({ where: { key: "password_signin_enabled" }, create: { key: "password_signin_enabled", value: false }, update: { value: false } });
    try {
      const off = await ask(u.email);
      expect(off.result).toEqual({ ok: true });
      expect(off.sent).toEqual([]);
    } finally {
      await db.prisma.projectSetting.delete({ where: { key: "password_signin_enabled" } });
    }
  });
});
