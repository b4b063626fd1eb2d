import { createHash } from "node:crypto";
import { recordAudit, type Actor } from "../audit";
import type { PrismaClient, User } from "../db/generated/client.ts";
import { clearRateLimit, hitRateLimit } from "../rate-limit";
import { getProjectSettings } from "../settings";
import { emailSchema, verifyCredentials } from "./users";

/**
 * Sign-in attempts per account (by the email typed, whether or not it has
 * an account, so the limit tells nothing) and per source address, in fixed
 * windows held in the database: every instance counts together. An attempt
 * is counted before the password is checked, so a burst of parallel guesses
 * gets at most the limit checked; a successful sign-in clears the
 * account's count. The lock ends with its window, and an owner can lift it
 * at once (`unlockSignIn`): no one is locked out for good.
 */
export const SIGNIN_LIMITS: SignInLimits = {
  account: { attempts: 10, windowSeconds: 15 * 60 },
  /** Only behind a proxy that names the client (TRUST_PROXY): otherwise every user shares one source. */
  source: { attempts: 100, windowSeconds: 15 * 60 },
};

export interface SignInLimits {
  account: { attempts: number; windowSeconds: number };
  source: { attempts: number; windowSeconds: number };
}

export type SignInResult =
  | { ok: true; user: User }
  /** `disabled`: the owner turned password sign-in off (nothing was counted). */
  | { ok: false; reason: "invalid"; disabled?: true }
  /** `lockStarted`: the account's first refused attempt of its window (the lock began). */
  | { ok: false; reason: "throttled"; retryAfter: number; lockStarted: boolean };

// Hashed: any text can be typed as an email (a NUL would not fit the key column), and the table need not hold addresses.
const accountKey = (email: string) => `signin:account:${createHash("sha256").update(email, "utf8").digest("base64url")}`;

/** The account a typed email names, spelled the one way emails are stored (or as typed, when it is not an email). */
function normalized(email: string): string {
  const parsed = emailSchema.safeParse(email);
  return parsed.success ? parsed.data : email.trim().toLowerCase().slice(0, 254);
}

export async function signInWithPassword(
  prisma: PrismaClient,
  input: { email: string; password: string; source: string | null },
  now = new Date(),
  limits = SIGNIN_LIMITS,
): Promise<SignInResult> {
  // The owner turned email-and-password sign-in off: the form is gone, and a posted one is refused too (the one answer for every failure).
  if (!(await getProjectSettings(prisma)).password_signin_enabled) return { ok: false, reason: "invalid", disabled: true };
  const email = normalized(input.email);
  const account = await hitRateLimit(prisma, accountKey(email), limits.account.attempts, limits.account.windowSeconds, now);
  if (!account.allowed) {
    const lockStarted = account.count === limits.account.attempts + 1;
    if (lockStarted) await recordLock(prisma, email, limits);
    return { ok: false, reason: "throttled", retryAfter: account.retryAfter, lockStarted };
  }
  if (input.source !== null) {
    const source = await hitRateLimit(prisma, `signin:source:${input.source}`, limits.source.attempts, limits.source.windowSeconds, now);
    if (!source.allowed) return { ok: false, reason: "throttled", retryAfter: source.retryAfter, lockStarted: false };
  }
  const user = await verifyCredentials(prisma, input.email, input.password);
  if (!user) return { ok: false, reason: "invalid" };
  await clearRateLimit(prisma, accountKey(email));
  return { ok: true, user };
}

/** The first refused attempt of a window is recorded once, naming the account, never the password. */
async function recordLock(prisma: PrismaClient, email: string, limits: SignInLimits): Promise<void> {
  const user = await accountOf(prisma, email);
  if (!user) return;
  await recordAudit(prisma, { type: "system", id: null, label: "sign-in throttle" }, "user.signin_locked", user.id, {
    email,
    minutes: limits.account.windowSeconds / 60,
  });
}

/** An owner lifts a sign-in lock at once; returns whether there was anything to lift. */
export async function unlockSignIn(prisma: PrismaClient, actor: Actor, email: string): Promise<boolean> {
  const normalizedEmail = normalized(email);
  const cleared = await clearRateLimit(prisma, accountKey(normalizedEmail));
  const user = await accountOf(prisma, normalizedEmail);
  if (user) await recordAudit(prisma, actor, "user.signin_unlocked", user.id, { email: normalizedEmail });
  return cleared > 0;
}

export interface LockedSignIn {
  userId: string;
  email: string;
  /** When the lock ends by itself (its window's end). */
  until: Date;
}

/**
 * Accounts whose sign-in is locked now, for the owner's dashboard. Counters
 * are keyed by a hash of the email, so the accounts come from this window's
 * `user.signin_locked` events (one per lock, naming the account), each
 * checked against its counter: an unlocked or expired one is left out.
 */
export async function lockedSignIns(prisma: PrismaClient, now = new Date(), limits = SIGNIN_LIMITS): Promise<LockedSignIn[]> {
  const windowMs = limits.account.windowSeconds * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const events = await prisma.auditEvent.findMany({
    // Any lock still on began within the last window's length (the counter decides whether it still is).
    where: { action: "user.signin_locked", at: { gte: new Date(now.getTime() - windowMs) } },
    select: { targetId: true, details: true },
    orderBy: { seq: "desc" },
    take: 500,
  });
  const locked = new Map<string, LockedSignIn>();
  for (const event of events) {
    const email = (event.details as { email?: unknown }).email;
    if (!event.targetId || typeof email !== "string" || locked.has(email)) continue;
    const window = await prisma.rateLimitWindow.findUnique({ where: { key_windowStart: { key: accountKey(email), windowStart: start } }, select: { count: true } });
    if (window && window.count > limits.account.attempts) locked.set(email, { userId: event.targetId, email, until: new Date(start.getTime() + windowMs) });
  }
  return [...locked.values()];
}

/** The account an email names, if it is an email at all (anything else names none). */
async function accountOf(prisma: PrismaClient, email: string): Promise<{ id: string } | null> {
  return emailSchema.safeParse(email).success ? prisma.user.findUnique({ where: { email }, select: { id: true } }) : null;
}
