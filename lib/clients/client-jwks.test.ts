import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { jwkThumbprint, jwksUriProblem, keyIds, parseClientJwks, type ClientJwks } from "./client-jwks";

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
    expect(parsed.keys).toEqual([
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
