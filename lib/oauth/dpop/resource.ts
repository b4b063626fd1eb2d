import { challenge } from "../bearer-header";
import type { OAuthContext } from "../context";
import { OAuthError } from "../oauth-error";
import { boundJkt, type AccessTokenClaims } from "../tokens/access-token";
import { spendProof, verifyProof } from "./proof";
import { DPOP_SIGNING_ALGS } from "./proof-key";

/** A request to a protected endpoint of this server, as DPoP sees it. */
export interface ResourceProofRequest {
  /** The DPoP header, if any. */
  dpop: string | null;
  /** The request's method. */
  method: string;
  /** The endpoint's URL, built from the issuer. */
  htu: string;
}

/** RFC 9449 §7.1: a DPoP challenge, naming the accepted algorithms. */
export function dpopChallenge(error?: { code: string; description?: string }): string {
  return challenge("DPoP", error, { algs: DPOP_SIGNING_ALGS.join(" ") });
}

/** A refusal at a protected endpoint: 401 with its DPoP challenge (and the nonce of a use_dpop_nonce). */
export function dpopResourceError(code: "invalid_token" | "invalid_dpop_proof" | "use_dpop_nonce", description: string, dpopNonce?: string): OAuthError {
  return new OAuthError(code, description, {
    status: 401,
    wwwAuthenticate: dpopChallenge({ code, description }),
    ...(dpopNonce ? { dpopNonce } : {}),
  });
}

/**
 * RFC 9449 §7.1: an access token presented with the DPoP scheme must be
 * bound (`cnf.jkt`), and the request must carry a proof with `ath` of the
 * token, signed by that key, carrying this server's nonce (the nonce
 * policy, docs/decisions.md). The proof's jti is spent last, so a request
 * refused for another reason leaves it unspent.
 */
export async function checkResourceProof(
  ctx: OAuthContext,
  token: string,
  claims: AccessTokenClaims,
  request: ResourceProofRequest,
  now: Date,
): Promise<void> {
  const jkt = boundJkt(claims);
  if (!jkt) throw dpopResourceError("invalid_token", "The access token is not DPoP-bound: send it with the Bearer scheme");
  if (request.dpop === null) throw dpopResourceError("invalid_dpop_proof", "A DPoP proof is required with a DPoP-bound access token");
  try {
    const proof = verifyProof(ctx, request.dpop, { htm: request.method, htu: request.htu, accessToken: token, nonceRequired: true }, now);
    if (proof.jkt !== jkt) throw new OAuthError("invalid_token", "The DPoP proof is not signed with the key the access token is bound to");
    await spendProof(ctx, proof, now);
  } catch (error) {
    throw error instanceof OAuthError ? asResourceError(error) : error;
  }
}

const RESOURCE_CODES = new Set<string>(["invalid_token", "invalid_dpop_proof", "use_dpop_nonce"]);

/** The token endpoint's form of a proof's refusal (400), as a protected endpoint says it (401 and a challenge). */
function asResourceError(error: OAuthError): OAuthError {
  if (!RESOURCE_CODES.has(error.code)) return error;
  return dpopResourceError(error.code as Parameters<typeof dpopResourceError>[0], error.description, error.options.dpopNonce);
}
