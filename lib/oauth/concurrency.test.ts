import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { createUser } from "../auth/users";
import { createApp } from "../clients/apps";
import { issueAuthorizationCode } from "./codes";
import { OAuthError } from "./oauth-error";
import { ensureSigningKeys } from "../keys/signing-keys";
import { handleTokenRequest } from "./token-endpoint";

const PARALLEL = 50;

// Several server instances on one PostgreSQL: four connection pools race on
// the same rows, so single use must hold in the database, not in memory.
// PGlite is one process by construction: there, one instance races itself.
describe.each(testDatabases)("single use under concurrency on $name", ({ name, target }) => {
  let instances: (TestDatabase)[] = [];
  beforeAll(async () => {
    const t = await target();
    const first = await openTestDatabase(t);
    const others = name === "postgres" ? await Promise.all([1, 2, 3].map(() => openTestDatabase({ ...t, drop: async () => {} }))) : [];
    instances = [...others, first];
    await ensureSigningKeys(first.prisma);
  });
  afterAll(async () => {
    for (const db of instances) await db.dispose();
  });

  async function publicAppWithCode(scopes: string[], settings: Record<string, unknown> = {}) {
    const prisma = instances[0]!.prisma;
    const user = await createUser(prisma, { email: `race-${Math.random()}@example.com`, password: "correct horse battery" }, "member");
    const { app } = await createApp(
      prisma,
      { type: "system", id: null, label: "t" },
      { client_type: "third_party_public", name: "Race", redirect_uris: ["http://127.0.0.1/cb"], ...settings },
      "api",
    );
    const row = (await prisma.connectedApp.findUnique({ where: { clientId: app.client_id } }))!;
    const params = { clientId: app.client_id, redirectUri: "http://127.0.0.1/cb", redirectUriSent: true, scopes, prompt: [], resources: [] };
    const code = await issueAuthorizationCode(instances[0]!.oauth, row.id, user.id, params, new Date(), new Date());
    return { clientId: app.client_id, code };
  }

  const race = (forms: (i: number) => URLSearchParams) =>
    Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        handleTokenRequest(instances[i % instances.length]!.oauth, { authorization: null, form: forms(i) }).then(
          (tokens) => ({ ok: true as const, tokens }),
          (e: unknown) => {
            if (!(e instanceof OAuthError)) throw e;
            return { ok: false as const, code: e.code };
          },
        ),
      ),
    );

  it(`${PARALLEL} redemptions of one code: exactly one succeeds, and the reuse revokes its tokens`, async () => {
    const { clientId, code } = await publicAppWithCode(["openid", "offline_access"]);
    const results = await race(() => new URLSearchParams({ grant_type: "authorization_code", code, client_id: clientId, redirect_uri: "http://127.0.0.1/cb" }));
    const wins = results.filter((r) => r.ok);
    expect(wins).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.code))).toEqual(Array(PARALLEL - 1).fill("invalid_grant"));
    const families = await instances[0]!.prisma.tokenFamily.findMany({ where: { app: { clientId } } });
    expect(families).toHaveLength(1);
    expect(families[0]!.revokedAt).not.toBeNull();
  });

  async function firstTokens(clientId: string, code: string) {
    return handleTokenRequest(instances[0]!.oauth, {
      authorization: null,
      form: new URLSearchParams({ grant_type: "authorization_code", code, client_id: clientId, redirect_uri: "http://127.0.0.1/cb" }),
    });
  }

  it(`${PARALLEL} uses of one public refresh token within the reuse interval: the first and at most one retry succeed, and the family is revoked`, async () => {
    const { clientId, code } = await publicAppWithCode(["offline_access"]);
    const first = await firstTokens(clientId, code);
    const results = await race(() => new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refresh_token!, client_id: clientId }));
    const won = results.filter((r) => r.ok).length;
    expect(won).toBeGreaterThanOrEqual(1);
    expect(won).toBeLessThanOrEqual(2);
    const family = await instances[0]!.prisma.tokenFamily.findFirstOrThrow({ where: { app: { clientId } } });
    expect(family.revokedAt).not.toBeNull();
    expect(await instances[0]!.prisma.refreshToken.count({ where: { familyId: family.id } })).toBe(1 + won);
  });

  it(`${PARALLEL} uses of one public refresh token without a reuse interval: exactly one succeeds, and the family is revoked`, async () => {
    const { clientId, code } = await publicAppWithCode(["offline_access"], { refresh_token_reuse_seconds: 0 });
    const first = await handleTokenRequest(instances[0]!.oauth, {
      authorization: null,
      form: new URLSearchParams({ grant_type: "authorization_code", code, client_id: clientId, redirect_uri: "http://127.0.0.1/cb" }),
    });
    const results = await race(() => new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refresh_token!, client_id: clientId }));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const family = await instances[0]!.prisma.tokenFamily.findFirstOrThrow({ where: { app: { clientId } } });
    expect(family.revokedAt).not.toBeNull();
    // Exactly one new refresh token was issued, and it is dead with its family.
    expect(await instances[0]!.prisma.refreshToken.count({ where: { familyId: family.id } })).toBe(2);
  });
});
