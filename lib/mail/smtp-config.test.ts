import { describe, expect, it } from "vitest";
import { parseSmtpConfig } from "./smtp-config";

const ISSUER = "https://id.example.com";

describe("SMTP settings", () => {
  it("unset: no SMTP", () => {
    expect(parseSmtpConfig({}, ISSUER)).toBeUndefined();
    expect(parseSmtpConfig({ SMTP_URL: " " }, ISSUER)).toBeUndefined();
  });

  it("a URL alone sends from no-reply at the issuer's host; SMTP_FROM replaces it", () => {
    expect(parseSmtpConfig({ SMTP_URL: "smtp://u:p@mail.example.com:587" }, ISSUER)).toEqual({
      url: "smtp://u:p@mail.example.com:587",
      from: "Connected Apps <no-reply@id.example.com>",
    });
    expect(parseSmtpConfig({ SMTP_URL: "smtps://mail.example.com", SMTP_FROM: "Example <me@example.com>" }, ISSUER)?.from).toBe("Example <me@example.com>");
    expect(parseSmtpConfig({ SMTP_URL: "smtps://mail.example.com", SMTP_FROM: "me@example.com" }, ISSUER)?.from).toBe("me@example.com");
  });

  it.each([
    [{ SMTP_URL: "http://mail.example.com" }, "SMTP_URL: must be an smtp:// or smtps:// URL"],
    [{ SMTP_URL: "smtp://" }, "SMTP_URL: must be an smtp:// or smtps:// URL"],
    [{ SMTP_URL: "smtp://mail.example.com", SMTP_FROM: "not an address" }, "SMTP_FROM: must be an email address or Name <address>"],
    [{ SMTP_URL: "smtp://mail.example.com", SMTP_FROM: "a@b.c\nBcc: x@y.z" }, "SMTP_FROM: must be an email address or Name <address>"],
    [{ SMTP_FROM: "me@example.com" }, "SMTP_FROM: needs SMTP_URL"],
  ])("%j is refused, naming the variable", (env, message) => {
    expect(() => parseSmtpConfig(env, ISSUER)).toThrow(message);
  });
});
