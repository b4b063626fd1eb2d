import { generateKeyPairSync, randomBytes } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { jwkThumbprint, jwksUriProblem, keyIds, MAX_CLIENT_KEYS, MAX_JWKS_BYTES, parseClientJwks, type ClientJwk, type ClientJwks } from "./client-jwks";

const publicJwk = (type: "rsa" | "ec" | "ed25519", options: object = {}) => {
  const { publicKey, privateKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048, ...options })
      : type === "ec"
        ? generateKeyPairSync("ec", { namedCurve: "P-256", ...options })
        : generateKeyPairSync("ed25519");
  return { pub: publicKey.export({ format: "jwk" }) as Record<string, unknown>, priv: privateKey.export({ format: "jwk" }) as Record<string, unknown> };
};

describe("parseClientJwks", () => {
  const rsa = publicJwk("rsa");
  const ec = publicJwk("ec");
  const ed = publicJwk("ed25519");

  it("keeps RSA, P-256 and Ed25519 public keys with only their public members", () => {
    const parsed = parseClientJwks({ keys: [{ ...rsa.pub, kid: "r", use: "sig", alg: "PS256", x5t: "dropped" }, { ...ec.pub, kid: "e" }, ed.pub] }) as ClientJwks;
    expect(parsed.keys).toStrictEqual([
      { kty: "RSA", kid: "r", use: "sig", alg: "PS256", n: rsa.pub.n, e: rsa.pub.e },
      { kty: "EC", kid: "e", crv: "P-256", x: ec.pub.x, y: ec.pub.y },
      { kty: "OKP", crv: "Ed25519", x: ed.pub.x },
    ]);
  });

  it.each([
    ["not an object", [], "must be a JWK Set"],
    ["no keys", { keys: [] }, "non-empty keys array"],
    ["11 keys", { keys: Array.from({ length: 11 }, () => ec.pub) }, "at most 10 keys"],
    ["a private RSA key", { keys: [rsa.priv] }, 'keys[0] is a private key (it has "d")'],
    ["a private EC key", { keys: [ec.pub, ec.priv] }, 'keys[1] is a private key (it has "d")'],
    ["RSA factors alone", { keys: [{ ...rsa.pub, p: "AQAB" }] }, 'keys[0] is a private key (it has "p")'],
    ["a symmetric key", { keys: [{ kty: "oct", k: "c2VjcmV0" }] }, "symmetric key"],
    ["an unknown kty", { keys: [{ kty: "AKP", pub: "x" }] }, "kty must be RSA, EC or OKP"],
    ["an encryption key", { keys: [{ ...ec.pub, use: "enc" }] }, "use must be sig"],
    ["an alg the key cannot sign with", { keys: [{ ...ec.pub, alg: "RS256" }] }, "alg must be one of ES256"],
    ["HS256 as alg", { keys: [{ ...rsa.pub, alg: "HS256" }] }, "alg must be one of RS256, PS256"],
    ["P-384", { keys: [publicJwk("ec", { namedCurve: "P-384" }).pub] }, "crv must be P-256"],
    ["RSA-1024", { keys: [publicJwk("rsa", { modulusLength: 1024 }).pub] }, "2048 to 8192 bits"],
    ["a point off the curve", { keys: [{ ...ec.pub, y: ec.pub.x }] }, "not a valid EC public key"],
    ["no modulus", { keys: [{ kty: "RSA", e: "AQAB" }] }, "needs n and e"],
    ["two keys with one kid", { keys: [{ ...ec.pub, kid: "a" }, { ...ed.pub, kid: "a" }] }, "same kid"],
    ["a kid that is not text", { keys: [{ ...ec.pub, kid: 7 }] }, "kid must be"],
  ])("refuses %s", (_what, value, message) => {
    expect(parseClientJwks(value)).toContain(message);
  });

  /** The base64url modulus of an RSA public key of exactly `bits` bits (zero bytes inside it, and `leadingZeroBytes` before it). */
  const modulus = (bits: number, leadingZeroBytes = 0) => {
    const bytes = randomBytes(Math.ceil(bits / 8));
    bytes[0] = (bytes[0]! | 0x80) >> ((8 - (bits % 8)) % 8);
    bytes[1] = 0;
    bytes[2] = 0;
    bytes[bytes.length - 1]! |= 1;
    return Buffer.concat([Buffer.alloc(leadingZeroBytes), bytes]).toString("base64url");
  };
  const rsaOf = (n: string) => ({ keys: [{ kty: "RSA", e: "AQAB", n }] });
  const accepted = (value: unknown) => typeof parseClientJwks(value) !== "string";

  // The titles leave the random moduli out: every test process must name a test alike (Stryker reruns tests by name).
  it.each([
    ["2048 bits", true, modulus(2048)],
    ["2048 bits after 1 leading zero byte", true, modulus(2048, 1)],
    ["2048 bits after 2 leading zero bytes", true, modulus(2048, 2)],
    ["8192 bits", true, modulus(8192)],
    ["8192 bits after a leading zero byte", true, modulus(8192, 1)],
    ["8192 bits after 3 leading zero bytes", true, modulus(8192, 3)],
    ["2047 bits (jose would refuse it at every assertion)", false, modulus(2047)],
    ["2044 bits", false, modulus(2044)],
    ["2040 bits", false, modulus(2040)],
    ["2040 bits after leading zero bytes", false, modulus(2040, 4)],
    ["8193 bits", false, modulus(8193)],
    ["1024 bits", false, modulus(1024)],
  ])("counts an RSA modulus's bits without its leading zeros: %s, accepted: %s", (_what, ok, n) => {
    const parsed = parseClientJwks(rsaOf(n));
    expect(typeof parsed !== "string").toBe(ok);
    if (ok) expect((parsed as ClientJwks).keys[0]!.n).toBe(n);
    else expect(parsed).toMatch(/^keys\[0\] .*2048 to 8192 bits/);
  });

  it("takes a member of up to 2048 base64url characters", () => {
    // An RSA-2048 modulus behind 1280 zero bytes: exactly 2048 characters; three more zero bytes, 2052.
    const n = modulus(2048, 1280);
    expect(n).toHaveLength(2048);
    expect(accepted(rsaOf(n))).toBe(true);
    const longer = modulus(2048, 1283);
    expect(longer).toHaveLength(2052);
    expect(parseClientJwks(rsaOf(longer))).toMatch(/^keys\[0\] needs n and e/);
  });

  it.each([
    ["1 character", "k", true],
    ["200 characters", "k".repeat(200), true],
    ["every printable ASCII character", Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join(""), true],
    ["201 characters", "k".repeat(201), false],
    ["empty", "", false],
    ["a space before", " key", false],
    ["a space after", "key ", false],
    ["a space inside", "my key", false],
    ["a non-ASCII letter", "clé", false],
    ["a line break at the end", "key\n", false],
  ])("takes a kid of %s: %s", (_what, kid, ok) => {
    const parsed = parseClientJwks({ keys: [ed.pub, { ...ec.pub, kid }] });
    if (ok) expect((parsed as ClientJwks).keys[1]!.kid).toBe(kid);
    else expect(parsed).toMatch(/^keys\[1\]\.kid must be/);
  });

  it.each([
    ["null", null],
    ["an array", [ec.pub]],
    ["a string", "key"],
    ["a number", 7],
  ])("refuses %s as a key, naming it", (_what, key) => {
    expect(parseClientJwks({ keys: [ec.pub, key] })).toMatch(/^keys\[1\] must be a JSON object/);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["an array", [{ keys: [ec.pub] }]],
    ["a string", JSON.stringify({ keys: [ec.pub] })],
    ["a number", 7],
  ])("refuses %s as the set", (_what, value) => {
    expect(parseClientJwks(value)).toMatch(/^must be a JWK Set/);
  });

  it.each([
    ["an EC key without y", { kty: "EC", crv: "P-256", x: ec.pub.x }, "x and y"],
    ["an EC key whose y is not base64url", { ...ec.pub, y: `${ec.pub.y as string}=` }, "x and y"],
    ["an EC key whose y is a number", { ...ec.pub, y: 7 }, "x and y"],
    ["an EC key without x", { kty: "EC", crv: "P-256", y: ec.pub.y }, "x and y"],
    ["an Ed25519 key without x", { kty: "OKP", crv: "Ed25519" }, "x"],
    ["an Ed25519 key whose x is not base64url", { ...ed.pub, x: "a+b" }, "x"],
  ])("refuses %s, saying which members it needs", (_what, key, members) => {
    expect(parseClientJwks({ keys: [key] })).toBe(`keys[0] needs ${members} (base64url)`);
  });

  it("keeps an Ed25519 key with x alone, and no y of any other key's", () => {
    const parsed = parseClientJwks({ keys: [{ ...ed.pub, y: ec.pub.y }] }) as ClientJwks;
    expect(parsed.keys).toStrictEqual([{ kty: "OKP", crv: "Ed25519", x: ed.pub.x }]);
  });

  it(`takes up to ${MAX_CLIENT_KEYS} keys, with or without kids`, () => {
    const keys = Array.from({ length: MAX_CLIENT_KEYS }, () => ({ ...ec.pub }));
    expect((parseClientJwks({ keys }) as ClientJwks).keys).toHaveLength(MAX_CLIENT_KEYS);
    expect(parseClientJwks({ keys: [...keys, ec.pub] })).toBe(`must hold at most ${MAX_CLIENT_KEYS} keys`);
  });

  it(`takes a set of up to ${MAX_JWKS_BYTES} bytes of JSON`, () => {
    const withNote = (length: number) => {
      const set = { keys: [{ ...ec.pub, note: "" }] };
      set.keys[0]!.note = "n".repeat(length - JSON.stringify(set).length);
      expect(JSON.stringify(set)).toHaveLength(length);
      return set;
    };
    expect(parseClientJwks(withNote(MAX_JWKS_BYTES))).toStrictEqual({ keys: [{ kty: "EC", crv: "P-256", x: ec.pub.x, y: ec.pub.y }] });
    expect(parseClientJwks(withNote(MAX_JWKS_BYTES + 1))).toBe(`must be at most ${MAX_JWKS_BYTES} bytes`);
  });

  it.each([
    ["RSA", () => rsa.pub],
    ["EC", () => ec.pub],
    ["OKP", () => ed.pub],
  ])("computes the RFC 7638 thumbprint of an %s key from its required members", async (_kty, pub) => {
    const key = parseClientJwks({ keys: [{ ...pub(), kid: "k", use: "sig" }] }) as ClientJwks;
    // jose computes it from the required members of the key type alone.
    expect(jwkThumbprint(key.keys[0]!)).toBe(await calculateJwkThumbprint(key.keys[0]! as ClientJwk & { kty: string }));
  });

  it("names each key by its kid, else its RFC 7638 thumbprint", () => {
    // RFC 7638 §3.1's example key and thumbprint.
    const example = {
      kty: "RSA" as const,
      e: "AQAB",
      n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    };
    expect(jwkThumbprint(example)).toBe("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    expect(keyIds({ keys: [{ ...example, kid: "mine" }, example] })).toEqual(["mine", "thumbprint:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"]);
    expect(keyIds(null)).toEqual([]);
  });

  it("takes a jwks_uri by the rules of a metadata document URL", () => {
    expect(jwksUriProblem("https://app.example/.well-known/jwks.json")).toBeNull();
    expect(jwksUriProblem("http://app.example/jwks.json")).toBe("must be an https URL");
    expect(jwksUriProblem("https://user:pw@app.example/jwks.json")).toContain("user name or password");
  });
});
