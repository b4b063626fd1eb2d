import { MAX_CLIENT_KEYS } from "../clients/client-jwks";

/**
 * OpenAPI text of the `jwks` and `jwks_uri` request fields (private_key_jwt),
 * shared by connected apps and machine clients, which validate them alike
 * (lib/clients/client-jwks.ts). `noun`: "app" or "client".
 */
export function jwksFieldDocs(noun: string): { jwks: string; jwks_uri: string } {
  return {
    jwks: `private_key_jwt: the ${noun}'s public keys as a JWK Set (RFC 7517), 1 to ${MAX_CLIENT_KEYS}: RSA (2048 bits or more; RS256, PS256), EC P-256 (ES256) or Ed25519 (EdDSA). A private or symmetric key is refused. Not together with jwks_uri.`,
    jwks_uri: `private_key_jwt: an https URL where the ${noun} publishes its JWK Set; fetched like a Client ID Metadata Document (public addresses only, no redirects), cached, and fetched again when an assertion names an unknown kid. Not together with jwks.`,
  };
}
