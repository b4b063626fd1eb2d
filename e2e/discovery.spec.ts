import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";

// A real client library reads the metadata: oauth4webapi checks, among
// other things, that the issuer in the document is exactly the one asked for.
test.describe("discovery and keys, as a real client sees them", () => {
  for (const algorithm of ["oidc", "oauth2"] as const) {
    test(`oauth4webapi accepts the ${algorithm} metadata`, async ({ baseURL }) => {
      const issuer = new URL(baseURL!);
      const response = await oauth.discoveryRequest(issuer, { algorithm, [oauth.allowInsecureRequests]: true });
      expect(response.headers.get("cache-control")).toBe("public, max-age=300");
      const as = await oauth.processDiscoveryResponse(issuer, response);
      expect(as.issuer).toBe(baseURL!.replace(/\/$/, ""));
      expect(as.code_challenge_methods_supported).toEqual(["S256"]);
      expect(as.response_types_supported).toEqual(["code"]);
      expect(as.authorization_response_iss_parameter_supported).toBe(true);
      expect(as.jwks_uri).toBe(`${as.issuer}/.well-known/jwks.json`);
      expect(as.end_session_endpoint).toBe(`${as.issuer}/oauth2/end_session`);
    });
  }

  test("both well-known documents are identical", async ({ request }) => {
    const oidc = await (await request.get("/.well-known/openid-configuration")).json();
    const oauth2 = await (await request.get("/.well-known/oauth-authorization-server")).json();
    expect(oauth2).toEqual(oidc);
  });

  test("JWKS publishes an RS256 and an ES256 public key with kids, and nothing private", async ({ request }) => {
    const response = await request.get("/.well-known/jwks.json");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/jwk-set+json");
    expect(response.headers()["access-control-allow-origin"]).toBe("*");
    const { keys } = await response.json();
    expect(keys.map((k: { alg: string }) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const key of keys) {
      expect(key.kid).toMatch(/^[\w-]{43}$/);
      expect(key.use).toBe("sig");
      for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) expect(key).not.toHaveProperty(secret);
    }
  });
});
