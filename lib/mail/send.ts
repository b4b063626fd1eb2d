import nodemailer, { type Transporter } from "nodemailer";
import type { SmtpConfig } from "./smtp-config";

/** One plain-text message to one recipient. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

let transport: { url: string; transporter: Transporter } | undefined;

/** Sends a message through the configured SMTP server; one pooled transport per process (per URL). */
export async function sendMail(smtp: SmtpConfig, mail: Mail): Promise<void> {
  if (transport?.url !== smtp.url) transport = { url: smtp.url, transporter: nodemailer.createTransport(smtp.url) };
  await transport.transporter.sendMail({ from: smtp.from, ...mail });
}
