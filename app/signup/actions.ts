"use server";

import { createUser, EmailTakenError, newUserSchema } from "@/lib/auth/users";
import { getPrisma } from "@/lib/db";

/** Creates an end-user (member) account. Owners are never created here. */
export async function signUp(form: FormData): Promise<{ error?: string }> {
  const parsed = newUserSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Invalid input" };
  try {
    await createUser(await getPrisma(), parsed.data, "member");
    return {};
  } catch (error) {
    if (error instanceof EmailTakenError) return { error: error.message };
    throw error;
  }
}
