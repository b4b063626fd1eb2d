import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createUser } from "../auth/users";
import { OAuthError } from "../oauth/oauth-error";
import { updateProjectSettings } from "../settings";
import { deleteRegistration, readRegistration, register, updateRegistration } from "./dcr";
import { parseConfig } from "../config";
import { parseDcrConfig, type DcrConfig } from "./dcr-config";

const ISSUER = "https://id.example.com";
const system = { type: "system" as const, id: null, label: "test" };
const PUBLIC = { client_name: "CLI", redirect_uris: ["http://127.0.0.1/cb"], token_endpoint_auth_method: "none" };
/** A P-256 public key (RFC 7515 A.3's). */
const EC_PUBLIC = { kty: "EC", crv: "P-256", kid: "k1", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" };
const KEYED = { client_name: "Signer", redirect_uris: ["https://signer.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [EC_PUBLIC] } };

type Result = { ok: true; body: Record<string, unknown> } | { ok: false; code: string; status: number; description: string; retryAfter?: number };

async function outcome(promise: Promise<unknown>): Promise<Result> {
  try {
    return { ok: true, body: (await promise) as Record<string, unknown> };
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    return { ok: false, code: e.code, status: e.status, description: e.description, retryAfter: e.options.retryAfter };
  }
}

describe.each(testDatabases)("dynamic client registration on $name", ({ name, target }) => {
  let db: TestDatabase;
  let others: (TestDatabase)[] = [];
  let config: DcrConfig;
  let trustProxy: boolean;
  let source = 0;
  beforeAll(async () => {
    const t = await target();
    db = await openTestDatabase(t);
    // Several server instances on one PostgreSQL race for real; PGlite is one process.
    others = name === "postgres" ? await Promise.all([1, 2, 3].map(() => openTestDatabase({ ...t, drop: async () => {} }))) : [];
    await updateProjectSettings(db.prisma, system, { dcr_enabled: true });
  });
  afterAll(async () => {
    for (const o of others) await o.dispose();
    await db?.dispose();
  });
  beforeEach(() => {
    config = parseDcrConfig({});
    trustProxy = true;
  });

  /** Each call comes from its own address unless told, so the rate limit stays out of the way. */
  function req(body: unknown, headers: Record<string, string> = {}) {
    return {
      headers: new Headers({ "x-forwarded-for": `192.0.2.1, 10.0.0.${source++ % 250}`, ...headers }),
      body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    };
  }
  const ctx = (prisma = db.prisma) => ({ prisma, config: { ...parseConfig({ ISSUER }), dcr: config, trustProxy } });
  const reg = (body: unknown, headers?: Record<string, string>) => outcome(register(ctx(), req(body, headers)));

  it("registers a public client: echoes the metadata, a registration token and URI, no secret", async () => {
    const r = await reg({
      ...PUBLIC,
      client_name: `Public ${source}`,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "openid email full_access unknown",
      client_uri: "https://cli.example",
      logo_uri: "https://cli.example/logo.png",
      tos_uri: "https://cli.example/tos",
      policy_uri: "https://cli.example/privacy",
      contacts: ["dev@cli.example"],
      software_id: "cli",
      software_version: "1.2.3",
      application_type: "native",
      unknown_member: { ignored: true },
    });
    expect(r.ok).toBe(true);
    const body = (r as { body: Record<string, unknown> }).body;
    expect(body).toMatchObject({
      client_id: expect.stringMatching(/^ca_/),
      client_id_issued_at: expect.any(Number),
      redirect_uris: ["http://127.0.0.1/cb"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: "openid email offline_access",
      contacts: ["dev@cli.example"],
      software_id: "cli",
      software_version: "1.2.3",
      application_type: "native",
      registration_access_token: expect.any(String),
    });
    expect(body.registration_client_uri).toBe(`${ISSUER}/oauth2/register/${body.client_id as string}`);
    expect(body).not.toHaveProperty("client_secret");
    expect(body).not.toHaveProperty("client_secret_expires_at");
    expect(body).not.toHaveProperty("unknown_member");
    // Its pages and logo are not on a redirect URI's host (it has only a loopback one): dropped, not shown to users as its own.
    for (const field of ["client_uri", "logo_uri", "tos_uri", "policy_uri"]) expect(body[field] ?? null, field).toBeNull();
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: body.client_id as string } });
    expect(row).toMatchObject({ clientType: "third_party_public", creationMethod: "dcr", allowedScopes: ["openid", "email", "offline_access"] });
    expect(row.registrationAccessTokenHash).not.toBe(body.registration_access_token);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: row.clientId, action: "connected_app.created" } });
    expect(audit).toMatchObject({ actorType: "system", actorLabel: "dynamic registration" });
    expect(JSON.stringify(audit.details)).not.toContain(body.registration_access_token as string);
  });

  it("registers a confidential client (client_secret_basic by default) with a secret that never expires", async () => {
    const r = await reg({ client_name: "Web", redirect_uris: ["https://web.example/cb"] });
    const body = (r as { body: Record<string, unknown> }).body;
    expect(body).toMatchObject({
      token_endpoint_auth_method: "client_secret_basic",
      client_secret: expect.any(String),
      client_secret_expires_at: 0,
      grant_types: ["authorization_code"],
      scope: "openid profile email",
    });
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: body.client_id as string }, include: { secrets: true } });
    expect(row.clientType).toBe("third_party");
    expect(row.secrets).toHaveLength(1);
    expect(row.dcrDedupKey).toBeNull();
    // RFC 7592 update: a client_secret in the body must be the issued one.
    const put = (secret: string) =>
      outcome(
        updateRegistration(
          ctx(),
          body.client_id as string,
          req(
            { client_id: body.client_id, client_secret: secret, client_name: "Web 2", redirect_uris: ["https://web.example/cb"] },
            { authorization: `Bearer ${body.registration_access_token as string}` },
          ),
        ),
      );
    expect(await put("not-the-secret")).toMatchObject({ ok: false, code: "invalid_client_metadata" });
    expect(await put(body.client_secret as string)).toMatchObject({ ok: true, body: { client_name: "Web 2" } });
    const post = await reg({ client_name: "Web", redirect_uris: ["https://web.example/cb"], token_endpoint_auth_method: "client_secret_post" });
    expect((post as { body: Record<string, unknown> }).body.token_endpoint_auth_method).toBe("client_secret_post");
  });

  it("registers a private_key_jwt client with its keys: third-party confidential, no secret; RFC 7592 keeps it a key client", async () => {
    const body = ((await reg(KEYED)) as { body: Record<string, unknown> }).body;
    expect(body).toMatchObject({ token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [EC_PUBLIC] } });
    expect(body).not.toHaveProperty("client_secret");
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: body.client_id as string }, include: { secrets: true } });
    expect(row).toMatchObject({ clientType: "third_party", tokenEndpointAuthMethod: "private_key_jwt", jwksUri: null });
    expect(row.secrets).toHaveLength(0);
    const put = (update: Record<string, unknown>) =>
      outcome(updateRegistration(ctx(), body.client_id as string, req({ ...KEYED, client_id: body.client_id, ...update }, { authorization: `Bearer ${body.registration_access_token as string}` })));
    expect(await put({ token_endpoint_auth_method: "client_secret_basic", jwks: undefined })).toMatchObject({ ok: false, code: "invalid_client_metadata", description: expect.stringMatching(/private_key_jwt/) });
    // Its keys move to a jwks_uri.
    expect(await put({ jwks: undefined, jwks_uri: "https://signer.example/jwks.json" })).toMatchObject({ ok: true, body: { jwks_uri: "https://signer.example/jwks.json" } });
    expect(await db.prisma.connectedApp.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ jwks: null, jwksUri: "https://signer.example/jwks.json" });
  });

  it.each([
    [{ client_name: "x" }, "invalid_redirect_uri", "redirect_uris"],
    [{ redirect_uris: [] }, "invalid_redirect_uri", "redirect_uris"],
    [{ ...PUBLIC, redirect_uris: ["https://a.example/cb#frag"] }, "invalid_redirect_uri", "redirect_uris[0]"],
    [{ ...PUBLIC, redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri", "redirect_uris[0]"],
    [{ ...PUBLIC, redirect_uris: ["customscheme:/cb"] }, "invalid_redirect_uri", "redirect_uris[0]"],
    [{ redirect_uris: ["http://127.0.0.1/cb"] }, "invalid_redirect_uri", "redirect_uris[0]"],
    [{ redirect_uris: ["com.example.app:/cb"], token_endpoint_auth_method: "client_secret_post" }, "invalid_redirect_uri", "redirect_uris[0]"],
    [{ ...PUBLIC, application_type: "web" }, "invalid_redirect_uri", "redirect_uris[0]"],
    [{ ...PUBLIC, redirect_uris: ["https://a.example/cb"], application_type: "native" }, "invalid_redirect_uri", "redirect_uris[0]"],
    [{ ...PUBLIC, application_type: "desktop" }, "invalid_client_metadata", "application_type"],
    [{ ...PUBLIC, grant_types: ["client_credentials"] }, "invalid_client_metadata", "grant_types[0]"],
    [{ ...PUBLIC, grant_types: ["refresh_token"] }, "invalid_client_metadata", "grant_types"],
    [{ ...PUBLIC, response_types: ["token"] }, "invalid_client_metadata", "response_types[0]"],
    [{ ...PUBLIC, token_endpoint_auth_method: "client_secret_jwt" }, "invalid_client_metadata", "token_endpoint_auth_method"],
    [{ ...KEYED, jwks: undefined }, "invalid_client_metadata", "jwks"],
    [{ ...KEYED, jwks: { keys: [{ kty: "oct", k: "c2VjcmV0" }] } }, "invalid_client_metadata", "jwks keys[0] is a symmetric key"],
    [{ ...KEYED, jwks: { keys: [{ ...EC_PUBLIC, d: "8i0cKjcwB7LBHNnfgv-SmUiW5PSa7EZkQD6VnyOB1q8" }] } }, "invalid_client_metadata", "jwks keys[0] is a private key"],
    [{ ...KEYED, jwks_uri: "http://keys.example/jwks" }, "invalid_client_metadata", "jwks_uri"],
    [{ ...KEYED, jwks_uri: "https://keys.example/jwks" }, "invalid_client_metadata", "jwks_uri"],
    [{ ...PUBLIC, jwks: KEYED.jwks }, "invalid_client_metadata", "jwks"],
    [{ ...PUBLIC, scope: "full_access" }, "invalid_client_metadata", "scope"],
    [{ ...PUBLIC, logo_uri: "http://cli.example/logo.png" }, "invalid_client_metadata", "logo_uri"],
    [{ ...PUBLIC, client_name: "n".repeat(101) }, "invalid_client_metadata", "client_name"],
    [{ ...PUBLIC, client_name: "bad\u0000name" }, "invalid_client_metadata", "client_name"],
    [{ ...PUBLIC, software_id: "s".repeat(201) }, "invalid_client_metadata", "software_id"],
    [{ ...PUBLIC, contacts: Array.from({ length: 11 }, (_, i) => `c${i}@x.example`) }, "invalid_client_metadata", "contacts"],
    [{ ...PUBLIC, redirect_uris: Array.from({ length: 11 }, (_, i) => `http://127.0.0.1/cb${i}`) }, "invalid_redirect_uri", "redirect_uris"],
    [[PUBLIC], "invalid_client_metadata", "JSON object"],
    ["{not json", "invalid_client_metadata", "JSON"],
  ])("refuses %j with %s naming %s", async (body, code, field) => {
    const r = await reg(body);
    expect(r).toMatchObject({ ok: false, code, status: 400 });
    expect((r as { description: string }).description).toContain(field);
  });

  it("a confidential client's http loopback redirect URI is refused unless the server runs in development", async () => {
    const body = { client_name: "Local web", redirect_uris: ["http://127.0.0.1:8080/cb"] };
    expect(await reg(body)).toMatchObject({ ok: false, code: "invalid_redirect_uri" });
    const dev = { prisma: db.prisma, config: { ...ctx().config, development: true } };
    expect(await outcome(register(dev, req(body)))).toMatchObject({ ok: true, body: { redirect_uris: body.redirect_uris } });
  });

  it("keeps a client's page, logo and policy URLs only on the host of one of its https redirect URIs", async () => {
    const on = { client_uri: "https://web.example/", logo_uri: "https://web.example/logo.png", tos_uri: "https://web.example/tos", policy_uri: "https://web.example/privacy" };
    const kept = await reg({ client_name: "Own pages", redirect_uris: ["https://web.example/cb"], ...on });
    expect((kept as { body: Record<string, unknown> }).body).toMatchObject(on);
    // Another app's logo and address, redirecting elsewhere: dropped (RFC 7591 §5), the registration still succeeds.
    const borrowed = await reg({ client_name: "Borrowed pages", redirect_uris: ["https://evil.example/cb"], ...on });
    expect(borrowed).toMatchObject({ ok: true });
    const body = (borrowed as { body: Record<string, unknown> }).body;
    for (const field of Object.keys(on)) expect(body[field] ?? null, field).toBeNull();
    // A loopback-only client (an MCP CLI) keeps no page of its own either.
    const cli = await reg({ ...PUBLIC, client_name: "CLI with a homepage", client_uri: "https://github.com/someone/cli" });
    expect((cli as { body: Record<string, unknown> }).body.client_uri ?? null).toBeNull();
  });

  it("refuses a client_name that is one of the project's own apps' names, in any case, at registration and update", async () => {
    await db.prisma.connectedApp.create({
      data: { clientId: "ca_first_party_named", name: "Acme Dashboard", clientType: "first_party", creationMethod: "dashboard", redirectUris: ["https://acme.example/cb"], postLogoutRedirectUris: [], allowedScopes: [] },
    });
    expect(await reg({ ...PUBLIC, client_name: "acme DASHBOARD" })).toMatchObject({ ok: false, code: "invalid_client_metadata", description: expect.stringContaining("client_name is the name of one of this project's own apps") });
    const created = await reg({ ...PUBLIC, client_name: "Not Acme" });
    const { client_id, registration_access_token } = (created as unknown as { body: { client_id: string; registration_access_token: string } }).body;
    const renamed = await outcome(
      updateRegistration(ctx(), client_id, req({ ...PUBLIC, client_id, client_name: "Acme Dashboard" }, { authorization: `Bearer ${registration_access_token}` })),
    );
    expect(renamed).toMatchObject({ ok: false, code: "invalid_client_metadata" });
  });

  it("refuses a body over the size cap", async () => {
    const r = await outcome(register(ctx(), { headers: new Headers({ "x-forwarded-for": "10.1.1.1" }), body: null }));
    expect(r).toMatchObject({ ok: false, code: "invalid_client_metadata", status: 400 });
  });

  it("deduplicates public registrations by normalized metadata; confidential ones are always new", async () => {
    const a = await reg({ ...PUBLIC, client_name: "Dedup", redirect_uris: ["http://127.0.0.1/b", "http://127.0.0.1/a"], grant_types: ["refresh_token", "authorization_code"] });
    const b = await reg({ client_name: "Dedup", token_endpoint_auth_method: "none", redirect_uris: ["http://127.0.0.1/a", "http://127.0.0.1/b"], grant_types: ["authorization_code", "refresh_token"], extra: 1 });
    const c = await reg({ ...PUBLIC, client_name: "Dedup", redirect_uris: ["http://127.0.0.1/a"] });
    const [ab, bb, cb] = [a, b, c].map((r) => (r as { body: Record<string, unknown> }).body);
    expect(bb!.client_id).toBe(ab!.client_id);
    expect(cb!.client_id).not.toBe(ab!.client_id);
    // The deduplicated answer hands out no registration access token: the first registrant keeps control.
    expect(ab).toHaveProperty("registration_access_token");
    expect(bb).not.toHaveProperty("registration_access_token");
    expect(bb!.redirect_uris).toEqual(["http://127.0.0.1/a", "http://127.0.0.1/b"]);
    const confidential = { client_name: "Conf", redirect_uris: ["https://c.example/cb"] };
    const [x, y] = [await reg(confidential), await reg(confidential)].map((r) => (r as { body: Record<string, unknown> }).body);
    expect(x!.client_id).not.toBe(y!.client_id);
  });

  it("20 concurrent identical public registrations make one client", async () => {
    const instances = [db, ...others];
    const body = { ...PUBLIC, client_name: `Race ${name}` };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => register(ctx(instances[i % instances.length]!.prisma), req(body))),
    );
    expect(new Set(results.map((r) => r.client_id)).size).toBe(1);
    expect(results.filter((r) => "registration_access_token" in r)).toHaveLength(1);
    expect(await db.prisma.connectedApp.count({ where: { name: `Race ${name}` } })).toBe(1);
  });

  it("RFC 7592: read, update and delete with the registration access token; anything else is 401", async () => {
    const created = ((await reg({ ...PUBLIC, client_name: "Managed" })) as { body: Record<string, unknown> }).body;
    const clientId = created.client_id as string;
    const token = created.registration_access_token as string;
    const auth = `Bearer ${token}`;
    for (const wrong of [null, "Bearer nope", `Basic ${token}`, `Bearer ${token}x`]) {
      expect(await outcome(readRegistration(ctx(), clientId, wrong))).toMatchObject({ ok: false, code: "invalid_token", status: 401 });
      expect(await outcome(deleteRegistration(ctx(), clientId, wrong))).toMatchObject({ ok: false, code: "invalid_token", status: 401 });
    }
    // Another client's token does not open this one.
    const other = ((await reg({ ...PUBLIC, client_name: "Other" })) as { body: Record<string, unknown> }).body;
    expect(await outcome(readRegistration(ctx(), clientId, `Bearer ${other.registration_access_token as string}`))).toMatchObject({ code: "invalid_token" });
    expect(await outcome(readRegistration(ctx(), "ca_unknown", auth))).toMatchObject({ code: "invalid_token", status: 401 });
    // A client_id no row can hold (`/oauth2/register/%00`) is an unknown client, never a database error.
    for (const odd of ["ca_\u0000", "\ud800"]) {
      expect(await outcome(readRegistration(ctx(), odd, auth))).toMatchObject({ code: "invalid_token", status: 401 });
      expect(await outcome(deleteRegistration(ctx(), odd, auth))).toMatchObject({ code: "invalid_token", status: 401 });
    }

    const read = await readRegistration(ctx(), clientId, auth);
    expect(read).toMatchObject({ client_id: clientId, client_name: "Managed", redirect_uris: ["http://127.0.0.1/cb"], token_endpoint_auth_method: "none" });
    expect(read).not.toHaveProperty("registration_access_token");

    // A user's remembered consent goes when the redirect URIs change.
    const app = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId } });
    const user = await createUser(db.prisma, { email: "dcr-consent@example.com", password: "correct horse battery" }, "member");
    await db.prisma.grant.create({ data: { userId: user.id, appId: app.id, scopes: ["openid"] } });
    const put = (body: unknown) => outcome(updateRegistration(ctx(), clientId, req(body, { authorization: auth })));
    expect(await put({ ...PUBLIC, client_name: "Renamed" })).toMatchObject({ ok: false, code: "invalid_client_metadata" });
    expect(await put({ ...PUBLIC, client_id: clientId, token_endpoint_auth_method: "client_secret_basic", redirect_uris: ["https://x.example/cb"] })).toMatchObject({
      ok: false,
      code: "invalid_client_metadata",
    });
    expect(await put({ ...PUBLIC, client_id: clientId, redirect_uris: ["ftp://x"] })).toMatchObject({ ok: false, code: "invalid_redirect_uri" });
    const updated = await put({ ...PUBLIC, client_id: clientId, client_name: "Renamed", redirect_uris: ["http://127.0.0.1/new"] });
    expect(updated).toMatchObject({ ok: true, body: { client_id: clientId, client_name: "Renamed", redirect_uris: ["http://127.0.0.1/new"] } });
    const after = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId } });
    expect(after).toMatchObject({ name: "Renamed", redirectUris: ["http://127.0.0.1/new"], dcrDedupKey: null });
    expect(await db.prisma.grant.count({ where: { appId: app.id } })).toBe(0);
    // The token still works after the update; delete removes the app.
    await deleteRegistration(ctx(), clientId, auth);
    expect(await db.prisma.connectedApp.findUnique({ where: { clientId } })).toBeNull();
    expect(await outcome(readRegistration(ctx(), clientId, auth))).toMatchObject({ code: "invalid_token" });
  });

  it("an app created in the dashboard cannot be managed through RFC 7592", async () => {
    const app = await db.prisma.connectedApp.create({
      data: { clientId: "ca_dashboard_made", name: "D", clientType: "third_party_public", creationMethod: "dashboard", redirectUris: [], postLogoutRedirectUris: [], allowedScopes: [] },
    });
    expect(await outcome(readRegistration(ctx(), app.clientId, "Bearer "))).toMatchObject({ code: "invalid_token" });
    expect(await outcome(readRegistration(ctx(), app.clientId, "Bearer x"))).toMatchObject({ code: "invalid_token" });
  });

  it("needs the initial access token when one is configured", async () => {
    config = { ...config, initialAccessToken: "initial-secret" };
    expect(await reg(PUBLIC)).toMatchObject({ ok: false, code: "invalid_token", status: 401 });
    expect(await reg(PUBLIC, { authorization: "Bearer wrong" })).toMatchObject({ ok: false, code: "invalid_token" });
    expect(await reg({ ...PUBLIC, client_name: "With IAT" }, { authorization: "Bearer initial-secret" })).toMatchObject({ ok: true });
  });

  it("rate-limits new clients per source address in the database, with Retry-After", async () => {
    config = { ...config, rateLimit: 2, rateLimitWindowSeconds: 3600 };
    let n = 0;
    const from = (ip: string, instance = db) =>
      outcome(register(ctx(instance.prisma), { headers: new Headers({ "x-forwarded-for": ip }), body: Buffer.from(JSON.stringify({ ...PUBLIC, client_name: `RL ${n++}` })) }));
    expect(await from("203.0.113.7")).toMatchObject({ ok: true });
    expect(await from("203.0.113.7", others[0] ?? db)).toMatchObject({ ok: true });
    const refused = await from("203.0.113.7");
    expect(refused).toMatchObject({ ok: false, status: 429, code: "temporarily_unavailable" });
    expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
    expect((refused as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(3600);
    expect(await from("203.0.113.8")).toMatchObject({ ok: true });
    // Without TRUST_PROXY the forwarded address is ignored: everyone shares one bucket.
    config = { ...config, rateLimit: 1 };
    trustProxy = false;
    await db.prisma.rateLimitWindow.deleteMany({ where: { key: "dcr:global" } });
    expect(await from("198.51.100.1")).toMatchObject({ ok: true });
    expect(await from("198.51.100.2")).toMatchObject({ ok: false, status: 429 });
  });

  it("only registrations that create a client count: refused metadata and deduplicated twins do not block anyone", async () => {
    config = { ...config, rateLimit: 1, rateLimitWindowSeconds: 3600 };
    trustProxy = false; // one bucket for everyone: the case where a flood would hurt most
    await db.prisma.rateLimitWindow.deleteMany({ where: { key: "dcr:global" } });
    const send = (body: unknown) => outcome(register(ctx(), { headers: new Headers(), body: Buffer.from(JSON.stringify(body)) }));
    for (let i = 0; i < 5; i++) {
      expect(await send({ ...PUBLIC, redirect_uris: ["javascript:alert(1)"] })).toMatchObject({ ok: false, code: "invalid_redirect_uri" });
      expect(await send("not an object")).toMatchObject({ ok: false, code: "invalid_client_metadata" });
    }
    const first = await send({ ...PUBLIC, client_name: "Counted once" });
    expect(first).toMatchObject({ ok: true });
    // The same metadata again is the same client, not a new one: answered, not counted.
    expect(await send({ ...PUBLIC, client_name: "Counted once" })).toMatchObject({ ok: true, body: { client_id: (first as unknown as { body: { client_id: string } }).body.client_id } });
    expect(await send({ ...PUBLIC, client_name: "A second new client" })).toMatchObject({ ok: false, status: 429 });
  });

  it("answers 404 when DCR is off", async () => {
    await updateProjectSettings(db.prisma, system, { dcr_enabled: false });
    try {
      expect(await reg(PUBLIC)).toMatchObject({ ok: false, status: 404, description: expect.stringContaining("not enabled") });
      expect(await outcome(readRegistration(ctx(), "ca_x", "Bearer x"))).toMatchObject({ ok: false, status: 404 });
    } finally {
      await updateProjectSettings(db.prisma, system, { dcr_enabled: true });
    }
  });
});

describe("DCR configuration", () => {
  it("has defaults and reads the environment", () => {
    expect(parseDcrConfig({})).toEqual({
      initialAccessToken: undefined,
      maxBodyBytes: 16_384,
      maxRedirectUris: 10,
      rateLimit: 60,
      rateLimitWindowSeconds: 600,
    });
    expect(parseDcrConfig({ DCR_INITIAL_ACCESS_TOKEN: " t ", DCR_RATE_LIMIT: "5" })).toMatchObject({
      initialAccessToken: "t",
      rateLimit: 5,
    });
    expect(() => parseDcrConfig({ DCR_RATE_LIMIT: "many" })).toThrow(/DCR_RATE_LIMIT/);
    expect(() => parseDcrConfig({ DCR_INITIAL_ACCESS_TOKEN: "not a token" })).toThrow(/DCR_INITIAL_ACCESS_TOKEN: must be a bearer token/);
  });
});
