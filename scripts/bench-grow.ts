// `npm run bench -- --grow` (scripts/bench.ts): a PostgreSQL schema grown in
// bulk before our server starts on it, the query plans of the token path on
// it, and the purge of its expired rows timed while the token path is under
// load.
//
// - Growth: plain SQL, a few INSERT … SELECT … FROM generate_series
//   statements (no per-row round trips): 100,000 connected apps (confidential,
//   one client secret each), 5,000 users (a few owners with API keys),
//   1,000,000 token families over them with one refresh token each (about a
//   fifth expired, as a backlog for the purge), authorization codes (most
//   older than the day they are kept), revoked access tokens (half expired)
//   and authorization requests (half expired). Ids are time-ordered like the
//   app's uuidv7 and rows are inserted in creation order, so tables and
//   indexes look like ones that grew over six months. Hashes are SHA-256 of
//   strings no client ever holds, so nothing can match them. Then VACUUM
//   ANALYZE (as autovacuum leaves a table in a steady state: statistics,
//   hint bits, visibility map) and a CHECKPOINT where allowed, so neither
//   autovacuum nor a checkpoint catches up during the measurement.
// - Plans: each statement of lib/db/oauth-store.ts that the token path and
//   the purge run, captured by calling the store's own functions with a
//   SqlClient that records instead of running, then EXPLAINed as a named
//   prepared statement is planned: custom plans (its first executions) and
//   the generic plan (what PostgreSQL may switch to after five).
// - Purge: lib/oauth/housekeeping.ts's purgeExpired, as the server runs it
//   (batches of PURGE_BATCH per kind, a pause between), through the store
//   over this process's pool, each statement timed.
import { performance } from "node:perf_hooks";
import type { Database } from "../lib/db";
import type { SqlClient, Statement } from "../lib/db/sql";

/** How much is added; BENCH_GROW_FAMILIES and BENCH_GROW_APPS make it smaller (or larger) for a quick try. */
export function growthSize() {
  const families = Number(process.env.BENCH_GROW_FAMILIES ?? 1_000_000);
  const apps = Number(process.env.BENCH_GROW_APPS ?? 100_000);
  if (!(Number.isInteger(families) && families >= 1000 && Number.isInteger(apps) && apps >= 10)) {
    throw new Error("BENCH_GROW_FAMILIES must be an integer ≥ 1000 and BENCH_GROW_APPS one ≥ 10");
  }
  return {
    apps,
    families,
    users: 5_000,
    owners: 10,
    apiKeys: 1_000,
    codes: Math.ceil(families / 20),
    revokedAccessTokens: Math.ceil(families / 20),
    authorizationRequests: Math.ceil(families / 100),
  };
}
export type GrowthSize = ReturnType<typeof growthSize>;

/** The tables growth writes to, VACUUM ANALYZEd after it. */
const GROWN_TABLES = [
  "users",
  "role_assignments",
  "api_keys",
  "connected_apps",
  "client_secrets",
  "token_families",
  "refresh_tokens",
  "authorization_codes",
  "revoked_access_tokens",
  "authorization_requests",
];

/** base64url SHA-256 of a text, as lib/crypto/tokens.ts hashToken writes it (43 characters). */
const hashOf = (text: string) => `rtrim(translate(encode(sha256(convert_to(${text}, 'UTF8')), 'base64'), '+/', '-_'), '=')`;
/** A uuidv7-like id: the millisecond of `at`, then bits from an md5 of `seed`. */
const idAt = (at: string, seed: string) =>
  `(lpad(to_hex(floor(extract(epoch FROM ${at}) * 1000)::bigint), 12, '0') || '7' || substr(md5(${seed}), 1, 3) || '8' || substr(md5(${seed}), 4, 15))::uuid`;
const appId = (n: string) => `md5('grow-app-' || (${n}))::uuid`;
const userId = (n: string) => `md5('grow-user-' || (${n}))::uuid`;
const SCOPES = `ARRAY['openid', 'profile', 'email', 'offline_access']`;
/** The built-in member role (migration 20261123232818_rbac_session_exchange). */
const MEMBER_ROLE = "01936b2a-0000-7000-8000-000000000001";

