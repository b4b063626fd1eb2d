import * as crypto from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password";

// scrypt stays real; the spy only lets tests see whether (and with what) it
// was called, and stand in for it where computing would take minutes.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});
const scryptSpy = vi.mocked(crypto.scrypt);
afterEach(() => {
  scryptSpy.mockClear();
});

const PASSWORD = "correct horse battery staple";

/** The six `$`-separated fields of a stored hash. */
function fields(stored: string) {
  const [scheme, N, r, p, salt, hash, ...rest] = stored.split("$");
  return { scheme, N: N!, r: r!, p: p!, salt: salt!, hash: hash!, rest };
}

/** [stored, result] per stored hash; a rejection shows up as its message instead of false. */
async function outcomes(storedHashes: string[]): Promise<[string, boolean | string][]> {
  const results: [string, boolean | string][] = [];
  for (const bad of storedHashes) {
    results.push([bad, await verifyPassword(PASSWORD, bad).catch((error: Error) => `threw ${error.message}`)]);
  }
  return results;
}

let stored: string;
beforeAll(async () => {
  stored = await hashPassword(PASSWORD);
});

describe("hashPassword / verifyPassword", () => {
  it("verifies the password it hashed", async () => {
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts: two hashes of one password differ, and both verify", async () => {
    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(stored);
    expect(fields(again).salt).not.toBe(fields(stored).salt);
    expect(fields(again).hash).not.toBe(fields(stored).hash);
    expect(await verifyPassword(PASSWORD, again)).toBe(true);
  });

  it("stores scrypt$N$r$p$salt$hash with sound parameters and no trace of the password", () => {
    expect(stored).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    const f = fields(stored);
    expect(f.scheme).toBe("scrypt");
    expect(f.rest).toEqual([]);
    const N = Number(f.N);
    expect(Number.isInteger(Math.log2(N))).toBe(true);
    expect(N).toBeGreaterThanOrEqual(2 ** 14);
    expect(Number(f.r)).toBeGreaterThanOrEqual(8);
    expect(Number(f.p)).toBeGreaterThanOrEqual(1);
    expect(Buffer.from(f.salt, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(f.hash, "base64url")).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
  });

  it("does not verify when the salt or the hash was tampered with", async () => {
    const f = fields(stored);
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const otherSalt = ["scrypt", f.N, f.r, f.p, flip(f.salt), f.hash].join("$");
    const otherHash = ["scrypt", f.N, f.r, f.p, f.salt, flip(f.hash)].join("$");
    expect(await verifyPassword(PASSWORD, otherSalt)).toBe(false);
    expect(await verifyPassword(PASSWORD, otherHash)).toBe(false);
  });

  it("returns false, never throws, for malformed, truncated or foreign stored hashes", async () => {
    const f = fields(stored);
    const malformed = [
      "",
      "scrypt",
      "$",
      PASSWORD,
      stored.slice(0, stored.lastIndexOf("$")), // hash field missing
      stored.slice(0, -5), // hash truncated
      `${stored}$extra`,
      stored.replace(/^scrypt/, "bcrypt"),
      stored.replace(/^scrypt/, "SCRYPT"),
      `$2b$10$${"a".repeat(53)}`, // a bcrypt hash
      ["scrypt", "abc", f.r, f.p, f.salt, f.hash].join("$"),
      ["scrypt", f.N, "x", f.p, f.salt, f.hash].join("$"),
      ["scrypt", `${f.N}.5`, f.r, f.p, f.salt, f.hash].join("$"),
      ["scrypt", "0", f.r, f.p, f.salt, f.hash].join("$"),
      ["scrypt", "", f.r, f.p, f.salt, f.hash].join("$"),
      ["scrypt", f.N, f.r, f.p, f.salt, ""].join("$"),
      ["scrypt", f.N, f.r, f.p, f.salt, `${f.hash}${f.hash}`].join("$"),
    ];
    expect(await outcomes(malformed)).toEqual(malformed.map((bad) => [bad, false]));
  });

  // Regression: only upper bounds used to be checked, so parameters scrypt
  // cannot use (N not a power of two, N < 2, r or p zero, empty or negative)
  // reached node:crypto, which throws, and verifyPassword rejected. The old
  // maxmem formula (2·128·N·r·p) also made the valid N = 2 throw.
  it("returns false, never throws, for cost parameters scrypt cannot use", async () => {
    const f = fields(stored);
    const unusable = [
      ["scrypt", "3", f.r, f.p, f.salt, f.hash],
      ["scrypt", "2", f.r, f.p, f.salt, f.hash],
      ["scrypt", "1", f.r, f.p, f.salt, f.hash],
      ["scrypt", "-2", f.r, f.p, f.salt, f.hash],
      ["scrypt", String(Number(f.N) + 1), f.r, f.p, f.salt, f.hash],
      ["scrypt", f.N, "0", f.p, f.salt, f.hash],
      ["scrypt", f.N, "-1", f.p, f.salt, f.hash],
      ["scrypt", f.N, "", f.p, f.salt, f.hash],
      ["scrypt", f.N, f.r, "0", f.salt, f.hash],
      ["scrypt", f.N, f.r, "", f.salt, f.hash],
    ].map((parts) => parts.join("$"));
    expect(await outcomes(unusable)).toEqual(unusable.map((bad) => [bad, false]));
  });

  it("refuses absurd cost parameters instead of computing them", async () => {
    const f = fields(stored);
    const absurd = [
      ["scrypt", String(2 ** 21), f.r, f.p, f.salt, f.hash],
      ["scrypt", String(2 ** 30), f.r, f.p, f.salt, f.hash],
      ["scrypt", String(2 ** 52), f.r, f.p, f.salt, f.hash],
      ["scrypt", "1e400", f.r, f.p, f.salt, f.hash],
      ["scrypt", f.N, "1024", f.p, f.salt, f.hash],
      ["scrypt", f.N, f.r, "1000000", f.salt, f.hash],
    ].map((parts) => parts.join("$"));
    expect(await outcomes(absurd)).toEqual(absurd.map((bad) => [bad, false]));
    expect(scryptSpy).not.toHaveBeenCalled();
  });

  // Regression: the limits used to be per parameter only (N <= 2^20, r <= 32,
  // p <= 16), so N=2^20, r=32, p=16 passed: 4 GiB of memory and ~160 s of CPU
  // for one verification of a tampered stored hash. scrypt is stubbed here so
  // a regression fails fast instead of computing it.
  it("refuses combinations of large cost parameters instead of computing them", async () => {
    const f = fields(stored);
    const combined = [
      ["scrypt", String(2 ** 20), "32", "16", f.salt, f.hash], // 4 GiB, N·r·p = 2^29
      ["scrypt", String(2 ** 20), "16", "1", f.salt, f.hash], // 2 GiB
      ["scrypt", String(2 ** 20), "8", "4", f.salt, f.hash], // 1 GiB, N·r·p = 2^25
      ["scrypt", String(2 ** 18), "8", "4", f.salt, f.hash], // 256 MiB, N·r·p = 2^23
    ].map((parts) => parts.join("$"));
    const actual = await vi.importActual<typeof import("node:crypto")>("node:crypto");
    scryptSpy.mockImplementation(((...args: unknown[]) => {
      const callback = args.at(-1) as (err: Error | null, key: Buffer) => void;
      callback(null, Buffer.alloc(32));
    }) as unknown as typeof crypto.scrypt);
    try {
      expect(await outcomes(combined)).toEqual(combined.map((bad) => [bad, false]));
      expect(scryptSpy).not.toHaveBeenCalled();
    } finally {
      scryptSpy.mockImplementation(actual.scrypt);
    }
  });

  it("verifies hashes stored with other sane cost parameters (older or raised)", async () => {
    const actual = await vi.importActual<typeof import("node:crypto")>("node:crypto");
    for (const [N, r, p] of [
      [2 ** 14, 8, 1],
      [2 ** 16, 8, 1],
      [2 ** 15, 8, 2],
    ] as const) {
      const salt = actual.randomBytes(16);
      const key = actual.scryptSync(PASSWORD, salt, 32, { N, r, p, maxmem: 256 * 1024 * 1024 });
      const other = ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
      expect(await verifyPassword(PASSWORD, other), other).toBe(true);
      expect(await verifyPassword(`${PASSWORD}!`, other), other).toBe(false);
    }
  });

  it("normalises Unicode: NFC and NFD spellings of a password are the same password", async () => {
    const nfc = "Crème brûlée ångström".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    const fromNfc = await hashPassword(nfc);
    expect(await verifyPassword(nfd, fromNfc)).toBe(true);
    expect(await verifyPassword(nfc, fromNfc)).toBe(true);
    expect(await verifyPassword("Creme brulee angstrom", fromNfc)).toBe(false);
  });
});

describe("verifyAgainstDummy", () => {
  it("returns false, whatever the password", async () => {
    expect(await verifyAgainstDummy(PASSWORD)).toBe(false);
    expect(await verifyAgainstDummy("")).toBe(false);
  });
});
