"use server";

import { resetPassword } from "@/lib/account/password-reset";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { publicAction } from "@/lib/dashboard/server-actions";

/** Spends a forgot-password link and sets the new password (lib/account/password-reset.ts). */
export async function resetPasswordAction(form: FormData): Promise<ActionResult> {
  return publicAction(async ({ prisma }) => {
    if (!(form instanceof FormData)) return failure("Invalid input");
    const done = await resetPassword(prisma, { token: String(form.get("token") ?? ""), password: String(form.get("password") ?? "") });
    return done ? {} : failure(LINK_SPENT);
  });
}

const LINK_SPENT = "This link has expired or was already used. Ask for a new one.";
