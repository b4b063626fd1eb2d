import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { ath, dpopFixture, dpopProof, type DpopKey } from "@/tests/dpop";
import { testDatabases, type TestDatabase } from "@/tests/databases";
import { decide, deviceClient } from "@/tests/device-client";
import { ISSUER, oauthError, oauthRefusal, ownerIntrospection, testClient, type TestClient } from "@/tests/oauth-client";
import { createApiKey } from "../../auth/api-keys";
import { createUser } from "../../auth/users";
import { updateApp } from "../../clients/apps";
import type { AuthSession } from "../authorize/flow";
import { introspect } from "../introspect";
import { OAuthError } from "../oauth-error";
import { userInfo } from "../userinfo";
import { currentNonce } from "./nonce";

const TOKEN_URL = `${ISSUER}/oauth2/token`;
const USERINFO_URL = `${ISSUER}/oauth2/userinfo`;

describe.each(testDatabases)("DPoP-bound tokens on $name", ({ target }) => {
  let db: TestDatabase;
  let session: AuthSession;
  let publicClient: TestClient;
  let confidentialClient: TestClient;
  let key: DpopKey;
  let otherKey: DpopKey;
  beforeAll(async () => {
    ({ db, session, key, otherKey } = await dpopFixture(target));
    publicClient = await testClient(db, { client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"] });
    confidentialClient = await testClient(db);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const tokenProof = (k: DpopKey, claims: Record<string, unknown> = {}) => dpopProof(k, "POST", TOKEN_URL, claims);
  /** A UserInfo GET with the DPoP scheme (or `scheme`) and a proof holding the server's nonce. */
  async function userInfoWith(token: string, options: { key?: DpopKey | null; scheme?: string; claims?: Record<string, unknown> } = {}) {
    const k = options.key === undefined ? key : options.key;
    const dpop = k ? await dpopProof(k, "GET", USERINFO_URL, { ath: ath(token), nonce: currentNonce(db.oauth, new Date()), ...options.claims }) : null;
    return userInfo(db.oauth, { authorization: `${options.scheme ?? "DPoP"} ${token}`, form: null, dpop, method: "GET" });
  }
  /** The refusal's code and its WWW-Authenticate challenge's scheme and error. */
  async function challengeOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
      return "ok";
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      return `${e.status} ${e.code} ${/^(\w+) /.exec(e.options.wwwAuthenticate ?? "")?.[1]}`;
    }
  }

  async function boundTokens(client: TestClient, k = key) {
    const code = await client.authorize(session, "openid offline_access");
    return client.exchange(code, {}, new Date(), await tokenProof(k));
  }

  it("a token request with a proof gets a DPoP-bound access token (cnf.jkt, token_type DPoP)", async () => {
    const tokens = await boundTokens(publicClient);
    expect(tokens.token_type).toBe("DPoP");
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt });
    const plain = await publicClient.exchange(await publicClient.authorize(session, "openid"));
    expect(plain.token_type).toBe("Bearer");
    expect(decodeJwt(plain.access_token).cnf).toBeUndefined();
  });

  it("introspection shows a bound token's cnf and token_type", async () => {
    const tokens = await boundTokens(publicClient);
    const owner = await createUser(db.prisma, { email: `dpop-owner-${Date.now()}@example.com`, password: "correct horse battery" }, "owner");
    const { key: apiKey } = await createApiKey(db.prisma, owner.id, "introspection");
    const result = await introspect(db.oauth, { authorization: `Bearer ${apiKey}`, form: new URLSearchParams({ token: tokens.access_token }) });
    expect(result).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } });
    expect(await (await ownerIntrospection(db))(tokens.access_token)).toBe(true);
  });

  it("UserInfo takes a bound token with the DPoP scheme and a proof of its key", async () => {
    const tokens = await boundTokens(publicClient);
    expect(await userInfoWith(tokens.access_token)).toMatchObject({ sub: session.userId });
  });

  it("UserInfo checks the proof's htm against the request's method: POST with a POST proof; GET when no method is given", async () => {
    const tokens = await boundTokens(publicClient);
    const proof = async (htm: string) => dpopProof(key, htm, USERINFO_URL, { ath: ath(tokens.access_token), nonce: currentNonce(db.oauth, new Date()) });
    const authorization = `DPoP ${tokens.access_token}`;
    expect(await userInfo(db.oauth, { authorization, form: null, dpop: await proof("POST"), method: "POST" })).toMatchObject({ sub: session.userId });
    expect(await userInfo(db.oauth, { authorization, form: null, dpop: await proof("GET") })).toMatchObject({ sub: session.userId });
    expect(await challengeOf(userInfo(db.oauth, { authorization, form: null, dpop: await proof("GET"), method: "POST" }))).toBe("401 invalid_dpop_proof DPoP");
  });

  it("UserInfo refuses a bound token without a proof, with another key's proof, or sent as Bearer", async () => {
    const { access_token: token } = await boundTokens(publicClient);
    expect(await challengeOf(userInfoWith(token, { key: null }))).toBe("401 invalid_dpop_proof DPoP");
    expect(await challengeOf(userInfoWith(token, { key: otherKey }))).toBe("401 invalid_token DPoP");
    expect(await challengeOf(userInfoWith(token, { key: null, scheme: "Bearer" }))).toBe("401 invalid_token DPoP");
    expect(await oauthRefusal(userInfoWith(token, { key: null, scheme: "Bearer" }))).toBe(
      "invalid_token: The access token is DPoP-bound: send it with the DPoP scheme and a proof",
    );
  });

  it("UserInfo refuses a proof with a wrong ath, a replayed proof, and a proof without the nonce (handing one out)", async () => {
    const { access_token: token } = await boundTokens(publicClient);
    expect(await oauthRefusal(userInfoWith(token, { claims: { ath: ath("another") } }))).toBe(
      "invalid_dpop_proof: The DPoP proof's ath does not match the access token",
    );
    const proof = await dpopProof(key, "GET", USERINFO_URL, { ath: ath(token), nonce: currentNonce(db.oauth, new Date()) });
    const call = () => userInfo(db.oauth, { authorization: `DPoP ${token}`, form: null, dpop: proof, method: "GET" });
    expect(await oauthError(call())).toBe("ok");
    expect(await oauthRefusal(call())).toBe("invalid_dpop_proof: This DPoP proof was used before (a replay): make a new one for each request");
    try {
      await userInfoWith(token, { claims: { nonce: undefined } });
      expect.unreachable();
    } catch (e) {
      expect((e as OAuthError).code).toBe("use_dpop_nonce");
      expect((e as OAuthError).options.dpopNonce).toBe(currentNonce(db.oauth, new Date()));
      expect((e as OAuthError).options.wwwAuthenticate).toMatch(/^DPoP realm="connected-apps", error="use_dpop_nonce", .*algs="RS256 PS256 ES256 EdDSA Ed25519"$/);
    }
  });

  it("the DPoP scheme with a bearer token is refused; the bearer token still works as Bearer", async () => {
    const { access_token: token } = await publicClient.exchange(await publicClient.authorize(session, "openid"));
    expect(await oauthRefusal(userInfoWith(token))).toBe("invalid_token: The access token is not DPoP-bound: send it with the Bearer scheme");
    expect(await userInfoWith(token, { key: null, scheme: "Bearer" })).toMatchObject({ sub: session.userId });
  });

  it("a public client's refresh token is bound to its key: no proof or another key is invalid_grant and spends nothing", async () => {
    const tokens = await boundTokens(publicClient);
    const refusal = "invalid_grant: The refresh token is bound to a DPoP key: send a DPoP proof made with it";
    expect(await oauthRefusal(publicClient.refresh(tokens.refresh_token!))).toBe(refusal);
    expect(await oauthRefusal(publicClient.refresh(tokens.refresh_token!, {}, new Date(), await tokenProof(otherKey)))).toBe(refusal);
    const refreshed = await publicClient.refresh(tokens.refresh_token!, {}, new Date(), await tokenProof(key));
    expect(refreshed.token_type).toBe("DPoP");
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: key.jkt });
    // The successor is bound too, and the family was not revoked by the refusals.
    expect(await oauthRefusal(publicClient.refresh(refreshed.refresh_token!, {}, new Date(), await tokenProof(otherKey)))).toBe(refusal);
    expect((await publicClient.refresh(refreshed.refresh_token!, {}, new Date(), await tokenProof(key))).token_type).toBe("DPoP");
  });

  it("a public device-flow client's poll with a proof binds its access token and its refresh tokens to the key", async () => {
    const app = await deviceClient(db);
    const { device_code, user_code } = await app.start({ scope: "openid offline_access" });
    await decide(db, session, user_code, "allow");
    const tokens = await app.poll(device_code, new Date(), await tokenProof(key));
    expect([tokens.token_type, decodeJwt(tokens.access_token).cnf]).toEqual(["DPoP", { jkt: key.jkt }]);
    const refusal = "invalid_grant: The refresh token is bound to a DPoP key: send a DPoP proof made with it";
    expect(await oauthRefusal(publicClient.refresh(tokens.refresh_token!, { client_id: app.clientId }))).toBe(refusal);
    const refreshOf = (proofKey: DpopKey) => tokenProof(proofKey).then((proof) => publicClient.refresh(tokens.refresh_token!, { client_id: app.clientId }, new Date(), proof));
    expect(await oauthRefusal(refreshOf(otherKey))).toBe(refusal);
    expect((await refreshOf(key)).token_type).toBe("DPoP");
  });

  it("a public family started without a proof stays unbound: a later proof binds only the new access token", async () => {
    const tokens = await publicClient.exchange(await publicClient.authorize(session, "openid offline_access"));
    const refreshed = await publicClient.refresh(tokens.refresh_token!, {}, new Date(), await tokenProof(key));
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: key.jkt });
    const again = await publicClient.refresh(refreshed.refresh_token!, {}, new Date(), await tokenProof(otherKey));
    expect(decodeJwt(again.access_token).cnf).toEqual({ jkt: otherKey.jkt });
    expect((await publicClient.refresh(again.refresh_token!)).token_type).toBe("Bearer");
  });

  it("a confidential client's refresh token is not bound: each refresh binds the new access token to the proof it sends, if any", async () => {
    const tokens = await boundTokens(confidentialClient);
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt });
    const bearer = await confidentialClient.refresh(tokens.refresh_token!);
    expect(bearer.token_type).toBe("Bearer");
    const other = await confidentialClient.refresh(tokens.refresh_token!, {}, new Date(), await tokenProof(otherKey));
    expect(decodeJwt(other.access_token).cnf).toEqual({ jkt: otherKey.jkt });
  });

  it("dpop_jkt at the authorization endpoint binds the code: only a proof with that key redeems it", async () => {
    const code = await publicClient.authorize(session, "openid offline_access", { extra: { dpop_jkt: key.jkt } });
    const refusal = "invalid_grant: The authorization code is bound to a DPoP key: send a DPoP proof made with it";
    expect(await oauthRefusal(publicClient.exchange(code))).toBe(refusal);
    expect(await oauthRefusal(publicClient.exchange(code, {}, new Date(), await tokenProof(otherKey)))).toBe(refusal);
    const tokens = await publicClient.exchange(code, {}, new Date(), await tokenProof(key));
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it("with a resource indicator at /token (the code or refresh token is read and checked before it is used) the binding rules are the same", async () => {
    const resource = { resource: ISSUER };
    const codeRefusal = "invalid_grant: The authorization code is bound to a DPoP key: send a DPoP proof made with it";
    const refreshRefusal = "invalid_grant: The refresh token is bound to a DPoP key: send a DPoP proof made with it";
    // An unbound code redeemed with a proof: the public family is bound to that key.
    const bound = await publicClient.exchange(await publicClient.authorize(session, "openid offline_access"), resource, new Date(), await tokenProof(key));
    expect(decodeJwt(bound.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(await oauthRefusal(publicClient.refresh(bound.refresh_token!, resource, new Date(), await tokenProof(otherKey)))).toBe(refreshRefusal);
    expect((await publicClient.refresh(bound.refresh_token!, resource, new Date(), await tokenProof(key))).token_type).toBe("DPoP");
    // An unbound family refreshed with a proof.
    const unbound = await publicClient.exchange(await publicClient.authorize(session, "openid offline_access"), resource);
    expect((await publicClient.refresh(unbound.refresh_token!, resource, new Date(), await tokenProof(key))).token_type).toBe("DPoP");
    // A code bound by dpop_jkt: another key is refused without spending it, the named key redeems it.
    const code = await publicClient.authorize(session, "openid", { extra: { dpop_jkt: key.jkt } });
    expect(await oauthRefusal(publicClient.exchange(code, resource, new Date(), await tokenProof(otherKey)))).toBe(codeRefusal);
    expect(decodeJwt((await publicClient.exchange(code, resource, new Date(), await tokenProof(key))).access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it("a malformed dpop_jkt is refused at the authorization endpoint", async () => {
    await expect(publicClient.authorize(session, "openid", { extra: { dpop_jkt: "short" } })).rejects.toThrow(/invalid_request/);
  });

  it("a proof for another endpoint, or replayed, is invalid_dpop_proof and leaves the code unspent", async () => {
    const code = await publicClient.authorize(session, "openid");
    expect(await oauthRefusal(publicClient.exchange(code, {}, new Date(), await dpopProof(key, "POST", USERINFO_URL)))).toBe(
      `invalid_dpop_proof: The DPoP proof's htu must be ${TOKEN_URL}`,
    );
    const proof = await tokenProof(key);
    await publicClient.exchange(await publicClient.authorize(session, "openid"), {}, new Date(), proof);
    expect(await oauthRefusal(publicClient.exchange(code, {}, new Date(), proof))).toBe(
      "invalid_dpop_proof: This DPoP proof was used before (a replay): make a new one for each request",
    );
    expect((await publicClient.exchange(code, {}, new Date(), await tokenProof(key))).token_type).toBe("DPoP");
  });

  it("require_dpop: a token request without a proof is invalid_dpop_proof; a proof needs the server's nonce", async () => {
    const strict = await testClient(db, { client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"], require_dpop: true });
    const code = await strict.authorize(session, "openid");
    expect(await oauthRefusal(strict.exchange(code))).toBe("invalid_dpop_proof: This app requires a DPoP proof with every token request");
    expect(await oauthRefusal(strict.exchange(code, {}, new Date(), await tokenProof(key)))).toBe(
      "use_dpop_nonce: The DPoP proof must carry this server's nonce",
    );
    const tokens = await strict.exchange(code, {}, new Date(), await tokenProof(key, { nonce: currentNonce(db.oauth, new Date()) }));
    expect(tokens.token_type).toBe("DPoP");
  });

  it("require_dpop is an app setting, off by default", async () => {
    const row = await db.prisma.connectedApp.findUnique({ where: { clientId: publicClient.clientId } });
    expect(row!.requireDpop).toBe(false);
    const updated = await updateApp(db.prisma, { type: "system", id: null, label: "test" }, publicClient.clientId, { require_dpop: true });
    expect(updated.require_dpop).toBe(true);
    await updateApp(db.prisma, { type: "system", id: null, label: "test" }, publicClient.clientId, { require_dpop: false });
  });
});
