import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateClientSecret, hashClientSecret, secretMatches } from "./secrets";

const pepper = randomBytes(32);

describe("client secrets", () => {
  it("are 256 random bits, base64url", () => {
    const secrets = new Set(Array.from({ length: 50 }, generateClientSecret));
    expect(secrets.size).toBe(50);
    for (const s of secrets) {
      expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(s, "base64url")).toHaveLength(32);
    }
  });

  it("are stored as an HMAC under the pepper: deterministic, not the secret, and useless without the pepper", () => {
    const secret = generateClientSecret();
    const hash = hashClientSecret(secret, pepper);
    expect(hash).toBe(hashClientSecret(secret, pepper));
    expect(hash).not.toContain(secret);
    expect(hashClientSecret(secret, randomBytes(32))).not.toBe(hash);
    expect(hashClientSecret(generateClientSecret(), pepper)).not.toBe(hash);
  });

  it("match any of the stored hashes (current or next during a rotation) and nothing else", () => {
    const a = generateClientSecret();
    const b = generateClientSecret();
    const stored = [hashClientSecret(a, pepper), hashClientSecret(b, pepper)];
    expect(secretMatches(a, stored, pepper)).toBe(true);
    expect(secretMatches(b, stored, pepper)).toBe(true);
    expect(secretMatches(generateClientSecret(), stored, pepper)).toBe(false);
    expect(secretMatches(a.slice(0, -1), stored, pepper)).toBe(false);
    expect(secretMatches("", stored, pepper)).toBe(false);
    expect(secretMatches(a, [], pepper)).toBe(false);
  });
});