/** The growth, one statement per table. */
export function growthStatements(n: GrowthSize): { table: string; rows: number; sql: string }[] {
  // Of families older than 31 days (149 of 180 days), this share has a refresh token that expired: a fifth of all.
  const expiredShare = (0.2 * 180) / 149;
  const randomApp = `1 + floor(random() * ${n.apps})::int`;
  const randomUser = `1 + floor(random() * ${n.users})::int`;
  return [
    {
      table: "users",
      rows: n.users,
      sql: `INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
        SELECT ${userId("u")}, 'grow-user-' || u || '@bench.test', 'Grown User ' || u, '!bench-grow: no password',
          (CASE WHEN u <= ${n.owners} THEN 'owner' ELSE 'member' END)::user_role, now() - interval '200 days', now() - interval '200 days'
        FROM generate_series(1, ${n.users}) u`,
    },
    {
      table: "role_assignments",
      rows: n.users,
      sql: `INSERT INTO role_assignments (user_id, role_id) SELECT ${userId("u")}, '${MEMBER_ROLE}' FROM generate_series(1, ${n.users}) u`,
    },
    {
      table: "api_keys",
      rows: n.apiKeys,
      sql: `INSERT INTO api_keys (id, name, owner_id, key_hash, last4, created_at, revoked_at)
        SELECT md5('grow-key-' || k)::uuid, 'grown key ' || k, ${userId(`1 + k % ${n.owners}`)}, ${hashOf("'grow-key-' || k")}, 'grow',
          now() - interval '100 days', CASE WHEN k % 2 = 0 THEN now() - interval '10 days' END
        FROM generate_series(1, ${n.apiKeys}) k`,
    },
    {
      table: "connected_apps",
      rows: n.apps,
      sql: `INSERT INTO connected_apps (id, client_id, name, client_type, redirect_uris, post_logout_redirect_uris, allowed_scopes,
          creation_method, status, created_at, updated_at)
        SELECT ${appId("a")}, 'ca_' || left(${hashOf("'grow-app-' || a")}, 22), 'Grown app ' || a,
          (CASE WHEN a % 4 = 0 THEN 'third_party' ELSE 'first_party' END)::client_type,
          ARRAY['https://app' || a || '.example/callback'], ARRAY[]::text[], ${SCOPES},
          (CASE WHEN a % 3 = 0 THEN 'dashboard' ELSE 'api' END)::creation_method,
          (CASE WHEN a % 100 = 0 THEN 'disabled' ELSE 'active' END)::app_status, t, t
        FROM (SELECT a, now() - interval '200 days' + a * (interval '190 days' / ${n.apps}) AS t FROM generate_series(1, ${n.apps}) a) s`,
    },
    {
      table: "client_secrets",
      rows: n.apps,
      sql: `INSERT INTO client_secrets (id, app_id, slot, secret_hash, last4, created_at)
        SELECT md5('grow-secret-' || a)::uuid, ${appId("a")}, 'current', ${hashOf("'grow-secret-' || a")}, 'grow', now() - interval '10 days'
        FROM generate_series(1, ${n.apps}) a`,
    },
    {
      // Created over the last 180 days (none in the last hour); one in 50 revoked.
      table: "token_families",
      rows: n.families,
      sql: `INSERT INTO token_families (id, app_id, user_id, scopes, resources, auth_time, created_at, revoked_at)
        SELECT ${idAt("t", "'grow-family-' || i")}, ${appId(`1 + i % ${n.apps}`)}, ${userId(randomUser)}, ${SCOPES}, ARRAY[]::text[], t, t,
          CASE WHEN i % 50 = 0 THEN t + interval '1 hour' END
        FROM (SELECT i, now() - interval '1 hour' - random() * interval '180 days' AS t FROM generate_series(1, ${n.families}) i) s
        ORDER BY t`,
    },
    {
      // One per family (the bench's own families do not exist yet). Expired: last used between the
      // family's start and 31 days ago, then 30 days; unexpired: used within the last 30 days.
      table: "refresh_tokens",
      rows: n.families,
      sql: `INSERT INTO refresh_tokens (id, token_hash, family_id, expires_at, created_at)
        SELECT ${idAt("f.created_at", "'grow-refresh-' || f.id")}, ${hashOf("'grow-refresh-' || f.id")}, f.id,
          CASE WHEN f.created_at < now() - interval '31 days' AND random() < ${expiredShare.toFixed(4)}
            THEN f.created_at + interval '30 days' + random() * (now() - interval '31 days' - f.created_at)
            ELSE now() + interval '1 minute' + random() * interval '30 days' END,
          f.created_at
        FROM token_families f ORDER BY f.created_at`,
    },
    {
      // Redeemed codes: four in five older than the day they are kept (a backlog), the rest within it.
      table: "authorization_codes",
      rows: n.codes,
      sql: `INSERT INTO authorization_codes (id, code_hash, app_id, user_id, redirect_uri, redirect_uri_sent, scopes, resources,
          auth_time, expires_at, redeemed_at, family_id, created_at)
        SELECT ${idAt("t", "'grow-code-' || c")}, ${hashOf("'grow-code-' || c")}, ${appId("a")}, ${userId(randomUser)},
          'https://app' || a || '.example/callback', true, ${SCOPES}, ARRAY[]::text[], t, t + interval '60 seconds', t + interval '2 seconds',
          md5('grow-code-family-' || c)::uuid, t
        FROM (SELECT c, ${randomApp} AS a,
            CASE WHEN c % 5 = 0 THEN now() - random() * interval '1 day' ELSE now() - interval '1 day' - random() * interval '30 days' END AS t
          FROM generate_series(1, ${n.codes}) c) s
        ORDER BY t`,
    },
    {
      // jti is <family id>.<16 characters>; half expired.
      table: "revoked_access_tokens",
      rows: n.revokedAccessTokens,
      sql: `INSERT INTO revoked_access_tokens (jti, expires_at)
        SELECT md5('grow-jti-family-' || j)::uuid::text || '.' || left(${hashOf("'grow-jti-' || j")}, 16),
          CASE WHEN j % 2 = 0 THEN now() - random() * interval '30 days' ELSE now() + random() * interval '1 day' END
        FROM generate_series(1, ${n.revokedAccessTokens}) j`,
    },
    {
      table: "authorization_requests",
      rows: n.authorizationRequests,
      sql: `INSERT INTO authorization_requests (id, binding_hash, app_id, params, created_at, expires_at)
        SELECT ${idAt("t", "'grow-request-' || r")}, ${hashOf("'grow-request-' || r")}, ${appId(randomApp)}, '{}'::jsonb, t, t + interval '10 minutes'
        FROM (SELECT r, CASE WHEN r % 2 = 0 THEN now() - random() * interval '5 minutes'
            ELSE now() - interval '1 hour' - random() * interval '30 days' END AS t
          FROM generate_series(1, ${n.authorizationRequests}) r) s
        ORDER BY t`,
    },
  ];
}

