import type { OAuthError } from "../oauth-error";

/**
 * The redirect back to the client (RFC 6749 §4.1.2, response_mode=query),
 * always carrying `iss` (RFC 9207) so a client talking to several servers
 * can tell which one answered. Existing query parameters are kept.
 */
export function clientRedirect(redirectUri: string, issuer: string, values: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(name, value);
  url.searchParams.set("iss", issuer);
  return url.toString();
}

export function errorRedirect(target: { redirectUri: string; state?: string }, issuer: string, error: OAuthError): string {
  return clientRedirect(target.redirectUri, issuer, {
    error: error.code,
    error_description: error.description,
    state: target.state,
  });
}
