// DPoP proofs (RFC 9449) for `npm run bench`'s DPoP-bound refresh phase:
// one P-256 key per refresh chain, made in the bench process and handed to
// the load process as a private JWK; each request gets a fresh proof (new
// jti, current iat), signed with node:crypto so the load generator stays cheap.
import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey } from "node:crypto";

/** A new ES256 key pair, as its private JWK (it carries the public members too). */
export function newDpopKey(): JsonWebKey {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A signer of proofs with `jwk`: its header is encoded and its key imported once. */
export function dpopSigner(jwk: JsonWebKey): (htm: string, htu: string) => string {
  const key = createPrivateKey({ key: jwk, format: "jwk" });
  const header = b64({ typ: "dpop+jwt", alg: "ES256", jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } });
  return (htm, htu) => {
    const input = `${header}.${b64({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) })}`;
    return `${input}.${sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
  };
}
