// The peer of `npm run bench`: node-oidc-provider (the npm package
// `oidc-provider`, installed by scripts/bench.ts into a temporary folder,
// never a dependency of the app), run by it as a separate process (fork; it
// reports its addresses over IPC). In memory (its default adapter), with
// the equivalent of the bench's two apps: a confidential client
// (client_secret_basic) and a public one (PKCE, `none`), both
// authorization_code + refresh_token, openid profile email offline_access.
// Its defaults otherwise: opaque access tokens, RS256 ID tokens, refresh
// tokens rotated for public clients and not for confidential ones (its
// default `rotateRefreshToken`, kept below for them). What differs from its defaults, and why:
//
// - `jwks`: an RS256 and an ES256 key generated at start, as ours publishes
//   (its default is a development-only key set, with a warning);
// - `claims`: `profile` → name, `email` → email and email_verified, so
//   userinfo returns what ours does (its default maps no claim to them);
// - `features.introspection`: enabled (off by default);
// - `features.deviceFlow`: enabled (off by default), for the public client
//   (the device-code polling phase); its polls of a pending code only read;
// - `features.dPoP`: enabled, said explicitly (RFC 9449; no nonce secret, so
//   no nonces, as ours asks none of a public app at the token endpoint); it
//   binds a public client's refresh tokens to the key, as ours does, and
//   remembers proofs' jtis in the same in-memory store;
// - `rotateRefreshToken`: a public client's refresh tokens rotate, DPoP-bound
//   ones too, as ours do (its default leaves a sender-constrained one
//   unrotated, which would make the DPoP-bound refresh phase measure
//   another thing); the other phases are as with its default (public ones
//   rotate, confidential ones do not until 70% of their life has passed);
// - `features.clientCredentials`: enabled (off by default), with a machine
//   client (client_credentials only, client_secret_basic) as ours has one;
//   `features.resourceIndicators` (on by default) gets the one resource
//   server ours has in its `resource_servers` setting, whose access tokens
//   are RFC 9068 JWTs signed RS256 as ours (its default format is opaque,
//   and its default getResourceServerInfo refuses every resource). Only
//   requests that name that resource get there: the other phases name none,
//   so their access tokens stay opaque;
// - `cookies.keys`: a random key (no endpoint measured uses cookies);
// - its in-memory adapter keeps its entries in a cache that forgets the
//   least recently used beyond 1000 (a development-only store): under load
//   a token family idle for a second, a code minted a moment ahead or a
//   grant is gone and requests fail (invalid_grant), which says nothing
//   about speed. `adapter` is the same MemoryAdapter class over the same
//   cache class, with a capacity that keeps everything a run creates.
//
// Authorization codes are minted in this process, as its authorization
// endpoint would after sign-in and consent (a Grant for the user and
// client, then an AuthorizationCode), on a control port of its own:
// POST /mint?client=confidential|public&count=N → [{ code, verifier? }],
// one Grant each (one sign-in each).
import { generateKeyPairSync, randomBytes, createHash } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

const toolsDir = process.env.BENCH_TOOLS_DIR;
const port = Number(process.env.BENCH_PEER_PORT ?? 3301);
if (!toolsDir || !process.send) {
  console.error("bench-peer.mjs is started by scripts/bench.ts (fork, BENCH_TOOLS_DIR)");
  process.exit(2);
}

const entry = path.join(toolsDir, "node_modules", "oidc-provider", "lib", "index.js");
const { default: Provider, errors } = await import(pathToFileURL(entry).href);
const lib = (file) => pathToFileURL(path.join(toolsDir, "node_modules", "oidc-provider", "lib", file)).href;
const { default: MemoryAdapter } = await import(lib("adapters/memory_adapter.js"));
const { default: LRU } = await import(lib("helpers/lru.js"));
// What its default does (createMemoryAdapter: one store per provider, clockTolerance 15 s), with room for 10 million entries.
const store = new LRU({ maxSize: 10_000_000 });

const ISSUER = `http://localhost:${port}`;
const SCOPE = "openid profile email offline_access";
const CONFIDENTIAL_REDIRECT = "https://bench.example/callback";
const PUBLIC_REDIRECT = "http://127.0.0.1/callback";
const ACCOUNT_ID = "bench-user";
const confidential = { clientId: "bench-confidential", secret: randomBytes(32).toString("base64url") };
const publicClient = { clientId: "bench-public" };
// The machine client and its resource server; scripts/bench-server.ts seeds ours with the same resource and scopes.
const machine = { clientId: "bench-machine", secret: randomBytes(32).toString("base64url") };
const RESOURCE = "https://api.bench.example";
const RESOURCE_SCOPE = "reports:read reports:write";

