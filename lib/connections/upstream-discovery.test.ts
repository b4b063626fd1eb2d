import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "@/tests/fake-upstream";
import { PRESETS } from "./presets";
import { clearDiscoveryCache, DISCOVERY_TTL_MS, upstreamServer } from "./upstream-discovery";

describe("an upstream's endpoints", () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream?.close());
  beforeEach(() => clearDiscoveryCache());

  it("OpenID Connect: from discovery, http allowed because the issuer is loopback, reused within the TTL, read again after it", async () => {
    const t0 = Date.now();
    const first = await upstreamServer({ kind: "oidc", issuer: upstream.issuer }, undefined, t0);
    expect(first).toMatchObject({ protocol: "oidc", insecure: true, as: { issuer: upstream.issuer, token_endpoint: `${upstream.issuer}/token`, jwks_uri: `${upstream.issuer}/jwks` } });
    upstream.authMethods = ["client_secret_post"];
    const cached = await upstreamServer({ kind: "oidc", issuer: upstream.issuer }, undefined, t0 + DISCOVERY_TTL_MS - 1);
    expect(cached.as.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post"]);
    const fresh = await upstreamServer({ kind: "oidc", issuer: upstream.issuer }, undefined, t0 + DISCOVERY_TTL_MS + 1);
    expect(fresh.as.token_endpoint_auth_methods_supported).toEqual(["client_secret_post"]);
  });

  it("a discovery document for another issuer, or none at all, is refused and not cached", async () => {
    // The document names its own issuer: asking with another spelling (a mix-up) fails.
    await expect(upstreamServer({ kind: "oidc", issuer: upstream.issuer.replace("127.0.0.1", "localhost") })).rejects.toMatchObject({ reason: "discovery_failed" });
    await expect(upstreamServer({ kind: "oidc", issuer: "http://127.0.0.1:1" })).rejects.toMatchObject({ reason: "discovery_failed" });
    await expect(upstreamServer({ kind: "oidc", issuer: null })).rejects.toMatchObject({ reason: "no_issuer" });
  });

  it("GitHub: the preset's fixed endpoints over https, or the ones a test passes", async () => {
    const github = await upstreamServer({ kind: "github", issuer: null });
    expect(github).toMatchObject({
      protocol: "oauth2", insecure: false, endpoints: PRESETS.github.endpoints,
      as: { authorization_endpoint: "https://github.com/login/oauth/authorize", token_endpoint: "https://github.com/login/oauth/access_token" },
    });
    const local = { authorization: "http://127.0.0.1:9/a", token: "http://127.0.0.1:9/t", user: "http://127.0.0.1:9/u", emails: "http://127.0.0.1:9/e" };
    expect(await upstreamServer({ kind: "github", issuer: null }, local)).toMatchObject({ insecure: true, endpoints: local });
  });
});
