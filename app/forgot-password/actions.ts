"use server";

import { requestPasswordReset } from "@/lib/account/password-reset";
import { resetLinkDelivery } from "@/lib/account/reset-delivery";
import { tooManyAttempts } from "@/lib/auth/form-throttle";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { publicAction } from "@/lib/dashboard/server-actions";

/** "Forgot password?": the same answer whether or not the email has an account (lib/account/password-reset.ts). */
export async function forgotPasswordAction(form: FormData): Promise<ActionResult> {
  return publicAction(async ({ prisma, config, source }) => {
    if (!(form instanceof FormData)) return failure("Invalid input");
    const deliver = resetLinkDelivery(config);
    if (!deliver) return failure(RESET_UNAVAILABLE);
    const result = await requestPasswordReset(prisma, { email: String(form.get("email") ?? ""), source, issuer: config.issuer }, deliver);
    return result.ok ? {} : failure(tooManyAttempts(result.retryAfter));
  });
}

const RESET_UNAVAILABLE = "Password reset by email is not available on this server. Ask its owner for help.";
