import { recordAudit } from "../audit";
import { passwordSchema, emailSchema } from "../auth/users";
import { hashPassword } from "../auth/password";
import { END_SESSIONS } from "../auth/session-epoch";
import { hashToken, randomToken } from "../crypto/tokens";
import type { PrismaClient } from "../db/generated/client.ts";
import { invalidInput } from "../domain-error";
import { hitRateLimit } from "../rate-limit";
import { getProjectSettings } from "../settings";

/** A link lives 30 minutes: long enough to reach a mailbox, short for a leaked one. */
export const RESET_LIFETIME_SECONDS = 30 * 60;

/**
 * Requests per typed email (silently ignored beyond it: the answer must not
 * change) and per source address (the requester is told to wait), in the
 * database so every instance counts together.
 */
export const RESET_LIMITS = {
  email: { attempts: 3, windowSeconds: 60 * 60 },
  source: { attempts: 20, windowSeconds: 60 * 60 },
} as const;

/** Where a link goes: mailed, or (development without SMTP) logged. The caller does not wait for it. */
export type DeliverResetLink = (to: string, link: string) => Promise<void>;

export type ResetRequestResult = { ok: true } | { ok: false; retryAfter: number };

/**
 * "Forgot password?": mails a single-use link to the account with this
 * email, if there is one with a password. The answer is the same whether
 * or not there is (only the source limit, which is about the requester,
 * says anything else), and the link is delivered in the background so the
 * time taken does not tell either. Accounts without a password (made by a
 * sign-in connection) get no link: their email may never have been
 * verified upstream, so its mailbox does not prove who they are.
 */
export async function requestPasswordReset(
  prisma: PrismaClient,
  input: { email: string; source: string | null; issuer: string },
  deliver: DeliverResetLink,
  now = new Date(),
): Promise<ResetRequestResult> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) throw invalidInput({ email: "Enter a valid email address" });
  if (input.source !== null) {
    const source = await hitRateLimit(prisma, `reset:source:${input.source}`, RESET_LIMITS.source.attempts, RESET_LIMITS.source.windowSeconds, now);
    if (!source.allowed) return { ok: false, retryAfter: source.retryAfter };
  }
  const email = parsed.data;
  const perEmail = await hitRateLimit(prisma, `reset:email:${hashToken(email)}`, RESET_LIMITS.email.attempts, RESET_LIMITS.email.windowSeconds, now);
  if (!perEmail.allowed || !(await getProjectSettings(prisma)).password_signin_enabled) return { ok: true };
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  if (!user?.passwordHash) return { ok: true };
  const token = randomToken();
  // A user's spent and expired links go when they ask for a new one (with the per-email limit, a user holds a handful at most).
  await prisma.passwordReset.deleteMany({ where: { userId: user.id, OR: [{ usedAt: { not: null } }, { expiresAt: { lte: now } }] } });
  await prisma.passwordReset.create({
    data: { tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(now.getTime() + RESET_LIFETIME_SECONDS * 1000), createdAt: now },
  });
  const link = `${input.issuer}/reset-password?token=${encodeURIComponent(token)}`;
  // Not awaited: a slow mail server must not make known emails answer slower.
  deliver(email, link).catch((error: unknown) => console.error(`connected-apps: the password reset mail could not be sent: ${(error as Error).message}`));
  return { ok: true };
}

/** Whether a link can still be used (the reset page asks before showing its form; only using it decides). */
export async function resetLinkUsable(prisma: PrismaClient, token: string, now = new Date()): Promise<boolean> {
  const row = await prisma.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, select: { usedAt: true, expiresAt: true } });
  return !!row && row.usedAt === null && row.expiresAt > now;
}

/**
 * Spends a link and sets the new password. One conditional UPDATE spends
 * it (unused, unexpired): of concurrent uses, exactly one wins. Every other
 * pending link of the user is spent with it, and every session of the user
 * ends (whoever asked is not signed in; a stolen session must not outlive
 * the reset). Returns the user's email (to
 * sign in), or null when the link is unknown, expired or used.
 */
export async function resetPassword(prisma: PrismaClient, input: { token: string; password: string }, now = new Date()): Promise<{ email: string } | null> {
  const password = passwordSchema.safeParse(input.password);
  if (!password.success) throw invalidInput({ password: password.error.issues[0]!.message });
  const tokenHash = hashToken(input.token);
  // Hashed before the transaction: scrypt takes a while and holds no lock.
  const passwordHash = await hashPassword(password.data);
  return prisma.$transaction(async (tx) => {
    const spent = await tx.passwordReset.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (spent.count === 0) return null;
    const { userId } = await tx.passwordReset.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true } });
    await tx.passwordReset.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
    const user = await tx.user.update({ where: { id: userId }, data: { passwordHash, ...END_SESSIONS }, select: { id: true, email: true } });
    await recordAudit(tx, { type: "user", id: user.id, label: user.email }, "user.password_reset", user.id);
    return { email: user.email };
  });
}
