import { generateKeyPairSync, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertionForm, clientAssertion, newClientKey, type ClientKey } from "@/tests/client-keys";
import { openTestDatabase, testDatabases, TEST_ISSUER, type TestDatabase } from "@/tests/databases";
import { createApp, updateApp } from "../clients/apps";
import { startTestDocumentServer, TEST_CA, type TestDocumentServer } from "../clients/cimd-test-server";
import { remoteJwksCache } from "../clients/remote-jwks";
import { DomainError } from "../domain-error";
import { authenticateClient, readClientCredentials } from "./client-auth";
import { ASSERTION_CLOCK_SKEW_S, JWT_BEARER_ASSERTION, MAX_ASSERTION_LIFETIME_S } from "./client-assertion";
import { withClock, type OAuthContext } from "./context";
import { purgeExpired } from "./housekeeping";
import { OAuthError } from "./oauth-error";

const actor = { type: "system" as const, id: null, label: "test" };
const TOKEN_ENDPOINT = `${TEST_ISSUER}/oauth2/token`;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Authenticates with a form (and Basic header) as an endpoint would: the client_id, or the error code and its detail. */
async function attempt(ctx: OAuthContext, form: URLSearchParams, authorization: string | null = null): Promise<string> {
  try {
    return (await authenticateClient(ctx, readClientCredentials(authorization, form))).clientId;
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    return `${e.code} ${e.status}${e.options.detail ? `: ${e.options.detail}` : ""}`;
  }
}

