import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClock } from "@/lib/oauth/context";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { createApiKey } from "../auth/api-keys";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { issueAuthorizationCode } from "../oauth/codes";
import { ensureSigningKeys } from "../keys/signing-keys";
import { s256 } from "../oauth/pkce";
import { revokeToken } from "../oauth/revoke";
import { handleTokenRequest } from "../oauth/token-endpoint";
import { currentUserEndpoint, readCurrentUser, updateCurrentUserMetadata } from "./current-user";
import { METADATA_LIMITS } from "./user-metadata";

const ISSUER = "https://id.example.com";
const actor: Actor = { type: "system", id: null, label: "test" };
const VERIFIER = "v".repeat(50);
const ALL = ["read:current_user", "update:current_user_metadata"];
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  body: any;
}

describe.each(testDatabases)("current-user API on $name", ({ name, target }) => {
  let db: TestDatabase;
  let app: { clientId: string; secret: string; id: string };
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    const created = await createApp(
      db.prisma,
      actor,
      { client_type: "third_party", name: "Partner", redirect_uris: ["https://rp.example/cb"], allowed_scopes: ["openid", "profile", "email", ...ALL] },
      "api",
    );
    const row = (await db.prisma.connectedApp.findUnique({ where: { clientId: created.app.client_id } }))!;
    app = { clientId: row.clientId, secret: created.clientSecret!, id: row.id };
  });
  afterAll(async () => {
    await db?.dispose();
  });

  let userCounter = 0;
  const newUser = async (named = true) =>
    (await createUser(db.prisma, { email: `me-${userCounter++}@example.com`, password: "correct horse battery", ...(named ? { name: "Ada Lovelace" } : {}) }, "member")).id;

  /** A real access token: an authorization code for `userId`, redeemed at the token endpoint. */
  async function accessToken(userId: string, scopes: string[], options: { resources?: string[]; now?: Date } = {}): Promise<string> {
    const now = options.now ?? new Date();
    const params = {
      clientId: app.clientId,
      redirectUri: "https://rp.example/cb",
      redirectUriSent: true,
      scopes,
      prompt: [],
      resources: options.resources ?? [],
      codeChallenge: s256(VERIFIER),
    };
    const code = await issueAuthorizationCode(db.oauth, app.id, userId, params, now, now);
    const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: params.redirectUri, code_verifier: VERIFIER });
    return (await handleTokenRequest(withClock(db.oauth, now), { authorization: basic(app.clientId, app.secret), form })).access_token;
  }

  const options = (now?: Date) => ({ prisma: async () => db.prisma, context: async () => withClock(db.oauth, now ?? new Date()) });
  const read = async (response: Response): Promise<Reply> => {
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const headers = (token?: string): Record<string, string> => (token === undefined ? {} : { authorization: `Bearer ${token}` });
  const getMe = async (token?: string, now?: Date) =>
    read(await currentUserEndpoint("read:current_user", readCurrentUser, options(now))(new Request("http://localhost/api/v1/me", { headers: headers(token) })));
  const patch = async (token: string | undefined, body: unknown) =>
    read(
      await currentUserEndpoint("update:current_user_metadata", updateCurrentUserMetadata, options())(
        new Request("http://localhost/api/v1/me/metadata", {
          method: "PATCH",
          headers: { ...headers(token), "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      ),
    );
  const metadataOf = async (userId: string) => (await db.prisma.user.findUniqueOrThrow({ where: { id: userId } })).metadata;

  describe("token checks (RFC 6750)", () => {
    it("no token: 401 with a bare challenge naming the scope and the resource metadata (RFC 9728 §5.1), no-store and CORS", async () => {
      const reply = await getMe();
      expect(reply.status).toBe(401);
      expect(reply.headers.get("www-authenticate")).toBe(
        'Bearer realm="connected-apps", scope="read:current_user", resource_metadata="https://id.example.com/.well-known/oauth-protected-resource"',
      );
      expect(reply.body).toEqual({ error: "invalid_token", error_description: expect.any(String) });
      expect(reply.headers.get("cache-control")).toBe("no-store");
      expect(reply.headers.get("access-control-allow-origin")).toBe("*");
      expect(reply.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
    });

    const invalid = async (reply: Reply, description: RegExp) => {
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: "invalid_token", error_description: expect.stringMatching(description) });
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer realm="connected-apps", error="invalid_token", error_description="[^"]+", scope="read:current_user", resource_metadata="[^"]+"$/);
      expect(reply.headers.get("www-authenticate")).toContain('resource_metadata="https://id.example.com/.well-known/oauth-protected-resource"');
      expect(reply.headers.get("cache-control")).toBe("no-store");
    };

    it("garbage, an owner API key, an expired or revoked token, or one for another audience: 401 invalid_token", async () => {
      const userId = await newUser();
      await invalid(await getMe("not-a-token"), /invalid or expired/);
      const owner = await createUser(db.prisma, { email: `owner-${userCounter++}@example.com`, password: "correct horse battery" }, "owner");
      const { key } = await createApiKey(db.prisma, owner.id, "cu");
      await invalid(await getMe(key), /invalid or expired/);

      const issuedAt = new Date(Date.now() - 10_000);
      const token = await accessToken(userId, ["read:current_user"], { now: issuedAt });
      expect((await getMe(token)).status).toBe(200);
      await invalid(await getMe(token, new Date(issuedAt.getTime() + 3601_000)), /invalid or expired/);

      const revoked = await accessToken(userId, ["read:current_user"]);
      expect((await getMe(revoked)).status).toBe(200);
      await revokeToken(db.oauth, { authorization: basic(app.clientId, app.secret), form: new URLSearchParams({ token: revoked }) });
      await invalid(await getMe(revoked), /revoked/);

      const elsewhere = await accessToken(userId, ["read:current_user"], { resources: ["https://api.example.com"] });
      await invalid(await getMe(elsewhere), /not meant for this server/);
      // With the issuer among the resources, the same token is welcome.
      const both = await accessToken(userId, ["read:current_user"], { resources: ["https://api.example.com", ISSUER] });
      expect((await getMe(both)).status).toBe(200);
    });

    it("a token without the endpoint's scope: 403 insufficient_scope naming it", async () => {
      const userId = await newUser();
      const reply = await getMe(await accessToken(userId, ["openid", "profile", "email", "update:current_user_metadata"]));
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ error: "insufficient_scope", error_description: expect.stringContaining("read:current_user") });
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer realm="connected-apps", error="insufficient_scope", .*scope="read:current_user", resource_metadata="[^"]+"$/);
      expect(reply.headers.get("access-control-allow-origin")).toBe("*");

      const readOnly = await patch(await accessToken(userId, ["read:current_user"]), { a: 1 });
      expect(readOnly.status).toBe(403);
      expect(readOnly.headers.get("www-authenticate")).toContain('scope="update:current_user_metadata"');
      expect(await metadataOf(userId)).toEqual({});
    });

    it("checks the token before reading the body", async () => {
      expect((await patch(undefined, "not json")).status).toBe(401);
      expect((await patch("garbage", { "bad key": 1 })).status).toBe(401);
    });
  });

  describe("GET /me", () => {
    it("returns sub, user_metadata and only the claims the token's scopes name", async () => {
      const userId = await newUser();
      await patch(await accessToken(userId, ALL), { plan: "pro" });
      expect((await getMe(await accessToken(userId, ["read:current_user"]))).body).toEqual({ sub: userId, user_metadata: { plan: "pro" } });
      expect((await getMe(await accessToken(userId, ["read:current_user", "profile"]))).body).toEqual({
        sub: userId,
        name: "Ada Lovelace",
        user_metadata: { plan: "pro" },
      });
      const full = await getMe(await accessToken(userId, ["openid", "read:current_user", "profile", "email"]));
      expect(full.status).toBe(200);
      expect(full.headers.get("cache-control")).toBe("no-store");
      expect(full.headers.get("access-control-allow-origin")).toBe("*");
      expect(full.body).toEqual({
        sub: userId,
        name: "Ada Lovelace",
        email: expect.stringMatching(/^me-\d+@example\.com$/),
        email_verified: false,
        user_metadata: { plan: "pro" },
      });
    });

    it("leaves name out for a user without one", async () => {
      const userId = await newUser(false);
      expect((await getMe(await accessToken(userId, ["read:current_user", "profile"]))).body).toEqual({ sub: userId, user_metadata: {} });
    });
  });

  describe("PATCH /me/metadata", () => {
    it("merges top-level keys, replaces values whole and removes keys set to null", async () => {
      const userId = await newUser();
      const token = await accessToken(userId, ALL);
      const first = await patch(token, { theme: "dark", prefs: { a: 1, b: [1, 2] }, count: 3 });
      expect(first.status).toBe(200);
      expect(first.headers.get("cache-control")).toBe("no-store");
      expect(first.body).toEqual({ theme: "dark", prefs: { a: 1, b: [1, 2] }, count: 3 });
      const second = await patch(token, { theme: null, prefs: { c: true }, lang: "fr", missing: null });
      expect(second.body).toEqual({ prefs: { c: true }, count: 3, lang: "fr" });
      expect(await metadataOf(userId)).toEqual(second.body);
      expect((await getMe(token)).body.user_metadata).toEqual(second.body);
      expect((await patch(token, {})).body).toEqual(second.body);
    });

    it("refuses bad keys at any level, too deep nesting, non-finite numbers and unstorable text, changing nothing", async () => {
      const userId = await newUser();
      const token = await accessToken(userId, ALL);
      await patch(token, { kept: 1 });
      const refused = async (body: unknown, fields: Record<string, unknown>) => {
        const reply = await patch(token, body);
        expect(reply.status, JSON.stringify(body)).toBe(400);
        expect(reply.body).toEqual({ error: "invalid_body", error_description: expect.any(String), fields });
      };
      const keyMessage = expect.stringContaining("letters, digits");
      await refused({ "a b": 1 }, { "a b": keyMessage });
      await refused({ "a.b": 1 }, { "a.b": keyMessage });
      await refused({ $set: 1 }, { $set: keyMessage });
      await refused({ "": 1 }, { body: keyMessage });
      await refused({ ["k".repeat(65)]: 1 }, { ["k".repeat(65)]: keyMessage });
      await refused({ ["k".repeat(5000)]: 1 }, { [`${"k".repeat(128)}…`]: keyMessage });
      await refused(JSON.parse('{"__proto__": {"polluted": true}}'), { ["__proto__"]: keyMessage });
      await refused('{"ok": [{"__proto__": 1}]}', { "ok[0].__proto__": keyMessage });
      await refused({ prefs: { "no/slash": 1 } }, { "prefs.no/slash": keyMessage });
      await refused({ list: [{ ok: 1 }, { "é": 1 }] }, { "list[1].é": keyMessage });
      // Five levels with user_metadata itself: root → a → b → c → d, d holding scalars.
      expect((await patch(token, { a: { b: { c: { d: { e: 1 } } } } })).status).toBe(200);
      expect((await patch(token, { a: [[[[1]]]] })).status).toBe(200);
      await refused({ a: { b: { c: { d: { e: {} } } } } }, { "a.b.c.d.e": expect.stringContaining("at most 5 levels") });
      await refused({ a: [[[[[]]]]] }, { "a[0][0][0][0]": expect.stringContaining("at most 5 levels") });
      await refused('{"big": 1e400}', { big: "must be a finite number" });
      await refused({ text: "nul\u0000" }, { text: expect.stringContaining("NUL") });
      await refused('{"k\\ud800": 1}', { body: expect.stringContaining("unpaired surrogates") });
      expect(await metadataOf(userId)).toEqual({ kept: 1, a: [[[[1]]]] });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it("refuses a body that is not a JSON object", async () => {
      const token = await accessToken(await newUser(), ALL);
      for (const body of ["[1]", '"text"', "null", "{"]) {
        const reply = await patch(token, body);
        expect(reply.status, body).toBe(400);
        expect(reply.body.error, body).toBe("invalid_request");
      }
    });

    it(`keeps user_metadata within ${METADATA_LIMITS.maxBytes} bytes after the merge, counting what is already there`, async () => {
      const userId = await newUser();
      const token = await accessToken(userId, ALL);
      // {"a":"…"} is 8 bytes of syntax around the value: exactly at the limit is fine.
      const exact = await patch(token, { a: "x".repeat(METADATA_LIMITS.maxBytes - 8) });
      expect(exact.status).toBe(200);
      expect(Buffer.byteLength(JSON.stringify(await metadataOf(userId)))).toBe(METADATA_LIMITS.maxBytes);
      const over = await patch(token, { b: 1 });
      expect(over.status).toBe(400);
      expect(over.body).toEqual({ error: "invalid_body", error_description: expect.stringContaining(`at most ${METADATA_LIMITS.maxBytes} bytes`) });
      expect(over.body.error_description).toContain(`${METADATA_LIMITS.maxBytes + 6} bytes`);
      // Multi-byte characters count as bytes, not characters.
      expect((await patch(token, { a: "é".repeat(METADATA_LIMITS.maxBytes / 2) })).status).toBe(400);
      expect(Object.keys((await metadataOf(userId)) as object)).toEqual(["a"]);
      // Removing a key in the same patch makes room.
      const swapped = await patch(token, { a: null, b: "y".repeat(1000) });
      expect(swapped.status).toBe(200);
      expect(Object.keys(swapped.body)).toEqual(["b"]);
    });

    it(`concurrent patches of one user keep every key (${name})`, async () => {
      const userId = await newUser();
      const token = await accessToken(userId, ALL);
      await patch(token, { base: 0 });
      const PARALLEL = 20;
      const replies = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => patch(token, { [`k${i}`]: i })));
      expect(replies.map((r) => r.status)).toEqual(Array(PARALLEL).fill(200));
      const expected = Object.fromEntries([["base", 0], ...Array.from({ length: PARALLEL }, (_, i) => [`k${i}`, i])]);
      expect(await metadataOf(userId)).toEqual(expected);
      // Concurrent removals and additions interleave without resurrecting or losing keys.
      await Promise.all(Array.from({ length: PARALLEL }, (_, i) => patch(token, { [`k${i}`]: null, [`n${i}`]: true })));
      expect(await metadataOf(userId)).toEqual(Object.fromEntries([["base", 0], ...Array.from({ length: PARALLEL }, (_, i) => [`n${i}`, true])]));
    });
  });
});
