import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { ISSUER, oauthError, signedInUser, testClient } from "@/tests/oauth-client";
import { authorize, resumeAuthorization, type AuthSession } from "./authorize/flow";
import { outcomeResponse } from "./authorize/outcome-response";
import { ensureSigningKeys } from "../keys/signing-keys";
import { publishedJwks } from "@/tests/jwks";

const DAY = 24 * 60 * 60;

/**
 * How long each protocol artefact lives (docs/design.md "Protocol surface": codes 60 s,
 * refresh tokens 90 days; lib/oauth/lifetimes.ts), observed from outside:
 * each is issued at a whole second `t`, works at `t + lifetime - 1 ms` and is
 * refused at `t + lifetime`.
 */
describe.each(testDatabases)("lifetimes on $name", ({ target }) => {
  let db: TestDatabase;
  let session: AuthSession;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    session = await signedInUser(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** Issues the artefact at `now`; returns a probe: "ok", or why it was refused at `at`. */
  type Issue = (now: Date) => Promise<(at: Date) => Promise<string>>;

  const signIn = async (input: Record<string, unknown>, scope: string, now: Date) => {
    const app = await testClient(db, input);
    const code = await app.authorize(session, scope, { now });
    return { app, code };
  };
  const refreshToken = (input: Record<string, unknown>): Issue => async (now) => {
    const { app, code } = await signIn(input, "openid offline_access", now);
    const { refresh_token } = await app.exchange(code, {}, now);
    return (at) => oauthError(app.refresh(refresh_token!, {}, at));
  };

  const LIFETIMES: [artefact: string, seconds: number, refusedWith: string, issue: Issue][] = [
    [
      "an authorization code (RFC 6749 §4.1.2: short-lived)",
      60,
      "invalid_grant",
      async (now) => {
        const { app, code } = await signIn({}, "openid", now);
        return (at) => oauthError(app.exchange(code, {}, at));
      },
    ],
    ["a confidential app's refresh token", 90 * DAY, "invalid_grant", refreshToken({ client_type: "first_party" })],
    ["a public app's refresh token", 90 * DAY, "invalid_grant", refreshToken({ client_type: "first_party_public", redirect_uris: ["http://127.0.0.1/cb"] })],
    [
      "a pending authorization request (sign-in and consent)",
      60 * 60,
      "expired",
      async (now) => {
        const app = await testClient(db);
        const query = new URLSearchParams({ client_id: app.clientId, response_type: "code", scope: "openid" });
        const start = await authorize(db.oauth, query, null, now);
        if (start.type !== "redirect" || !start.setBinding) throw new Error(`expected the sign-in page, got ${JSON.stringify(start)}`);
        const binding = { requestId: start.setBinding.id, bindingSecret: start.setBinding.secret };
        return async (at) => {
          const outcome = await resumeAuthorization(db.oauth, binding, { userId: session.userId, authTime: at }, at);
          if (outcome.type === "redirect") return new URL(outcome.location).searchParams.has("code") ? "ok" : outcome.location;
          return outcome.title === "This request has expired" ? "expired" : outcome.title;
        };
      },
    ],
    [
      "an ID token (exp)",
      60 * 60,
      "ERR_JWT_EXPIRED",
      async (now) => {
        const { app, code } = await signIn({}, "openid", now);
        const { id_token } = await app.exchange(code, {}, now);
        const jwks = createLocalJWKSet(await publishedJwks(db));
        return (at) =>
          jwtVerify(id_token!, jwks, { issuer: ISSUER, audience: app.clientId, currentDate: at }).then(
            () => "ok",
            (e: { code?: string }) => e.code ?? String(e),
          );
      },
    ],
  ];

  it.each(LIFETIMES)("%s lives %i seconds", async (_, seconds, refusedWith, issue) => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const end = now.getTime() + seconds * 1000;
    const justBefore = await issue(now);
    expect(await justBefore(new Date(end - 1))).toBe("ok");
    const atTheEnd = await issue(now);
    expect(await atTheEnd(new Date(end))).toBe(refusedWith);
  });

  it("the browser keeps a pending request's binding cookie exactly as long as the request", async () => {
    const app = await testClient(db);
    const query = new URLSearchParams({ client_id: app.clientId, response_type: "code", scope: "openid" });
    const start = await authorize(db.oauth, query, null);
    const cookie = outcomeResponse(start, { secureCookies: true, afterPost: false }).headers.get("Set-Cookie");
    expect(cookie).toMatch(/^ca_authz_[0-9a-f-]{36}=[\w-]{43}; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
  });
});
