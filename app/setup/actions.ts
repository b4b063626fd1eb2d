"use server";

import { completeSetup } from "@/lib/auth/bootstrap";
import { formAttemptWait, tooManyAttempts } from "@/lib/auth/form-throttle";
import { newUserSchema } from "@/lib/auth/users";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { publicAction } from "@/lib/dashboard/server-actions";

/** Spends the one-time setup token to create the first owner. */
export async function createFirstOwner(form: FormData): Promise<ActionResult> {
  return publicAction(async ({ prisma, source }) => {
    // A direct POST can pass anything as the argument (React's encoding carries plain values too).
    if (!(form instanceof FormData)) return failure("Invalid input");
    const parsed = newUserSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return failure(parsed.error.issues[0]?.message ?? "Invalid input");
    const wait = await formAttemptWait(prisma, "setup", source);
    if (wait !== null) return failure(tooManyAttempts(wait));
    await completeSetup(prisma, String(form.get("token") ?? ""), parsed.data);
    return {};
  });
}
