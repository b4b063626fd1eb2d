import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Authenticated encryption (AES-256-GCM) for secrets kept in the database,
 * as `v1.<iv>.<ciphertext>.<tag>` in base64url. `aad` binds the ciphertext to
 * its row (e.g. a key id), so a sealed value cannot be moved to another row.
 */
export function seal(plaintext: string, key: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, data, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export class UnsealError extends Error {
  override name = "UnsealError";
}

/** Opens a sealed value; throws UnsealError if it was altered, moved, or sealed under another key. */
export function unseal(sealed: string, key: Buffer, aad: string): string {
  const [version, iv, data, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !data || !tag) throw new UnsealError("not a sealed value");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new UnsealError("cannot decrypt (wrong server secret, or the value was altered)", { cause: error });
  }
}
