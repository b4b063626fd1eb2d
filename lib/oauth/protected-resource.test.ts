import { describe, expect, it } from "vitest";
import { protectedResourceMetadata, resourceMetadataUrl, withResourceMetadata } from "./protected-resource";

const ISSUER = "https://id.example.com";

describe("protected-resource metadata (RFC 9728)", () => {
  it("names the issuer as the resource and its only authorization server", () => {
    expect(protectedResourceMetadata(ISSUER)).toEqual({
      resource: ISSUER,
      authorization_servers: [ISSUER],
      // What a self-registered (DCR, CIMD) client may request: MCP clients ask for exactly these.
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      bearer_methods_supported: ["header"],
      // DPoP-bound tokens are accepted too (RFC 9449 §7.1), with proofs signed by these.
      dpop_signing_alg_values_supported: ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"],
      resource_name: "Connected Apps API",
    });
    expect(resourceMetadataUrl(ISSUER)).toBe("https://id.example.com/.well-known/oauth-protected-resource");
  });

  it("adds resource_metadata, and the scope unless the challenge names one, to Bearer challenges only", () => {
    const url = resourceMetadataUrl(ISSUER);
    expect(withResourceMetadata('Bearer realm="x"', ISSUER, "a")).toBe(`Bearer realm="x", scope="a", resource_metadata="${url}"`);
    expect(withResourceMetadata('Bearer realm="x", error="insufficient_scope", scope="b"', ISSUER, "a")).toBe(
      `Bearer realm="x", error="insufficient_scope", scope="b", resource_metadata="${url}"`,
    );
    expect(withResourceMetadata('Bearer realm="x"', ISSUER)).toBe(`Bearer realm="x", resource_metadata="${url}"`);
    expect(withResourceMetadata('Basic realm="x"', ISSUER, "a")).toBe('Basic realm="x"');
  });
});
