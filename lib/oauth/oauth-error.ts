import { printable } from "../text";

/**
 * The one protocol error type (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6;
 * RFC 6750 §3.1; RFC 7009; RFC 7662). `description` is public, `detail` is
 * for logs only. `redirectable` says whether the authorization endpoint may
 * send it to the client's redirect URI: never for errors about the client or
 * the redirect URI itself (RFC 6749 §4.1.2.1).
 */
export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly options: {
      status?: number;
      redirectable?: boolean;
      detail?: string;
      cause?: unknown;
      wwwAuthenticate?: string;
      /** Seconds, sent as Retry-After (a 429 or 503). */
      retryAfter?: number;
      /** A fresh DPoP nonce, sent as DPoP-Nonce (RFC 9449 §8, §9). */
      dpopNonce?: string;
    } = {},
  ) {
    super(`${code}: ${description}`, { cause: options.cause });
  }

  get status(): number {
    return this.options.status ?? STATUS[this.code];
  }

  get redirectable(): boolean {
    return this.options.redirectable ?? !NEVER_REDIRECTED.has(this.code);
  }
}

const STATUS = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  server_error: 500,
  temporarily_unavailable: 503,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_target: 400,
  unsupported_token_type: 400,
  request_not_supported: 400,
  request_uri_not_supported: 400,
  // RFC 8628 §3.5 (device authorization grant): while the device polls.
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  // RFC 7591 §3.2.2 (Dynamic Client Registration).
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  // RFC 9449 §5, §8 (DPoP); a resource endpoint answers them with 401 and a DPoP challenge.
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
} as const;

export type OAuthErrorCode = keyof typeof STATUS;

const NEVER_REDIRECTED = new Set<OAuthErrorCode>(["invalid_client"]);

/** Factories for the common cases, so call sites read as the spec does. */
export const invalidRequest = (description: string, detail?: string) =>
  new OAuthError("invalid_request", description, { detail });
export const invalidClient = (description = "Client authentication failed", wwwAuthenticate?: string) =>
  new OAuthError("invalid_client", description, { wwwAuthenticate });
export const invalidGrant = (description: string, detail?: string) => new OAuthError("invalid_grant", description, { detail });
export const unsupportedGrantType = (grantType: string) =>
  new OAuthError("unsupported_grant_type", `grant_type ${grantType} is not supported`);

/** The RFC 6749 §5.2 JSON body and headers of an error; unknown errors become server_error without details. */
export function toOAuthErrorResponse(error: unknown): Response {
  const e = error instanceof OAuthError ? error : new OAuthError("server_error", "The server could not handle the request");
  if (e !== error) console.error("oauth: unexpected error:", error);
  // The operator's only view of why a client was refused (the client sees one generic description); printable: parts come from the request.
  else if (e.options.detail) console.warn(`oauth: ${e.code}: ${printable(e.options.detail)}`);
  const headers: Record<string, string> = { "Cache-Control": "no-store", Pragma: "no-cache" };
  if (e.options.wwwAuthenticate) headers["WWW-Authenticate"] = e.options.wwwAuthenticate;
  if (e.options.retryAfter !== undefined) headers["Retry-After"] = String(e.options.retryAfter);
  if (e.options.dpopNonce !== undefined) headers["DPoP-Nonce"] = e.options.dpopNonce;
  return Response.json({ error: e.code, error_description: e.description }, { status: e.status, headers });
}
