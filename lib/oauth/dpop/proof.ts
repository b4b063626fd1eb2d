import { createHash } from "node:crypto";
import type { OAuthContext } from "../context";
import { seconds } from "../lifetimes";
import { B64URL, decodeJson } from "../tokens/jws";
import { invalidDpopProof, askForNonce } from "./errors";
import { currentNonce, NONCE_MAX_AGE_S, nonceValid } from "./nonce";
import { proofKey, signatureValid } from "./proof-key";

/**
 * How far a proof's `iat` may be from this server's clock when it carries
 * no nonce, either way. Further off (a client whose clock is wrong), it is
 * answered with use_dpop_nonce: a proof with this server's nonce is fresh
 * whatever its `iat` says.
 */
export const IAT_WINDOW_S = 60;
/** How long a used proof's jti is remembered: longer than any proof is accepted (iat window, nonce age, and a step). */
export const PROOF_RETENTION_S = NONCE_MAX_AGE_S + 2 * IAT_WINDOW_S;
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

/** What the request a proof comes with is, and what it must hold. */
export interface ProofExpectation {
  /** The request's method. */
  htm: string;
  /** The endpoint's URL (built from the issuer, not from whatever host the request reached). */
  htu: string;
  /** At a resource endpoint, the access token: the proof's `ath` must be its hash (RFC 9449 §4.3 step 10). */
  accessToken?: string;
  /** Whether a proof without this server's nonce is refused (use_dpop_nonce). */
  nonceRequired: boolean;
}

/** A verified proof. */
export interface DpopProof {
  /** RFC 7638 thumbprint of its key: what tokens are bound to (`cnf.jkt`). */
  jkt: string;
  jti: string;
}

/**
 * Checks a DPoP proof (RFC 9449 §4.3) as named steps: one compact JWS, its
 * header (proof-key.ts), the signature, then `jti`, `htm`, `htu` (without
 * query or fragment), `ath`, and last freshness: a valid nonce of this
 * server, or, without one (when none is required), `iat` within
 * IAT_WINDOW_S. Nonce errors come last, so a client retries only a proof
 * that is otherwise good. Throws invalid_dpop_proof or use_dpop_nonce. It
 * does not spend the jti: spendProof does (one statement).
 */
export function verifyProof(ctx: Pick<OAuthContext, "keyFor">, header: string, expect: ProofExpectation, now: Date): DpopProof {
  // Several DPoP headers arrive joined by commas, which a JWS never holds (RFC 9449 §4.3 step 1).
  if (header.includes(",")) throw invalidDpopProof("Send exactly one DPoP header");
  if (header.length > MAX_PROOF_LENGTH) throw invalidDpopProof("The DPoP proof is too long");
  const parts = header.trim().split(".");
  if (parts.length !== 3 || !parts.every((part) => part && B64URL.test(part))) throw invalidDpopProof("The DPoP proof is not a compact JWS");
  const [h, p, s] = parts as [string, string, string];
  const key = proofKey(h);
  if (!signatureValid(key, `${h}.${p}`, Buffer.from(s, "base64url"))) throw invalidDpopProof("The DPoP proof's signature does not verify with its jwk");
  const claims = decodeJson(p);
  if (!claims) throw invalidDpopProof("The DPoP proof's payload is not a JSON object");
  const jti = claims.jti;
  if (typeof jti !== "string" || !jti || jti.length > MAX_JTI_LENGTH) throw invalidDpopProof(`The DPoP proof needs a jti of 1 to ${MAX_JTI_LENGTH} characters`);
  if (claims.htm !== expect.htm) throw invalidDpopProof(`The DPoP proof's htm must be ${expect.htm}`);
  if (!sameResource(claims.htu, expect.htu)) throw invalidDpopProof(`The DPoP proof's htu must be ${expect.htu}`);
  if (expect.accessToken !== undefined && claims.ath !== accessTokenHash(expect.accessToken)) {
    throw invalidDpopProof("The DPoP proof's ath does not match the access token");
  }
  if (typeof claims.iat !== "number" || !Number.isFinite(claims.iat)) throw invalidDpopProof("The DPoP proof needs a numeric iat");
  checkFreshness(ctx, claims, expect.nonceRequired, now);
  return { jkt: key.jkt, jti };
}

/** RFC 9449 §4.3 step 11, §8: a valid nonce, or an iat close to now when no nonce is required. */
function checkFreshness(ctx: Pick<OAuthContext, "keyFor">, claims: Record<string, unknown>, nonceRequired: boolean, now: Date): void {
  const { nonce, iat } = claims;
  if (nonce !== undefined) {
    if (typeof nonce !== "string") throw invalidDpopProof("The DPoP proof's nonce must be a string");
    if (!nonceValid(ctx, nonce, now)) throw askForNonce("The DPoP proof's nonce is unknown or has expired", currentNonce(ctx, now));
    return;
  }
  if (nonceRequired) throw askForNonce("The DPoP proof must carry this server's nonce", currentNonce(ctx, now));
  if (Math.abs(seconds(now) - (iat as number)) > IAT_WINDOW_S) {
    throw askForNonce(`The DPoP proof's iat is more than ${IAT_WINDOW_S} s from this server's time: use its nonce`, currentNonce(ctx, now));
  }
}

/** RFC 9449 §4.3 step 9: the same URL once query and fragment are dropped (URL parsing normalizes case, default ports and dot segments). */
function sameResource(htu: unknown, expected: string): boolean {
  if (typeof htu !== "string") return false;
  const url = URL.parse(htu);
  if (!url) return false;
  url.search = "";
  url.hash = "";
  return url.href === URL.parse(expected)?.href;
}

/** `ath`: base64url SHA-256 of the access token (RFC 9449 §4.2). */
export function accessTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/**
 * Spends a proof's jti (RFC 9449 §11.1): kept with its key's thumbprint
 * (two clients' jtis never collide) for PROOF_RETENTION_S, longer than the
 * proof could be accepted. An insert the primary key decides, so a replay
 * is refused on every instance.
 */
export async function spendProof(ctx: Pick<OAuthContext, "store">, proof: DpopProof, now: Date): Promise<void> {
  const hash = createHash("sha256").update(JSON.stringify([proof.jkt, proof.jti])).digest("base64url");
  const used = await ctx.store.useDpopProof(hash, new Date(now.getTime() + PROOF_RETENTION_S * 1000));
  if (!used) throw invalidDpopProof("This DPoP proof was used before (a replay): make a new one for each request");
}
