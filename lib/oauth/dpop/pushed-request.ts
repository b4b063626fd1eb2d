import type { AuthorizationParams } from "../authorize/request";
import { invalidRequest } from "../oauth-error";
import type { DpopProof } from "./proof";

/**
 * RFC 9449 §10.1: the key a pushed request's code will be bound to. A DPoP
 * proof at the PAR endpoint binds it to the proof's key; a `dpop_jkt`
 * pushed beside the proof must name that same key. Without a proof,
 * whatever `dpop_jkt` the request named (§10), or nothing.
 */
export function pushedRequestJkt(params: AuthorizationParams, proof: DpopProof | null): string | undefined {
  if (!proof) return params.dpopJkt;
  if (params.dpopJkt !== undefined && params.dpopJkt !== proof.jkt) throw invalidRequest("dpop_jkt does not match the key of the DPoP proof");
  return proof.jkt;
}