describe.each(testDatabases)("private_key_jwt client authentication on $name", ({ name, target }) => {
  let db: TestDatabase;
  let others: TestDatabase[] = [];
  let rsa: ClientKey;
  let ec: ClientKey;
  let clientId: string;

  beforeAll(async () => {
    const t = await target();
    db = await openTestDatabase(t);
    // Further server instances on the same PostgreSQL (PGlite is one process by construction).
    others = name === "postgres" ? await Promise.all([1, 2, 3].map(() => openTestDatabase({ ...t, drop: async () => {} }))) : [];
    [rsa, ec] = await Promise.all([newClientKey("RS256"), newClientKey("ES256")]);
    const { app, clientSecret } = await createApp(
      db.prisma,
      actor,
      { client_type: "third_party", name: "Keyed", redirect_uris: ["https://keyed.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [rsa.jwk, ec.jwk] } },
      "api",
    );
    expect(clientSecret).toBeNull();
    clientId = app.client_id;
  });
  afterAll(async () => {
    for (const other of others) await other.dispose();
    await db?.dispose();
  });

  const refusedWith = (detail: RegExp) => expect.stringMatching(new RegExp(`^invalid_client 401: .*${detail.source}`));

  it("accepts a valid assertion signed with RS256 or ES256, with aud the issuer, the token endpoint or the PAR endpoint", async () => {
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa)))).toBe(clientId);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, ec)))).toBe(clientId);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, ec, { aud: TOKEN_ENDPOINT })))).toBe(clientId);
    // RFC 9126 §2: an assertion made for the PAR endpoint identifies this server too.
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, ec, { aud: `${TEST_ISSUER}/oauth2/par` })))).toBe(clientId);
    // With the client_id beside it, and with a key found without a kid.
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa), { client_id: clientId }))).toBe(clientId);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, ec, {}, { kid: undefined })))).toBe(clientId);
  });

  it("accepts PS256 and EdDSA keys too", async () => {
    const [ps, ed] = await Promise.all([newClientKey("PS256"), newClientKey("EdDSA")]);
    const { app } = await createApp(db.prisma, actor, { client_type: "first_party", name: "More algs", redirect_uris: ["https://m.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [ps.jwk, ed.jwk] } }, "api");
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, ps)))).toBe(app.client_id);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, ed)))).toBe(app.client_id);
  });

  it("refuses a wrong audience", async () => {
    for (const aud of ["https://other.example.com", `${TEST_ISSUER}/oauth2/introspect`, `${TEST_ISSUER}/`]) {
      expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa, { aud })))).toEqual(refusedWith(/aud/));
    }
  });

  it("refuses an expired exp, an exp more than 300 s ahead, and none at all", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa, { exp: now - 60 })))).toEqual(refusedWith(/exp/));
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa, { exp: now + 3600 })))).toEqual(refusedWith(/exp is more than 300 s ahead/));
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa, { exp: undefined })))).toEqual(refusedWith(/exp/));
    // 300 s ahead is still fine.
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa, { exp: now + 300 })))).toBe(clientId);
  });

  it("refuses a replayed jti, and an assertion without one", async () => {
    const jwt = await clientAssertion(clientId, ec);
    expect(await attempt(db.oauth, assertionForm(jwt))).toBe(clientId);
    expect(await attempt(db.oauth, assertionForm(jwt))).toEqual(refusedWith(/replay/));
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, ec, { jti: undefined })))).toEqual(refusedWith(/jti/));
  });

  it(`refuses a replay racing on ${name === "postgres" ? "four instances of one PostgreSQL" : "one instance"}: exactly one of 40 wins`, async () => {
    const jwt = await clientAssertion(clientId, rsa);
    const instances = [db, ...others];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(instances[i % instances.length]!.oauth, assertionForm(jwt))));
    expect(results.filter((r) => r === clientId)).toHaveLength(1);
    expect(results.filter((r) => r !== clientId).every((r) => /^invalid_client 401: .*replay/.test(r))).toBe(true);
  });

  it("refuses an assertion signed with a key that is not the client's, even under a registered kid", async () => {
    const stranger = await newClientKey("RS256", rsa.kid);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, stranger)))).toEqual(refusedWith(/signature/));
    const unknownKid = await newClientKey("ES256");
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, unknownKid)))).toEqual(refusedWith(/no key with kid/));
  });

  it("accepts exp up to 300 s (and the clock skew) ahead of the server's clock, to the second", async () => {
    const t = Math.floor(Date.now() / 1000);
    const ctx = withClock(db.oauth, new Date(t * 1000));
    const latest = t + MAX_ASSERTION_LIFETIME_S + ASSERTION_CLOCK_SKEW_S;
    expect(await attempt(ctx, assertionForm(await clientAssertion(clientId, ec, { iat: t, exp: latest })))).toBe(clientId);
    expect(await attempt(ctx, assertionForm(await clientAssertion(clientId, ec, { iat: t, exp: latest + 1 })))).toEqual(refusedWith(/exp/));
  });

  it.each([
    ["a jti of 256 characters", "j".repeat(256), true],
    ["a jti of 257 characters", "j".repeat(257), false],
    ["a numeric jti", 12345, false],
    ["a jti that is an object", { id: "x" }, false],
  ])("takes %s: %s", async (_what, jti, ok) => {
    // Unique per database run: the accepted one is spent.
    const value = typeof jti === "string" ? `${name}-${randomUUID()}-${jti}`.slice(0, jti.length) : jti;
    const result = await attempt(db.oauth, assertionForm(await clientAssertion(clientId, ec, { jti: value })));
    if (ok) expect(result).toBe(clientId);
    else expect(result).toEqual(refusedWith(/jti/));
  });

  it("keeps a spent jti through housekeeping for as long as the assertion could be accepted", async () => {
    const t = Math.floor(Date.now() / 1000);
    const jwt = await clientAssertion(clientId, rsa, { iat: t, exp: t + 60 });
    expect(await attempt(withClock(db.oauth, new Date(t * 1000)), assertionForm(jwt))).toBe(clientId);
    // The last second the assertion is still in date (exp + the clock skew): purging then keeps the jti.
    const late = withClock(db.oauth, new Date((t + 60 + ASSERTION_CLOCK_SKEW_S - 1) * 1000));
    await purgeExpired(late);
    expect(await attempt(late, assertionForm(jwt))).toEqual(refusedWith(/replay/));
    // Once out of date it is refused for that, and its jti may go.
    const after = withClock(db.oauth, new Date((t + 60 + ASSERTION_CLOCK_SKEW_S + 1) * 1000));
    await purgeExpired(after);
    expect(await attempt(after, assertionForm(jwt))).toEqual(refusedWith(/exp/));
  });

  it("uses a key that names its alg for that alg only", async () => {
    // One RSA key pair, registered for PS256: an RS256 signature by the same private key is not accepted.
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = `ps-${randomUUID()}`;
    const { app } = await createApp(
      db.prisma,
      actor,
      { client_type: "first_party", name: "PS only", redirect_uris: ["https://ps.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "PS256" }] } },
      "api",
    );
    const signer = (alg: string): ClientKey => ({ alg, kid, privateKey: privateKey as unknown as CryptoKey, jwk: {} });
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, signer("PS256"))))).toBe(app.client_id);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, signer("RS256"))))).toEqual(refusedWith(/no key with kid/));
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, signer("RS256"), {}, { kid: undefined })))).toEqual(refusedWith(/no RS256 key/));
  });

  it("tries each key of the type when the assertion names no kid", async () => {
    const [first, second, third] = await Promise.all([newClientKey("ES256"), newClientKey("ES256"), newClientKey("ES256")]);
    const { app } = await createApp(
      db.prisma,
      actor,
      { client_type: "first_party", name: "Two EC keys", redirect_uris: ["https://two.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [first.jwk, second.jwk, rsa.jwk] } },
      "api",
    );
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, second, {}, { kid: undefined })))).toBe(app.client_id);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, first, {}, { kid: undefined })))).toBe(app.client_id);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, third, {}, { kid: undefined })))).toEqual(refusedWith(/signature/));
  });

  it("refuses an assertion whose header is not JSON, as invalid_client", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: clientId, sub: clientId, aud: TEST_ISSUER, jti: randomUUID(), exp: now + 60 };
    for (const header of ["bm90IGpzb24", "", b64("a string")]) {
      expect(await attempt(db.oauth, assertionForm(`${header}.${b64(claims)}.c2ln`))).toMatch(/^invalid_client 401/);
    }
  });

  it("refuses alg none", async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: "none", kid: rsa.kid })}.${b64({ iss: clientId, sub: clientId, aud: TEST_ISSUER, jti: randomUUID(), exp: now + 60 })}.`;
    expect(await attempt(db.oauth, assertionForm(unsigned))).toEqual(refusedWith(/alg none is not accepted/));
  });

  it("refuses an HS256 assertion, whatever it is keyed with (a public key's bytes included)", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [new TextEncoder().encode("a shared secret of thirty-two bytes!"), new TextEncoder().encode(JSON.stringify(rsa.jwk))]) {
      const hs = await new SignJWT({ iss: clientId, sub: clientId, aud: TEST_ISSUER, jti: randomUUID(), exp: now + 60 })
        .setProtectedHeader({ alg: "HS256", kid: rsa.kid })
        .sign(secret);
      expect(await attempt(db.oauth, assertionForm(hs))).toEqual(refusedWith(/alg HS256 is not accepted/));
    }
  });

  it("refuses iss or sub other than the client, and malformed assertion parameters", async () => {
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa, { iss: "someone-else" })))).toEqual(refusedWith(/iss/));
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(clientId, rsa), { client_id: "ca_other" }))).toMatch(/^invalid_request 400/);
    expect(await attempt(db.oauth, assertionForm("not.a.jwt"))).toMatch(/^invalid_client 401/);
    expect(await attempt(db.oauth, new URLSearchParams({ client_assertion_type: "urn:other", client_assertion: await clientAssertion(clientId, rsa) }))).toMatch(/^invalid_client 401/);
    expect(await attempt(db.oauth, new URLSearchParams({ client_assertion_type: JWT_BEARER_ASSERTION }))).toMatch(/^invalid_client 401/);
  });

  it("refuses a private or symmetric key in jwks at registration, with a field error saying so", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: "oops" };
    const fields = async (jwks: unknown) => {
      try {
        await createApp(db.prisma, actor, { client_type: "first_party", name: "Leaky", redirect_uris: ["https://l.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks }, "api");
        return "accepted";
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return e.fields;
      }
    };
    expect(await fields({ keys: [privateJwk] })).toEqual({ jwks: 'keys[0] is a private key (it has "d"): register only its public part' });
    expect(await fields({ keys: [{ kty: "oct", k: "c2VjcmV0" }] })).toEqual({ jwks: expect.stringMatching(/symmetric key/) });
    expect(await fields({ keys: [] })).toEqual({ jwks: expect.stringMatching(/non-empty/) });
    // private_key_jwt needs keys; keys are for private_key_jwt types only; not both jwks and jwks_uri.
    expect(await fields(null)).toEqual({ jwks: expect.stringMatching(/set jwks or jwks_uri/) });
    await expect(createApp(db.prisma, actor, { client_type: "third_party_public", name: "P", redirect_uris: ["http://127.0.0.1/cb"], jwks: { keys: [rsa.jwk] } }, "api")).rejects.toMatchObject({ fields: { jwks: "only confidential apps may register keys" } });
    await expect(
      createApp(db.prisma, actor, { client_type: "first_party", name: "Both", redirect_uris: ["https://b.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [rsa.jwk] }, jwks_uri: "https://b.example/jwks" }, "api"),
    ).rejects.toMatchObject({ fields: { jwks_uri: expect.stringMatching(/not both/) } });
  });

  it("never lets a key client in with a secret, nor a secret client with a key", async () => {
    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Switching", redirect_uris: ["https://s.example/cb"] }, "api");
    const id = app.client_id;
    const basic = `Basic ${Buffer.from(`${id}:${clientSecret}`).toString("base64")}`;
    // A secret client: its secret works, an assertion signed with keys it has registered does not.
    await updateApp(db.prisma, actor, id, { jwks: { keys: [rsa.jwk] } });
    expect(await attempt(db.oauth, new URLSearchParams(), basic)).toBe(id);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(id, rsa)))).toMatch(/^invalid_client 401/);
    // Switched to private_key_jwt: the old secret no longer works, by either method; the key does.
    await updateApp(db.prisma, actor, id, { token_endpoint_auth_method: "private_key_jwt" });
    expect(await attempt(db.oauth, new URLSearchParams(), basic)).toMatch(/^invalid_client 401/);
    expect(await attempt(db.oauth, new URLSearchParams({ client_id: id, client_secret: clientSecret! }))).toMatch(/^invalid_client 401/);
    expect(await attempt(db.oauth, new URLSearchParams({ client_id: id }))).toMatch(/^invalid_client 401/);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(id, rsa)))).toBe(id);
    // An assertion with a secret beside it is two methods at once.
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(id, rsa), { client_secret: clientSecret! }))).toMatch(/^invalid_request 400/);
    expect(await attempt(db.oauth, assertionForm(await clientAssertion(id, rsa)), basic)).toMatch(/^invalid_request 400/);
  });

  it("audits key changes with the key ids", async () => {
    const { app } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Audited", redirect_uris: ["https://a.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [rsa.jwk] } }, "api");
    await updateApp(db.prisma, actor, app.client_id, { jwks: { keys: [rsa.jwk, ec.jwk] } });
    // Saving the same keys again (as the settings form does with every save; members in another order) is no change.
    const reordered = (jwk: JWK) => Object.fromEntries(Object.entries(jwk).reverse());
    await updateApp(db.prisma, actor, app.client_id, { jwks: { keys: [reordered(rsa.jwk), reordered(ec.jwk)] }, access_token_ttl_seconds: 600 });
    const events = await db.prisma.auditEvent.findMany({ where: { targetId: app.client_id, action: "connected_app.keys_changed" }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.details)).toEqual([
      { token_endpoint_auth_method: "private_key_jwt", key_ids: [rsa.kid], jwks_uri: null },
      { token_endpoint_auth_method: "private_key_jwt", key_ids: [rsa.kid, ec.kid], jwks_uri: null },
    ]);
  });

  describe("with a jwks_uri", () => {
    let server: TestDocumentServer;
    beforeAll(async () => {
      server = await startTestDocumentServer();
    });
    afterAll(async () => {
      await server?.close();
    });

    it("fetches the keys, refetches once for an unknown kid (a rotation), then refuses without fetching again", async () => {
      const [first, second, never] = await Promise.all([newClientKey("ES256"), newClientKey("RS256"), newClientKey("ES256")]);
      const path = `/jwks-${name}`;
      const uri = server.json(path, { keys: [first.jwk] }, { "Cache-Control": "max-age=600" });
      const { app } = await createApp(db.prisma, actor, { client_type: "third_party", name: "Remote keys", redirect_uris: ["https://r.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks_uri: uri }, "api");
      let now = Date.now();
      const ctx: OAuthContext = { ...db.oauth, remoteJwks: remoteJwksCache({ fetch: { timeoutMs: 3000, allowLoopback: true, ca: TEST_CA }, clock: () => now }) };
      const id = app.client_id;

      expect(await attempt(ctx, assertionForm(await clientAssertion(id, first)))).toBe(id);
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, first)))).toBe(id);
      expect(server.hits.get(path)).toBe(1); // cached

      // The client rotates: its document now lists only the second key.
      server.json(path, { keys: [second.jwk] }, { "Cache-Control": "max-age=600" });
      now += 31_000;
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, second)))).toBe(id);
      expect(server.hits.get(path)).toBe(2);
      // The first key is gone from the set: refused (its kid is unknown now, and the set was fetched moments ago).
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, first)))).toEqual(refusedWith(/no key with kid/));
      expect(server.hits.get(path)).toBe(2);

      // A kid the set never lists: after the cooldown, one fetch, then refused; again at once: no fetch.
      now += 31_000;
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, never)))).toEqual(refusedWith(/no key with kid/));
      expect(server.hits.get(path)).toBe(3);
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, never)))).toEqual(refusedWith(/no key with kid/));
      expect(server.hits.get(path)).toBe(3);
    });

    it("keeps using the cached set for a known kid after the cooldown, and fetches nothing for a kid that is not text", async () => {
      const key = await newClientKey("ES256");
      const path = `/cached-${name}`;
      const uri = server.json(path, { keys: [key.jwk] }, { "Cache-Control": "max-age=600" });
      const { app } = await createApp(db.prisma, actor, { client_type: "third_party", name: "Cached keys", redirect_uris: ["https://c.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks_uri: uri }, "api");
      let now = Date.now();
      const ctx: OAuthContext = { ...db.oauth, remoteJwks: remoteJwksCache({ fetch: { timeoutMs: 3000, allowLoopback: true, ca: TEST_CA }, clock: () => now }) };
      const id = app.client_id;

      // A kid that is a number is refused before the keys are looked at.
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, key, {}, { kid: 7 })))).toMatch(/^invalid_client 401/);
      expect(server.hits.get(path)).toBeUndefined();

      expect(await attempt(ctx, assertionForm(await clientAssertion(id, key)))).toBe(id);
      now += 31_000;
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, key)))).toBe(id);
      expect(await attempt(ctx, assertionForm(await clientAssertion(id, key, {}, { kid: undefined })))).toBe(id);
      expect(server.hits.get(path)).toBe(1);
    });

    it("refuses a jwks_uri that publishes a private key, and one that cannot be fetched", async () => {
      const { privateKey } = await generateKeyPair("ES256", { extractable: true });
      const signer: ClientKey = { alg: "ES256", kid: "leaked", privateKey, jwk: {} };
      const leaky = server.json(`/leaky-${name}`, { keys: [{ ...(await exportJWK(privateKey)), kid: "leaked" }] });
      const ctx: OAuthContext = { ...db.oauth, remoteJwks: remoteJwksCache({ fetch: { timeoutMs: 3000, allowLoopback: true, ca: TEST_CA } }) };
      const { app } = await createApp(db.prisma, actor, { client_type: "third_party", name: "Leaky remote", redirect_uris: ["https://r.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks_uri: leaky }, "api");
      expect(await attempt(ctx, assertionForm(await clientAssertion(app.client_id, signer)))).toEqual(refusedWith(/private key/));
      await updateApp(db.prisma, actor, app.client_id, { jwks_uri: `${server.origin}/missing-${name}` });
      expect(await attempt(ctx, assertionForm(await clientAssertion(app.client_id, signer)))).toEqual(refusedWith(/jwks_uri could not be used/));
    });

    it("never fetches from a private address by default", async () => {
      const key = await newClientKey("ES256");
      const uri = server.json(`/strict-${name}`, { keys: [key.jwk] });
      const { app } = await createApp(db.prisma, actor, { client_type: "third_party", name: "Loopback keys", redirect_uris: ["https://r.example/cb"], token_endpoint_auth_method: "private_key_jwt", jwks_uri: uri }, "api");
      // db.oauth has the default, strict fetcher: loopback is refused before any connection.
      expect(await attempt(db.oauth, assertionForm(await clientAssertion(app.client_id, key)))).toEqual(refusedWith(/jwks_uri could not be used/));
      expect(server.hits.get(`/strict-${name}`)).toBeUndefined();
    });
  });
});
