import { expect } from "@playwright/test";
import { mailText, type ReceivedMail } from "../tests/smtp-listener";

/** The reset link of the newest mail to `email` in `inbox` (quoted-printable soft breaks undone), waiting for it to arrive. */
export async function resetLinkFor(inbox: ReceivedMail[], email: string): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const mail = inbox.filter((m) => m.to.includes(email)).at(-1);
    link = mail && mailText(mail).match(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeDefined();
  }).toPass({ timeout: 10_000 });
  return link!;
}
