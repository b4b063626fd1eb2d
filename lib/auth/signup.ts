import type { PrismaClient } from "../db/generated/client.ts";
import { conflictError } from "../domain-error";
import { getProjectSettings } from "../settings";
import { createUser, isEmailTaken, type NewUser } from "./users";

export const SIGNUP_CLOSED = "Sign-up is closed on this server; ask its owner for an account";

/** Whether the project lets anyone create an end-user account (with a password: closed too while password sign-in is off). */
export async function signupOpen(prisma: PrismaClient): Promise<boolean> {
  const settings = await getProjectSettings(prisma);
  return settings.signup_enabled && settings.password_signin_enabled;
}

/**
 * Self sign-up of an end user (member). Closed unless the project allows
 * it. An email that already has an account gets the same answer as a new
 * one, after the same work (the password is hashed either way): the form
 * then signs in, which fails unless the password is that account's, with
 * the sign-in page's one message for every failure. Sign-up cannot be used
 * to test which emails have accounts beyond what a sign-in attempt says.
 */
export async function signUpMember(prisma: PrismaClient, input: NewUser): Promise<void> {
  if (!(await signupOpen(prisma))) throw conflictError(SIGNUP_CLOSED);
  try {
    await createUser(prisma, input, "member");
  } catch (error) {
    if (!isEmailTaken(error)) throw error;
  }
}
