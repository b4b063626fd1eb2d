import { toOAuthErrorResponse } from "./oauth-error";

/**
 * CORS for the endpoints browser-based clients call (token, userinfo,
 * revocation, discovery, JWKS). Credentials are never cookies here, so any
 * origin may call; MCP clients send MCP-Protocol-Version, DPoP clients
 * their proof and read the server's nonce (RFC 9449).
 */
export const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, MCP-Protocol-Version, DPoP",
  "Access-Control-Expose-Headers": "WWW-Authenticate, DPoP-Nonce",
  "Access-Control-Max-Age": "86400",
} as const;

export function preflight(methods: string): Response {
  return new Response(null, { status: 204, headers: { ...CORS_HEADERS, "Access-Control-Allow-Methods": `${methods}, OPTIONS` } });
}

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/** A protocol JSON response: never cached (RFC 6749 §5.1), CORS-enabled when asked, with a DPoP nonce when given one. */
export function protocolJson(body: unknown, options: { cors?: boolean; status?: number; dpopNonce?: string } = {}): Response {
  const headers: Record<string, string> = { ...NO_STORE, ...(options.cors ? CORS_HEADERS : {}) };
  if (options.dpopNonce !== undefined) headers["DPoP-Nonce"] = options.dpopNonce;
  return Response.json(body, { status: options.status ?? 200, headers });
}

/** How a protocol endpoint answers: `cors` for endpoints browser-based clients call (their errors carry CORS headers too). */
export interface EndpointOptions {
  cors: boolean;
}

/** Runs a protocol endpoint: an OAuthError becomes its RFC-shaped response, anything else a bare server_error. */
export async function protocolEndpoint({ cors }: EndpointOptions, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    const response = toOAuthErrorResponse(e);
    if (cors) for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
    return response;
  }
}

