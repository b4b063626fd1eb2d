import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { oauthError, oauthRefusal, ownerIntrospection, signedInUser, testClient } from "@/tests/oauth-client";
import { hashToken } from "../../crypto/tokens";
import type { AuthSession } from "../authorize/flow";
import { ensureSigningKeys } from "../../keys/signing-keys";
import { REFRESH_TOKEN_TTL_S } from "../lifetimes";
import type { OAuthStore } from "../store";
import { redeemRefreshToken } from "./refresh-tokens";

const DAY = 24 * 60 * 60 * 1000;
const TTL = REFRESH_TOKEN_TTL_S * 1000;
const confidential = { client_type: "first_party" };
const pub = { client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"] };

describe.each(testDatabases)("refresh tokens on $name", ({ target }) => {
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

  async function signIn(input: Record<string, unknown>, s = session) {
    const app = await testClient(db, input);
    const tokens = await app.exchange(await app.authorize(s, "openid offline_access"));
    return { app, tokens, refreshToken: tokens.refresh_token! };
  }

  describe.each([
    { kind: "confidential (sliding)", input: confidential },
    { kind: "public (rotating)", input: pub },
  ])("$kind", ({ input }) => {
    it("another client cannot use the refresh token, and the owner keeps it", async () => {
      const a = await signIn(input);
      const b = await testClient(db, input);
      expect(await oauthError(b.refresh(a.refreshToken))).toBe("invalid_grant");
      // Not spent, not revoked: A carries on as if nothing happened.
      expect(await isActive(a.tokens.access_token)).toBe(true);
      const next = await a.app.refresh(a.refreshToken);
      expect(await isActive(next.access_token)).toBe(true);
      expect(await isActive(a.tokens.access_token)).toBe(true);
    });

    it("each refusal says why (error_description), and a refused request spends nothing", async () => {
      const { app, refreshToken } = await signIn(input);
      const other = await testClient(db, input);
      expect(await oauthRefusal(other.refresh(refreshToken))).toBe("invalid_grant: The refresh token is invalid");
      expect(await oauthRefusal(app.refresh("not-a-token"))).toBe("invalid_grant: The refresh token is invalid");
      expect(await oauthRefusal(app.refresh(refreshToken, { scope: "openid profile" }))).toBe("invalid_scope: The refresh token was not granted: profile");
      expect(await oauthRefusal(app.refresh(refreshToken, {}, new Date(Date.now() + TTL + 1000)))).toBe("invalid_grant: The refresh token has expired");
      // None of those spent it; a narrower scope is fine.
      const next = await app.refresh(refreshToken, { scope: "openid" });
      expect(next.scope).toBe("openid");
      const family = (await db.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(next.refresh_token!) } })).familyId;
      await db.oauth.store.revokeFamily(family, new Date());
      expect(await oauthRefusal(app.refresh(next.refresh_token!))).toBe("invalid_grant: The refresh token has been revoked");
    });

    it(`a refresh token is refused once its ${REFRESH_TOKEN_TTL_S / 86400} days are over`, async () => {
      const { app, refreshToken } = await signIn(input);
      const soon = new Date(Date.now() + TTL - DAY);
      const next = await app.refresh(refreshToken, {}, soon);
      // Rotated or slid, the token in hand now lives from its last use.
      expect(await oauthError(app.refresh(next.refresh_token!, {}, new Date(soon.getTime() + TTL + 1000)))).toBe("invalid_grant");
    });
  });

  it("a public client's expired refresh token is refused, not rotated", async () => {
    const { app, refreshToken } = await signIn(pub);
    const expired = new Date(Date.now() + TTL + 1000);
    expect(await oauthError(app.refresh(refreshToken, {}, expired))).toBe("invalid_grant");
    expect(await oauthError(app.refresh(refreshToken, {}, new Date(expired.getTime() + 1000)))).toBe("invalid_grant");
  });

  it("a public refresh token is expired from the very moment of its expiry, which is no replay: the family lives on", async () => {
    const { app, tokens, refreshToken } = await signIn(pub);
    const { expiresAt } = await db.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(refreshToken) } });
    expect(await oauthRefusal(app.refresh(refreshToken, {}, expiresAt))).toBe("invalid_grant: The refresh token has expired");
    expect(await isActive(tokens.access_token)).toBe(true);
    expect((await app.refresh(refreshToken, {}, new Date(expiresAt.getTime() - 1))).refresh_token).toBeTruthy();
  });

  it("a public token spent by a concurrent request between its read and its update is a replay: the family is revoked", async () => {
    const { app, tokens, refreshToken } = await signIn(pub);
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.clientId } });
    let winner: string | undefined;
    // As PostgreSQL runs it: the read shows the token unspent, but another request rotates it before this statement's update.
    const store: OAuthStore = {
      ...db.oauth.store,
      async useRefreshToken(input) {
        const before = await db.oauth.store.findRefreshToken(input.tokenHash);
        winner = (await app.refresh(refreshToken)).refresh_token;
        const result = await db.oauth.store.useRefreshToken(input);
        return result.used ? result : { used: false, token: before };
      },
    };
    const client = { id: row.id, clientType: row.clientType };
    expect(await oauthRefusal(redeemRefreshToken({ ...db.oauth, store }, client, refreshToken, [], new Date()))).toMatch(/^invalid_grant: .*already used/);
    expect(await oauthError(app.refresh(winner!))).toBe("invalid_grant");
    expect(await isActive(tokens.access_token)).toBe(false);
  });

  it("a confidential token that expires while it is being used is refused, not slid", async () => {
    const { app, tokens, refreshToken } = await signIn(confidential);
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.clientId } });
    const tokenRow = { tokenHash: hashToken(refreshToken) };
    // As PostgreSQL runs it: the statement's snapshot shows the token valid, but
    // it expires before the conditional update looks at it.
    const store: OAuthStore = {
      ...db.oauth.store,
      async useRefreshToken(input) {
        const before = await db.oauth.store.findRefreshToken(input.tokenHash);
        await db.prisma.refreshToken.update({ where: tokenRow, data: { expiresAt: new Date(Date.now() - 1000) } });
        const result = await db.oauth.store.useRefreshToken(input);
        return result.used ? result : { used: false, token: before };
      },
    };
    const client = { id: row.id, clientType: row.clientType };
    expect(await oauthError(redeemRefreshToken({ ...db.oauth, store }, client, refreshToken, [], new Date()))).toBe("invalid_grant");
    // Not slid: it stays expired.
    expect((await db.prisma.refreshToken.findUniqueOrThrow({ where: tokenRow })).expiresAt.getTime()).toBeLessThan(Date.now());
    expect(await oauthError(app.refresh(refreshToken))).toBe("invalid_grant");
    // Expired is not a replay: the family, and its access token, live on.
    expect(await isActive(tokens.access_token)).toBe(true);
  });

  it("rotating one public refresh token leaves the user's other sign-ins alone", async () => {
    const app = await testClient(db, pub);
    const other = await signedInUser(db.prisma);
    const [first, second, otherUser] = await Promise.all(
      [session, session, other].map(async (s) => (await app.exchange(await app.authorize(s, "openid offline_access"))).refresh_token!),
    );
    const rotated = await app.refresh(first!);
    expect((await app.refresh(second!)).refresh_token).toBeTruthy();
    expect((await app.refresh(otherUser!)).refresh_token).toBeTruthy();
    expect((await app.refresh(rotated.refresh_token!)).refresh_token).toBeTruthy();
  });

  it("a replayed spent token revokes its family even when the request would be refused anyway", async () => {
    const { app, refreshToken } = await signIn(pub);
    const second = await app.refresh(refreshToken);
    // A wider scope would be invalid_scope for a live token; for a spent one, the replay comes first.
    expect(await oauthError(app.refresh(refreshToken, { scope: "openid offline_access profile" }))).toBe("invalid_grant");
    expect(await oauthError(app.refresh(second.refresh_token!))).toBe("invalid_grant");
    expect(await isActive(second.access_token)).toBe(false);
  });
});
