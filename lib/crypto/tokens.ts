import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random string with `bytes` of entropy, base64url (256 bits by default). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/**
 * Hash for high-entropy credentials (API keys, setup tokens, later client
 * secrets, codes and refresh tokens). They carry 256 bits of randomness, so a
 * fast unsalted SHA-256 is enough to make a database dump useless, and it
 * keeps lookups by hash (an indexed equality) fast on the token path.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** Constant-time string comparison (length is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
