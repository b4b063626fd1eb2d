import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSigningKeys } from "@/lib/keys/signing-keys";
import { decide, deviceClient, pollAs } from "@/tests/device-client";
import { openTestDatabase, testDatabases, type TestDatabase } from "@/tests/databases";
import { oauthError, signedInUser } from "@/tests/oauth-client";

const PARALLEL = 12;

// Several server instances on one PostgreSQL: each its own connection pool,
// racing on one device code, so single use and the polling interval must be
// decided by the database. PGlite is one process: one instance races itself.
describe.each(testDatabases)("device codes under concurrency on $name", ({ name, target }) => {
  let instances: TestDatabase[] = [];
  beforeAll(async () => {
    const t = await target();
    const first = await openTestDatabase(t);
    const other = name === "postgres" ? [await openTestDatabase({ ...t, drop: async () => {} })] : [];
    instances = [...other, first];
    await ensureSigningKeys(first.prisma);
  });
  afterAll(async () => {
    for (const db of instances) await db.dispose();
  });

  /** One app as every instance sees it: the same client_id, polled through each instance's own context. */
  async function clientOnEveryInstance() {
    const home = await deviceClient(instances[0]!);
    const clients = instances.map((db) => ({ poll: (code: string, now?: Date) => pollAs(db, home.clientId, code, now) }));
    return { home, clients };
  }

  it(`${PARALLEL} polls of one approved device code on every instance: exactly one gets tokens`, async () => {
    const { home, clients } = await clientOnEveryInstance();
    const session = await signedInUser(instances[0]!.prisma);
    const { device_code, user_code } = await home.start({ scope: "openid offline_access" });
    await decide(instances[0]!, session, user_code, "allow");
    const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => oauthError(clients[i % clients.length]!.poll(device_code))));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r !== "ok").every((r) => r === "invalid_grant")).toBe(true);
    expect(await instances[0]!.prisma.tokenFamily.count({ where: { app: { clientId: home.clientId } } })).toBe(1);
    expect(await instances[0]!.prisma.refreshToken.count({ where: { family: { app: { clientId: home.clientId } } } })).toBe(1);
  });

  it(`${PARALLEL} polls of one pending device code at once: one is on time, every other is slow_down and adds 5 s`, async () => {
    const { home, clients } = await clientOnEveryInstance();
    const { device_code } = await home.start({ scope: "openid" });
    const now = new Date();
    const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => oauthError(clients[i % clients.length]!.poll(device_code, now))));
    expect(results.filter((r) => r === "authorization_pending")).toHaveLength(1);
    expect(results.filter((r) => r === "slow_down")).toHaveLength(PARALLEL - 1);
    const row = await instances[0]!.prisma.deviceAuthorization.findFirstOrThrow({ where: { app: { clientId: home.clientId } } });
    expect(row.intervalSeconds).toBe(5 + 5 * (PARALLEL - 1));
  });
});
