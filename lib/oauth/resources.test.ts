import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import type { Actor } from "../audit";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { updateProjectSettings } from "../settings";
import { RedirectedAuthorizationError, validateAuthorizationRequest } from "./authorize/request";
import { issueAuthorizationCode } from "./codes";
import { OAuthError } from "./oauth-error";
import { ensureSigningKeys } from "../keys/signing-keys";
import { publishedJwks } from "@/tests/jwks";
import { s256 } from "./pkce";
import { allowedResources, narrowResources, sameResource } from "./resources";
import { withClock } from "./context";
import { handleTokenRequest } from "./token-endpoint";

const ISSUER = "https://id.example.com";
const MCP = "https://mcp.example.com/mcp";
const PATHLESS = "https://api.example.com";
const actor: Actor = { type: "system", id: null, label: "test" };
const VERIFIER = "r".repeat(50);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof OAuthError) return e.code;
    throw e;
  }
  return "ok";
}

async function asyncErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof OAuthError) return e.code;
    if (e instanceof RedirectedAuthorizationError) return e.error.code;
    throw e;
  }
  return "ok";
}

describe("resource matching (RFC 8707)", () => {
  it("a pathless resource matches with or without a trailing slash; a path must match exactly", () => {
    expect(sameResource("https://api.example.com", "https://api.example.com/")).toBe(true);
    expect(sameResource("https://api.example.com/", "https://api.example.com")).toBe(true);
    expect(sameResource(MCP, `${MCP}/`)).toBe(false);
    expect(sameResource(MCP, "https://mcp.example.com/MCP")).toBe(false);
    expect(sameResource("https://api.example.com", "https://api.example.com:8443")).toBe(false);
  });

  it("allows the issuer and listed resource servers, in the registered spelling; anything else is invalid_target", () => {
    expect(allowedResources([`${PATHLESS}/`, MCP, `${ISSUER}/`], ISSUER, [PATHLESS, MCP])).toEqual([PATHLESS, MCP, ISSUER]);
    expect(allowedResources(["https://files.example.com"], ISSUER, ["https://files.example.com/"])).toEqual(["https://files.example.com/"]);
    expect(allowedResources([PATHLESS, `${PATHLESS}/`], ISSUER, [PATHLESS])).toEqual([PATHLESS]);
    expect(errorCode(() => allowedResources(["https://other.example.com"], ISSUER, [PATHLESS]))).toBe("invalid_target");
    expect(errorCode(() => allowedResources([`${MCP}/`], ISSUER, [MCP]))).toBe("invalid_target");
  });

  it("at the token endpoint, narrows to what the grant covers", () => {
    const grant = { resources: [PATHLESS, MCP], audience: [PATHLESS, MCP] };
    expect(narrowResources([], grant, ISSUER, [PATHLESS, MCP])).toEqual([PATHLESS, MCP]);
    expect(narrowResources([`${PATHLESS}/`], grant, ISSUER, [PATHLESS, MCP])).toEqual([PATHLESS]);
    expect(errorCode(() => narrowResources([ISSUER], grant, ISSUER, [PATHLESS, MCP]))).toBe("invalid_target");
    // Listed, but not granted: a refresh never widens the audience.
    expect(errorCode(() => narrowResources([MCP], { resources: [PATHLESS], audience: [PATHLESS] }, ISSUER, [PATHLESS, MCP]))).toBe("invalid_target");
    // No longer listed by the owner: refused even though granted.
    expect(errorCode(() => narrowResources([MCP], grant, ISSUER, [PATHLESS]))).toBe("invalid_target");
    expect(errorCode(() => narrowResources(Array.from({ length: 11 }, () => PATHLESS), grant, ISSUER, [PATHLESS]))).toBe("invalid_target");
  });

  it.each([
    [1, "ok"],
    [10, "ok"],
    [11, "invalid_target"],
  ])("at the token endpoint, %i resource values: %s (at most 10)", (count, outcome) => {
    const grant = { resources: [PATHLESS], audience: [PATHLESS] };
    expect(errorCode(() => narrowResources(Array.from({ length: count }, () => PATHLESS), grant, ISSUER, [PATHLESS]))).toBe(outcome);
  });
});

