import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { ISSUER, oauthError, oauthRefusal, ownerIntrospection, signedInUser, testClient, VERIFIER } from "@/tests/oauth-client";
import type { AuthSession } from "./authorize/flow";
import type { OAuthStore } from "./store";
import { redeemAuthorizationCode } from "./codes";
import type { TokenResponse } from "./grants/issue-tokens";
import { ensureSigningKeys } from "../keys/signing-keys";

describe.each(testDatabases)("authorization codes on $name", ({ target }) => {
  let db: TestDatabase;
  let session: AuthSession;
  let isActive: (token: string) => Promise<boolean>;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    session = await signedInUser(db.prisma);
    isActive = await ownerIntrospection(db);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("a code issued to one client is refused to another, and stays redeemable by its own client", async () => {
    // Same redirect URI, and B knows the PKCE verifier: only the client identity differs.
    const a = await testClient(db);
    const b = await testClient(db);
    const code = await a.authorize(session, "openid offline_access");
    expect(await oauthError(b.exchange(code))).toBe("invalid_grant");

    // B's attempt neither spent the code nor revoked anything.
    const tokens = await a.exchange(code);
    expect(await isActive(tokens.access_token)).toBe(true);
    expect(await isActive(tokens.refresh_token!)).toBe(true);
  });

  it("each refusal says why (RFC 6749 §5.2 error_description), the reason a developer reads", async () => {
    const refusal = oauthRefusal;
    const a = await testClient(db);
    const b = await testClient(db);
    const code = await a.authorize(session, "openid");
    expect(await refusal(b.exchange(code))).toBe("invalid_grant: The authorization code is invalid");
    expect(await refusal(a.exchange("not-a-code"))).toBe("invalid_grant: The authorization code is invalid");
    expect(await refusal(a.exchange(code, { redirect_uri: "https://rp.example/other" }))).toBe("invalid_grant: redirect_uri does not match the authorization request");
    expect(await refusal(a.exchange(code, {}, new Date(Date.now() + 61_000)))).toBe("invalid_grant: The authorization code has expired");
    expect(await refusal(a.exchange(code))).toBe("ok");
    expect(await refusal(a.exchange(code))).toBe("invalid_grant: The authorization code has already been used; tokens issued with it are revoked");
    // Once spent, it is a second use for its own client even after it would have expired; still invalid for another.
    expect(await refusal(a.exchange(code, {}, new Date(Date.now() + 61_000)))).toBe("invalid_grant: The authorization code has already been used; tokens issued with it are revoked");
    expect(await refusal(b.exchange(code))).toBe("invalid_grant: The authorization code is invalid");
  });

  it("redirect_uri left out at /authorize may be left out or repeated at /token, but not changed", async () => {
    const app = await testClient(db);
    const code = await app.authorize(session, "openid", { sendRedirectUri: false });
    expect(await oauthRefusal(app.exchange(code, { redirect_uri: "https://rp.example/other" }))).toBe("invalid_grant: redirect_uri does not match the authorization request");
    // The registered URI is what the request meant: accepted.
    expect((await app.exchange(code, { redirect_uri: app.redirectUri })).access_token).toBeTruthy();
    const another = await app.authorize(session, "openid", { sendRedirectUri: false });
    expect((await app.token({ grant_type: "authorization_code", code: another, code_verifier: VERIFIER })).access_token).toBeTruthy();
  });

  it("with a resource indicator at /token (the code is read and checked before it is spent) the redirect_uri rules are the same", async () => {
    const app = await testClient(db);
    const resource = { resource: ISSUER };
    const unsent = await app.authorize(session, "openid", { sendRedirectUri: false });
    expect(await oauthRefusal(app.exchange(unsent, { ...resource, redirect_uri: "https://rp.example/other" }))).toBe("invalid_grant: redirect_uri does not match the authorization request");
    expect((await app.exchange(unsent, { ...resource, redirect_uri: app.redirectUri })).access_token).toBeTruthy();
    const sent = await app.authorize(session, "openid");
    expect(await oauthRefusal(app.exchange(sent, { ...resource, redirect_uri: "https://rp.example/other" }))).toBe("invalid_grant: redirect_uri does not match the authorization request");
    expect((await app.exchange(sent, resource)).access_token).toBeTruthy();
  });

  it("a code expires at its expiry time exactly (60 s), not a moment later", async () => {
    const app = await testClient(db);
    const issuedAt = new Date(Date.now() - 1_000);
    const code = await app.authorize(session, "openid", { now: issuedAt });
    const at = (ms: number) => new Date(issuedAt.getTime() + ms);
    expect(await oauthRefusal(app.exchange(code, {}, at(60_000)))).toBe("invalid_grant: The authorization code has expired");
    expect(await oauthRefusal(app.exchange(code, {}, at(59_999)))).toBe("ok");
  });

  it("a request refused while the tokens are being issued does not spend the code", async () => {
    const app = await testClient(db);
    const code = await app.authorize(session, "openid");
    // invalid_target comes from inside the redemption: it must stay invalid_target, not become "already used".
    expect(await oauthError(app.exchange(code, { resource: "https://elsewhere.example/api" }))).toBe("invalid_target");
    expect(await isActive((await app.exchange(code)).access_token)).toBe(true);
  });

  it("an unexpected failure while checking the code propagates as itself and spends nothing", async () => {
    const app = await testClient(db);
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.clientId } });
    const code = await app.authorize(session, "openid");
    const failure = new Error("check failed");
    const input = {
      code, clientAppId: row.id, redirectUri: app.redirectUri, codeVerifier: VERIFIER,
      check: () => {
        throw failure;
      },
    };
    await expect(redeemAuthorizationCode(db.oauth, input, new Date())).rejects.toBe(failure);
    expect(await isActive((await app.exchange(code)).access_token)).toBe(true);
  });

  it("a redemption that began just before another one won is a second use: the winner's tokens are revoked", async () => {
    const app = await testClient(db);
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.clientId } });
    const code = await app.authorize(session, "openid offline_access");
    // As PostgreSQL runs it: the late statement's snapshot shows the code unspent, but
    // its conditional update waits for the winner's commit and then finds it spent.
    let winner: TokenResponse | undefined;
    const store: OAuthStore = {
      ...db.oauth.store,
      async redeemCode(input) {
        const before = await db.oauth.store.findCode(input.codeHash);
        winner = await app.exchange(code);
        const result = await db.oauth.store.redeemCode(input);
        return result.won ? result : { won: false, code: before };
      },
    };
    const input = { code, clientAppId: row.id, redirectUri: app.redirectUri, codeVerifier: VERIFIER };
    expect(await oauthError(redeemAuthorizationCode({ ...db.oauth, store }, input, new Date()))).toBe("invalid_grant");
    expect(winner).toBeDefined();
    expect(await isActive(winner!.access_token)).toBe(false);
    expect(await isActive(winner!.refresh_token!)).toBe(false);
  });
});
