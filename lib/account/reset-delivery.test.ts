import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mailText, startSmtpListener } from "@/tests/smtp-listener";
import { resetLinkDelivery } from "./reset-delivery";

const LINK = "https://id.example.com/reset-password?token=abc";

describe("where forgot-password links go", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  beforeAll(async () => {
    smtp = await startSmtpListener();
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it("with SMTP, a mail to the account's address from SMTP_FROM holds the link", async () => {
    const deliver = resetLinkDelivery({ development: false, smtp: { url: `smtp://127.0.0.1:${smtp.port}`, from: "Connected Apps <no-reply@example.com>" } });
    await deliver!("user@example.com", LINK);
    expect(smtp.inbox).toHaveLength(1);
    const [mail] = smtp.inbox;
    expect(mail!.from).toBe("no-reply@example.com");
    expect(mail!.to).toEqual(["user@example.com"]);
    expect(mail!.raw).toContain("Subject: Reset your password");
    expect(mailText(mail!)).toContain(LINK);
  });

  it("in development without SMTP, the link goes to the server log", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await resetLinkDelivery({ development: true, smtp: undefined })!("user@example.com", LINK);
      expect(log).toHaveBeenCalledWith(expect.stringContaining(LINK));
    } finally {
      log.mockRestore();
    }
  });

  it("in production without SMTP, there is no delivery: the feature is unavailable", () => {
    expect(resetLinkDelivery({ development: false, smtp: undefined })).toBeNull();
  });
});
