import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password";

const PASSWORD = "correct horse battery staple";

/** The six `$`-separated fields of a stored hash. */
function fields(stored: string) {
  const [scheme, N, r, p, salt, hash, ...rest] = stored.split("$");
  return { scheme, N: N!, r: r!, p: p!, salt: salt!, hash: hash!, rest };
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
      ["scrypt", f.N, f.r, "", f.salt, f.hash].join("$"),
      ["scrypt", `${f.N}.5`, f.r, f.p, f.salt, f.hash].join("$"),
      ["scrypt", "0", f.r, f.p, f.salt, f.hash].join("$"),
      ["scrypt", f.N, f.r, f.p, f.salt, ""].join("$"),
      ["scrypt", f.N, f.r, f.p, f.salt, `${f.hash}${f.hash}`].join("$"),
    ];
    for (const bad of malformed) {
      await expect(verifyPassword(PASSWORD, bad), JSON.stringify(bad)).resolves.toBe(false);
    }
  });

  // BUG (lib/auth/password.ts, verifyPassword): only an upper bound is
  // checked, so cost parameters scrypt itself refuses (N not a power of two,
  // N = 1, N < 0) reach node:crypto, which throws ("Invalid scrypt params",
  // ERR_OUT_OF_RANGE), and verifyPassword rejects instead of returning false.
  // This test fails until verifyPassword also requires N to be a power of two
  // >= 2 and r, p >= 1 (or catches scrypt errors and returns false).
  it("returns false, never throws, for cost parameters scrypt cannot use", async () => {
    const f = fields(stored);
    const unusable = [
      ["scrypt", "3", f.r, f.p, f.salt, f.hash],
      ["scrypt", "1", f.r, f.p, f.salt, f.hash],
      ["scrypt", "-2", f.r, f.p, f.salt, f.hash],
      ["scrypt", String(Number(f.N) + 1), f.r, f.p, f.salt, f.hash],
      ["scrypt", f.N, "0", f.p, f.salt, f.hash],
      ["scrypt", f.N, f.r, "0", f.salt, f.hash],
    ].map((parts) => parts.join("$"));
    for (const bad of unusable) {
      await expect(verifyPassword(PASSWORD, bad), bad).resolves.toBe(false);
    }
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
    for (const bad of absurd) {
      await expect(verifyPassword(PASSWORD, bad), bad).resolves.toBe(false);
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
