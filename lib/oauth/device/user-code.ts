import { createHmac, randomInt } from "node:crypto";

/**
 * User codes (RFC 8628 §6.1): 20 consonants, no vowels (no words), no
 * digits, nothing that reads as another character (no I, O, U, Y), 8 of
 * them shown as XXXX-XXXX: 20^8 ≈ 2.6·10^10 codes, about 34 bits, which the
 * guess limits (guess-limit.ts) make far more than enough for ten minutes.
 */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

/** A new user code, formatted as it is shown: XXXX-XXXX. */
export function newUserCode(): string {
  let code = "";
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return formatUserCode(code);
}

export function formatUserCode(normalized: string): string {
  return `${normalized.slice(0, 4)}-${normalized.slice(4)}`;
}

/**
 * What a person typed, as the code it means: case and separators (spaces,
 * hyphens) do not matter (RFC 8628 §6.1); null when it cannot be a code
 * (another character, another length), which is no guess at all.
 */
export function normalizeUserCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== USER_CODE_LENGTH) return null;
  return [...code].every((c) => USER_CODE_ALPHABET.includes(c)) ? code : null;
}

/** Purpose of the key user codes are hashed under (derived from the server secret). */
export const USER_CODE_PURPOSE = "device-user-code";

/**
 * A user code as stored: an HMAC under a key derived from the server
 * secret. A plain SHA-256 of 34 bits is reversed in seconds; without the
 * key, a database dump cannot even confirm a guess.
 */
export function userCodeHash(key: Buffer, normalized: string): string {
  return createHmac("sha256", key).update(normalized).digest("base64url");
}
