import { createHash, createPublicKey } from "node:crypto";
import { cimdUrlProblem } from "./cimd-fetch";

/**
 * A client's public keys for private_key_jwt (RFC 7517 JWK Set), as this
 * server keeps them: only the public members a signature check needs.
 */
export interface ClientJwk {
  kty: "RSA" | "EC" | "OKP";
  kid?: string;
  use?: "sig";
  alg?: ClientAssertionAlg;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}
export interface ClientJwks {
  keys: ClientJwk[];
}

/** Client assertion signing algorithms (RFC 7518; EdDSA: RFC 8037). Never none, never HS* (a shared secret). */
export const CLIENT_ASSERTION_ALGS = ["RS256", "PS256", "ES256", "EdDSA"] as const;
export type ClientAssertionAlg = (typeof CLIENT_ASSERTION_ALGS)[number];

export const MAX_CLIENT_KEYS = 10;
/** A set of 10 RSA-4096 keys is about 8 KB. */
export const MAX_JWKS_BYTES = 16 * 1024;
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;

/** Members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
/** Which algorithms each key type signs with here. */
const ALGS_OF: Record<ClientJwk["kty"], readonly ClientAssertionAlg[]> = { RSA: ["RS256", "PS256"], EC: ["ES256"], OKP: ["EdDSA"] };
const CURVE_OF: Partial<Record<ClientJwk["kty"], string>> = { EC: "P-256", OKP: "Ed25519" };

const b64u = /^[A-Za-z0-9_-]+$/;
const isB64u = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 2048 && b64u.test(v);

/**
 * Why one key cannot be used, or its public form: a public RSA (2048 to
 * 8192 bits), EC P-256 or Ed25519 key (a client's registered key, or a DPoP
 * proof's `jwk`). `at` names it in the message.
 */
export function parsePublicJwk(raw: unknown, at: string): ClientJwk | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return `${at} must be a JSON object (a JWK)`;
  const key = raw as Record<string, unknown>;
  const secret = PRIVATE_MEMBERS.find((m) => m in key);
  if (secret === "k") return `${at} is a symmetric key (kty oct, "k"): register public keys only, never a shared secret`;
  if (secret) return `${at} is a private key (it has "${secret}"): register only its public part`;
  const kty = key.kty;
  if (kty !== "RSA" && kty !== "EC" && kty !== "OKP") return `${at}.kty must be RSA, EC or OKP`;
  const out: ClientJwk = { kty };
  if (key.kid !== undefined) {
    if (typeof key.kid !== "string" || !key.kid || key.kid.length > 200 || !/^[\x21-\x7e]+$/.test(key.kid)) {
      return `${at}.kid must be 1 to 200 printable ASCII characters`;
    }
    out.kid = key.kid;
  }
  if (key.use !== undefined) {
    if (key.use !== "sig") return `${at}.use must be sig (these keys sign client assertions)`;
    out.use = "sig";
  }
  if (key.alg !== undefined) {
    if (!ALGS_OF[kty].includes(key.alg as ClientAssertionAlg)) return `${at}.alg must be one of ${ALGS_OF[kty].join(", ")} for a ${kty} key`;
    out.alg = key.alg as ClientAssertionAlg;
  }
  if (kty === "RSA") {
    if (!isB64u(key.n) || !isB64u(key.e)) return `${at} needs n and e (base64url)`;
    // The exact bit length (jose refuses RS256/PS256 keys under 2048 bits, so a 2044-bit key would register and never verify).
    const hex = Buffer.from(key.n, "base64url").toString("hex");
    const bits = /^0*$/.test(hex) ? 0 : BigInt(`0x${hex}`).toString(2).length;
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return `${at} must be an RSA key of ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits`;
    Object.assign(out, { n: key.n, e: key.e });
  } else {
    if (key.crv !== CURVE_OF[kty]) return `${at}.crv must be ${CURVE_OF[kty]} for a ${kty} key`;
    if (!isB64u(key.x) || (kty === "EC" && !isB64u(key.y))) return `${at} needs ${kty === "EC" ? "x and y" : "x"} (base64url)`;
    Object.assign(out, { crv: key.crv, x: key.x, ...(kty === "EC" ? { y: key.y } : {}) });
  }
  try {
    // Node checks the numbers make a key (an EC point on its curve, for one).
    createPublicKey({ key: out as import("node:crypto").JsonWebKey, format: "jwk" });
  } catch {
    return `${at} is not a valid ${kty} public key`;
  }
  return out;
}

/**
 * Validates a JWK Set a client registers (or publishes at its jwks_uri):
 * 1 to 10 public signing keys of the types this server verifies (RSA of at
 * least 2048 bits, EC P-256, Ed25519), distinct key ids. A private or
 * symmetric key is refused, saying so: whoever holds this set could sign as
 * the client. Returns the set with only the public members, or the problem.
 */
export function parseClientJwks(value: unknown): ClientJwks | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "must be a JWK Set: an object with a keys array";
  if (JSON.stringify(value).length > MAX_JWKS_BYTES) return `must be at most ${MAX_JWKS_BYTES} bytes`;
  const keys = (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) return "must have a non-empty keys array";
  if (keys.length > MAX_CLIENT_KEYS) return `must hold at most ${MAX_CLIENT_KEYS} keys`;
  const out: ClientJwk[] = [];
  for (const [i, raw] of keys.entries()) {
    const key = parsePublicJwk(raw, `keys[${i}]`);
    if (typeof key === "string") return key;
    out.push(key);
  }
  const kids = out.flatMap((k) => (k.kid ? [k.kid] : []));
  if (new Set(kids).size !== kids.length) return "must not hold two keys with the same kid";
  return { keys: out };
}

/** Why a jwks_uri cannot be registered, or null: an https URL written canonically, the rules of a metadata document URL. */
export function jwksUriProblem(uri: string): string | null {
  return cimdUrlProblem(uri);
}

/** RFC 7638 thumbprint of a public key (its identifier when it has no kid). */
export function jwkThumbprint(key: ClientJwk): string {
  const members = key.kty === "RSA" ? { e: key.e, kty: key.kty, n: key.n } : key.kty === "EC" ? { crv: key.crv, kty: key.kty, x: key.x, y: key.y } : { crv: key.crv, kty: key.kty, x: key.x };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

/** What identifies each key to a person: its kid, else its thumbprint. */
export function keyIds(jwks: ClientJwks | null): string[] {
  return jwks ? jwks.keys.map((k) => k.kid ?? `thumbprint:${jwkThumbprint(k)}`) : [];
}
