import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashing with scrypt (memory-hard; RFC 7914). The stored form is
 * self-describing, `scrypt$N$r$p$salt$hash`, so cost parameters can be raised
 * later and old hashes still verify.
 */
const DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  // scrypt needs about 128·r·(N + p) bytes; leave slack for bookkeeping.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * r * (N + p + 2) + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/**
 * Cost parameters we are willing to compute for a stored hash. A tampered or
 * corrupt hash must not turn a sign-in attempt into seconds of CPU or GiB of
 * memory, so the combination is bounded, not just each value (defaults:
 * 32 MiB, N·r·p = 2^18).
 */
function acceptableCost(N: number, r: number, p: number): boolean {
  const powerOfTwo = N >= 2 && (N & (N - 1)) === 0;
  return (
    powerOfTwo && N <= 2 ** 20 && r >= 1 && r <= 16 && p >= 1 && p <= 4 &&
    128 * N * r <= 256 * 1024 * 1024 && N * r * p <= 2 ** 22
  );
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = DEFAULTS;
  const key = await scrypt(password, salt, N, r, p);
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Verifies a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const cost = parts.slice(1, 4);
  if (!cost.every((v) => /^[1-9]\d{0,7}$/.test(v))) return false;
  const [N, r, p] = cost.map(Number) as [number, number, number];
  if (!acceptableCost(N, r, p)) return false;
  const expected = Buffer.from(parts[5]!, "base64url");
  if (expected.length !== KEY_LENGTH) return false;
  try {
    const actual = await scrypt(password, Buffer.from(parts[4]!, "base64url"), N, r, p);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Burns the same time as a real verification, for unknown accounts, so that
 * sign-in timing does not reveal which emails are registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummyHash);
  return false;
}
