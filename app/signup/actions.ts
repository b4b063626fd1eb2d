"use server";

import { formAttemptWait, tooManyAttempts } from "@/lib/auth/form-throttle";
import { signUpMember } from "@/lib/auth/signup";
import { newUserSchema } from "@/lib/auth/users";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { publicAction } from "@/lib/dashboard/server-actions";

/** Creates an end-user (member) account while sign-up is open. Owners are never created here. */
export async function signUp(form: FormData): Promise<ActionResult> {
  return publicAction(async ({ prisma, source }) => {
    // A direct POST can pass anything as the argument (React's encoding carries plain values too).
    if (!(form instanceof FormData)) return failure("Invalid input");
    const parsed = newUserSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return failure(parsed.error.issues[0]?.message ?? "Invalid input");
    const wait = await formAttemptWait(prisma, "signup", source);
    if (wait !== null) return failure(tooManyAttempts(wait));
    await signUpMember(prisma, parsed.data);
    return {};
  });
}
