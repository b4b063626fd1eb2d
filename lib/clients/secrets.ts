import { createHmac } from "node:crypto";
import { derivedKey } from "../crypto/pepper";
import { randomToken, safeEqual } from "../crypto/tokens";

/** A new client secret: 256 random bits, base64url (43 characters). */
export function generateClientSecret(): string {
  return randomToken(32);
}

/** The purpose the client-secret pepper is derived for (the protocol gets it through its context's keyFor). */
export const CLIENT_SECRET_PURPOSE = "client-secret";

/**
 * The stored form of a client secret: HMAC-SHA-256 under a pepper derived from
 * the server secret. Fast (the token endpoint checks it on every call) and
 * useless without the server secret. Changing AUTH_SECRET invalidates every
 * client secret.
 */
export function hashClientSecret(secret: string, pepper: Buffer = derivedKey(CLIENT_SECRET_PURPOSE)): string {
  return createHmac("sha256", pepper).update(secret, "utf8").digest("base64url");
}

/** Constant-time check of a presented secret against stored hashes. */
export function secretMatches(secret: string, storedHashes: readonly string[], pepper?: Buffer): boolean {
  const presented = hashClientSecret(secret, pepper);
  // Compare against every candidate so timing does not tell which matched.
  return storedHashes.reduce((found, stored) => safeEqual(presented, stored) || found, false);
}
