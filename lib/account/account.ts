import { z } from "zod";
import { recordAudit, type Actor } from "../audit";
import { hashPassword } from "../auth/password";
import { END_SESSIONS } from "../auth/session-epoch";
import { signInFailureMessage, throttledSignInError } from "../auth/signin-messages";
import { signInWithPassword } from "../auth/signin-throttle";
import { passwordSchema } from "../auth/users";
import type { PrismaClient, User } from "../db/generated/client.ts";
import { conflictError, invalidInput } from "../domain-error";
import { getProjectSettings } from "../settings";

export const nameSchema = z.string().trim().max(100, { error: "Name must be at most 100 characters" });

/** A user's own name (empty: none). */
export async function updateName(prisma: PrismaClient, actor: Actor, userId: string, input: unknown): Promise<void> {
  const parsed = nameSchema.safeParse(input);
  if (!parsed.success) throw invalidInput({ name: parsed.error.issues[0]!.message });
  await prisma.user.update({ where: { id: userId }, data: { name: parsed.data || null } });
  await recordAudit(prisma, actor, "user.name_changed", userId);
}

/**
 * A signed-in user changes their password. With a password, the current
 * one is required and checked as a sign-in is (same per-account and
 * per-source throttle: the form is no way around it). A user made by a
 * sign-in connection has none and sets a first one: the session already
 * proves who they are, as the connection did. Every session of the user
 * ends (a stolen one with them); the returned epoch is what the browser that
 * made the change is re-issued its session with, to stay signed in.
 */
export async function changePassword(
  prisma: PrismaClient,
  actor: Actor,
  user: Pick<User, "id" | "email" | "passwordHash">,
  input: { current: unknown; next: unknown; source: string | null },
): Promise<{ sessionEpoch: number }> {
  const next = passwordSchema.safeParse(input.next);
  if (!next.success) throw invalidInput({ new_password: next.error.issues[0]!.message });
  if (user.passwordHash) {
    // signInWithPassword refuses every password while the owner has turned password sign-in off: say so, not "incorrect".
    if (!(await getProjectSettings(prisma)).password_signin_enabled) throw conflictError(PASSWORD_SIGNIN_OFF);
    const current = typeof input.current === "string" ? input.current : "";
    const checked = await signInWithPassword(prisma, { email: user.email, password: current, source: input.source });
    if (!checked.ok && checked.reason === "throttled") throw conflictError(signInFailureMessage(throttledSignInError(checked.retryAfter)).replace(/\.$/, ""));
    if (!checked.ok || checked.user.id !== user.id) throw invalidInput({ current_password: "The current password is not correct" });
  }
  const { sessionEpoch } = await prisma.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(next.data), ...END_SESSIONS },
    select: { sessionEpoch: true },
  });
  // Reset links asked for before the change must not undo it.
  await prisma.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: new Date() } });
  await recordAudit(prisma, actor, user.passwordHash ? "user.password_changed" : "user.password_set", user.id);
  return { sessionEpoch };
}

export const PASSWORD_SIGNIN_OFF = "Email-and-password sign-in is turned off on this server, so your password cannot be changed now";

export const LAST_OWNER = "You are the project's only owner: make someone else an owner before deleting your account";

/**
 * Deletes the user's own account, confirmed by typing its email. In one
 * transaction the user row goes, and with it (cascade) token families
 * (refresh tokens refused; access tokens, whose family is gone, inactive),
 * grants, codes, identities, role assignments, API keys and reset links.
 * The audit event stays (the owner's log). Owners are locked while counted,
 * so two owners deleting themselves at once cannot leave none.
 */
export async function deleteAccount(prisma: PrismaClient, actor: Actor, user: Pick<User, "id" | "email">, confirmation: unknown): Promise<void> {
  if (typeof confirmation !== "string" || confirmation.trim().toLowerCase() !== user.email) {
    throw invalidInput({ confirm_email: "Type your email address exactly to confirm" });
  }
  await prisma.$transaction(async (tx) => {
    const owners = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM users WHERE role = 'owner' FOR UPDATE`;
    if (owners.some((o) => o.id === user.id) && owners.length <= 1) throw conflictError(LAST_OWNER);
    const families = await tx.tokenFamily.count({ where: { userId: user.id, revokedAt: null } });
    const grants = await tx.grant.count({ where: { userId: user.id } });
    const deleted = await tx.user.deleteMany({ where: { id: user.id } });
    if (deleted.count === 0) return;
    await recordAudit(tx, actor, "user.deleted", user.id, { email: user.email, grants, token_families: families });
  });
}
