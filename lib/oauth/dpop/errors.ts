import { OAuthError } from "../oauth-error";

/**
 * RFC 9449 §5, §7.1: a DPoP proof that is missing, malformed or does not
 * fit the request. The description is public and says what is wrong.
 */
export const invalidDpopProof = (description: string) => new OAuthError("invalid_dpop_proof", description);

/** RFC 9449 §8, §9: the proof needs this server's nonce; the fresh one travels in DPoP-Nonce. */
export const askForNonce = (description: string, nonce: string) =>
  new OAuthError("use_dpop_nonce", description, { dpopNonce: nonce });