describe.each(testDatabases)("resources at authorize and token on $name", ({ target }) => {
  let db: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    db = await openTestDatabase(await target());
    await ensureSigningKeys(db.prisma);
    userId = (await createUser(db.prisma, { email: "resources@example.com", password: "correct horse battery" }, "member")).id;
    await updateProjectSettings(db.prisma, actor, { resource_servers: [PATHLESS, MCP] }, { development: false });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function newApp() {
    const { app, clientSecret } = await createApp(
      db.prisma,
      actor,
      { client_type: "first_party", name: "R", redirect_uris: ["https://rp.example/cb"] },
      "api",
    );
    return { app, auth: basic(app.client_id, clientSecret!) };
  }

  const authorizeRequest = (clientId: string, resources: string[]) => {
    const source = new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid offline_access", code_challenge: s256(VERIFIER), code_challenge_method: "S256" });
    for (const resource of resources) source.append("resource", resource);
    return validateAuthorizationRequest(db.oauth, source);
  };

  it("authorize keeps listed resources in the registered spelling and refuses others with invalid_target (redirected)", async () => {
    const { app } = await newApp();
    expect((await authorizeRequest(app.client_id, [`${PATHLESS}/`, MCP])).params.resources).toEqual([PATHLESS, MCP]);
    expect((await authorizeRequest(app.client_id, [ISSUER])).params.resources).toEqual([ISSUER]);
    expect((await authorizeRequest(app.client_id, [])).params.resources).toEqual([]);
    await expect(authorizeRequest(app.client_id, ["https://unlisted.example.com/mcp"])).rejects.toBeInstanceOf(RedirectedAuthorizationError);
    expect(await asyncErrorCode(authorizeRequest(app.client_id, ["https://unlisted.example.com/mcp"]))).toBe("invalid_target");
    expect(await asyncErrorCode(authorizeRequest(app.client_id, [`${MCP}/`]))).toBe("invalid_target");
  });

  it("the token endpoint narrows by resource at the code exchange and at refresh; unlisted or ungranted is invalid_target", async () => {
    const { app, auth } = await newApp();
    const { params } = await authorizeRequest(app.client_id, [PATHLESS, MCP]);
    const row = (await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } }));
    const jwks = createLocalJWKSet(await publishedJwks(db));
    const aud = async (token: string) => (await jwtVerify(token, jwks, { issuer: ISSUER, typ: "at+jwt" })).payload.aud;
    const token = (form: Record<string, string>, resources: string[] = []) => {
      const body = new URLSearchParams(form);
      for (const resource of resources) body.append("resource", resource);
      return handleTokenRequest(db.oauth, { authorization: auth, form: body });
    };
    const code = () => issueAuthorizationCode(db.oauth, row.id, userId, params, new Date(), new Date());
    const redeem = async (resources: string[]) => token({ grant_type: "authorization_code", code: await code(), code_verifier: VERIFIER }, resources);

    const all = await redeem([]);
    expect(await aud(all.access_token)).toEqual([PATHLESS, MCP, ISSUER]);
    expect(await aud((await redeem([MCP])).access_token)).toEqual([MCP, ISSUER]);
    // A refused exchange leaves the code unspent.
    const unspent = await code();
    const exchange = (resources: string[]) => token({ grant_type: "authorization_code", code: unspent, code_verifier: VERIFIER }, resources);
    expect(await asyncErrorCode(exchange(["https://unlisted.example.com"]))).toBe("invalid_target");
    expect(await aud((await exchange([`${PATHLESS}/`])).access_token)).toEqual([PATHLESS, ISSUER]);

    const refresh = (refreshToken: string, resources: string[]) => token({ grant_type: "refresh_token", refresh_token: refreshToken }, resources);
    const narrowed = await refresh(all.refresh_token!, [`${PATHLESS}/`]);
    expect(await aud(narrowed.access_token)).toEqual([PATHLESS, ISSUER]);
    // Narrowing one access token leaves the grant whole: the next refresh may name the other resource.
    const other = await refresh(narrowed.refresh_token!, [MCP]);
    expect(await aud(other.access_token)).toEqual([MCP, ISSUER]);
    // A refused request does not spend the refresh token.
    expect(await asyncErrorCode(refresh(other.refresh_token!, ["https://unlisted.example.com"]))).toBe("invalid_target");
    expect(await aud((await refresh(other.refresh_token!, [])).access_token)).toEqual([PATHLESS, MCP, ISSUER]);
  });

  describe("a public (rotating) refresh token presented with a resource indicator", () => {
    // The resource check runs before the rotating statement, so it must leave retries and refusals exactly as without one.
    async function publicFamily(granted: string[], reuseSeconds = 30) {
      const { app } = await createApp(
        db.prisma,
        actor,
        { client_type: "first_party_public", name: "P", redirect_uris: ["http://127.0.0.1/cb"], refresh_token_reuse_seconds: reuseSeconds },
        "api",
      );
      const { params } = await authorizeRequest(app.client_id, granted);
      const row = await db.prisma.connectedApp.findUniqueOrThrow({ where: { clientId: app.client_id } });
      const t0 = new Date(Date.now() + 60_000);
      const token = (form: Record<string, string>, resources: string[], at: Date) => {
        const body = new URLSearchParams({ client_id: app.client_id, ...form });
        for (const resource of resources) body.append("resource", resource);
        return handleTokenRequest(withClock(db.oauth, at), { authorization: null, form: body });
      };
      const code = await issueAuthorizationCode(db.oauth, row.id, userId, params, t0, t0);
      const first = await token({ grant_type: "authorization_code", code, code_verifier: VERIFIER }, [], t0);
      const refresh = (refreshToken: string, resources: string[], afterMs: number) =>
        token({ grant_type: "refresh_token", refresh_token: refreshToken }, resources, new Date(t0.getTime() + afterMs));
      return { first, refresh };
    }

    it("a resource the family was not granted is refused and spends nothing", async () => {
      // No reuse interval: had the refusal spent the token, the next use would be a replay.
      const { first, refresh } = await publicFamily([MCP], 0);
      expect(await asyncErrorCode(refresh(first.refresh_token!, [PATHLESS], 1_000))).toBe("invalid_target");
      // Still the live token: it rotates normally, and its successor too.
      const second = await refresh(first.refresh_token!, [MCP], 2_000);
      expect((await refresh(second.refresh_token!, [MCP], 3_000)).refresh_token).toBeTruthy();
    });

    it.each([
      ["after the reuse interval", 120_000, false],
      ["at its end", 30_000, false],
      ["from a request that began before it was spent", -500, false],
      ["a second time inside the interval", 5_000, true],
    ])("a replay %s is a replay even with a resource it was not granted: the family is revoked", async (_, afterMs, retriedOnce) => {
      const { first, refresh } = await publicFamily([MCP]);
      let live = (await refresh(first.refresh_token!, [MCP], 1_000)).refresh_token!;
      if (retriedOnce) live = (await refresh(first.refresh_token!, [MCP], 2_000)).refresh_token!;
      // The spent token is the news, not the resource: invalid_grant, and nothing of the family works any more.
      expect(await asyncErrorCode(refresh(first.refresh_token!, [PATHLESS], 1_000 + afterMs))).toBe("invalid_grant");
      expect(await asyncErrorCode(refresh(live, [MCP], 200_000))).toBe("invalid_grant");
    });

    it.each([
      ["at the same moment it was spent", 0],
      ["5 s after", 5_000],
      ["just inside the 30 s interval", 29_999],
    ])("a retry %s (the answer was lost) gets a token once", async (_, retryAfterMs) => {
      const { first, refresh } = await publicFamily([MCP]);
      await refresh(first.refresh_token!, [MCP], 1_000);
      const retried = await refresh(first.refresh_token!, [MCP], 1_000 + retryAfterMs);
      expect(retried.refresh_token).toBeTruthy();
      // A second retry is a replay: the family, retried token included, is revoked.
      expect(await asyncErrorCode(refresh(first.refresh_token!, [MCP], 1_000 + retryAfterMs + 1))).toBe("invalid_grant");
      expect(await asyncErrorCode(refresh(retried.refresh_token!, [MCP], 1_000 + retryAfterMs + 2))).toBe("invalid_grant");
    });

    it.each([
      ["at the end of the 30 s interval", 30_000],
      ["long after it", 120_000],
      ["from a request that began before it was spent", -500],
    ])("a spent token presented %s is a replay that revokes the family", async (_, retryAfterMs) => {
      const { first, refresh } = await publicFamily([MCP]);
      const second = await refresh(first.refresh_token!, [MCP], 1_000);
      expect(await asyncErrorCode(refresh(first.refresh_token!, [MCP], 1_000 + retryAfterMs))).toBe("invalid_grant");
      expect(await asyncErrorCode(refresh(second.refresh_token!, [MCP], 200_000))).toBe("invalid_grant");
    });
  });
});
