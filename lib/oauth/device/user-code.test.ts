import { describe, expect, it } from "vitest";
import { formatUserCode, newUserCode, normalizeUserCode, USER_CODE_ALPHABET, USER_CODE_LENGTH, userCodeHash } from "./user-code";

describe("user codes (RFC 8628 §6.1)", () => {
  it("use 20 distinct consonants: no vowel, no digit, nothing that reads as another character", () => {
    expect(new Set(USER_CODE_ALPHABET).size).toBe(20);
    expect(USER_CODE_ALPHABET).toMatch(/^[B-DF-HJ-NP-TV-XZ]+$/);
    for (const ambiguous of "AEIOUY0123456789") expect(USER_CODE_ALPHABET).not.toContain(ambiguous);
  });

  it("are 8 characters of the alphabet, shown as XXXX-XXXX, and differ from draw to draw", () => {
    const codes = Array.from({ length: 200 }, newUserCode);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
    expect(new Set(codes).size).toBe(codes.length);
    // Every letter turns up: the draw covers the whole alphabet.
    expect(new Set(codes.join("").replaceAll("-", "")).size).toBe(USER_CODE_ALPHABET.length);
    expect(USER_CODE_LENGTH).toBe(8);
  });

  it("read what a person types: any case, spaces and hyphens ignored; anything else is no code", () => {
    expect(normalizeUserCode("bcdf-ghjk")).toBe("BCDFGHJK");
    expect(normalizeUserCode(" BCDF GHJK ")).toBe("BCDFGHJK");
    expect(normalizeUserCode("B-C-D-F-G-H-J-K")).toBe("BCDFGHJK");
    for (const typed of ["BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ0", "BCDF_GHJK", "", "ＢＣＤＦ-ＧＨＪＫ"]) expect(normalizeUserCode(typed)).toBeNull();
    expect(formatUserCode("BCDFGHJK")).toBe("BCDF-GHJK");
  });

  it("are stored keyed: the same code under another key is another hash", () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    expect(userCodeHash(a, "BCDFGHJK")).toBe(userCodeHash(a, "BCDFGHJK"));
    expect(userCodeHash(a, "BCDFGHJK")).not.toBe(userCodeHash(b, "BCDFGHJK"));
    expect(userCodeHash(a, "BCDFGHJK")).not.toBe(userCodeHash(a, "BCDFGHJL"));
    expect(userCodeHash(a, "BCDFGHJK")).not.toContain("BCDFGHJK");
  });
});
