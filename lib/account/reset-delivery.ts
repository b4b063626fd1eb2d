import type { Config } from "../config";
import { sendMail } from "../mail/send";
import type { DeliverResetLink } from "./password-reset";

/**
 * How forgot-password links leave the server: by SMTP when configured; in
 * development without SMTP, printed to the server log (the one place a link
 * is ever logged); otherwise null: the feature is unavailable and says so.
 */
export function resetLinkDelivery(config: Pick<Config, "smtp" | "development">): DeliverResetLink | null {
  const { smtp } = config;
  if (smtp) {
    return (to, link) =>
      sendMail(smtp, {
        to,
        subject: "Reset your password",
        text: `Someone (we hope you) asked to reset the password of your account.\n\nOpen this link within 30 minutes to choose a new password; it works once:\n\n${link}\n\nIf you did not ask, ignore this mail: your password stays as it is.\n`,
      });
  }
  if (config.development) {
    return async (to, link) => console.log(`connected-apps: (development, no SMTP_URL) password reset link for ${to}: ${link}`);
  }
  return null;
}
