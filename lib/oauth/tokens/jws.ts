import { sign, verify, type KeyObject } from "node:crypto";

export type JwsAlg = "RS256" | "ES256";

/** ES256 signatures are the raw r‖s form JWS requires (RFC 7518 §3.4), not node's default DER. */
const keyInput = (alg: JwsAlg, key: KeyObject) => (alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" as const } : key);

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A compact JWS (RFC 7515) signed with node:crypto directly: the token path
 * signs one or two JWTs per response, and this is a fraction of the cost of
 * a library's WebCrypto round trip (RS256 ~0.7 ms, ES256 ~0.1 ms of CPU
 * here). The signature is computed on libuv's thread pool (the callback
 * form of `sign`): the event loop, which every request of the process
 * shares, stays free while OpenSSL works; an RS256 signature was the
 * largest single cost of the main thread on the token path.
 */
export async function signJws(header: { alg: JwsAlg; typ: string; kid: string }, payload: object, key: KeyObject): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign("sha256", Buffer.from(input), keyInput(header.alg, key), (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
  return `${input}.${signature.toString("base64url")}`;
}

export const B64URL = /^[A-Za-z0-9_-]*$/;
/** The key type each algorithm needs: a header naming RS256 never gets an EC key checked as RSA, or the reverse. */
const KEY_TYPE: Record<JwsAlg, { type: string; curve?: string }> = {
  RS256: { type: "rsa" },
  ES256: { type: "ec", curve: "prime256v1" },
};

export function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** RFC 7515 §4.1.9 / RFC 8725 §3.11: typ compared without case and without an "application/" prefix, as jose does. */
export const normalizeTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, "");

/**
 * Verifies a compact JWS signed by one of this server's keys and returns
 * its header and payload, or null for anything else: not three base64url
 * parts, a header or payload that is not a JSON object, an algorithm other
 * than RS256/ES256 ("none" and HS256 included), a `crit` header (none is
 * understood), another `typ`, an unknown `kid`, a key of another type than
 * the algorithm's, or a bad signature. node:crypto directly, synchronously:
 * about a quarter of the CPU of jose's WebCrypto path for RS256, and
 * verifying (unlike signing) is cheap enough not to leave the event loop.
 * Claims are the caller's to check.
 */
export async function verifyJws(
  token: string,
  typ: string,
  keyFor: (kid: string) => Promise<KeyObject | null>,
): Promise<{ header: Record<string, unknown>; payload: Record<string, unknown> } | null> {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => B64URL.test(part))) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  if (!header || "crit" in header || typeof header.kid !== "string" || typeof header.typ !== "string") return null;
  if (normalizeTyp(header.typ) !== normalizeTyp(typ)) return null;
  const alg = header.alg;
  if (alg !== "RS256" && alg !== "ES256") return null;
  const key = await keyFor(header.kid);
  const expected = KEY_TYPE[alg];
  if (!key || key.type !== "public" || key.asymmetricKeyType !== expected.type) return null;
  if (expected.curve && key.asymmetricKeyDetails?.namedCurve !== expected.curve) return null;
  const input = Buffer.from(`${h}.${p}`);
  const valid = verify("sha256", input, keyInput(alg, key), Buffer.from(s, "base64url"));
  if (!valid) return null;
  const payload = decodeJson(p);
  return payload ? { header, payload } : null;
}
