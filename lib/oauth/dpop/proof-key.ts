import { constants, createPublicKey, verify, type KeyObject } from "node:crypto";
import { CLIENT_ASSERTION_ALGS, jwkThumbprint, parsePublicJwk, type ClientJwk } from "../../clients/client-jwks";
import { decodeJson, normalizeTyp } from "../tokens/jws";
import { invalidDpopProof } from "./errors";

/**
 * The algorithms DPoP proofs may be signed with: asymmetric only (RFC 9449
 * §4.2), the ones this server verifies for client assertions, and Ed25519
 * (RFC 9864's fully specified name for EdDSA with Ed25519, which
 * oauth4webapi signs with).
 */
export const DPOP_SIGNING_ALGS = [...CLIENT_ASSERTION_ALGS, "Ed25519"] as const;
export type DpopAlg = (typeof DPOP_SIGNING_ALGS)[number];

const KTY_OF: Record<DpopAlg, ClientJwk["kty"]> = { RS256: "RSA", PS256: "RSA", ES256: "EC", EdDSA: "OKP", Ed25519: "OKP" };

/** A proof's verified header: the key to check its signature with, and its RFC 7638 thumbprint (`jkt`). */
export interface ProofKey {
  alg: DpopAlg;
  key: KeyObject;
  jkt: string;
}

/**
 * Reads a proof's protected header (RFC 9449 §4.2, §4.3 steps 4–7):
 * `typ` dpop+jwt, an accepted asymmetric `alg`, a `jwk` that is a public
 * key of the algorithm's type (a private or symmetric key is refused), no
 * `crit`. A client sends the same header with every proof, so the result is
 * kept per encoded header (at most CACHE_SIZE): the key is imported and
 * its thumbprint computed once.
 */
export function proofKey(encodedHeader: string): ProofKey {
  const cached = cache.get(encodedHeader);
  if (cached) return cached;
  const key = readHeader(encodedHeader);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(encodedHeader, key);
  return key;
}

const CACHE_SIZE = 1000;
const cache = new Map<string, ProofKey>();

function readHeader(encodedHeader: string): ProofKey {
  const header = decodeJson(encodedHeader);
  if (!header) throw invalidDpopProof("The DPoP proof header is not a JSON object");
  if (typeof header.typ !== "string" || normalizeTyp(header.typ) !== "dpop+jwt") throw invalidDpopProof("The DPoP proof's typ must be dpop+jwt");
  const alg = header.alg as DpopAlg;
  if (!DPOP_SIGNING_ALGS.includes(alg)) throw invalidDpopProof(`The DPoP proof's alg must be one of ${DPOP_SIGNING_ALGS.join(", ")}`);
  if ("crit" in header) throw invalidDpopProof("The DPoP proof has a crit header this server does not understand");
  const jwk = parsePublicJwk(header.jwk, "The DPoP proof's jwk");
  if (typeof jwk === "string") throw invalidDpopProof(jwk);
  if (jwk.kty !== KTY_OF[alg] || (jwk.alg !== undefined && KTY_OF[jwk.alg] !== KTY_OF[alg])) throw invalidDpopProof(`The DPoP proof's jwk is not a key for ${alg}`);
  return { alg, key: createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" }), jkt: jwkThumbprint(jwk) };
}

/** Whether `signature` signs `input` with the proof's key (node:crypto: a fraction of a WebCrypto round trip). */
export function signatureValid({ alg, key }: ProofKey, input: string, signature: Buffer): boolean {
  const data = Buffer.from(input);
  switch (alg) {
    case "EdDSA":
    case "Ed25519":
      return verify(null, data, key, signature);
    case "ES256":
      return verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature);
    case "PS256":
      return verify("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
    case "RS256":
      return verify("sha256", data, key, signature);
  }
}
