"use server";

import { completeSetup, SetupError } from "@/lib/auth/bootstrap";
import { newUserSchema } from "@/lib/auth/users";
import { getPrisma } from "@/lib/db";

/** Spends the one-time setup token to create the first owner. */
export async function createFirstOwner(form: FormData): Promise<{ error?: string }> {
  const parsed = newUserSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Invalid input" };
  try {
    await completeSetup(await getPrisma(), String(form.get("token") ?? ""), parsed.data);
    return {};
  } catch (error) {
    if (error instanceof SetupError) return { error: error.message };
    throw error;
  }
}
