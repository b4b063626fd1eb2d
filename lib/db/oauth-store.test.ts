import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { hashToken, randomToken } from "../crypto/tokens";
import { uuidv7 } from "../crypto/uuid";
import type { OAuthStore } from "../oauth/store";
import { DEFAULT_PENDING_LIMITS } from "../oauth/authorize/pending-limits";
import { ensureSigningKeys, rotateSigningKeys } from "../keys/signing-keys";
import { updateProjectSettings } from "../settings";
import { sqlOAuthStore } from "./oauth-store";
import type { SqlClient } from "./sql";

const SYSTEM = { type: "system", id: null, label: "test" } as const;
const HOUR = 3600_000;

/**
 * The SQL store's contract, verb by verb, on the edges the protocol tests
 * reach only indirectly: unknown hashes, rows that lost their user, list
 * columns left NULL by another writer, retired keys, owner keys.
 */
describe.each(testDatabases)("the SQL protocol store on $name", ({ target }) => {
  let db: TestDatabase;
  let store: OAuthStore;
  let queries: string[];
  let userId: string;
  let appId: string;
  let clientId: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    queries = [];
    const counting: SqlClient = {
      query: (statement, values) => (queries.push(statement.name), db.sql.query(statement, values)),
    };
    store = sqlOAuthStore({ sql: counting, prisma: db.prisma });
    userId = (await createUser(db.prisma, { email: "store@example.com", password: "correct horse battery", name: "Store User" }, "member")).id;
    const { app } = await createApp(db.prisma, SYSTEM, { client_type: "first_party", name: "S", redirect_uris: ["https://rp.example/cb"] }, "api");
    clientId = app.client_id;
    appId = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId } })).id;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("records a client's authentication: the later time wins whatever the order, nothing for an unknown or deleted app", async () => {
    const { app } = await createApp(db.prisma, SYSTEM, { client_type: "third_party", name: "L" }, "api");
    const id = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } })).id;
    const row = () => db.prisma.clientLastAuthentication.findUnique({ where: { appId: id }, select: { at: true, method: true } });
    const t = new Date("2026-12-04T12:00:00.000Z");
    const later = new Date(t.getTime() + 60_000);
    await store.recordClientAuthentication(id, "client_secret_basic", t);
    expect(await row()).toEqual({ at: t, method: "client_secret_basic" });
    await store.recordClientAuthentication(id, "private_key_jwt", later);
    expect(await row()).toEqual({ at: later, method: "private_key_jwt" });
    // Another instance's older write arrives late: kept out.
    await store.recordClientAuthentication(id, "client_secret_post", t);
    expect(await row()).toEqual({ at: later, method: "private_key_jwt" });
    // Only this app's row: another app's is untouched.
    expect(await db.prisma.clientLastAuthentication.count({ where: { appId: { not: id } } })).toBe(0);

    await expect(store.recordClientAuthentication(uuidv7(), "none", t)).resolves.toBeUndefined();
    expect(await db.prisma.clientLastAuthentication.count({ where: { appId: { not: id } } })).toBe(0);
    await db.prisma.connectedApp.delete({ where: { id } });
    expect(await row()).toBeNull();
  });

  const newCode = async (scopes: string[]) => {
    const codeHash = hashToken(randomToken(32));
    const now = new Date();
    await store.insertCode({
      codeHash, appId, userId, redirectUri: "https://rp.example/cb", redirectUriSent: true, scopes, resources: [],
      nonce: null, codeChallenge: null, authTime: now, signIn: { amr: ["fed"], idp: "acme" }, expiresAt: new Date(now.getTime() + 60_000),
    });
    return codeHash;
  };
  const redeem = (codeHash: string, refreshToken: { id: string; hash: string; expiresAt: Date } | null) => {
    const now = new Date();
    return store.redeemCode({
      codeHash, appId, redirectUri: "https://rp.example/cb", codeChallenge: null, familyId: uuidv7(), refreshToken,
      familyExpiresAt: new Date(now.getTime() + HOUR), now,
    });
  };
  const refreshToken = () => ({ id: uuidv7(), hash: hashToken(randomToken(32)), expiresAt: new Date(Date.now() + HOUR) });

  it("an unknown code is neither redeemed nor found, and has no family", async () => {
    expect(await redeem(hashToken("no such code"), refreshToken())).toEqual({ won: false, code: null });
    expect(await store.findCode(hashToken("no such code"))).toBeNull();
    expect(await store.familyOfCode(hashToken("no such code"))).toBeNull();
  });

  it("a code redeemed without a refresh token starts a family that holds none, and carries its user", async () => {
    const codeHash = await newCode(["openid"]);
    const won = await redeem(codeHash, null);
    expect(won).toMatchObject({ won: true, refreshTokenStored: false, user: { id: userId, email: "store@example.com", name: "Store User" } });
    const familyId = await store.familyOfCode(codeHash);
    expect(familyId).toEqual(won.code?.familyId ?? expect.any(String));
    expect(await db.prisma.refreshToken.count({ where: { familyId: familyId! } })).toBe(0);
    // Spent: the second redemption gets the code (to revoke its family) and wins nothing.
    expect(await redeem(codeHash, null)).toMatchObject({ won: false, code: { familyId } });
  });

  it("how the user signed in travels from the code into its family and every refresh (amr, idp)", async () => {
    const codeHash = await newCode(["openid", "offline_access"]);
    const rt = refreshToken();
    const won = await redeem(codeHash, rt);
    expect(won).toMatchObject({ won: true, code: { signIn: { amr: ["fed"], idp: "acme" } } });
    expect(await store.findRefreshToken(rt.hash)).toMatchObject({ signIn: { amr: ["fed"], idp: "acme" } });
    const next = refreshToken();
    const used = await store.useRefreshToken({ tokenHash: rt.hash, appId, requiredScopes: [], now: new Date(), mode: { kind: "rotate", next } });
    expect(used).toMatchObject({ used: true, token: { signIn: { amr: ["fed"], idp: "acme" } } });
    expect(await store.findRefreshToken(next.hash)).toMatchObject({ signIn: { amr: ["fed"], idp: "acme" } });
  });

  it("an unknown refresh token is not used and not found", async () => {
    const input = { tokenHash: hashToken("no such token"), appId, requiredScopes: [], now: new Date() };
    expect(await store.useRefreshToken({ ...input, mode: { kind: "slide", expiresAt: new Date(Date.now() + HOUR) } })).toEqual({ used: false, token: null });
    expect(await store.useRefreshToken({ ...input, mode: { kind: "rotate", next: refreshToken() } })).toEqual({ used: false, token: null });
    expect(await store.findRefreshToken(hashToken("no such token"))).toBeNull();
  });

  it("list columns another writer left NULL read as empty lists", async () => {
    const codeHash = await newCode(["openid", "offline_access"]);
    const rt = refreshToken();
    await redeem(codeHash, rt);
    await db.sql.query({ name: "t_null_code", text: "UPDATE authorization_codes SET scopes = NULL, resources = NULL WHERE code_hash = $1" }, [codeHash]);
    await db.sql.query({ name: "t_null_family", text: "UPDATE token_families SET scopes = NULL, resources = NULL WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)" }, [rt.hash]);
    await db.sql.query({ name: "t_null_app", text: "UPDATE connected_apps SET allowed_scopes = NULL WHERE id = $1::uuid" }, [appId]);
    expect(await store.findCode(codeHash)).toMatchObject({ scopes: [], resources: [] });
    expect(await store.findRefreshToken(rt.hash)).toMatchObject({ scopes: [], resources: [] });
    const used = await store.useRefreshToken({ tokenHash: rt.hash, appId, requiredScopes: [], now: new Date(), mode: { kind: "rotate", next: refreshToken() } });
    // A NULL scope list holds no scope, not even none: the token is not usable (fails closed), and reads as empty.
    expect(used).toMatchObject({ used: false, token: { scopes: [], resources: [] } });
    expect(await store.findClient(clientId)).toMatchObject({ allowedScopes: [] });
  });

  it("an access token's status: a family that does not exist counts as revoked; the user only when asked for", async () => {
    const codeHash = await newCode(["openid"]);
    await redeem(codeHash, null);
    const familyId = (await store.familyOfCode(codeHash))!;
    expect(await store.accessTokenStatus(uuidv7(), "jti-1")).toEqual({ revoked: true, user: null });
    expect(await store.accessTokenStatus(familyId, "jti-1")).toEqual({ revoked: false, user: null });
    expect(await store.accessTokenStatus(familyId, "jti-1", userId)).toEqual({ revoked: false, user: { id: userId, email: "store@example.com", name: "Store User" } });
    // A user deleted since: no claims to give.
    expect(await store.accessTokenStatus(familyId, "jti-1", uuidv7())).toEqual({ revoked: false, user: null });
    await store.revokeAccessToken("jti-1", new Date(Date.now() + HOUR));
    expect((await store.accessTokenStatus(familyId, "jti-1")).revoked).toBe(true);
    expect((await store.accessTokenStatus(familyId, "jti-2")).revoked).toBe(false);
    await store.revokeFamily(familyId, new Date());
    expect((await store.accessTokenStatus(familyId, "jti-2")).revoked).toBe(true);
  });

  it("an owner API key is valid while it exists, is not revoked and its owner is an owner; a malformed one costs no query", async () => {
    const owner = await createUser(db.prisma, { email: "owner@example.com", password: "correct horse battery" }, "owner");
    const member = await createUser(db.prisma, { email: "member@example.com", password: "correct horse battery" }, "member");
    const { key, record } = await createApiKey(db.prisma, owner.id, "k");
    const { key: membersKey } = await createApiKey(db.prisma, member.id, "m");
    expect(await store.ownerApiKeyValid(key)).toBe(true);
    expect(await store.ownerApiKeyValid(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`)).toBe(false);
    expect(await store.ownerApiKeyValid(membersKey)).toBe(false);
    queries.length = 0;
    expect(await store.ownerApiKeyValid(key.slice(3))).toBe(false);
    expect(await store.ownerApiKeyValid("")).toBe(false);
    expect(queries).toEqual([]);
    await revokeApiKey(db.prisma, SYSTEM, owner.id, record.id);
    expect(await store.ownerApiKeyValid(key)).toBe(false);
  });

  it("reads the owner's settings: registration switches and the access-token algorithm", async () => {
    expect(await store.registrationSettings()).toEqual({ dcrEnabled: false, cimdEnabled: false });
    expect(await store.accessTokenAlg()).toBe("RS256");
    await updateProjectSettings(db.prisma, SYSTEM, { dcr_enabled: true, access_token_alg: "ES256" }, { development: true });
    expect(await store.registrationSettings()).toEqual({ dcrEnabled: true, cimdEnabled: false });
    expect(await store.accessTokenAlg()).toBe("ES256");
  });

  it("signing keys: active ones first, retired ones while published, each by kid with its status", async () => {
    await ensureSigningKeys(db.prisma);
    const before = await store.signingKeys(new Date());
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((k) => k.status === "active" && typeof k.publicJwk.kty === "string")).toBe(true);
    await rotateSigningKeys(db.prisma, SYSTEM);
    const after = await store.signingKeys(new Date());
    const retired = after.filter((k) => k.status === "retired").map((k) => k.kid);
    expect(retired.sort()).toEqual(before.map((k) => k.kid).sort());
    expect(after.slice(0, after.length - retired.length).every((k) => k.status === "active")).toBe(true);
    const one = await store.signingKey(retired[0]!);
    expect(one).toMatchObject({ kid: retired[0], status: "retired", publicJwk: { kid: retired[0] } });
    expect(one!.publishUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await store.signingKey("no-such-kid")).toBeNull();
    // Past every retired key's publish window only the active keys remain.
    const later = await store.signingKeys(new Date(Date.now() + 400 * 24 * HOUR));
    expect(later.map((k) => k.status)).toEqual(after.filter((k) => k.status === "active").map(() => "active"));
  });

  describe("pending authorization requests are bounded", () => {
    const save = (source: string | null, limits = { max: 10_000, perSource: 3 }) =>
      store.savePendingRequest({ appId, params: {}, bindingHash: hashToken(randomToken(32)), source, expiresAt: new Date(Date.now() + 60_000) }, limits);

    it("a source keeps only its newest perSource requests; other sources and unnamed requests keep theirs", async () => {
      const flood = `flood-${Math.random()}`;
      const other = await save(`other-${Math.random()}`);
      const unnamed = await save(null);
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push(await save(flood));
      const kept = await db.prisma.authorizationRequest.findMany({ where: { source: flood }, select: { id: true } });
      expect(kept.map((r) => r.id).sort()).toEqual(ids.slice(-3).sort());
      expect(await store.pendingRequest(other)).not.toBeNull();
      expect(await store.pendingRequest(unnamed)).not.toBeNull();
    });

    it("in total at most max are kept: the oldest go first, the newest stays", async () => {
      const before = await db.prisma.authorizationRequest.count();
      const max = before + 2;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await save(null, { max, perSource: 3 }));
      expect(await db.prisma.authorizationRequest.count()).toBe(max);
      for (const id of ids.slice(-2)) expect(await store.pendingRequest(id)).not.toBeNull();
    });
  });

  describe("completing an authorization", () => {
    const code = (scopes: string[]) => ({
      codeHash: hashToken(randomToken(32)), appId, userId, redirectUri: "https://rp.example/cb", redirectUriSent: true, scopes, resources: [],
      nonce: null, codeChallenge: null, authTime: new Date(), signIn: { amr: ["pwd"], idp: "email" }, expiresAt: new Date(Date.now() + 60_000),
    });
    const grantOf = async (user: string) => (await db.prisma.grant.findUnique({ where: { userId_appId: { userId: user, appId } } }))?.scopes ?? null;
    const pending = () =>
      store.savePendingRequest({ appId, params: { any: "thing" }, bindingHash: hashToken("binding"), source: null, expiresAt: new Date(Date.now() + 60_000) }, DEFAULT_PENDING_LIMITS);

    it("ends the pending request, stores the code and widens the grant; a second completion writes nothing", async () => {
      const user = (await createUser(db.prisma, { email: `complete-${Math.random()}@example.com`, password: "correct horse battery" }, "member")).id;
      const id = await pending();
      expect(await store.pendingRequestAppName(id)).toBe("S");
      expect(await store.pendingRequestAppName(uuidv7())).toBeNull();
      const first = { ...code(["openid", "email"]), userId: user, resources: ["https://api.example/"] };
      expect(await store.completeAuthorization({ pendingRequestId: id, grant: { userId: user, appId, scopes: ["openid", "email"] }, code: first })).toBe(true);
      expect(await store.pendingRequest(id)).toBeNull();
      expect(await store.findCode(first.codeHash)).toMatchObject({
        userId: user, scopes: ["openid", "email"], resources: ["https://api.example/"], signIn: { amr: ["pwd"], idp: "email" },
      });
      expect(await grantOf(user)).toEqual(["openid", "email"]);

      const again = { ...code(["openid", "profile"]), userId: user };
      expect(await store.completeAuthorization({ pendingRequestId: id, grant: { userId: user, appId, scopes: ["openid", "profile"] }, code: again })).toBe(false);
      expect(await store.findCode(again.codeHash)).toBeNull();
      expect(await grantOf(user)).toEqual(["openid", "email"]);

      // Without a pending request (no interaction was needed): the grant is the union, in the order first granted.
      const more = { ...code(["profile", "openid"]), userId: user };
      expect(await store.completeAuthorization({ pendingRequestId: null, grant: { userId: user, appId, scopes: ["profile", "openid"] }, code: more })).toBe(true);
      expect(await grantOf(user)).toEqual(["openid", "email", "profile"]);
      expect(await store.grantedScopes(user, appId)).toEqual(["openid", "email", "profile"]);
      expect(await store.grantedScopes(userId, uuidv7())).toBeNull();
    });

    it("concurrent consents to different scopes both end up in the grant", async () => {
      const user = (await createUser(db.prisma, { email: `merge-${Math.random()}@example.com`, password: "correct horse battery" }, "member")).id;
      const sets = [["openid"], ["email"], ["profile"], ["offline_access"], ["openid", "email"]];
      const results = await Promise.all(
        sets.map((scopes) => store.completeAuthorization({ pendingRequestId: null, grant: { userId: user, appId, scopes }, code: { ...code(scopes), userId: user } })),
      );
      expect(results).toEqual(sets.map(() => true));
      expect((await grantOf(user))!.sort()).toEqual(["email", "offline_access", "openid", "profile"]);
    });

    it("a grant that already covers the scopes is left as it was", async () => {
      const user = (await createUser(db.prisma, { email: `covered-${Math.random()}@example.com`, password: "correct horse battery" }, "member")).id;
      await store.completeAuthorization({ pendingRequestId: null, grant: { userId: user, appId, scopes: ["openid", "email"] }, code: { ...code([]), userId: user } });
      const before = await db.prisma.grant.findUniqueOrThrow({ where: { userId_appId: { userId: user, appId } } });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.completeAuthorization({ pendingRequestId: null, grant: { userId: user, appId, scopes: ["email"] }, code: { ...code([]), userId: user } });
      const after = await db.prisma.grant.findUniqueOrThrow({ where: { userId_appId: { userId: user, appId } } });
      expect(after.scopes).toEqual(["openid", "email"]);
      expect(after.updatedAt).toEqual(before.updatedAt);
    });
  });

  it("a client as the pages see it: every field, by client_id and by id; disabled reads as inactive", async () => {
    const { app } = await createApp(db.prisma, SYSTEM, {
      client_type: "first_party", name: "Pages", redirect_uris: ["https://pages.example/cb"], post_logout_redirect_uris: ["https://pages.example/bye"],
      logo_uri: "https://pages.example/logo.png", client_uri: "https://pages.example/", skip_consent: true, bypass_consent_for_offline_access: true,
      allowed_scopes: ["openid", "full_access"], full_access_allowed: true, device_flow_enabled: true, require_par: true,
    }, "api");
    const id = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } })).id;
    const expected = {
      id, clientId: app.client_id, clientType: "first_party", active: true, name: "Pages", logoUri: "https://pages.example/logo.png",
      clientUri: "https://pages.example/", fromMetadataDocument: false, selfRegistered: false, redirectUris: ["https://pages.example/cb"],
      postLogoutRedirectUris: ["https://pages.example/bye"], allowedScopes: ["openid", "full_access"], fullAccessAllowed: true,
      deviceFlowEnabled: true, skipConsent: true, bypassConsentForOfflineAccess: true, requirePar: true,
    };
    expect(await store.interactionClient(app.client_id)).toEqual(expected);
    expect(await store.interactionClientById(id)).toEqual(expected);
    await db.prisma.connectedApp.update({ where: { id }, data: { status: "disabled", creationMethod: "cimd" } });
    expect(await store.interactionClient(app.client_id)).toMatchObject({ active: false, fromMetadataDocument: true, selfRegistered: true });
    await db.prisma.connectedApp.update({ where: { id }, data: { creationMethod: "dcr" } });
    expect(await store.interactionClient(app.client_id)).toMatchObject({ fromMetadataDocument: false, selfRegistered: true });
    expect(await store.interactionClient("ca_no_such_client")).toBeNull();
    expect(await store.interactionClientById(uuidv7())).toBeNull();
  });

  it("users and what they can grant: built-in scopes always, custom ones with their permissions and descriptions", async () => {
    expect(await store.findUser(userId)).toEqual({ id: userId, email: "store@example.com", name: "Store User" });
    expect(await store.findUser(uuidv7())).toBeNull();
    await db.prisma.customScope.create({ data: { name: "read:store", description: "Read the store", permissions: ["store.read"] } });
    const choice = await store.scopeChoice(userId, ["openid", "read:store", "undefined:scope"]);
    expect(choice.grantable).toEqual(["openid"]);
    expect(choice.ungrantable).toEqual(["read:store", "undefined:scope"]);
    expect(choice.descriptions.get("read:store")).toBe("Read the store");
    const role = await db.prisma.role.create({ data: { name: "store-readers", permissions: ["store.read"] } });
    await db.prisma.roleAssignment.create({ data: { roleId: role.id, userId } });
    expect((await store.scopeChoice(userId, ["openid", "read:store"])).grantable).toEqual(["openid", "read:store"]);
  });

  it("session exchanges: one per access token, found by link hash, spent once and only before expiry, each with its audit entry", async () => {
    const exchange = (jti: string, linkHash: string, linkExpiresAt: Date) => ({ id: uuidv7(), jti, appId, userId, linkHash, linkExpiresAt });
    const audit = (action: string) => ({ actor: { type: "user" as const, id: userId, label: "store@example.com" }, action, targetId: clientId, details: { n: 1 } });
    const soon = new Date(Date.now() + 60_000);
    const first = exchange("jti-x", hashToken("link-1"), soon);
    expect(await store.createSessionExchange(first, audit("t.exchanged"))).toBe(true);
    expect(await store.createSessionExchange(exchange("jti-x", hashToken("link-2"), soon), audit("t.exchanged"))).toBe(false);
    // Any other failure is not "already exchanged": it propagates (here: a user that does not exist).
    await expect(store.createSessionExchange({ ...exchange("jti-y", hashToken("link-3"), soon), userId: uuidv7() }, audit("t.exchanged"))).rejects.toThrow();
    expect(await db.prisma.auditEvent.count({ where: { action: "t.exchanged" } })).toBe(1);

    expect(await store.findSessionExchange(hashToken("link-2"))).toBeNull();
    const found = await store.findSessionExchange(first.linkHash);
    expect(found).toEqual({
      id: first.id, redeemedAt: null, linkExpiresAt: soon, user: { id: userId, email: "store@example.com", name: "Store User" },
      app: { clientId, clientType: "first_party", fullAccessAllowed: false, allowedScopes: expect.any(Array), active: true },
    });
    // A disabled app's link reads as inactive: the exchange refuses it.
    await db.prisma.connectedApp.update({ where: { id: appId }, data: { status: "disabled" } });
    try {
      expect((await store.findSessionExchange(first.linkHash))!.app.active).toBe(false);
    } finally {
      await db.prisma.connectedApp.update({ where: { id: appId }, data: { status: "active" } });
    }
    // Not after expiry; then once.
    expect(await store.redeemSessionExchange(first.id, soon, audit("t.redeemed"))).toBe(false);
    const now = new Date();
    expect(await store.redeemSessionExchange(first.id, now, audit("t.redeemed"))).toBe(true);
    expect(await store.redeemSessionExchange(first.id, now, audit("t.redeemed"))).toBe(false);
    expect((await store.findSessionExchange(first.linkHash))!.redeemedAt).toEqual(now);
    expect(await db.prisma.auditEvent.findMany({ where: { action: "t.redeemed" }, select: { actorId: true, actorLabel: true, targetId: true, details: true } })).toEqual([
      { actorId: userId, actorLabel: "store@example.com", targetId: clientId, details: { n: 1 } },
    ]);
    await store.recordAudit(audit("t.plain"));
    expect(await db.prisma.auditEvent.count({ where: { action: "t.plain" } })).toBe(1);
  });
});
