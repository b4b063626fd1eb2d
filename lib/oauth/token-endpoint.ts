import { authenticateClient, readClientCredentials } from "./client-auth";
import type { OAuthContext } from "./context";
import { DEVICE_CODE_GRANT, policyFor, type GrantType } from "../clients/policy";
import { invalidRequest, OAuthError, unsupportedGrantType } from "./oauth-error";
import { authorizationCodeGrant } from "./grants/authorization-code";
import { ENDPOINTS } from "./discovery";
import type { DpopProof } from "./dpop/proof";
import { clientRequestProof } from "./dpop/token-request";
import { clientCredentialsGrant } from "./grants/client-credentials";
import { deviceCodeGrant } from "./grants/device-code";
import type { TokenResponse } from "./grants/issue-tokens";
import { refreshTokenGrant } from "./grants/refresh-token";
import { readParams, type Params } from "./params";
import { countsAsError } from "../activity/errors";
import { tokenKind } from "../activity/kinds";
import type { OAuthClient, Requester } from "./store";

/** A token request once its client is authenticated: what every grant gets. */
export interface GrantRequest {
  client: OAuthClient;
  /** The secret the client authenticated with (the HS256 key of its ID tokens), if any. */
  clientSecret: string | null;
  params: Params;
  now: Date;
  /** The request's verified DPoP proof (RFC 9449), or null: issue-tokens binds tokens to its key. */
  dpop: DpopProof | null;
}

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  [DEVICE_CODE_GRANT]: deviceCodeGrant,
} as const satisfies Record<GrantType, (ctx: OAuthContext, request: GrantRequest) => Promise<TokenResponse>>;

/** What a protocol endpoint reads from an HTTP request. */
export interface FormRequest {
  authorization: string | null;
  form: URLSearchParams;
  /** Where it came from, for the limit on new metadata-document apps (absent: the shared bucket). */
  requester?: Requester;
  /** The DPoP header (RFC 9449 §4.1), when the endpoint takes proofs. */
  dpop?: string | null;
}

/**
 * The token endpoint (RFC 6749 §3.2): which grant, which client, whether the
 * client's type may use that grant (policy table: connected apps act for a
 * user, machine clients only for themselves with client_credentials; else
 * unauthorized_client), then the DPoP proof, if any (RFC 9449 §5), then
 * the grant itself. password and every other grant type are
 * unsupported_grant_type.
 */
export async function handleTokenRequest(ctx: OAuthContext, request: FormRequest): Promise<TokenResponse> {
  const now = ctx.clock();
  // Counted per app once the client has authenticated; before that, for the project only (anyone can send a client_id).
  let appId: string | null = null;
  try {
    const params = readParams(request.form);
    const grantType = params.get("grant_type");
    if (!grantType) throw invalidRequest("grant_type is required");
    if (!Object.hasOwn(GRANTS, grantType)) throw unsupportedGrantType(grantType);
    const credentials = readClientCredentials(request.authorization, request.form);
    const client = await authenticateClient(ctx, credentials, request.requester);
    appId = client.id;
    if (!policyFor(client.clientType).grantTypes.includes(grantType as GrantType)) {
      throw new OAuthError("unauthorized_client", `This client may not use grant_type ${grantType}`);
    }
    const dpop = await clientRequestProof(ctx, request.dpop, client, ENDPOINTS.token_endpoint, now);
    const response = await GRANTS[grantType as GrantType](ctx, { client, clientSecret: credentials.secret, params, now, dpop });
    ctx.activity.count(appId, tokenKind(grantType as GrantType), now);
    return response;
  } catch (e) {
    if (countsAsError(e)) ctx.activity.count(appId, "error", now);
    throw e;
  }
}
