import { generateKeyPairSync } from "node:crypto";
import { compactVerify, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signJws, type JwsAlg } from "./jws";

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
