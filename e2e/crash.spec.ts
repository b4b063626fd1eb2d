import { expect, test } from "@playwright/test";
import { Load, type Chain } from "./crash/load";
import { CrashServer, type CrashTarget } from "./crash/server";
import { Provider, type Reply } from "./oauth/flows";
import { E2E_PORT, PG_TEST_URL } from "./servers.mjs";

// Crash consistency (docs/decisions.md, "Hardening (issue 13)"): a server
// under sustained load is killed with SIGKILL and started again on the same
// database; every answer a client received must still hold, and a refresh
// whose answer was lost must not sign the user out. Each database gets its
// own server here (E2E_PORT + 10 on PGlite, + 11 on PostgreSQL).

const CHAINS = 12; // public refresh-token families, refreshed in a loop each
const CODE_WORKERS = 3; // authorization-code flows + exchanges, one signed-in session each
const CREATORS = 2; // management-API app creations
const LOAD_MS = 3_000; // load before the kill
const REUSE_S = 30; // the default refresh_token_reuse_seconds, which the apps keep

function postgresTarget(): CrashTarget | null {
  if (!PG_TEST_URL) return null;
  const url = new URL(PG_TEST_URL);
  url.searchParams.set("schema", `crash_${E2E_PORT}`);
  return { name: "PostgreSQL", port: E2E_PORT + 11, databaseUrl: url.href };
}

const outcome = (r: Reply) => (r.status === 200 ? "200" : `${r.status} ${r.text.slice(0, 200)}`);

/** Runs `check` on every item, a few at a time (the server shares two cores with the test). */
async function eachOf<T>(items: T[], check: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: 6 }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await check(item);
  }));
}

const targets: { name: string; target: () => CrashTarget | null }[] = [
  { name: "PGlite", target: () => ({ name: "PGlite", port: E2E_PORT + 10 }) },
  { name: "PostgreSQL", target: postgresTarget },
];

test.describe("crash: SIGKILL under load, restart on the same data", () => {
  for (const { name, target: targetOf } of targets) {
    test(`${name}: every answer the clients got still holds, and lost refresh answers can be retried`, async () => {
      const target = targetOf();
      test.skip(target === null, "TEST_DATABASE_URL is not set");
      test.setTimeout(180_000);
      const server = new CrashServer(target!);
      try {
        await crashAndCheck(server);
      } finally {
        await test.info().attach("server log", { body: await server.dispose(), contentType: "text/plain" });
      }
    });
  }
});

async function crashAndCheck(server: CrashServer): Promise<void> {
  const pglite = server.target.databaseUrl === undefined;
  const key = await server.seed();
  const firstStart = await server.start();
  const op = new Provider(server.origin, key);

  // Set-up: one app per kind of client, signed-in sessions, a first token per chain.
  const publicApp = await op.createApp("first_party_public");
  const confidentialApp = await op.createApp("first_party");
  const sessions = await Promise.all(Array.from({ length: CODE_WORKERS }, () => op.signedIn()));
  const firsts = await Promise.all(Array.from({ length: CHAINS }, (_, i) => op.tokens(publicApp, { session: sessions[i % CODE_WORKERS] })));

  const load = new Load(op);
  for (const first of firsts) load.refreshing({ app: publicApp, held: first.refresh_token!, accessTokens: [first.access_token], refreshes: 0, died: false });
  for (const session of sessions) load.exchanging(confidentialApp, session);
  for (let i = 0; i < CREATORS; i++) load.creating(key);
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));

  const holder = server.lockHolder();
  await server.kill();
  const killedAt = Date.now();
  await load.ended();
  const { chains, exchanges, createdApps, unansweredCreations, unexpected } = load.record;
  expect(unexpected, "answers under load before the kill").toEqual([]);
  const refreshes = chains.reduce((n, c) => n + c.refreshes, 0);
  expect(refreshes, "refreshes answered before the kill").toBeGreaterThan(CHAINS);
  expect(exchanges.length, "code exchanges answered before the kill").toBeGreaterThan(0);
  expect(createdApps.length, "apps created before the kill").toBeGreaterThan(0);
  if (pglite) {
    // The dead server's lock is still there: the restart must take it over (lib/db/data-dir-lock.ts).
    expect(holder).not.toBeNull();
    expect(server.lockHolder()).toBe(holder);
  }

  const restart = await server.start();
  const problems: string[] = [];

  // Refresh chains whose last request died: was it committed (its token is spent)? Introspection only reads.
  const died = chains.filter((c) => c.died);
  const committed = new Set<Chain>();
  await eachOf(died, async (chain) => {
    if (!(await op.isActive(chain.held))) committed.add(chain);
  });
  // The client retries with the token it holds: within the reuse interval that succeeds either way.
  await eachOf(died, async (chain) => {
    const reply = await op.refresh(chain.app, chain.held);
    if (reply.status !== 200) return void problems.push(`retry of a refresh that died (${committed.has(chain) ? "committed" : "not committed"}): ${outcome(reply)}`);
    chain.held = reply.json.refresh_token;
    chain.accessTokens.push(reply.json.access_token);
  });
  const retriedAfter = Date.now() - killedAt;

  // No family was revoked: each chain goes on with the token it holds, and every access token it received is active.
  await eachOf(chains, async (chain) => {
    const reply = await op.refresh(chain.app, chain.held);
    if (reply.status !== 200) problems.push(`refresh with the held token after the restart: ${outcome(reply)}`);
    for (const token of chain.accessTokens) if (!(await op.isActive(token))) problems.push(`an access token of a chain (${chain.refreshes} refreshes) is inactive`);
  });
  // Code exchanges that were answered: the access token is active, the (confidential, sliding) refresh token works.
  await eachOf(exchanges, async (exchange) => {
    if (!(await op.isActive(exchange.accessToken))) problems.push("an access token from a code exchange is inactive");
    const reply = await op.refresh(exchange.app, exchange.refreshToken);
    if (reply.status !== 200) problems.push(`refresh token from a code exchange: ${outcome(reply)}`);
  });
  // Apps answered 201 exist.
  await eachOf(createdApps, async (clientId) => {
    const reply = await op.send(`/api/v1/connected-apps/${encodeURIComponent(clientId)}`, { headers: { authorization: `Bearer ${key}` } });
    if (reply.status !== 200 || reply.json?.client_id !== clientId) problems.push(`GET app ${clientId}: ${outcome(reply)}`);
  });
  // And the restarted server takes new work on the same data.
  if ((await op.send("/api/health")).status !== 200) problems.push("health after the checks");
  await op.tokens(publicApp, { session: sessions[0] });
  if (pglite) expect(server.lockHolder(), "the restarted server holds the lock").not.toBe(holder);

  const summary =
    `${server.target.name}: start ${(firstStart / 1000).toFixed(1)} s, restart after SIGKILL ${(restart / 1000).toFixed(1)} s; ` +
    `before the kill ${refreshes} refreshes in ${CHAINS} chains, ${exchanges.length} code exchanges, ${createdApps.length} apps created ` +
    `(${unansweredCreations} creations unanswered); ${died.length} refreshes died with the server, ${committed.size} of them committed, ` +
    `retried ${(retriedAfter / 1000).toFixed(1)} s after the kill`;
  console.log(`crash: ${summary}`);
  test.info().annotations.push({ type: "crash", description: summary });
  expect(retriedAfter, "the retries ran within the reuse interval (else they could not succeed)").toBeLessThan(REUSE_S * 1000);
  expect(problems).toEqual([]);
}
