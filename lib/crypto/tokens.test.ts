import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashToken, randomToken, safeEqual } from "./tokens";

const BASE64URL = /^[A-Za-z0-9_-]+$/;

describe("randomToken", () => {
  it("encodes 32 random bytes as unpadded base64url by default", () => {
    const token = randomToken();
    expect(token).toMatch(BASE64URL);
    expect(token).toHaveLength(43);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
  });

  it("encodes the requested number of bytes", () => {
    for (const bytes of [1, 16, 48, 64]) {
      const token = randomToken(bytes);
      expect(token).toMatch(BASE64URL);
      expect(Buffer.from(token, "base64url")).toHaveLength(bytes);
      expect(token).toHaveLength(Math.ceil((bytes * 4) / 3));
    }
  });

  it("never repeats", () => {
    const tokens = Array.from({ length: 2000 }, () => randomToken());
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("uses the whole base64url alphabet and about half of its bits are set", () => {
    const tokens = Array.from({ length: 300 }, () => randomToken());
    // 300 × 42 full 6-bit characters: every one of the 64 symbols shows up.
    const symbols = new Set(tokens.join(""));
    expect(symbols.size).toBe(64);

    let ones = 0;
    let bits = 0;
    for (const token of tokens) {
      for (const byte of Buffer.from(token, "base64url")) {
        for (let b = byte; b; b >>= 1) ones += b & 1;
        bits += 8;
      }
    }
    // 76,800 fair coin flips: 0.5 ± 0.02 is more than 10 standard deviations wide.
    expect(ones / bits).toBeGreaterThan(0.48);
    expect(ones / bits).toBeLessThan(0.52);
  });
});

describe("hashToken", () => {
  it("is SHA-256 as base64url (known answer)", () => {
    // FIPS 180-2 test vector for "abc".
    const hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect(hashToken("abc")).toBe(Buffer.from(hex, "hex").toString("base64url"));
    expect(hashToken("")).toBe(createHash("sha256").update("").digest("base64url"));
  });

  it("is deterministic", () => {
    const token = randomToken();
    expect(hashToken(token)).toBe(hashToken(token));
  });

  it("differs per input and never equals the input", () => {
    const tokens = Array.from({ length: 200 }, () => randomToken());
    const hashes = tokens.map(hashToken);
    expect(new Set(hashes).size).toBe(tokens.length);
    tokens.forEach((token, i) => {
      expect(hashes[i]).not.toBe(token);
      expect(hashes[i]).toMatch(BASE64URL);
      expect(hashes[i]).toHaveLength(43);
    });
    expect(hashToken("a")).not.toBe(hashToken("b"));
    expect(hashToken("token")).not.toBe(hashToken("token "));
  });

  it("hashes the UTF-8 encoding", () => {
    expect(hashToken("é")).toBe(createHash("sha256").update(Buffer.from([0xc3, 0xa9])).digest("base64url"));
  });
});

describe("safeEqual", () => {
  it("is true for equal strings", () => {
    const token = randomToken();
    expect(safeEqual(token, `${token}`)).toBe(true);
    expect(safeEqual("", "")).toBe(true);
    expect(safeEqual("héllo ✓", "héllo ✓")).toBe(true);
  });

  it("is false for different strings of the same length", () => {
    expect(safeEqual("abcdef", "abcdeg")).toBe(false);
    expect(safeEqual("Abcdef", "abcdef")).toBe(false);
  });

  it("is false (without throwing) for strings of different lengths", () => {
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("abcd", "abc")).toBe(false);
    expect(safeEqual("", "a")).toBe(false);
    // Same number of characters, different number of UTF-8 bytes.
    expect(safeEqual("é", "e")).toBe(false);
  });
});