function signingKey(kid, type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: "jwk" }), kid, alg, use: "sig" };
}

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: confidential.clientId,
      client_secret: confidential.secret,
      token_endpoint_auth_method: "client_secret_basic",
      redirect_uris: [CONFIDENTIAL_REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: SCOPE,
    },
    {
      client_id: publicClient.clientId,
      token_endpoint_auth_method: "none",
      application_type: "native",
      redirect_uris: [PUBLIC_REDIRECT],
      grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
      response_types: ["code"],
      scope: SCOPE,
    },
    {
      client_id: machine.clientId,
      client_secret: machine.secret,
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: {
    keys: [
      signingKey("bench-rs256", "rsa", { modulusLength: 2048 }, "RS256"),
      signingKey("bench-es256", "ec", { namedCurve: "P-256" }, "ES256"),
    ],
  },
  claims: { openid: ["sub"], profile: ["name"], email: ["email", "email_verified"] },
  features: {
    introspection: { enabled: true },
    dPoP: { enabled: true },
    clientCredentials: { enabled: true },
    deviceFlow: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // As ours: only the machine client is granted the resource server, and a token for it is a JWT (RS256) living an hour.
      async getResourceServerInfo(_ctx, resource, client) {
        if (resource !== RESOURCE || client.clientId !== machine.clientId) throw new errors.InvalidTarget();
        return { scope: RESOURCE_SCOPE, audience: RESOURCE, accessTokenFormat: "jwt", accessTokenTTL: 3600, jwt: { sign: { alg: "RS256" } } };
      },
    },
  },
  rotateRefreshToken: (ctx) => ctx.oidc.client.clientAuthMethod === "none" || ctx.oidc.entities.RefreshToken.ttlPercentagePassed() >= 70,
  adapter: (model) => new MemoryAdapter(model, store, 15),
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  async findAccount(_ctx, sub) {
    if (sub !== ACCOUNT_ID) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, name: "Bench User", email: "user@bench.test", email_verified: true };
      },
    };
  },
});
// Unexpected failures show in its log (the bench prints the tail when a phase fails).
provider.on("server_error", (_ctx, error) => console.error("server_error:", error));
let logged = 0;
for (const event of ["grant.error", "introspection.error", "userinfo.error"]) {
  provider.on(event, (_ctx, error) => {
    if (logged++ < 20) console.error(`${event}: ${error.message} (${error.error_detail ?? error.error_description})`);
  });
}

const clients = {
  confidential: { client: await provider.Client.find(confidential.clientId), redirectUri: CONFIDENTIAL_REDIRECT, pkce: false },
  public: { client: await provider.Client.find(publicClient.clientId), redirectUri: PUBLIC_REDIRECT, pkce: true },
};
async function mint(name, count) {
  const { client, redirectUri, pkce } = clients[name];
  const authTime = Math.floor(Date.now() / 1000);
  const out = [];
  for (let i = 0; i < count; i++) {
    const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId: client.clientId });
    grant.addOIDCScope(SCOPE);
    const verifier = pkce ? randomBytes(32).toString("base64url") : undefined;
    const code = new provider.AuthorizationCode({
      accountId: ACCOUNT_ID,
      grantId: await grant.save(),
      client,
      scope: SCOPE,
      redirectUri,
      authTime,
      nonce: randomBytes(8).toString("base64url"),
      ...(verifier ? { codeChallenge: createHash("sha256").update(verifier).digest("base64url"), codeChallengeMethod: "S256" } : {}),
    });
    out.push({ code: await code.save(), ...(verifier ? { verifier } : {}) });
  }
  return out;
}

const control = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://control");
  const reply = (status, body) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const name = url.searchParams.get("client");
  const count = Number(url.searchParams.get("count"));
  if (req.method !== "POST" || url.pathname !== "/mint" || !(name in clients) || !(count > 0)) return reply(400, { error: "bad request" });
  mint(name, count).then(
    (codes) => reply(200, codes),
    (error) => reply(500, { error: String(error) }),
  );
});
await new Promise((resolve) => control.listen(0, "127.0.0.1", resolve));

process.on("disconnect", () => process.exit(0));

const server = http.createServer(provider.callback());
server.listen(port, "127.0.0.1", () => {
  process.send({
    type: "ready",
    origin: `http://127.0.0.1:${port}`,
    control: `http://127.0.0.1:${control.address().port}`,
    issuer: ISSUER,
    confidential: { ...confidential, redirectUri: CONFIDENTIAL_REDIRECT },
    public: { ...publicClient, redirectUri: PUBLIC_REDIRECT },
    machine: { ...machine, resource: RESOURCE, scope: RESOURCE_SCOPE },
  });
});
