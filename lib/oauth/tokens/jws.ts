import { sign, type KeyObject } from "node:crypto";

export type JwsAlg = "RS256" | "ES256";

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A compact JWS (RFC 7515) signed with node:crypto directly: the token path
 * signs one or two JWTs per response, and this is a fraction of the cost of
 * a library's WebCrypto round trip (RS256 ~0.7 ms, ES256 ~0.1 ms of CPU
 * here). The signature is computed on libuv's thread pool (the callback
 * form of `sign`): the event loop, which every request of the process
 * shares, stays free while OpenSSL works; an RS256 signature was the
 * largest single cost of the main thread on the token path. ES256
 * signatures are the raw r‖s form JWS requires (RFC 7518 §3.4), not DER.
 * Verification stays with jose.
 */
export async function signJws(header: { alg: JwsAlg; typ: string; kid: string }, payload: object, key: KeyObject): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign("sha256", Buffer.from(input), header.alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
  return `${input}.${signature.toString("base64url")}`;
}