export interface GrowthReport {
  size: GrowthSize;
  /** Seconds: the inserts, then VACUUM ANALYZE (and CHECKPOINT). */
  insertSeconds: number;
  vacuumSeconds: number;
  checkpoint: string;
  /** Rows that are purgeable right after growth, per kind (what the purge should delete). */
  purgeable: Record<string, number>;
  /** pg_total_relation_size of the two big tables, in MB. */
  sizeMb: Record<string, number>;
}

/** Grows the database (PostgreSQL, the bench's schema) in bulk; see the top of this file. */
export async function growDatabase(db: Database, step: (message: string) => void): Promise<GrowthReport> {
  const size = growthSize();
  const statements = growthStatements(size);
  const started = performance.now();
  await db.withSession(async (session) => {
    for (const { table, rows, sql } of statements) {
      const t0 = performance.now();
      await session.exec(sql);
      step(`  ${table}: ${rows.toLocaleString("en")} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  });
  const insertSeconds = (performance.now() - started) / 1000;
  const vacuumStarted = performance.now();
  const checkpoint = await db.withSession(async (session) => {
    for (const table of GROWN_TABLES) await session.exec(`VACUUM (ANALYZE) ${table}`);
    try {
      await session.exec("CHECKPOINT");
      return "done";
    } catch (error) {
      return `not allowed (${(error as Error).message})`;
    }
  });
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  const [counts] = await db.withSession((s) =>
    s.query<Record<string, number>>(`SELECT
      (SELECT count(*)::int FROM refresh_tokens WHERE expires_at < now() - interval '1 day') AS refresh_tokens,
      (SELECT count(*)::int FROM token_families f WHERE f.expires_at < now()
        OR (EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = f.id)
          AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = f.id AND r.expires_at >= now() - interval '1 day'))) AS token_families,
      (SELECT count(*)::int FROM authorization_codes WHERE expires_at < now() - interval '1 day') AS authorization_codes,
      (SELECT count(*)::int FROM revoked_access_tokens WHERE expires_at < now()) AS revoked_access_tokens,
      (SELECT count(*)::int FROM authorization_requests WHERE expires_at < now()) AS authorization_requests,
      (pg_total_relation_size('token_families') / 1048576)::int AS token_families_mb,
      (pg_total_relation_size('refresh_tokens') / 1048576)::int AS refresh_tokens_mb`),
  );
  const { token_families_mb, refresh_tokens_mb, ...purgeable } = counts!;
  return { size, insertSeconds, vacuumSeconds, checkpoint, purgeable, sizeMb: { token_families: token_families_mb!, refresh_tokens: refresh_tokens_mb! } };
}

// ---------------------------------------------------------------- plans

export interface PlanCheck {
  /** The store function and the statement's name. */
  call: string;
  statement: string;
  custom: string;
  generic: string;
  /** Tables of more than 10,000 rows read by a sequential scan, in either plan. */
  seqScans: string[];
}

/**
 * The statements of lib/db/oauth-store.ts on the token path and in the
 * purge, with values from the grown data, EXPLAINed on this database. They
 * are captured by calling the store's functions over a SqlClient that only
 * records (and answers no rows), so they are the store's own statements.
 */
export async function explainTokenPath(db: Database): Promise<PlanCheck[]> {
  const { sqlOAuthStore } = await import("../lib/db/oauth-store");
  const { API_KEY_PREFIX } = await import("../lib/auth/api-keys");
  const { sqlLiteral } = await import("../lib/db/sql-literal");
  const { hashToken } = await import("../lib/crypto/tokens");

  const [sample] = await db.withSession((s) =>
    s.query<{ token_hash: string; family_id: string; app_id: string; client_id: string; user_id: string; code_hash: string; jti: string }>(
      `SELECT r.token_hash, f.id AS family_id, f.app_id, a.client_id, f.user_id,
          (SELECT code_hash FROM authorization_codes ORDER BY created_at DESC LIMIT 1) AS code_hash,
          (SELECT jti FROM revoked_access_tokens LIMIT 1) AS jti
        FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id JOIN connected_apps a ON a.id = f.app_id
        WHERE r.expires_at > now() ORDER BY r.created_at DESC LIMIT 1`,
    ),
  );
  if (!sample) throw new Error("explainTokenPath: the database has not grown (no refresh token)");
  const bigTables = new Set(
    (await db.withSession((s) => s.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > 10000 AND relnamespace = current_schema()::regnamespace"))).map(
      (r) => r.relname,
    ),
  );

  const recorded: { call: string; statement: Statement; values: readonly unknown[] }[] = [];
  let call = "";
  const recorder: SqlClient = {
    async query(statement, values) {
      recorded.push({ call, statement, values });
      // The purge statements always answer one row of counts, which purgeExpired reads: "nothing purged".
      return (statement.name.startsWith("oauth_purge") ? [{ n: 0, tokens: 0, families: 0 }] : []) as never;
    },
  };
  const store = sqlOAuthStore({ sql: recorder, prisma: db.prisma });
  const now = new Date();
  const later = new Date(now.getTime() + 30 * 86_400_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const calls: [string, () => Promise<unknown>][] = [
    ["findClient (client by client_id, secrets by app_id)", () => store.findClient(sample.client_id)],
    ["redeemCode (code by hash)", () =>
      store.redeemCode({
        codeHash: sample.code_hash, appId: sample.app_id, redirectUri: "https://app.example/callback", codeChallenge: null, now,
        familyId: crypto.randomUUID(), refreshToken: { id: crypto.randomUUID(), hash: hashToken("bench-grow-new"), expiresAt: later },
        familyExpiresAt: later,
      })],
    ["findCode", () => store.findCode(sample.code_hash)],
    ["familyOfCode", () => store.familyOfCode(sample.code_hash)],
    ["useRefreshToken slide (refresh by hash)", () =>
      store.useRefreshToken({ tokenHash: sample.token_hash, appId: sample.app_id, requiredScopes: ["openid"], now, mode: { kind: "slide", expiresAt: later } })],
    ["useRefreshToken rotate (refresh by hash)", () =>
      store.useRefreshToken({
        tokenHash: sample.token_hash, appId: sample.app_id, requiredScopes: ["openid"], now,
        mode: { kind: "rotate", next: { id: crypto.randomUUID(), hash: hashToken("bench-grow-next"), expiresAt: later } },
      })],
    ["findRefreshToken", () => store.findRefreshToken(sample.token_hash)],
    ["revokeFamily (family by id)", () => store.revokeFamily(sample.family_id, now)],
    ["revokeAccessToken", () => store.revokeAccessToken(`${sample.family_id}.benchgrowjti0000`, later)],
    ["accessTokenStatus (family by id, revoked jti, user by id)", () => store.accessTokenStatus(sample.family_id, sample.jti, sample.user_id)],
    ["ownerApiKeyValid (API key by hash)", () => store.ownerApiKeyValid(`${API_KEY_PREFIX}bench-grow-not-a-key`)],
    ["purgeExpired (one batch of each kind)", () =>
      store.purgeExpired({ now, codesBefore: dayAgo, refreshBefore: dayAgo, exchangesBefore: dayAgo, activityBefore: dayAgo }, 1000)],
  ];
  for (const [name, run] of calls) {
    call = name;
    await run();
  }

  const checks: PlanCheck[] = [];
  await db.withSession(async (s) => {
    for (const { call: name, statement, values } of recorded) {
      const prepared = `bench_grow_${statement.name}`;
      await s.exec(`PREPARE ${prepared} AS ${statement.text}`);
      const execute = `EXECUTE ${prepared}(${values.map((v) => sqlLiteral(v)).join(", ")})`;
      const plan = async (mode: string) => {
        await s.exec(`SET plan_cache_mode = ${mode}`);
        return (await s.query<{ "QUERY PLAN": string }>(`EXPLAIN (COSTS OFF) ${execute}`)).map((r) => r["QUERY PLAN"]).join("\n");
      };
      const custom = await plan("force_custom_plan");
      const generic = await plan("force_generic_plan");
      await s.exec(`RESET plan_cache_mode; DEALLOCATE ${prepared}`);
      const seqScans = [...new Set([...`${custom}\n${generic}`.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]!).filter((t) => bigTables.has(t)))];
      checks.push({ call: name, statement: statement.name, custom, generic, seqScans });
    }
  });
  return checks;
}

/** The plans, and what reads a large table without an index. */
export function printPlans(checks: PlanCheck[], verbose: boolean) {
  const indexes = (plan: string) =>
    [...new Set([...plan.matchAll(/(?:Index Scan|Index Only Scan)(?: Backward)? using (\w+)|Conflict Arbiter Indexes: (\w+)/g)].map((m) => (m[1] ?? m[2])!))];
  for (const c of checks) {
    const verdict = c.seqScans.length ? `SEQUENTIAL SCAN of ${c.seqScans.join(", ")}` : `indexes: ${indexes(c.generic).join(", ") || "-"}`;
    console.log(`  ${c.statement} (${c.call}): ${verdict}`);
    if (verbose || c.seqScans.length) {
      const indent = (plan: string) => plan.replaceAll(/^/gm, "      ");
      if (c.custom === c.generic) console.log(`    custom and generic plan:\n${indent(c.custom)}`);
      else console.log(`    custom plan:\n${indent(c.custom)}\n    generic plan:\n${indent(c.generic)}`);
    }
  }
}

// ---------------------------------------------------------------- purge

export interface PurgeReport {
  seconds: number;
  /** Rows deleted, per statement name. */
  deleted: Record<string, number>;
  /** Per statement: executions, total and longest milliseconds. */
  statements: { name: string; count: number; totalMs: number; maxMs: number }[];
  /** Stopped at the time limit before it was done. */
  stopped?: boolean;
  error?: string;
}

/**
 * lib/oauth/housekeeping.ts's purgeExpired on this database, as the server
 * runs it, each statement timed; stopped (between two statements) after
 * `maxSeconds` if it is not done by then.
 */
export async function timedPurge(db: Database, issuer: string, maxSeconds: number): Promise<PurgeReport> {
  const { sqlOAuthStore } = await import("../lib/db/oauth-store");
  const { purgeExpired } = await import("../lib/oauth/housekeeping");
  const { createOAuthContext } = await import("../lib/oauth/context");
  const stats = new Map<string, { count: number; totalMs: number; maxMs: number }>();
  const deleted: Record<string, number> = {};
  const started = performance.now();
  const STOP = "bench: time limit of the purge";
  const timed: SqlClient = {
    async query<Row extends Record<string, unknown>>(statement: Statement, values: readonly unknown[]) {
      if (performance.now() - started > maxSeconds * 1000) throw new Error(STOP);
      const t0 = performance.now();
      const rows = await db.sql.query<Row>(statement, values);
      const ms = performance.now() - t0;
      const s = stats.get(statement.name) ?? { count: 0, totalMs: 0, maxMs: 0 };
      stats.set(statement.name, { count: s.count + 1, totalMs: s.totalMs + ms, maxMs: Math.max(s.maxMs, ms) });
      // Each purge statement answers one row of counts (`n`, or one per table it deletes from).
      const counted = Object.values(rows[0] ?? {}).reduce<number>((sum, value) => sum + (typeof value === "number" ? value : 0), 0);
      deleted[statement.name] = (deleted[statement.name] ?? 0) + counted;
      return rows;
    },
  };
  // The purge reads only the store and the clock; the key is never used.
  const ctx = createOAuthContext({ store: sqlOAuthStore({ sql: timed, prisma: db.prisma }), issuer, keyFor: () => Buffer.alloc(32) });
  let stopped = false;
  let error: string | undefined;
  try {
    await purgeExpired(ctx);
  } catch (e) {
    if ((e as Error).message === STOP) stopped = true;
    else error = (e as Error).message;
  }
  return {
    seconds: (performance.now() - started) / 1000,
    deleted,
    statements: [...stats].map(([name, s]) => ({ name, ...s })),
    ...(stopped ? { stopped } : {}),
    ...(error ? { error } : {}),
  };
}

export function printPurge(p: PurgeReport, phaseSeconds: number) {
  const overlap = p.seconds >= phaseSeconds ? "the whole measured phase" : `${((100 * p.seconds) / phaseSeconds).toFixed(0)}% of the measured phase`;
  console.log(
    "\npurge of the grown schema (lib/oauth/housekeeping.ts purgeExpired over the bench's own connections), started with the measured part of the last phase:",
  );
  if (p.error) console.log(`  FAILED: ${p.error}`);
  console.log(`  ${p.seconds.toFixed(1)} s, ${overlap}${p.stopped ? "; STOPPED at the bench's time limit (BENCH_PURGE_SECONDS), not done" : ", done"}`);
  for (const s of [...p.statements].sort((a, b) => b.maxMs - a.maxMs)) {
    console.log(
      `  ${s.name}: ${(p.deleted[s.name] ?? 0).toLocaleString("en")} rows deleted in ${s.count} statements, ` +
        `mean ${(s.totalMs / s.count).toFixed(1)} ms, longest ${s.maxMs.toFixed(1)} ms`,
    );
  }
}
