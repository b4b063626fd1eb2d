import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { hashToken } from "../crypto/tokens";
import { createUser } from "../auth/users";
import { createApp, updateApp } from "../clients/apps";
import type { PrismaClient } from "../db/generated/client.ts";
import { issueAuthorizationCode } from "./codes";
import { withClock, type OAuthContext } from "./context";
import { OAuthError } from "./oauth-error";
import { ensureSigningKeys } from "../keys/signing-keys";
import { revokeToken } from "./revoke";
import { PageError } from "./page-error";
import { exchangeSession, redeemSignInLink } from "./session-exchange";
import { handleTokenRequest } from "./token-endpoint";

const ISSUER = "https://id.example.com";
const actor: Actor = { type: "system", id: null, label: "test" };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const MINUTE = 60_000;

/** The OAuth error code a call fails with, or "ok". */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (e) {
    if (e instanceof OAuthError) return e.code;
    if (e instanceof PageError && e.reason) return e.reason;
    throw e;
  }
}

interface TestApp {
  clientId: string;
  auth: { authorization: string | null; creds: Record<string, string> };
}

/** A user, apps and real access tokens (authorization code + token endpoint) on one database. */
function fixtures(prisma: () => PrismaClient, oauth: () => OAuthContext) {
  let counter = 0;
  async function user() {
    return createUser(prisma(), { email: `exchange-${counter++}-${Math.random()}@example.com`, password: "correct horse battery", name: "Ex Change" }, "member");
  }

  /** An app that may exchange (first-party, full_access allowed), unless `input` says otherwise. */
  async function app(input: Record<string, unknown> = {}): Promise<TestApp> {
    const type = (input.client_type as string | undefined) ?? "first_party";
    const { app, clientSecret } = await createApp(
      prisma(),
      actor,
      {
        client_type: type,
        name: "Exchanger",
        redirect_uris: [type.endsWith("_public") ? "http://127.0.0.1/cb" : "https://rp.example/cb"],
        full_access_allowed: true,
        allowed_scopes: ["openid", "email", "full_access"],
        ...input,
      },
      "api",
    );
    const auth: TestApp["auth"] = clientSecret
      ? { authorization: basic(app.client_id, clientSecret), creds: {} }
      : { authorization: null, creds: { client_id: app.client_id } };
    return { clientId: app.client_id, auth };
  }

  /** An access token for `userId` and `target`, issued at `at`, with `scopes` (bypassing the authorization endpoint's checks). */
  async function token(target: TestApp, userId: string, scopes = ["openid", "full_access"], at = new Date(), resources: string[] = []) {
    const row = (await prisma().connectedApp.findUnique({ where: { clientId: target.clientId } }))!;
    const redirectUri = row.redirectUris[0]!;
    const params = { clientId: target.clientId, redirectUri, redirectUriSent: true, scopes, prompt: [], resources };
    const code = await issueAuthorizationCode(oauth(), row.id, userId, params, at, at);
    const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, ...target.auth.creds });
    return (await handleTokenRequest(withClock(oauth(), at), { authorization: target.auth.authorization, form })).access_token;
  }

  function exchange(target: TestApp, accessToken: string, now = new Date(), extra: Record<string, string> = {}, ctx = oauth()) {
    const form = new URLSearchParams({ access_token: accessToken, ...target.auth.creds, ...extra });
    return exchangeSession(withClock(ctx, now), { authorization: target.auth.authorization, form });
  }

  return { user, app, token, exchange };
}

const linkToken = (url: string) => new URL(url).searchParams.get("token")!;

