import { recordAudit, type Actor } from "../audit";
import { PASSWORD_SIGN_IN } from "../auth/sign-in-method";
import { emailSchema } from "../auth/users";
import type { SignInResult } from "../auth/signin-throttle";
import type { PrismaClient } from "../db/generated/client.ts";
import { pendingRequestIdOf } from "../oauth/authorize/interaction";
import type { SignInMethod } from "../oauth/store";
import { hitRateLimit } from "../rate-limit";

/**
 * Failed sign-ins for emails with no account are recorded at most this
 * often for the whole server: nothing else bounds them when every request
 * shares one source (no TRUST_PROXY) and each try types a new email.
 * Failures for real accounts are bounded by the sign-in throttle (10 checked
 * attempts per account per window, one "locked" row per lock).
 */
export const UNKNOWN_ACCOUNT_FAILURES = { key: "audit:sign_in_failed:unknown_account", max: 100, windowSeconds: 15 * 60 };

/** Shown instead of what was typed when it is not an email: people type their password in the wrong box. */
export const NOT_AN_EMAIL = "(not an email address)";

/** The client_id of the authorization request a sign-in resumes, if any. */
async function appOf(prisma: PrismaClient, returnTo: string | undefined): Promise<{ client_id: string } | object> {
  const requestId = returnTo ? pendingRequestIdOf(returnTo) : null;
  const pending = requestId ? await prisma.authorizationRequest.findUnique({ where: { id: requestId }, select: { app: { select: { clientId: true } } } }) : null;
  return pending ? { client_id: pending.app.clientId } : {};
}

/** `user.signed_in`: who, how (`password` or the connection's slug), and the app when inside an authorization request. */
export async function recordSignIn(prisma: PrismaClient, user: { id: string; email: string }, method: SignInMethod, returnTo?: string): Promise<void> {
  const how = method.amr.includes("pwd") ? "password" : method.idp;
  await recordAudit(prisma, { type: "user", id: user.id, label: user.email }, "user.signed_in", user.id, { method: how, ...(await appOf(prisma, returnTo)) });
}

/**
 * Records a password sign-in's outcome: `user.signed_in`, or
 * `user.sign_in_failed` with the email typed (never the password) and the
 * reason: unknown account, wrong password, no password set (an account from
 * a connection), locked. Not recorded: attempts refused while locked after
 * the first, attempts refused for their source, attempts while password
 * sign-in is off, and unknown-account failures beyond their budget.
 */
export async function recordPasswordSignIn(
  prisma: PrismaClient,
  typedEmail: string,
  result: SignInResult,
  returnTo?: string,
  budget = UNKNOWN_ACCOUNT_FAILURES,
): Promise<void> {
  if (result.ok) return recordSignIn(prisma, result.user, PASSWORD_SIGN_IN, returnTo);
  if (result.reason === "invalid" ? result.disabled : !result.lockStarted) return;
  const parsed = emailSchema.safeParse(typedEmail);
  const email = parsed.success ? parsed.data : NOT_AN_EMAIL;
  const user = parsed.success ? await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } }) : null;
  if (!user) {
    const { key, max, windowSeconds } = budget;
    if (!(await hitRateLimit(prisma, key, max, windowSeconds)).allowed) return;
  }
  const reason = result.reason === "throttled" ? "locked" : !user ? "unknown account" : user.passwordHash ? "wrong password" : "no password set";
  // The person trying is not signed in: the actor is the email they typed.
  const actor: Actor = { type: "user", id: null, label: email };
  await recordAudit(prisma, actor, "user.sign_in_failed", user?.id ?? null, { email, reason, ...(await appOf(prisma, returnTo)) });
}
