import type { OAuthContext } from "../context";
import type { OAuthClient } from "../store";
import { invalidDpopProof } from "./errors";
import { spendProof, verifyProof, type DpopProof } from "./proof";

/**
 * The DPoP proof of a request to an endpoint of the authorization server
 * (token endpoint; PAR), once the client is known (RFC 9449 §5). No DPoP
 * header: null, and no extra work, unless the app requires DPoP. An app
 * that requires DPoP also requires this server's nonce in its proofs (the
 * nonce policy, docs/decisions.md). A valid proof's jti is spent: the one
 * extra statement of a DPoP request.
 */
export async function clientRequestProof(
  ctx: OAuthContext,
  header: string | null | undefined,
  client: Pick<OAuthClient, "requireDpop">,
  endpointPath: string,
  now: Date,
): Promise<DpopProof | null> {
  if (header === null || header === undefined) {
    if (client.requireDpop) throw invalidDpopProof("This app requires a DPoP proof with every token request");
    return null;
  }
  const proof = verifyProof(ctx, header, { htm: "POST", htu: `${ctx.issuer}${endpointPath}`, nonceRequired: client.requireDpop }, now);
  await spendProof(ctx, proof, now);
  return proof;
}
