import { DPOP_SIGNING_ALGS } from "./dpop/proof-key";
import { DEFAULT_SCOPES } from "../clients/policy";

/** RFC 9728 §3: where the protected-resource metadata of the project's own API is published. */
export const PROTECTED_RESOURCE_PATH = "/.well-known/oauth-protected-resource";

/**
 * The metadata URL of the project's API, whose resource identifier is the
 * issuer (the default `aud` of access tokens), built like the other
 * well-known URLs from the issuer.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */
export function resourceMetadataUrl(issuer: string): string {
  return `${issuer}${PROTECTED_RESOURCE_PATH}`;
}

/**
 * The protected-resource metadata (RFC 9728 §2) of the project's own API
 * (`/api/v1/me`, UserInfo): this server is its only authorization server and
 * takes bearer tokens in the Authorization header. `scopes_supported` lists
 * what any self-registered client may ask for: MCP clients request exactly
 * these (SEP-835) and register with them, so listing scopes a DCR or CIMD app
 * is not allowed (full_access, the current-user scopes until the owner allows
 * them) would make their authorization fail with invalid_scope.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export function protectedResourceMetadata(issuer: string) {
  return {
    resource: issuer,
    authorization_servers: [issuer],
    scopes_supported: [...DEFAULT_SCOPES],
    bearer_methods_supported: ["header"],
    // RFC 9728 §2: DPoP-bound tokens are accepted (with the DPoP scheme and a proof), bearer ones too.
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    resource_name: "Connected Apps API",
  };
}

/**
 * Adds RFC 9728 §5.1 `resource_metadata` (and the endpoint's `scope` when the
 * challenge names none) to a `Bearer` WWW-Authenticate header, so an MCP
 * client that meets a 401 finds the authorization server from it.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function withResourceMetadata(challenge: string, issuer: string, scope?: string): string {
  if (!/^Bearer\b/i.test(challenge)) return challenge;
  const parts = [challenge];
  if (scope && !/\bscope="/.test(challenge)) parts.push(`scope="${scope}"`);
  parts.push(`resource_metadata="${resourceMetadataUrl(issuer)}"`);
  // Our challenges always carry realm, so parameters are comma-separated.
  return parts.join(", ");
}
