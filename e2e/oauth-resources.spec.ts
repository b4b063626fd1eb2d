import { expect, test } from "@playwright/test";
import { decodeJwt } from "jose";
import { Provider } from "./oauth/flows";
import { listResourceServers } from "./oauth/resource-servers";

// MCP readiness (issue 6): the protected-resource metadata of the project API
// (RFC 9728), the challenge that points to it, and resources (RFC 8707)
// limited to the owner's resource servers. Runs on PGlite and PostgreSQL.

const MCP = "https://mcp.resources.example/mcp";
const PATHLESS = "https://api.resources.example";

test.describe("protected resources", () => {
  let restoreResources: () => Promise<void> = async () => {};
  test.beforeAll(async () => {
    restoreResources = await listResourceServers([MCP, PATHLESS]);
  });
  test.afterAll(async () => restoreResources());

  test("GET /.well-known/oauth-protected-resource describes the project API; cacheable, CORS-open", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const reply = await op.send("/.well-known/oauth-protected-resource");
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      resource: op.issuer,
      authorization_servers: [op.issuer],
      bearer_methods_supported: ["header"],
      resource_name: expect.any(String),
    });
    // What self-registered MCP clients may ask for (they request exactly these).
    expect(reply.json.scopes_supported).toEqual(["openid", "profile", "email", "offline_access"]);
    expect(reply.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    expect(reply.headers.get("access-control-allow-origin")).toBe("*");
    // Its authorization server is this one.
    const discovery = await op.send("/.well-known/oauth-authorization-server");
    expect(discovery.json.issuer).toBe(reply.json.authorization_servers[0]);
    const preflight = await op.send("/.well-known/oauth-protected-resource", { method: "OPTIONS", headers: { origin: "https://mcp-client.example", "access-control-request-method": "GET" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
  });

  test("a 401 from /api/v1/me names the resource metadata, as MCP clients expect", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const reply = await op.send("/api/v1/me");
    expect(reply.status).toBe(401);
    const challenge = reply.headers.get("www-authenticate") ?? "";
    const metadata = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadata).toBe(`${op.issuer}/.well-known/oauth-protected-resource`);
    expect(challenge).toContain('scope="read:current_user"');
    expect((await op.send(new URL(metadata!).pathname)).json.resource).toBe(op.issuer);
  });

  test("a listed MCP server becomes the token's aud (pathless ones with or without a slash); others are invalid_target", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party_public");
    const granted = await op.redeem(app, await op.obtainCode(app, { scope: "offline_access", params: { resource: MCP } }));
    expect(granted.status, granted.text).toBe(200);
    expect(decodeJwt(granted.json.access_token).aud).toBe(MCP);

    const slash = await op.redeem(app, await op.obtainCode(app, { scope: "offline_access", params: { resource: `${PATHLESS}/` } }));
    expect(slash.status, slash.text).toBe(200);
    expect(decodeJwt(slash.json.access_token).aud).toBe(PATHLESS);

    const unlisted = await op.authorize(app, { scope: "offline_access", resource: "https://unlisted.resources.example/mcp", code_challenge: "x".repeat(43), code_challenge_method: "S256" });
    expect(unlisted.searchParams.get("error")).toBe("invalid_target");
    expect(unlisted.searchParams.get("code")).toBeNull();

    // At the token endpoint (RFC 8707 §2.2): an unlisted resource is refused and the refresh token stays usable.
    const refused = await op.refresh(app, granted.json.refresh_token, { resource: "https://unlisted.resources.example/mcp" });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("invalid_target");
    const again = await op.refresh(app, granted.json.refresh_token, { resource: MCP });
    expect(again.status, again.text).toBe(200);
    expect(decodeJwt(again.json.access_token).aud).toBe(MCP);
  });

  test("once the owner removes a resource server, it is refused", async ({ baseURL }) => {
    const op = new Provider(baseURL);
    const app = await op.createApp("third_party_public");
    await restoreResources();
    try {
      const callback = await op.authorize(app, { scope: "offline_access", resource: MCP, code_challenge: "x".repeat(43), code_challenge_method: "S256" });
      expect(callback.searchParams.get("error")).toBe("invalid_target");
    } finally {
      restoreResources = await listResourceServers([MCP, PATHLESS]);
    }
  });
});
