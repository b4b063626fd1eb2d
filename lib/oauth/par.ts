import { policyFor } from "../clients/policy";
import { hashToken, randomToken } from "../crypto/tokens";
import { RedirectedAuthorizationError, validateAuthorizationRequest } from "./authorize/request";
import { authenticateClient, readClientCredentials } from "./client-auth";
import type { OAuthContext } from "./context";
import { ENDPOINTS } from "./discovery";
import { pushedRequestJkt } from "./dpop/pushed-request";
import { clientRequestProof } from "./dpop/token-request";
import { after } from "./lifetimes";
import { invalidRequest, OAuthError } from "./oauth-error";
import { PageError } from "./page-error";
import { readParams } from "./params";
import type { FormRequest } from "./token-endpoint";

/** RFC 9126 §2.2: the request_uri's form; what follows it is 256 random bits. */
export const REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";
/** How long a pushed request may wait for its one use (RFC 9126 §2.2: at the server's discretion, typically 5 to 600 s). */
export const PUSHED_REQUEST_TTL_S = 60;

/** RFC 9126 §2.2: the 201 answer. */
export interface PushedRequestResponse {
  request_uri: string;
  expires_in: number;
}

/**
 * The pushed authorization request endpoint (RFC 9126 §2): the client
 * authenticates as at the token endpoint (a public one by client_id), its
 * parameters are checked exactly as /oauth2/authorize checks them, and the
 * validated parameters are stored under a one-time request_uri, kept only
 * as its hash. A DPoP proof binds the request's code to its key (RFC 9449
 * §10.1). Every refusal is an RFC 6749 §5.2 JSON error.
 */
export async function pushAuthorizationRequest(ctx: OAuthContext, request: FormRequest): Promise<PushedRequestResponse> {
  const now = ctx.clock();
  // RFC 9126 §2.1: a pushed request cannot itself name a request_uri.
  if (readParams(request.form).get("request_uri") !== undefined) throw invalidRequest("request_uri cannot be pushed");
  const client = await authenticateClient(ctx, readClientCredentials(request.authorization, request.form), request.requester);
  if (!policyFor(client.clientType).grantTypes.includes("authorization_code")) {
    throw new OAuthError("unauthorized_client", "This client is a machine client: it cannot make authorization requests");
  }
  // Optional here even for an app that requires DPoP: that setting is about its token requests.
  const proof = await clientRequestProof(ctx, request.dpop, { requireDpop: false }, ENDPOINTS.pushed_authorization_request_endpoint, now);
  const { app, params: checked } = await validated(ctx, request, client.clientId);
  const dpopJkt = pushedRequestJkt(checked, proof);
  const params = { ...checked, dpopJkt };
  const requestUri = `${REQUEST_URI_PREFIX}${randomToken(32)}`;
  await ctx.store.savePushedRequest(
    {
      requestUriHash: hashToken(requestUri),
      appId: app.id,
      params,
      dpopJkt: dpopJkt ?? null,
      source: request.requester?.source ?? null,
      expiresAt: after(now, PUSHED_REQUEST_TTL_S),
    },
    ctx.pendingLimits,
  );
  return { request_uri: requestUri, expires_in: PUSHED_REQUEST_TTL_S };
}

/**
 * The authorization endpoint's own validation, for the authenticated client
 * (with Basic its client_id need not be in the form); what would be its
 * error page or a redirected error is the JSON error here.
 */
async function validated(ctx: OAuthContext, request: FormRequest, clientId: string) {
  const source = new URLSearchParams(request.form);
  source.set("client_id", clientId);
  try {
    return await validateAuthorizationRequest(ctx, source, request.requester);
  } catch (e) {
    if (e instanceof PageError) throw invalidRequest(e.title);
    if (e instanceof RedirectedAuthorizationError) throw e.error;
    throw e;
  }
}
