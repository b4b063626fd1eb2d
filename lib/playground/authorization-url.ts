import * as oauth from "oauth4webapi";
import { DEFAULT_SCOPES } from "../clients/policy";
import { ENDPOINTS } from "../oauth/discovery";
import type { PlaygroundFlow } from "./flow-state";

/** What the playground asks for: the sign-in scopes the app may ask for (openid, profile, email, offline_access). */
export function playgroundScopes(allowedScopes: readonly string[]): string[] {
  return DEFAULT_SCOPES.filter((scope) => allowedScopes.includes(scope));
}

/**
 * The authorization request of a playground sign-in, as any client of the
 * app would send it: code flow, S256 PKCE (RFC 7636 §4.2), state and, with
 * openid, a nonce (OIDC Core §3.1.2.1).
 */
export async function playgroundAuthorizationUrl(issuer: string, flow: PlaygroundFlow, redirectUri: string, scopes: readonly string[]): Promise<string> {
  const url = new URL(`${issuer}${ENDPOINTS.authorization_endpoint}`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", flow.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", scopes.join(" "));
  url.searchParams.set("state", flow.state);
  if (scopes.includes("openid")) url.searchParams.set("nonce", flow.nonce);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(flow.codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url.href;
}
