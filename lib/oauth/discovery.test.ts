import { describe, expect, it } from "vitest";
import { discoveryDocument } from "./discovery";

const off = { dcr_enabled: false, cimd_enabled: false };

describe("discovery document", () => {
  it("uses the issuer exactly and builds every endpoint from it", () => {
    const doc = discoveryDocument("https://id.example.com", off);
    expect(doc.issuer).toBe("https://id.example.com");
    expect(doc.authorization_endpoint).toBe("https://id.example.com/oauth2/authorize");
    expect(doc.token_endpoint).toBe("https://id.example.com/oauth2/token");
    expect(doc.jwks_uri).toBe("https://id.example.com/.well-known/jwks.json");
    expect(doc.end_session_endpoint).toBe("https://id.example.com/oauth2/end_session");
  });

  it("states the OAuth 2.1 profile: code only, S256 only, iss in responses", () => {
    const doc = discoveryDocument("https://id.example.com", off);
    expect(doc.response_types_supported).toEqual(["code"]);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
    expect(doc.grant_types_supported).toEqual(["authorization_code", "refresh_token"]);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
  });

  it("derives auth methods and ID-token algorithms from the client-type policy table", () => {
    const doc = discoveryDocument("https://id.example.com", off);
    expect([...doc.token_endpoint_auth_methods_supported].sort()).toEqual(["client_secret_basic", "client_secret_post", "none"]);
    expect([...doc.id_token_signing_alg_values_supported].sort()).toEqual(["ES256", "HS256", "RS256"]);
  });

  it("advertises registration and CIMD only when the project turns them on", () => {
    const plain = discoveryDocument("https://id.example.com", off);
    expect(plain).not.toHaveProperty("registration_endpoint");
    expect(plain.client_id_metadata_document_supported).toBe(false);
    const on = discoveryDocument("https://id.example.com", { dcr_enabled: true, cimd_enabled: true });
    expect(on.registration_endpoint).toBe("https://id.example.com/oauth2/register");
    expect(on.client_id_metadata_document_supported).toBe(true);
  });
});
