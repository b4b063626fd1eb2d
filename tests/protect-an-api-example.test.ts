import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApi, resourceMetadataUrl, serve } from "@/examples/protect-an-api";
import type { Actor } from "@/lib/audit";
import { createUser } from "@/lib/auth/users";
import { createApp } from "@/lib/clients/apps";
import { validateAuthorizationRequest } from "@/lib/oauth/authorize/request";
import { issueAuthorizationCode } from "@/lib/oauth/codes";
import { ensureSigningKeys } from "@/lib/keys/signing-keys";
import { publishedJwks } from "@/tests/jwks";
import { s256 } from "@/lib/oauth/pkce";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";
import { updateProjectSettings } from "@/lib/settings";
import { ath, dpopProof, newDpopKey, type DpopKey } from "@/tests/dpop";

// Keeps docs/protect-an-api.md honest: its example, examples/protect-an-api.ts,
// run against access tokens this identity provider issues.

const ISSUER = "https://id.example.com";
const SCOPE = "mcp:tools";
const actor: Actor = { type: "system", id: null, label: "test" };
const VERIFIER = "e".repeat(50);

const listen = (server: Server) => new Promise<string>((resolve) => server.on("listening", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

// One database is enough: the example only sees HTTP.
describe.each(testDatabases.slice(0, 1))("the protect-an-api example on $name", ({ target }) => {
  let db: TestDatabase;
  let jwksServer: Server;
  let apiServer: Server;
  let resource: string;
  let userId: string;
  let token: (resources: string[], scopes?: string[], dpopKey?: DpopKey) => Promise<string>;

  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    userId = (await createUser(db.prisma, { email: "example@example.com", password: "correct horse battery" }, "member")).id;

    jwksServer = createServer(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/jwk-set+json" });
      res.end(JSON.stringify(await publishedJwks(db)));
    }).listen(0, "127.0.0.1");
    const jwksUri = `${await listen(jwksServer)}/.well-known/jwks.json`;

    // The API listens on a free port; its identifier is its URL, as MCP clients see it.
    apiServer = serve(async (request) => handler(request), 0);
    const origin = (await listen(apiServer)).replace("127.0.0.1", "localhost");
    resource = `${origin}/mcp`;
    const handler = createApi({ issuer: ISSUER, resource, scope: SCOPE, jwksUri });
    await updateProjectSettings(db.prisma, actor, { resource_servers: [resource] }, { development: true });

    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Example", redirect_uris: ["https://rp.example/cb"] }, "api");
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } });
    token = async (resources, scopes = [SCOPE], dpopKey) => {
      const source = new URLSearchParams({ client_id: app.client_id, response_type: "code", code_challenge: s256(VERIFIER), code_challenge_method: "S256" });
      for (const r of resources) source.append("resource", r);
      const { params } = await validateAuthorizationRequest(db.oauth, source);
      // The scope is set here, as if the user had consented to it.
      const code = await issueAuthorizationCode(db.oauth, row.id, userId, { ...params, scopes }, new Date(), new Date());
      const form = new URLSearchParams({ grant_type: "authorization_code", code, code_verifier: VERIFIER });
      const dpop = dpopKey ? await dpopProof(dpopKey, "POST", `${ISSUER}/oauth2/token`) : undefined;
      return (await handleTokenRequest(db.oauth, { authorization: `Basic ${Buffer.from(`${app.client_id}:${clientSecret}`).toString("base64")}`, form, dpop })).access_token;
    };
  });
  afterAll(async () => {
    apiServer?.close();
    jwksServer?.close();
    await db?.dispose();
  });

  const call = (authorization?: string, dpop?: string) => fetch(resource, { headers: { ...(authorization ? { authorization } : {}), ...(dpop ? { dpop } : {}) } });

  it("serves its protected-resource metadata where RFC 9728 says, naming the identity provider", async () => {
    expect(resourceMetadataUrl("https://mcp.example.com/mcp")).toBe("https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
    const reply = await fetch(resourceMetadataUrl(resource));
    expect(await reply.json()).toEqual({ resource, authorization_servers: [ISSUER], scopes_supported: [SCOPE], bearer_methods_supported: ["header"] });
  });

  it("accepts a token issued for it with the scope", async () => {
    const reply = await call(`Bearer ${await token([resource])}`);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ hello: userId, scope: SCOPE });
  });

  it("refuses no token, a token for another audience, a tampered token or garbage, with the challenge MCP clients follow", async () => {
    const challenge = `resource_metadata="${resourceMetadataUrl(resource)}"`;
    const missing = await call();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe(`Bearer scope="${SCOPE}", ${challenge}`);

    const refused = async (authorization: string) => {
      const reply = await call(authorization);
      expect(reply.status).toBe(401);
      expect(reply.headers.get("www-authenticate")).toMatch(new RegExp(`^Bearer error="invalid_token", .*${challenge.replaceAll("/", "\\/").replaceAll(".", "\\.")}$`));
    };
    // Without resource, the token is for the provider's own API (aud = issuer).
    await refused(`Bearer ${await token([])}`);
    const good = await token([resource]);
    await refused(`Bearer ${good.slice(0, -4)}AAAA`);
    await refused("Bearer not-a-jwt");
  });

  it("answers 403 insufficient_scope naming the scope when the token lacks it", async () => {
    const reply = await call(`Bearer ${await token([resource], ["profile"])}`);
    expect(reply.status).toBe(403);
    expect(reply.headers.get("www-authenticate")).toContain(`error="insufficient_scope"`);
    expect(reply.headers.get("www-authenticate")).toContain(`scope="${SCOPE}"`);
  });

  it("accepts a DPoP-bound token only with the DPoP scheme and a fresh proof of its key", async () => {
    const key = await newDpopKey();
    const bound = await token([resource], [SCOPE], key);
    const proof = (k: DpopKey, claims: Record<string, unknown> = {}) => dpopProof(k, "GET", resource, { ath: ath(bound), ...claims });
    const first = await proof(key);
    const ok = await call(`DPoP ${bound}`, first);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ hello: userId, scope: SCOPE });

    const refusal = async (authorization: string, dpop: string | undefined, description: string) => {
      const reply = await call(authorization, dpop);
      expect(reply.status).toBe(401);
      expect(((await reply.json()) as { error_description: string }).error_description).toBe(description);
      return reply.headers.get("www-authenticate");
    };
    expect(await refusal(`Bearer ${bound}`, undefined, "The access token is DPoP-bound: use the DPoP scheme")).toMatch(/^Bearer error="invalid_token"/);
    expect(await refusal(`DPoP ${bound}`, undefined, "A DPoP proof is required")).toMatch(/^DPoP algs="ES256 RS256 PS256 EdDSA Ed25519", error="invalid_dpop_proof"/);
    await refusal(`DPoP ${bound}`, first, "The DPoP proof was used before");
    await refusal(`DPoP ${bound}`, await proof(await newDpopKey()), "The DPoP proof is not signed with the token's key");
    await refusal(`DPoP ${bound}`, await proof(key, { ath: ath("another") }), "The DPoP proof is for another token");
    await refusal(`DPoP ${bound}`, await proof(key, { htm: "POST" }), "The DPoP proof is for another request");
    await refusal(`DPoP ${bound}`, await proof(key, { iat: Math.floor(Date.now() / 1000) - 120 }), "The DPoP proof is not recent");
    await refusal(`DPoP ${await token([resource])}`, await proof(key), "The access token is not DPoP-bound");
  });
});
