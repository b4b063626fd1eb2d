import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { DomainError } from "../domain-error";
import { updateProjectSettings } from "../settings";
import { createApp, deleteApp, getApp, listApps, startClientSecretRotation, startSecretRotation, updateApp } from "./apps";
import {
  cancelMachineSecretRotation,
  completeMachineSecretRotation,
  createMachineClient,
  deleteMachineClient,
  getMachineClient,
  listMachineClients,
  startMachineSecretRotation,
  updateMachineClient,
} from "./machine-clients";
import { CLIENT_SECRET_PURPOSE, secretMatches } from "./secrets";
import { newClientKey, type ClientKey } from "@/tests/client-keys";

const actor: Actor = { type: "system", id: null, label: "test" };
const API = "https://api.example.com";
const MCP = "https://mcp.example.com/mcp";

/** The field errors a call is refused with. */
async function fields(promise: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof DomainError) return (e.fields ?? {}) as Record<string, string>;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe.each(testDatabases)("machine clients on $name", ({ target }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await updateProjectSettings(db.prisma, actor, { resource_servers: [API, MCP] });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const hashesOf = async (clientId: string) =>
    (await db.prisma.clientSecret.findMany({ where: { app: { clientId } } })).map((s) => s.secretHash);

  it("creates one with a secret shown once and stored only as a keyed hash, and its grants in the setting's spelling", async () => {
    const { client, clientSecret } = await createMachineClient(db.prisma, actor, { name: "Billing job", grants: [{ resource: `${API}/`, scopes: ["invoices:read", "invoices:read"] }] }, "api");
    if (clientSecret === null) throw new Error("a secret client gets a secret");
    expect(client).toMatchObject({
      name: "Billing job",
      status: "active",
      token_endpoint_auth_methods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
      token_endpoint_auth_method: "client_secret_basic",
      jwks: null,
      jwks_uri: null,
      jwks_key_ids: [],
      grants: [{ resource: API, scopes: ["invoices:read"] }],
      client_secret_last4: clientSecret.slice(-4),
      next_client_secret_last4: null,
    });
    const hashes = await hashesOf(client.client_id);
    expect(hashes).toHaveLength(1);
    expect(hashes[0]).not.toContain(clientSecret);
    expect(secretMatches(clientSecret, hashes, db.oauth.keyFor(CLIENT_SECRET_PURPOSE))).toBe(true);
    expect(JSON.stringify(await db.prisma.auditEvent.findMany({ omit: { seq: true } }))).not.toContain(clientSecret);
    const created = await db.prisma.auditEvent.findFirst({ where: { action: "machine_client.created", targetId: client.client_id } });
    expect(created?.details).toMatchObject({ client_type: "machine", grants: [{ resource: API, scopes: ["invoices:read"] }] });
  });

  it("refuses grants for unknown or repeated resource servers, built-in user scopes, and settings only apps have", async () => {
    expect(await fields(createMachineClient(db.prisma, actor, { name: "X", grants: [{ resource: "https://other.example.com", scopes: [] }] }, "api")))
      .toHaveProperty(["grants[0].resource"]);
    expect(await fields(createMachineClient(db.prisma, actor, { name: "X", grants: [{ resource: API, scopes: [] }, { resource: `${API}/`, scopes: [] }] }, "api")))
      .toHaveProperty(["grants[1].resource"]);
    expect(await fields(createMachineClient(db.prisma, actor, { name: "X", grants: [{ resource: API, scopes: ["openid", "full_access", "ok"] }] }, "api")))
      .toEqual({ "grants[0].scopes": "openid, full_access concern a user; a machine client acts for itself" });
    expect(await fields(createMachineClient(db.prisma, actor, { name: "X", redirect_uris: ["https://a.example/cb"] }, "api"))).toHaveProperty("redirect_uris");
    expect(await fields(createMachineClient(db.prisma, actor, { name: "X", grants: [{ resource: API, scopes: ["bad scope"] }] }, "api"))).toHaveProperty(["grants[0].scopes[0]"]);
    expect(await fields(createMachineClient(db.prisma, actor, {}, "api"))).toHaveProperty("name");
  });

  it("is never a connected app: not listed, read, changed, rotated or deleted as one; and apps are not machine clients", async () => {
    const { client } = await createMachineClient(db.prisma, actor, { name: "Hidden from apps" }, "api");
    const { app } = await createApp(db.prisma, actor, { client_type: "first_party", name: "Web", redirect_uris: ["https://rp.example/cb"] }, "api");
    expect((await listApps(db.prisma, { limit: 1000 })).apps.map((a) => a.client_id)).not.toContain(client.client_id);
    expect(await getApp(db.prisma, client.client_id)).toBeNull();
    await expect(updateApp(db.prisma, actor, client.client_id, { name: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(startSecretRotation(db.prisma, actor, client.client_id)).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteApp(db.prisma, actor, client.client_id)).rejects.toMatchObject({ code: "not_found" });
    expect((await listMachineClients(db.prisma, { limit: 1000 })).clients.map((c) => c.client_id)).not.toContain(app.client_id);
    expect(await getMachineClient(db.prisma, app.client_id)).toBeNull();
    await expect(updateMachineClient(db.prisma, actor, app.client_id, { name: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteMachineClient(db.prisma, actor, app.client_id)).rejects.toMatchObject({ code: "not_found" });
    await expect(createApp(db.prisma, actor, { client_type: "machine", name: "Sneaky" }, "api")).rejects.toMatchObject({ code: "invalid_input" });
    expect(await getMachineClient(db.prisma, client.client_id)).not.toBeNull();
  });

  it("edits settings and replaces grants, audited with what changed; lists and searches", async () => {
    const { client } = await createMachineClient(db.prisma, actor, { name: "Reporter" }, "dashboard");
    const updated = await updateMachineClient(db.prisma, actor, client.client_id, {
      name: "Reporter v2",
      access_token_ttl_seconds: 600,
      grants: [{ resource: MCP, scopes: ["tools:call"] }, { resource: API, scopes: [] }],
    });
    expect(updated).toMatchObject({ name: "Reporter v2", access_token_ttl_seconds: 600 });
    expect(updated.grants.map((g) => g.resource).sort()).toEqual([API, MCP]);
    const again = await updateMachineClient(db.prisma, actor, client.client_id, { grants: [{ resource: API, scopes: ["a"] }] });
    expect(again.grants).toEqual([{ resource: API, scopes: ["a"] }]);
    const events = await db.prisma.auditEvent.findMany({ where: { action: "machine_client.updated", targetId: client.client_id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => (e.details as { changed: string[] }).changed)).toEqual([["name", "access_token_ttl_seconds", "grants"], ["grants"]]);
    expect((await listMachineClients(db.prisma, { search: "reporter V2" })).clients.map((c) => c.client_id)).toEqual([client.client_id]);
  });

  it("rotates its secret exactly as apps do: start, complete, cancel, each audited under machine_client", async () => {
    const { client, clientSecret } = await createMachineClient(db.prisma, actor, { name: "Rotator" }, "api");
    const first = clientSecret!;
    const key = db.oauth.keyFor(CLIENT_SECRET_PURPOSE);
    const { clientSecret: second, client: during } = await startMachineSecretRotation(db.prisma, actor, client.client_id);
    expect(during.next_client_secret_last4).toBe(second.slice(-4));
    await expect(startMachineSecretRotation(db.prisma, actor, client.client_id)).rejects.toMatchObject({ code: "conflict" });
    const after = await completeMachineSecretRotation(db.prisma, actor, client.client_id);
    expect([after.client_secret_last4, after.next_client_secret_last4]).toEqual([second.slice(-4), null]);
    expect(secretMatches(first, await hashesOf(client.client_id), key)).toBe(false);
    expect(secretMatches(second, await hashesOf(client.client_id), key)).toBe(true);
    const { clientSecret: third } = await startMachineSecretRotation(db.prisma, actor, client.client_id);
    await cancelMachineSecretRotation(db.prisma, actor, client.client_id);
    expect(secretMatches(third, await hashesOf(client.client_id), key)).toBe(false);
    const actions = (await db.prisma.auditEvent.findMany({ where: { targetId: client.client_id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual([
      "machine_client.created",
      "machine_client.secret_rotation_started",
      "machine_client.secret_rotation_completed",
      "machine_client.secret_rotation_started",
      "machine_client.secret_rotation_cancelled",
    ]);
  });

  describe("private_key_jwt", () => {
    let rsa: ClientKey;
    let ec: ClientKey;
    beforeAll(async () => {
      [rsa, ec] = await Promise.all([newClientKey("RS256"), newClientKey("ES256")]);
    });
    const auditOf = async (clientId: string) =>
      (await db.prisma.auditEvent.findMany({ where: { targetId: clientId }, orderBy: { seq: "asc" } })).map((e) => [e.action, e.details]);

    it("creates a key client with no secret at all, its key ids shown and audited under machine_client", async () => {
      const { client, clientSecret } = await createMachineClient(db.prisma, actor, { name: "Keyed job", token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [rsa.jwk, ec.jwk] } }, "api");
      expect(clientSecret).toBeNull();
      expect(await hashesOf(client.client_id)).toEqual([]);
      expect(client).toMatchObject({ token_endpoint_auth_method: "private_key_jwt", jwks_uri: null, jwks_key_ids: [rsa.kid, ec.kid], client_secret_last4: null });
      expect(client.jwks?.keys.map((k) => k.kid)).toEqual([rsa.kid, ec.kid]);
      expect(await auditOf(client.client_id)).toEqual([
        ["machine_client.created", expect.objectContaining({ token_endpoint_auth_method: "private_key_jwt" })],
        ["machine_client.keys_changed", { token_endpoint_auth_method: "private_key_jwt", key_ids: [rsa.kid, ec.kid], jwks_uri: null }],
      ]);
    });

    it("refuses to start a secret rotation while the client authenticates with a key (a new secret would never be accepted)", async () => {
      const { client } = await createMachineClient(db.prisma, actor, { name: "Keyed rotation", token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [ec.jwk] } }, "api");
      await expect(startClientSecretRotation(db.prisma, actor, client.client_id, "machine_client")).rejects.toMatchObject({ name: "DomainError", code: "conflict", message: expect.stringMatching(/private_key_jwt/) });
      expect(await hashesOf(client.client_id)).toEqual([]);
    });

    it("refuses private_key_jwt without keys, both jwks and jwks_uri, a private key, a non-https jwks_uri and none", async () => {
      const keyed = (extra: Record<string, unknown>) => fields(createMachineClient(db.prisma, actor, { name: "X", token_endpoint_auth_method: "private_key_jwt", ...extra }, "api"));
      expect(await keyed({})).toEqual({ jwks: "private_key_jwt needs the client's public keys: set jwks or jwks_uri" });
      expect(await keyed({ jwks: { keys: [rsa.jwk] }, jwks_uri: "https://keys.example.com/jwks.json" })).toHaveProperty("jwks_uri");
      expect(await keyed({ jwks: { keys: [{ ...ec.jwk, d: "AAAA" }] } })).toHaveProperty("jwks");
      expect(await keyed({ jwks_uri: "http://keys.example.com/jwks.json" })).toHaveProperty("jwks_uri");
      expect(await fields(createMachineClient(db.prisma, actor, { name: "X", token_endpoint_auth_method: "none" }, "api"))).toHaveProperty("token_endpoint_auth_method");
      // Keys are checked together with grants: both kinds of problem in one answer.
      expect(Object.keys(await keyed({ grants: [{ resource: "https://other.example.com", scopes: [] }] })).sort()).toEqual(["grants[0].resource", "jwks"]);
    });

    it("switches as apps do: to a key (keys needed), its secret kept but unused; back to the secret; each change audited as keys_changed", async () => {
      const { client, clientSecret } = await createMachineClient(db.prisma, actor, { name: "Switcher" }, "api");
      expect(await fields(updateMachineClient(db.prisma, actor, client.client_id, { token_endpoint_auth_method: "private_key_jwt" }))).toHaveProperty("jwks");
      const keyed = await updateMachineClient(db.prisma, actor, client.client_id, { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [ec.jwk] } });
      expect(keyed).toMatchObject({ token_endpoint_auth_method: "private_key_jwt", jwks_key_ids: [ec.kid], client_secret_last4: clientSecret!.slice(-4) });
      // Removing the keys of a key client is refused; changing them is not.
      expect(await fields(updateMachineClient(db.prisma, actor, client.client_id, { jwks: null }))).toHaveProperty("jwks");
      await updateMachineClient(db.prisma, actor, client.client_id, { jwks: { keys: [ec.jwk, rsa.jwk] } });
      const back = await updateMachineClient(db.prisma, actor, client.client_id, { token_endpoint_auth_method: "client_secret_post", jwks: null });
      expect(back).toMatchObject({ token_endpoint_auth_method: "client_secret_post", jwks: null, jwks_key_ids: [] });
      expect(secretMatches(clientSecret!, await hashesOf(client.client_id), db.oauth.keyFor(CLIENT_SECRET_PURPOSE))).toBe(true);
      const keyChanges = (await auditOf(client.client_id)).filter(([action]) => action === "machine_client.keys_changed").map(([, details]) => details);
      expect(keyChanges).toEqual([
        { token_endpoint_auth_method: "private_key_jwt", key_ids: [ec.kid], jwks_uri: null },
        { token_endpoint_auth_method: "private_key_jwt", key_ids: [ec.kid, rsa.kid], jwks_uri: null },
        { token_endpoint_auth_method: "client_secret_post", key_ids: [], jwks_uri: null },
      ]);
      expect(await db.prisma.auditEvent.count({ where: { action: "connected_app.keys_changed", targetId: client.client_id } })).toBe(0);
    });
  });

  it("deletes it with its grants", async () => {
    const { client } = await createMachineClient(db.prisma, actor, { name: "Gone", grants: [{ resource: API, scopes: ["a"] }] }, "api");
    await deleteMachineClient(db.prisma, actor, client.client_id);
    expect(await getMachineClient(db.prisma, client.client_id)).toBeNull();
    expect(await db.prisma.clientGrant.count({ where: { app: { clientId: client.client_id } } })).toBe(0);
    expect(await db.prisma.auditEvent.count({ where: { action: "machine_client.deleted", targetId: client.client_id } })).toBe(1);
  });
});