describe.each(testDatabases)("session exchange on $name", ({ target }) => {
  let db: TestDatabase;
  const f = fixtures(() => db.prisma, () => db.oauth);
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("exchanges a fresh full_access token for a one-time link that signs the same user in", async () => {
    const user = await f.user();
    const app = await f.app();
    const accessToken = await f.token(app, user.id);
    const result = await f.exchange(app, accessToken);
    expect(result.expires_in).toBe(60);
    const url = new URL(result.sign_in_url);
    expect(url.origin + url.pathname).toBe(`${ISSUER}/session/redeem`);
    const link = linkToken(result.sign_in_url);
    expect(link).toMatch(/^[\w-]{43}$/); // 256 bits
    expect([...url.searchParams.keys()]).toEqual(["token"]);

    // Only the link's hash is stored, and the audit log holds neither token.
    const rows = await db.prisma.sessionExchange.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ redeemedAt: null });
    expect(rows[0]!.linkExpiresAt.getTime() - rows[0]!.createdAt.getTime()).toBeLessThanOrEqual(61_000);
    const events = await db.prisma.auditEvent.findMany({ where: { targetId: app.clientId, action: { startsWith: "session." } }, omit: { seq: true } });
    expect(JSON.stringify(rows) + JSON.stringify(events)).not.toContain(link);
    expect(JSON.stringify(events)).not.toContain(accessToken.split(".")[2]);

    expect(await redeemSignInLink(db.oauth, link)).toEqual({ id: user.id, email: user.email, name: "Ex Change" });
    const audit = await db.prisma.auditEvent.findMany({ where: { targetId: app.clientId }, orderBy: { seq: "asc" } });
    expect(audit.map((e) => [e.action, e.actorType, e.actorId, e.actorLabel])).toEqual([
      ["connected_app.created", "system", null, "test"],
      ["session.exchanged", "user", user.id, user.email],
      ["session.link_redeemed", "user", user.id, user.email],
    ]);
    expect(audit[1]!.details).toEqual({ exchange_id: rows[0]!.id, user_id: user.id });
  });

  it("works for a public first-party app (client_id only) and with client_secret_post", async () => {
    const user = await f.user();
    const mobile = await f.app({ client_type: "first_party_public" });
    expect(await outcome(f.exchange(mobile, await f.token(mobile, user.id)))).toBe("ok");

    const web = await f.app();
    const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: web.clientId } });
    expect(row.clientType).toBe("first_party");
    const secret = Buffer.from(web.auth.authorization!.slice(6), "base64").toString().split(":")[1]!;
    const post: TestApp = { clientId: web.clientId, auth: { authorization: null, creds: { client_id: web.clientId, client_secret: secret } } };
    expect(await outcome(f.exchange(post, await f.token(web, user.id)))).toBe("ok");
    // A confidential app without its secret is not authenticated.
    const bare: TestApp = { clientId: web.clientId, auth: { authorization: null, creds: { client_id: web.clientId } } };
    expect(await outcome(f.exchange(bare, await f.token(web, user.id)))).toBe("invalid_client");
    const wrong: TestApp = { clientId: web.clientId, auth: { authorization: basic(web.clientId, "not-the-secret"), creds: {} } };
    expect(await outcome(f.exchange(wrong, await f.token(web, user.id)))).toBe("invalid_client");
  });

  it("carries a return_to path on this server and refuses anything else", async () => {
    const user = await f.user();
    const app = await f.app();
    const to = "/oauth2/authorize?client_id=ca_web&scope=openid%20email";
    const result = await f.exchange(app, await f.token(app, user.id), new Date(), { return_to: to });
    expect(new URL(result.sign_in_url).searchParams.get("return_to")).toBe(to);
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "account"]) {
      expect(await outcome(f.exchange(app, await f.token(app, user.id), new Date(), { return_to: bad })), bad).toBe("invalid_request");
    }
  });

  it("refuses a token more than 5 minutes old", async () => {
    const user = await f.user();
    const app = await f.app();
    const issued = new Date();
    const old = await f.token(app, user.id, undefined, issued);
    expect(await outcome(f.exchange(app, old, new Date(issued.getTime() + 5 * MINUTE + 1000)))).toBe("invalid_grant");
    // The refusal did not spend it: within the window it still works.
    expect(await outcome(f.exchange(app, old, new Date(issued.getTime() + 5 * MINUTE - 1000)))).toBe("ok");
  });

  it.each([
    [5 * MINUTE, "ok"],
    [5 * MINUTE + 999, "ok"],
    [5 * MINUTE + 1000, "invalid_grant"],
  ])("a token %i ms old: %s (iat at most 300 s ago)", async (age, expected) => {
    const user = await f.user();
    const app = await f.app();
    const issued = new Date(Math.floor(Date.now() / 1000) * 1000);
    const accessToken = await f.token(app, user.id, undefined, issued);
    expect(await outcome(f.exchange(app, accessToken, new Date(issued.getTime() + age)))).toBe(expected);
  });

  it("exchanges a token once", async () => {
    const user = await f.user();
    const app = await f.app();
    const accessToken = await f.token(app, user.id);
    expect(await outcome(f.exchange(app, accessToken))).toBe("ok");
    expect(await outcome(f.exchange(app, accessToken))).toBe("invalid_grant");
    expect(await db.prisma.sessionExchange.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses a token of another app, even another eligible first-party app", async () => {
    const user = await f.user();
    const mine = await f.app();
    const theirs = await f.app();
    const accessToken = await f.token(theirs, user.id);
    expect(await outcome(f.exchange(mine, accessToken))).toBe("invalid_grant");
    expect(await outcome(f.exchange(theirs, accessToken))).toBe("ok");
  });

  it("refuses third-party apps, even holding a full_access token", async () => {
    const user = await f.user();
    for (const clientType of ["third_party", "third_party_public"]) {
      // Their settings cannot allow full_access, so force it in the database as a bug or an attacker would.
      const app = await f.app({ client_type: clientType, full_access_allowed: false, allowed_scopes: ["openid"] });
      await db.prisma.connectedApp.update({ where: { clientId: app.clientId }, data: { fullAccessAllowed: true, allowedScopes: ["openid", "full_access"] } });
      const accessToken = await f.token(app, user.id);
      expect(await outcome(f.exchange(app, accessToken)), clientType).toBe("unauthorized_client");
    }
    expect(await db.prisma.sessionExchange.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a token without full_access", async () => {
    const user = await f.user();
    const app = await f.app();
    expect(await outcome(f.exchange(app, await f.token(app, user.id, ["openid", "email"])))).toBe("invalid_grant");
  });

  it("refuses revoked, expired, foreign, malformed and other-audience tokens", async () => {
    const user = await f.user();
    const app = await f.app();
    const revoked = await f.token(app, user.id);
    await revokeToken(db.oauth, { authorization: app.auth.authorization, form: new URLSearchParams({ token: revoked }) });
    expect(await outcome(f.exchange(app, revoked))).toBe("invalid_grant");

    const short = await f.app({ access_token_ttl_seconds: 60 });
    const issued = new Date();
    const expired = await f.token(short, user.id, undefined, issued);
    expect(await outcome(f.exchange(short, expired, new Date(issued.getTime() + 2 * MINUTE)))).toBe("invalid_grant");

    const foreign = await f.token(app, user.id);
    const form = new URLSearchParams({ access_token: foreign });
    expect(await outcome(exchangeSession({ ...db.oauth, issuer: "https://other.example.com" }, { authorization: app.auth.authorization, form }))).toBe("invalid_grant");
    expect(await outcome(f.exchange(app, "not.a.jwt"))).toBe("invalid_grant");
    expect(await outcome(f.exchange(app, `${foreign.slice(0, -4)}AAAA`))).toBe("invalid_grant");
    expect(await outcome(f.exchange(app, await f.token(app, user.id, ["full_access"], new Date(), ["https://api.example.com"])))).toBe("invalid_grant");
    expect(await outcome(f.exchange(app, ""))).toBe("invalid_request");
    // None of the refusals spent the live one.
    expect(await outcome(f.exchange(app, foreign))).toBe("ok");
  });

  it("refuses a token whose grant the user revoked", async () => {
    const user = await f.user();
    const app = await f.app();
    const accessToken = await f.token(app, user.id);
    await db.prisma.tokenFamily.updateMany({ where: { userId: user.id }, data: { revokedAt: new Date() } });
    expect(await outcome(f.exchange(app, accessToken))).toBe("invalid_grant");
  });

  it("re-checks the app at exchange and at redemption: full_access turned off, app disabled", async () => {
    const user = await f.user();
    const app = await f.app();
    const before = await f.token(app, user.id);
    const link = linkToken((await f.exchange(app, await f.token(app, user.id))).sign_in_url);
    await updateApp(db.prisma, actor, app.clientId, { full_access_allowed: false, allowed_scopes: ["openid", "email"] });
    expect(await outcome(f.exchange(app, before))).toBe("unauthorized_client");
    expect(await outcome(redeemSignInLink(db.oauth, link))).toBe("invalid");

    const other = await f.app();
    const otherToken = await f.token(other, user.id);
    await updateApp(db.prisma, actor, other.clientId, { status: "disabled" });
    expect(await outcome(f.exchange(other, otherToken))).toBe("invalid_client");
  });

  it("a link works once and for 60 seconds", async () => {
    const user = await f.user();
    const app = await f.app();
    const now = new Date();
    const used = linkToken((await f.exchange(app, await f.token(app, user.id), now)).sign_in_url);
    expect(await outcome(redeemSignInLink(db.oauth, used, new Date(now.getTime() + 59_000)))).toBe("ok");
    expect(await outcome(redeemSignInLink(db.oauth, used, new Date(now.getTime() + 59_000)))).toBe("used");

    const late = linkToken((await f.exchange(app, await f.token(app, user.id), now)).sign_in_url);
    expect(await outcome(redeemSignInLink(db.oauth, late, new Date(now.getTime() + 60_000)))).toBe("expired");
    expect(await db.prisma.sessionExchange.count({ where: { userId: user.id, redeemedAt: { not: null } } })).toBe(1);

    expect(await outcome(redeemSignInLink(db.oauth, "A".repeat(43)))).toBe("invalid");
    expect(await outcome(redeemSignInLink(db.oauth, "short"))).toBe("invalid");
    expect(await outcome(redeemSignInLink(db.oauth, null))).toBe("invalid");
    expect(await db.prisma.auditEvent.count({ where: { targetId: app.clientId, action: "session.link_redeemed" } })).toBe(1);
  });

  /** What the person who opened a refused link reads, for each reason. */
  const LINK_ERRORS: Record<string, [title: string, description: string]> = {
    invalid: ["This sign-in link is not valid", "Open the whole link you were given, or sign in with your email and password."],
    expired: ["This sign-in link has expired", "Sign-in links work for 60 seconds. Go back to the app and try again, or sign in with your email and password."],
    used: ["This sign-in link has already been used", "Each sign-in link works once. Go back to the app and try again, or sign in with your email and password."],
  };

  it.each(Object.entries(LINK_ERRORS))("a link refused as %s says so in plain words", async (reason, [title, description]) => {
    const user = await f.user();
    const app = await f.app();
    const now = new Date();
    const link = linkToken((await f.exchange(app, await f.token(app, user.id), now)).sign_in_url);
    const attempt = {
      invalid: () => redeemSignInLink(db.oauth, link.slice(1), now),
      expired: () => redeemSignInLink(db.oauth, link, new Date(now.getTime() + 60_000)),
      used: async () => {
        await redeemSignInLink(db.oauth, link, now);
        return redeemSignInLink(db.oauth, link, now);
      },
    }[reason]!;
    const error = await attempt().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(PageError);
    expect(error).toMatchObject({ reason, title, description });
  });

  /**
   * Link tokens are 43 base64url characters (256 bits); anything else is
   * refused without a lookup, even when a stored link has exactly that hash.
   */
  const LINK_SHAPES: [token: string, expected: string][] = [
    ...["A", "Z", "a", "z", "0", "9", "_", "-"].map((c): [string, string] => [c.repeat(43), "ok"]),
    ["x".repeat(42), "invalid"],
    ["x".repeat(44), "invalid"],
    ...[".", "=", "+", "/", "~", " ", "é", "\n"].flatMap((c): [string, string][] => [
      [`${c}${"x".repeat(42)}`, "invalid"],
      [`${"x".repeat(42)}${c}`, "invalid"],
      [`${c}${"x".repeat(43)}`, "invalid"],
      [`${"x".repeat(43)}${c}`, "invalid"],
    ]),
  ];

  let linkOwner: Promise<{ appId: string; userId: string }> | undefined;
  it.each(LINK_SHAPES)("a stored link %j: %s", async (token, expected) => {
    linkOwner ??= (async () => {
      const [user, app] = await Promise.all([f.user(), f.app()]);
      return { userId: user.id, appId: (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.clientId } })).id };
    })();
    const { appId, userId } = await linkOwner;
    await db.prisma.sessionExchange.create({
      data: { jti: `jti-${Math.random()}`, appId, userId, linkHash: hashToken(token), linkExpiresAt: new Date(Date.now() + 60_000) },
    });
    expect(await outcome(redeemSignInLink(db.oauth, token))).toBe(expected);
  });
});

