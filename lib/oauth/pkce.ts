import { createHash } from "node:crypto";
import { safeEqual } from "../crypto/tokens";
import { invalidGrant, invalidRequest } from "./oauth-error";

/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. The challenge (a SHA-256, base64url) is exactly 43. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Validates the PKCE parameters of an authorization request. Only S256 is
 * accepted (`plain` is refused, OAuth 2.1 §4.1.1); `required` comes from the
 * client-type policy table.
 */
export function checkCodeChallenge(
  challenge: string | undefined,
  method: string | undefined,
  required: boolean,
): { codeChallenge: string } | null {
  if (challenge === undefined) {
    if (method !== undefined) throw invalidRequest("code_challenge_method without code_challenge");
    if (required) throw invalidRequest("This client must use PKCE: code_challenge with code_challenge_method=S256 is required");
    return null;
  }
  if (method !== "S256") {
    throw invalidRequest(method === undefined || method === "plain" ? "code_challenge_method must be S256 (plain is not allowed)" : `code_challenge_method ${method} is not supported; use S256`);
  }
  if (!S256_CHALLENGE.test(challenge)) throw invalidRequest("code_challenge must be a base64url SHA-256 (43 characters)");
  return { codeChallenge: challenge };
}

/** The S256 challenge of a verifier (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/**
 * Checks a token request's code_verifier against the challenge stored with
 * the code. A code issued with PKCE needs the verifier; one issued without
 * must not get one (RFC 9700 §2.1.1: detects PKCE downgrade).
 */
export function verifyCodeVerifier(verifier: string | undefined, storedChallenge: string | null): void {
  if (storedChallenge === null) {
    if (verifier !== undefined) throw invalidGrant("code_verifier sent, but the authorization request had no code_challenge");
    return;
  }
  if (verifier === undefined) throw invalidGrant("code_verifier is required");
  if (!VERIFIER.test(verifier)) throw invalidRequest("code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~");
  if (!safeEqual(s256(verifier), storedChallenge)) throw invalidGrant("code_verifier does not match the code_challenge");
}
