import { CLIENT_POLICIES } from "../clients/policy";
import { DPOP_SIGNING_ALGS } from "./dpop/proof-key";
import { CLIENT_ASSERTION_ALGS } from "../clients/client-jwks";
import { STANDARD_SCOPES } from "./scopes";
import type { ProjectSettings } from "../settings";

/** The protocol endpoints, relative to the issuer. */
export const ENDPOINTS = {
  authorization_endpoint: "/oauth2/authorize",
  token_endpoint: "/oauth2/token",
  device_authorization_endpoint: "/oauth2/device_authorization",
  pushed_authorization_request_endpoint: "/oauth2/par",
  userinfo_endpoint: "/oauth2/userinfo",
  introspection_endpoint: "/oauth2/introspect",
  revocation_endpoint: "/oauth2/revoke",
  end_session_endpoint: "/oauth2/end_session",
  registration_endpoint: "/oauth2/register",
  jwks_uri: "/.well-known/jwks.json",
} as const;

export const SCOPES_SUPPORTED = Object.keys(STANDARD_SCOPES);

export const CLAIMS_SUPPORTED = [
  "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "amr", "idp",
  "name", "email", "email_verified", "phone_number", "phone_number_verified",
];

const union = <T>(lists: readonly (readonly T[])[]) => [...new Set(lists.flat())];
const policies = Object.values(CLIENT_POLICIES);

/**
 * The authorization server metadata (RFC 8414), which is also the OpenID
 * Provider metadata: served at both well-known URLs. Auth methods and
 * algorithms are the union of what the client-type policy table allows.
 */
export function discoveryDocument(issuer: string, settings: Pick<ProjectSettings, "dcr_enabled" | "cimd_enabled" | "require_par">) {
  const url = (path: string) => `${issuer}${path}`;
  return {
    issuer,
    authorization_endpoint: url(ENDPOINTS.authorization_endpoint),
    token_endpoint: url(ENDPOINTS.token_endpoint),
    // RFC 8628 §4.
    device_authorization_endpoint: url(ENDPOINTS.device_authorization_endpoint),
    // RFC 9126 §5.
    pushed_authorization_request_endpoint: url(ENDPOINTS.pushed_authorization_request_endpoint),
    require_pushed_authorization_requests: settings.require_par,
    userinfo_endpoint: url(ENDPOINTS.userinfo_endpoint),
    introspection_endpoint: url(ENDPOINTS.introspection_endpoint),
    revocation_endpoint: url(ENDPOINTS.revocation_endpoint),
    // OpenID Connect RP-Initiated Logout 1.0 §2.1.
    end_session_endpoint: url(ENDPOINTS.end_session_endpoint),
    jwks_uri: url(ENDPOINTS.jwks_uri),
    ...(settings.dcr_enabled ? { registration_endpoint: url(ENDPOINTS.registration_endpoint) } : {}),
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: union(policies.map((p) => p.grantTypes)),
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: union(policies.map((p) => p.tokenEndpointAuthMethods)),
    // private_key_jwt assertions (RFC 8414 §2): never none or HS* (client_secret_jwt is not offered).
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    // Introspection: confidential apps only (and owner API keys, as bearer tokens).
    introspection_endpoint_auth_methods_supported: union(policies.filter((p) => p.confidential).map((p) => p.tokenEndpointAuthMethods)),
    introspection_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    revocation_endpoint_auth_methods_supported: union(policies.map((p) => p.tokenEndpointAuthMethods)),
    revocation_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    // RFC 9449 §5.1: the algorithms DPoP proofs may be signed with (asymmetric only).
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    id_token_signing_alg_values_supported: union(policies.map((p) => p.idTokenAlgs)),
    subject_types_supported: ["public"],
    scopes_supported: SCOPES_SUPPORTED,
    claims_supported: CLAIMS_SUPPORTED,
    prompt_values_supported: ["none", "login", "consent"],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: settings.cimd_enabled,
    request_parameter_supported: false,
    // Only the PAR endpoint's own request_uri values are accepted; request objects are never fetched by reference (the OIDC default is true).
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
  };
}