// Several server instances on one PostgreSQL (four pools) race on one row:
// single use must hold in the database.
describe.each(testDatabases.filter((d) => d.name === "postgres"))("session exchange races on $name", ({ target }) => {
  const PARALLEL = 20;
  let instances: (TestDatabase)[] = [];
  const f = fixtures(() => instances[0]!.prisma, () => instances[0]!.oauth);
  beforeAll(async () => {
    const t = await target();
    const first = await openTestDatabase(t);
    const others = await Promise.all([1, 2, 3].map(() => openTestDatabase({ ...t, drop: async () => {} })));
    instances = [...others, first];
    await ensureSigningKeys(first.prisma);
  });
  afterAll(async () => {
    for (const db of instances) await db.dispose();
  });
  const on = (i: number) => instances[i % instances.length]!.oauth;

  it(`${PARALLEL} parallel exchanges of one token: exactly one link`, async () => {
    const user = await f.user();
    const app = await f.app();
    const accessToken = await f.token(app, user.id);
    const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => outcome(f.exchange(app, accessToken, new Date(), {}, on(i)))));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r !== "ok")).toEqual(Array(PARALLEL - 1).fill("invalid_grant"));
    expect(await instances[0]!.prisma.sessionExchange.count({ where: { userId: user.id } })).toBe(1);
    expect(await instances[0]!.prisma.auditEvent.count({ where: { targetId: app.clientId, action: "session.exchanged" } })).toBe(1);
  });

  it(`${PARALLEL} parallel redemptions of one link: exactly one session`, async () => {
    const user = await f.user();
    const app = await f.app();
    const link = linkToken((await f.exchange(app, await f.token(app, user.id))).sign_in_url);
    const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => outcome(redeemSignInLink(on(i), link))));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r !== "ok")).toEqual(Array(PARALLEL - 1).fill("used"));
    expect(await instances[0]!.prisma.auditEvent.count({ where: { targetId: app.clientId, action: "session.link_redeemed" } })).toBe(1);
  });
});
