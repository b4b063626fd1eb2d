import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { compactVerify, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signJws, verifyJws, type JwsAlg } from "./jws";

const keys: Record<JwsAlg, ReturnType<typeof generateKeyPairSync>> = {
  RS256: generateKeyPairSync("rsa", { modulusLength: 2048 }),
  ES256: generateKeyPairSync("ec", { namedCurve: "P-256" }),
};

describe.each(["RS256", "ES256"] as const)("signJws %s", (alg) => {
  const { privateKey, publicKey } = keys[alg];
  const payload = { iss: "https://id.example.com", sub: "user-1", aud: ["a", "b"], exp: 4_000_000_000, iat: 1, name: "Zoë ✓" };

  it("makes a JWT jose verifies, with the header and claims as given", async () => {
    const token = await signJws({ alg, typ: "at+jwt", kid: "k1" }, payload, privateKey);
    expect(decodeProtectedHeader(token)).toEqual({ alg, typ: "at+jwt", kid: "k1" });
    const { payload: verified } = await jwtVerify(token, publicKey, { algorithms: [alg], typ: "at+jwt", issuer: payload.iss });
    expect(verified).toEqual(payload);
  });

  it("is refused under another key, or altered", async () => {
    const token = await signJws({ alg, typ: "JWT", kid: "k1" }, payload, privateKey);
    const other = alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
    await expect(compactVerify(token, other.publicKey)).rejects.toThrow();
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: "user-2" })).toString("base64url")}.${s}`;
    expect(p).not.toBe(tampered.split(".")[1]);
    await expect(compactVerify(tampered, publicKey)).rejects.toThrow();
  });

  it("rejects, not throws past the caller, when the key cannot sign", async () => {
    await expect(signJws({ alg, typ: "JWT", kid: "k1" }, payload, publicKey as never)).rejects.toThrow();
  });
});

describe("verifyJws", () => {
  const payload = { iss: "https://id.example.com", sub: "user-1", exp: 4_000_000_000, iat: 1 };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const keyFor = (kid: string) => Promise.resolve(kid === "rsa" ? keys.RS256.publicKey : kid === "ec" ? keys.ES256.publicKey : null);
  const rawSign = (input: string, alg: JwsAlg, key = keys[alg].privateKey) =>
    sign("sha256", Buffer.from(input), alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key).toString("base64url");
  /** A token with any header, signed as `alg` with `key` (default: the right one). */
  const craft = (header: Record<string, unknown>, body: unknown = payload, alg: JwsAlg = "RS256", key?: KeyObject) => {
    const input = `${b64(header)}.${b64(body)}`;
    return `${input}.${rawSign(input, alg, key)}`;
  };

  it.each([
    ["RS256", "rsa"],
    ["ES256", "ec"],
  ] as const)("accepts %s under its kid, whatever the case or application/ prefix of typ", async (alg, kid) => {
    for (const typ of ["at+jwt", "AT+JWT", "application/at+jwt"]) {
      const token = craft({ alg, typ, kid }, payload, alg);
      expect(await verifyJws(token, "at+jwt", keyFor)).toEqual({ header: { alg, typ, kid }, payload });
    }
    expect(await verifyJws(await signJws({ alg, typ: "at+jwt", kid }, payload, keys[alg].privateKey), "at+jwt", keyFor)).not.toBeNull();
  });

  const good = { alg: "RS256", typ: "at+jwt", kid: "rsa" };
  const valid = craft(good);
  const [h, p, s] = valid.split(".") as [string, string, string];
  const hmac = (secret: Buffer) => {
    const input = `${b64({ ...good, alg: "HS256" })}.${p}`;
    return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
  };
  const derEs256 = () => {
    const input = `${b64({ alg: "ES256", typ: "at+jwt", kid: "ec" })}.${p}`;
    return `${input}.${sign("sha256", Buffer.from(input), keys.ES256.privateKey).toString("base64url")}`; // DER, not r‖s
  };
  const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });

  it.each<[string, () => string, ((kid: string) => Promise<KeyObject | null>)?]>([
    ["another typ", () => craft({ ...good, typ: "JWT" })],
    ["no typ", () => craft({ alg: "RS256", kid: "rsa" })],
    ["no kid", () => craft({ alg: "RS256", typ: "at+jwt" })],
    ["an unknown kid", () => craft({ ...good, kid: "nope" })],
    ["a crit header", () => craft({ ...good, crit: ["exp"], exp: 1 })],
    ["alg none, unsigned", () => `${b64({ ...good, alg: "none" })}.${p}.`],
    ["alg HS256 keyed with the public key (algorithm confusion)", () => hmac(keys.RS256.publicKey.export({ type: "spki", format: "der" }))],
    ["RS256 in the header, an EC key under the kid (DER signature, as RS256 verification would read it)", () => {
      const input = `${b64({ ...good, kid: "ec" })}.${p}`;
      return `${input}.${sign("sha256", Buffer.from(input), keys.ES256.privateKey).toString("base64url")}`;
    }],
    ["ES256 in the header, an RSA key under the kid", () => craft({ alg: "ES256", typ: "at+jwt", kid: "rsa" }, payload, "RS256")],
    ["ES256 with a DER signature", derEs256],
    // Signed by the P-384 key itself with SHA-256: only the curve check refuses it.
    ["ES256 under a P-384 key", () => craft({ alg: "ES256", typ: "at+jwt", kid: "p384" }, payload, "ES256", p384.privateKey), async () => p384.publicKey],
    ["a private key offered for verification", () => valid, async () => keys.RS256.privateKey],
    ["a changed payload", () => `${h}.${b64({ ...payload, sub: "user-2" })}.${s}`],
    ["a changed signature", () => `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`],
    ["another key's signature", () => craft(good, payload, "RS256", generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey)],
    ["two parts", () => `${h}.${p}`],
    ["four parts", () => `${valid}.${s}`],
    ["base64 (not base64url) characters", () => `${h}.${p}+/=.${s}`],
    ["a header that is not JSON", () => `${Buffer.from("{alg").toString("base64url")}.${p}.${s}`],
    ["a header that is a JSON array", () => craft([good] as never)],
    ["a payload that is not an object", () => craft(good, 5)],
    ["an empty string", () => ""],
  ])("refuses %s", async (_, token, lookup = keyFor) => {
    expect(await verifyJws(token(), "at+jwt", lookup)).toBeNull();
  });
});
