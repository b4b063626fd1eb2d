import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { assertionForm, clientAssertion, newClientKey, type ClientKey } from "@/tests/client-keys";
import { publishedJwks } from "@/tests/jwks";
import { oauthError, oauthRefusal } from "@/tests/oauth-client";
import type { Actor } from "../../audit";
import { createApiKey } from "../../auth/api-keys";
import { createUser } from "../../auth/users";
import { createApp } from "../../clients/apps";
import { dpopProof, newDpopKey } from "@/tests/dpop";
import { createMachineClient, startMachineSecretRotation, updateMachineClient } from "../../clients/machine-clients";
import { ensureSigningKeys } from "../../keys/signing-keys";
import { updateProjectSettings } from "../../settings";
import { authorize } from "../authorize/flow";
import { introspect } from "../introspect";
import { revokeToken } from "../revoke";
import { handleTokenRequest } from "../token-endpoint";
import { userInfo } from "../userinfo";

const actor: Actor = { type: "system", id: null, label: "test" };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const INVOICES = "https://invoices.example.com";
const REPORTS = "https://reports.example.com/api";

describe.each(testDatabases)("client_credentials on $name", ({ target }) => {
  let db: TestDatabase;
  let ownerKey: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    await updateProjectSettings(db.prisma, actor, { resource_servers: [INVOICES, REPORTS] });
    const owner = await createUser(db.prisma, { email: "owner@example.com", password: "correct horse battery" }, "owner");
    ownerKey = (await createApiKey(db.prisma, owner.id, "rs")).key;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function machine(grants: { resource: string; scopes: string[] }[]) {
    const created = await createMachineClient(db.prisma, actor, { name: "Worker", grants }, "api");
    const { client } = created;
    const clientSecret = created.clientSecret!;
    const token = (form: Record<string, string | string[]> = {}, secret = clientSecret, dpop?: string) => {
      const body = new URLSearchParams({ grant_type: "client_credentials" });
      for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
      return handleTokenRequest(db.oauth, { authorization: basic(client.client_id, secret), form: body, dpop });
    };
    return { client, clientSecret, token };
  }
  const ownerIntrospect = (token: string) => introspect(db.oauth, { authorization: `Bearer ${ownerKey}`, form: new URLSearchParams({ token }) });

  it("issues an RFC 9068 token for the one granted resource: sub = client_id, aud = the resource, the granted scopes; no refresh or ID token", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read", "invoices:write"] }]);
    const response = await m.token();
    expect(response).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "invoices:read invoices:write" });
    expect(response).not.toHaveProperty("refresh_token");
    expect(response).not.toHaveProperty("id_token");
    const { payload, protectedHeader } = await jwtVerify(response.access_token, createLocalJWKSet(await publishedJwks(db)), {
      issuer: "https://id.example.com",
      audience: INVOICES,
      typ: "at+jwt",
    });
    expect(protectedHeader.typ).toBe("at+jwt");
    expect(payload).toMatchObject({ sub: m.client.client_id, client_id: m.client.client_id, aud: INVOICES, scope: "invoices:read invoices:write" });
    expect(Object.keys(payload).sort()).toEqual(["aud", "client_id", "exp", "iat", "iss", "jti", "scope", "sub"]);
  });

  it("with a DPoP proof, the machine token is bound to its key (cnf.jkt, token_type DPoP) and introspects so", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
    const key = await newDpopKey();
    const response = await m.token({}, m.clientSecret, await dpopProof(key, "POST", "https://id.example.com/oauth2/token"));
    expect(response.token_type).toBe("DPoP");
    expect(decodeJwt(response.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(await ownerIntrospect(response.access_token)).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } });
  });

  it("narrows to the requested scopes and accepts the resource in another spelling (trailing slash); client_secret_post works too", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read", "invoices:write"] }]);
    expect((await m.token({ scope: "invoices:read", resource: `${INVOICES}/` })).scope).toBe("invoices:read");
    const post = await handleTokenRequest(db.oauth, {
      authorization: null,
      form: new URLSearchParams({ grant_type: "client_credentials", client_id: m.client.client_id, client_secret: m.clientSecret }),
    });
    expect(post.scope).toBe("invoices:read invoices:write");
  });

  it("refuses a scope not granted (invalid_scope), a resource not granted or unknown (invalid_target)", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
    expect(await oauthError(m.token({ scope: "invoices:read invoices:write" }))).toBe("invalid_scope");
    expect(await oauthError(m.token({ scope: "openid" }))).toBe("invalid_scope");
    expect(await oauthError(m.token({ resource: REPORTS }))).toBe("invalid_target");
    expect(await oauthError(m.token({ resource: "https://elsewhere.example.com" }))).toBe("invalid_target");
    expect(await oauthError(m.token({ resource: [INVOICES, REPORTS] }))).toBe("invalid_target");
  });

  it("takes one resource named up to 10 times, in any spelling, as one; 11 values are invalid_target", async () => {
    const m = await machine([
      { resource: INVOICES, scopes: ["invoices:read"] },
      { resource: REPORTS, scopes: ["reports:read"] },
    ]);
    expect((await m.token({ resource: [INVOICES, `${INVOICES}/`] })).scope).toBe("invoices:read");
    const ten = Array.from({ length: 10 }, (_, i) => (i % 2 ? INVOICES : `${INVOICES}/`));
    expect((await m.token({ resource: ten })).scope).toBe("invoices:read");
    expect(await oauthError(m.token({ resource: [...ten, INVOICES] }))).toBe("invalid_target");
  });

  it("needs resource when several resource servers are granted, and takes each then", async () => {
    const m = await machine([
      { resource: INVOICES, scopes: ["invoices:read"] },
      { resource: REPORTS, scopes: ["reports:read"] },
    ]);
    expect(await oauthRefusal(m.token())).toMatch(/^invalid_target: resource is required/);
    expect((await m.token({ resource: REPORTS })).scope).toBe("reports:read");
    expect(await oauthError(m.token({ resource: REPORTS, scope: "invoices:read" }))).toBe("invalid_scope");
  });

  it("a client without grants, or whose resource server the owner removed, is unauthorized_client", async () => {
    const none = await machine([]);
    expect(await oauthError(none.token())).toBe("unauthorized_client");
    const m = await machine([{ resource: REPORTS, scopes: ["reports:read"] }]);
    await updateProjectSettings(db.prisma, actor, { resource_servers: [INVOICES] });
    try {
      expect(await oauthError(m.token())).toBe("unauthorized_client");
    } finally {
      await updateProjectSettings(db.prisma, actor, { resource_servers: [INVOICES, REPORTS] });
    }
    expect((await m.token()).scope).toBe("reports:read");
  });

  it("refuses a wrong secret (invalid_client); during a rotation both secrets work", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
    expect(await oauthError(m.token({}, "wrong"))).toBe("invalid_client");
    const { clientSecret: next } = await startMachineSecretRotation(db.prisma, actor, m.client.client_id);
    expect((await m.token({}, next)).scope).toBe("invoices:read");
    expect((await m.token()).scope).toBe("invoices:read");
  });

  it("a disabled machine client gets no token, and its tokens introspect as inactive at once", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
    const { access_token } = await m.token();
    expect(await ownerIntrospect(access_token)).toMatchObject({ active: true, sub: m.client.client_id, client_id: m.client.client_id, aud: [INVOICES] });
    await updateMachineClient(db.prisma, actor, m.client.client_id, { status: "disabled" });
    expect(await oauthError(m.token())).toBe("invalid_client");
    expect(await ownerIntrospect(access_token)).toEqual({ active: false });
    await updateMachineClient(db.prisma, actor, m.client.client_id, { status: "active" });
    expect((await ownerIntrospect(access_token)).active).toBe(true);
  });

  it("introspection: the client sees its own token; a revoked token is inactive; UserInfo refuses it (no user)", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
    const { access_token } = await m.token();
    const own = await introspect(db.oauth, { authorization: basic(m.client.client_id, m.clientSecret), form: new URLSearchParams({ token: access_token }) });
    expect(own).toMatchObject({ active: true, sub: m.client.client_id, client_id: m.client.client_id, scope: "invoices:read", token_type: "Bearer" });
    expect(await oauthError(userInfo(db.oauth, { authorization: `Bearer ${access_token}`, form: null }))).toBe("invalid_token");
    await revokeToken(db.oauth, { authorization: basic(m.client.client_id, m.clientSecret), form: new URLSearchParams({ token: access_token }) });
    expect(await ownerIntrospect(access_token)).toEqual({ active: false });
  });

  it("a connected app asking for client_credentials: unauthorized_client; a machine client asking for other grants: unauthorized_client", async () => {
    const { app, clientSecret } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Web", redirect_uris: ["https://rp.example/cb"] }, "api");
    const form = new URLSearchParams({ grant_type: "client_credentials", resource: INVOICES });
    expect(await oauthError(handleTokenRequest(db.oauth, { authorization: basic(app.client_id, clientSecret!), form }))).toBe("unauthorized_client");
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
    const grants: Record<string, string>[] = [{ grant_type: "authorization_code", code: "x" }, { grant_type: "refresh_token", refresh_token: "x" }];
    for (const grant of grants) {
      const refused = handleTokenRequest(db.oauth, { authorization: basic(m.client.client_id, m.clientSecret), form: new URLSearchParams(grant) });
      expect(await oauthError(refused)).toBe("unauthorized_client");
    }
  });

  describe("with private_key_jwt", () => {
    let rsa: ClientKey;
    let ec: ClientKey;
    beforeAll(async () => {
      [rsa, ec] = await Promise.all([newClientKey("RS256"), newClientKey("ES256")]);
    });
    const GRANT = { grant_type: "client_credentials" };
    /** A token request authenticated with an assertion `key` signs (and `extra` fields). */
    const withKey = async (clientId: string, key: ClientKey, extra: Record<string, string> = {}) =>
      handleTokenRequest(db.oauth, { authorization: null, form: assertionForm(await clientAssertion(clientId, key), { ...GRANT, ...extra }) });

    it("issues the token to an assertion signed with RS256 or ES256: sub = client_id, the granted scopes; the jti is spent", async () => {
      const { client, clientSecret } = await createMachineClient(
        db.prisma,
        actor,
        { name: "Keyed worker", token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [rsa.jwk, ec.jwk] }, grants: [{ resource: INVOICES, scopes: ["invoices:read"] }] },
        "api",
      );
      expect(clientSecret).toBeNull();
      for (const key of [rsa, ec]) {
        const response = await withKey(client.client_id, key, { scope: "invoices:read" });
        expect(response).toMatchObject({ token_type: "Bearer", scope: "invoices:read" });
        expect(response).not.toHaveProperty("refresh_token");
        const { payload } = await jwtVerify(response.access_token, createLocalJWKSet(await publishedJwks(db)), { audience: INVOICES, typ: "at+jwt" });
        expect(payload).toMatchObject({ sub: client.client_id, client_id: client.client_id });
      }
      // The same assertion twice: a replay.
      const jwt = await clientAssertion(client.client_id, ec);
      const once = () => handleTokenRequest(db.oauth, { authorization: null, form: assertionForm(jwt, GRANT) });
      expect((await once()).scope).toBe("invoices:read");
      expect(await oauthError(once())).toBe("invalid_client");
      // Grants still decide scope and resource for a key client.
      expect(await oauthError(withKey(client.client_id, rsa, { scope: "invoices:write" }))).toBe("invalid_scope");
      expect(await oauthError(withKey(client.client_id, rsa, { resource: REPORTS }))).toBe("invalid_target");
    });

    it("a key client is refused with its old secret (either method); a secret client with an assertion; a key it did not register", async () => {
      const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
      expect(await oauthError(withKey(m.client.client_id, ec))).toBe("invalid_client");
      await updateMachineClient(db.prisma, actor, m.client.client_id, { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [ec.jwk] } });
      expect(await oauthError(m.token())).toBe("invalid_client");
      const post = new URLSearchParams({ ...GRANT, client_id: m.client.client_id, client_secret: m.clientSecret });
      expect(await oauthError(handleTokenRequest(db.oauth, { authorization: null, form: post }))).toBe("invalid_client");
      expect((await withKey(m.client.client_id, ec)).scope).toBe("invoices:read");
      expect(await oauthError(withKey(m.client.client_id, rsa))).toBe("invalid_client");
      // Back to the secret: the assertion is refused, the secret works again.
      await updateMachineClient(db.prisma, actor, m.client.client_id, { token_endpoint_auth_method: "client_secret_basic", jwks: null });
      expect(await oauthError(withKey(m.client.client_id, ec))).toBe("invalid_client");
      expect((await m.token()).scope).toBe("invoices:read");
    });

    it("a disabled key client gets no token", async () => {
      const { client } = await createMachineClient(db.prisma, actor, { name: "Off", token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [rsa.jwk] }, grants: [{ resource: INVOICES, scopes: [] }] }, "api");
      await updateMachineClient(db.prisma, actor, client.client_id, { status: "disabled" });
      expect(await oauthError(withKey(client.client_id, rsa))).toBe("invalid_client");
    });
  });

  it("a machine client cannot start an authorization request", async () => {
    const m = await machine([{ resource: INVOICES, scopes: ["invoices:read"] }]);
    const params = new URLSearchParams({ client_id: m.client.client_id, response_type: "code", redirect_uri: "https://rp.example/cb", scope: "openid" });
    expect(await authorize(db.oauth, params, null)).toMatchObject({ type: "error_page", title: "Not a sign-in app" });
  });
});
