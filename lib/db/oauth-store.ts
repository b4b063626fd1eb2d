import { API_KEY_PREFIX } from "../auth/api-keys";
import { hashToken } from "../crypto/tokens";
import { uuidv7 } from "../crypto/uuid";
import { resolveCimdApp } from "../clients/cimd";
import type { ClientType, TokenEndpointAuthMethod } from "../clients/policy";
import type { ClientJwks } from "../clients/client-jwks";
import { grantableFor } from "../rbac/grantable";
import { PROJECT_SETTING_KEYS, settingsFromRows } from "../settings";
import type {
  AccessTokenStatus,
  CodeRecord,
  CodeRedemption,
  NewCode,
  OAuthClient,
  OAuthStore,
  RedeemCodeInput,
  RefreshRecord,
  RefreshUse,
  SigningKeyRecord,
  UseRefreshTokenInput,
  UserRecord,
} from "../oauth/store";
import type { PrismaClient } from "./generated/client.ts";
import { sqlDeviceStore } from "./device-store";
import { startFamily } from "./family-sql";
import { prismaInteractionStore } from "./interaction-store";
import { sqlPushedRequestStore } from "./pushed-request-store";
import type { SqlClient, Statement } from "./sql";

/**
 * The protocol store (lib/oauth/store.ts) in SQL that PostgreSQL and PGlite
 * both run. The token path is one prepared statement per verb: reads join
 * what the caller needs next, and the atomic verbs are data-modifying CTEs
 * whose conditional UPDATE decides single use. Cold verbs (metadata
 * documents, custom-scope permissions) go through Prisma.
 */
export function sqlOAuthStore(db: { sql: SqlClient; prisma: PrismaClient }): OAuthStore {
  const { sql, prisma } = db;
  const settings = async () => settingsFromRows(await sql.query<{ key: string; value: unknown }>(PROJECT_SETTINGS, [PROJECT_SETTING_KEYS]));
  const one = async <Row extends Record<string, unknown>>(statement: Statement, values: readonly unknown[]) =>
    (await sql.query<Row>(statement, values))[0];

  return {
    ...prismaInteractionStore(prisma),
    ...sqlDeviceStore(sql),
    ...sqlPushedRequestStore(sql),

    async findClient(clientId) {
      const row = await one<ClientRow>(FIND_CLIENT, [clientId]);
      return row ? toClient(row) : null;
    },

    async refreshMetadataClient(clientId, requester) {
      await resolveCimdApp(prisma, clientId, {}, requester);
    },

    async insertCode(code: NewCode) {
      await sql.query(INSERT_CODE, [
        code.codeHash, code.appId, code.userId, code.redirectUri, code.redirectUriSent, code.scopes, code.resources,
        code.nonce, code.codeChallenge, code.authTime, code.expiresAt, uuidv7(), code.signIn.amr, code.signIn.idp, code.dpopJkt ?? null,
      ]);
    },

    async redeemCode(input: RedeemCodeInput): Promise<CodeRedemption> {
      const rt = input.refreshToken;
      const row = await one<CodeRow & RedeemFlags & UserColumns>(REDEEM_CODE, [
        input.codeHash, input.appId, input.redirectUri ?? null, input.codeChallenge, input.now, input.familyId,
        rt?.id ?? null, rt?.hash ?? null, rt?.expiresAt ?? null, input.familyExpiresAt, input.dpopJkt ?? null, input.familyDpopJkt ?? null,
      ]);
      if (!row) return { won: false, code: null };
      const code = toCode(row);
      if (row.won !== 1) return { won: false, code };
      return { won: true, code, refreshTokenStored: row.refresh_stored === 1, user: toUser(row) };
    },

    async findCode(codeHash) {
      const row = await one<CodeRow>(FIND_CODE, [codeHash]);
      return row ? toCode(row) : null;
    },

    async familyOfCode(codeHash) {
      return (await one<{ family_id: string | null }>(FAMILY_OF_CODE, [codeHash]))?.family_id ?? null;
    },

    async useRefreshToken(input: UseRefreshTokenInput): Promise<RefreshUse> {
      const { mode } = input;
      const row =
        mode.kind === "slide"
          ? await one<RefreshRow & { used: number } & UserColumns>(SLIDE_REFRESH, [
              input.tokenHash, input.appId, input.requiredScopes, input.now, mode.expiresAt, input.dpopJkt ?? null,
            ])
          : await one<RefreshRow & { used: number } & UserColumns>(ROTATE_REFRESH, [
              input.tokenHash, input.appId, input.requiredScopes, input.now, mode.next.id, mode.next.hash, mode.next.expiresAt, input.dpopJkt ?? null,
            ]);
      if (!row) return { used: false, token: null };
      const token = toRefresh(row);
      return row.used === 1 ? { used: true, token, user: toUser(row) } : { used: false, token };
    },

    async findRefreshToken(tokenHash) {
      const row = await one<RefreshRow>(FIND_REFRESH, [tokenHash]);
      return row ? toRefresh(row) : null;
    },

    async useClientAssertion(jtiHash, expiresAt) {
      return (await sql.query(USE_CLIENT_ASSERTION, [jtiHash, expiresAt])).length === 1;
    },

    async useDpopProof(jtiHash, expiresAt) {
      return (await sql.query(USE_DPOP_PROOF, [jtiHash, expiresAt])).length === 1;
    },

    async recordClientAuthentication(appId, method, at) {
      await sql.query(RECORD_CLIENT_AUTHENTICATION, [appId, at, method]);
    },

    async addActivity(rows) {
      if (rows.length === 0) return;
      // Text arrays (all PGlite's literals take), cast back in the statement; "" for no app.
      const columns = [rows.map((r) => r.bucket.toISOString()), rows.map((r) => r.appId ?? ""), rows.map((r) => r.kind), rows.map((r) => String(r.count))];
      await sql.query(ADD_ACTIVITY, columns);
    },

    async revokeFamily(familyId, now) {
      await sql.query(REVOKE_FAMILY, [familyId, now]);
    },

    async revokeAccessToken(jti, expiresAt) {
      await sql.query(REVOKE_ACCESS_TOKEN, [jti, expiresAt]);
    },

    async machineTokenRevoked(appId, jti) {
      const row = await one<{ revoked: boolean }>(MACHINE_TOKEN_STATUS, [appId, jti]);
      return row?.revoked !== false;
    },

    async accessTokenStatus(familyId, jti, userId): Promise<AccessTokenStatus> {
      const row = await one<{ revoked: boolean } & UserColumns>(ACCESS_TOKEN_STATUS, [familyId, jti, userId ?? null]);
      return { revoked: row?.revoked !== false, user: row ? toUser(row) : null };
    },

    async grantableScopes(userId, scopes) {
      return (await grantableFor(prisma, userId, scopes)).grantable;
    },

    async ownerApiKeyValid(key) {
      if (!key.startsWith(API_KEY_PREFIX)) return false;
      return (await sql.query(OWNER_API_KEY, [hashToken(key)])).length === 1;
    },

    async resourceServers() {
      return (await settings()).resource_servers;
    },

    async registrationSettings() {
      const { dcr_enabled, cimd_enabled } = await settings();
      return { dcrEnabled: dcr_enabled, cimdEnabled: cimd_enabled };
    },

    async accessTokenAlg() {
      return (await settings()).access_token_alg;
    },

    async pushedRequestsRequired() {
      return (await settings()).require_par;
    },

    async purgeExpired(cutoffs, limit) {
      // Each statement returns exactly one row of counts.
      const run = async (statement: Statement, cutoff: Date) => (await one<{ n: number }>(statement, [cutoff, limit]))!.n;
      const spent = (await one<{ tokens: number; families: number }>(PURGE_REFRESH, [cutoffs.refreshBefore, limit]))!;
      return {
        authorization_requests: await run(PURGE_REQUESTS, cutoffs.now),
        authorization_codes: await run(PURGE_CODES, cutoffs.codesBefore),
        revoked_access_tokens: await run(PURGE_REVOKED, cutoffs.now),
        refresh_tokens: spent.tokens,
        token_families: spent.families + (await run(PURGE_FAMILIES, cutoffs.now)),
        session_exchanges: await run(PURGE_EXCHANGES, cutoffs.exchangesBefore),
        client_assertions: await run(PURGE_ASSERTIONS, cutoffs.now),
        dpop_proofs: await run(PURGE_DPOP_PROOFS, cutoffs.now),
        upstream_logins: await run(PURGE_UPSTREAM_LOGINS, cutoffs.now),
        device_authorizations: await run(PURGE_DEVICE_AUTHORIZATIONS, cutoffs.now),
        pushed_authorization_requests: await run(PURGE_PUSHED_REQUESTS, cutoffs.now),
        activity_counts: await run(PURGE_ACTIVITY, cutoffs.activityBefore),
      };
    },

    async signingKeys(now) {
      return (await sql.query<KeyRow>(PUBLISHED_KEYS, [now])).map(toKey);
    },

    async signingKey(kid) {
      const row = await one<KeyRow>(KEY_BY_KID, [kid]);
      return row ? toKey(row) : null;
    },
  };
}

// ---------------------------------------------------------------- statements

const FIND_CLIENT: Statement = {
  name: "oauth_find_client",
  text: `SELECT a.id, a.client_id, a.client_type::text AS client_type, a.status::text AS status, a.allowed_scopes,
      a.full_access_allowed, a.device_flow_enabled, a.access_token_ttl_seconds, a.id_token_signed_response_alg,
      a.token_endpoint_auth_method, a.jwks, a.jwks_uri, a.require_dpop,
      ARRAY(SELECT s.secret_hash FROM client_secrets s WHERE s.app_id = a.id) AS secret_hashes,
      -- A machine client's grants as two parallel text arrays (scope tokens hold no space); empty for connected apps.
      ARRAY(SELECT g.resource FROM client_grants g WHERE g.app_id = a.id ORDER BY g.resource) AS grant_resources,
      ARRAY(SELECT array_to_string(g.scopes, ' ') FROM client_grants g WHERE g.app_id = a.id ORDER BY g.resource) AS grant_scopes
    FROM connected_apps a WHERE a.client_id = $1`,
};

const INSERT_CODE: Statement = {
  name: "oauth_insert_code",
  text: `INSERT INTO authorization_codes (id, code_hash, app_id, user_id, redirect_uri, redirect_uri_sent, scopes, resources,
      nonce, code_challenge, auth_time, expires_at, amr, idp, dpop_jkt)
    VALUES ($12::uuid, $1, $2::uuid, $3::uuid, $4, $5, $6::text[], $7::text[], $8, $9, $10::timestamptz, $11::timestamptz, $13::text[], $14::text, $15::text)`,
};

const CODE_COLUMNS = `c.app_id, c.user_id, c.redirect_uri, c.redirect_uri_sent, c.scopes, c.resources, c.nonce,
  c.code_challenge, c.dpop_jkt, c.auth_time, c.amr, c.idp, c.expires_at, c.redeemed_at, c.family_id`;

/**
 * $1 code hash, $2 app, $3 redirect_uri (null: not sent), $4 S256 of the
 * verifier (null: none), $5 now, $6 new family id, $7–$9 refresh token id,
 * hash (null: none wanted), expiry, $10 the family's expiry without a
 * refresh token, $11 the proof's key thumbprint (null: no proof), $12 the
 * key the family is bound to (null: none). `found` is the code as the statement began; `won` spends it only if every check holds, and under concurrency
 * only one UPDATE finds redeemed_at still null. The family and refresh token
 * are inserted from `won`, so nothing is written unless it was spent.
 */
const REDEEM_CODE: Statement = {
  name: "oauth_redeem_code",
  text: `WITH found AS (
      SELECT * FROM authorization_codes WHERE code_hash = $1
    ), won AS (
      UPDATE authorization_codes c SET redeemed_at = $5::timestamptz, family_id = $6::uuid
      WHERE c.code_hash = $1 AND c.app_id = $2::uuid AND c.redeemed_at IS NULL AND c.expires_at > $5::timestamptz
        AND (c.redirect_uri = $3::text OR ($3::text IS NULL AND NOT c.redirect_uri_sent))
        AND c.code_challenge IS NOT DISTINCT FROM $4::text
        AND (c.dpop_jkt IS NULL OR c.dpop_jkt = $11::text)
      RETURNING c.app_id, c.user_id, c.scopes, c.resources, c.auth_time, c.amr, c.idp
    ), ${startFamily({ now: 5, familyId: 6, refreshId: 7, refreshHash: 8, refreshExpiry: 9, familyExpiry: 10, dpopJkt: 12 })}
    SELECT ${CODE_COLUMNS}, (SELECT count(*) FROM won)::int AS won, (SELECT count(*) FROM refresh)::int AS refresh_stored,
      u.id AS user_row_id, u.email AS user_email, u.name AS user_name
    FROM found c LEFT JOIN users u ON u.id = c.user_id`,
};

const FIND_CODE: Statement = {
  name: "oauth_find_code",
  text: `SELECT ${CODE_COLUMNS} FROM authorization_codes c WHERE c.code_hash = $1`,
};

const FAMILY_OF_CODE: Statement = {
  name: "oauth_family_of_code",
  text: `SELECT family_id FROM authorization_codes WHERE code_hash = $1`,
};

const REFRESH_FOUND = `SELECT r.id, r.family_id, r.expires_at, r.rotated_at, r.reused_at, r.created_at, f.app_id, a.client_id, f.user_id,
      f.scopes, f.resources, f.auth_time, f.amr, f.idp, f.dpop_jkt, f.revoked_at IS NOT NULL AS family_revoked, a.refresh_token_reuse_seconds AS reuse_seconds
    FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id JOIN connected_apps a ON a.id = f.app_id
    WHERE r.token_hash = $1`;

// A token is usable by its client, in an unrevoked family, unexpired, for scopes its family holds, with the DPoP key its family is bound to (`jkt`: the proof's parameter)…
const usableSpentOrNot = (jkt: string) => `r.id = t.id AND t.app_id = $2::uuid AND NOT t.family_revoked AND r.expires_at > $4::timestamptz
  AND t.scopes @> $3::text[] AND (t.dpop_jkt IS NULL OR t.dpop_jkt = ${jkt}::text)`;
// …and unspent.
const usable = (jkt: string) => `${usableSpentOrNot(jkt)} AND r.rotated_at IS NULL`;

const REFRESH_RESULT = `SELECT t.*, (SELECT count(*) FROM used)::int AS used,
      u.id AS user_row_id, u.email AS user_email, u.name AS user_name
    FROM found t LEFT JOIN users u ON u.id = t.user_id`;

/** $1 hash, $2 app, $3 required scopes, $4 now, $5 new expiry, $6 the proof's key thumbprint (null: no proof). */
const SLIDE_REFRESH: Statement = {
  name: "oauth_slide_refresh",
  text: `WITH found AS (${REFRESH_FOUND}), used AS (
      UPDATE refresh_tokens r SET expires_at = $5::timestamptz FROM found t WHERE ${usable("$6")} RETURNING r.id
    )
    ${REFRESH_RESULT}`,
};

/**
 * $1 hash, $2 app, $3 required scopes, $4 now, $5–$7 next token id, hash,
 * expiry, $8 the proof's key thumbprint (null: no proof). `rotated` spends an unspent token. `retried` takes a spent one
 * once more (reused_at, single use by its own conditional update) when it
 * was spent within the app's reuse interval and no token of its family was
 * spent since: the answer to the first use was lost. Its successor, which
 * the client never received, is spent in its place with no second chance
 * (`superseded`), so the family keeps one live token and any later use of
 * that successor is a replay. A use concurrent with the first one still
 * loses (the snapshot saw the token unspent, or its request began before
 * the token was spent: `rotated_at <= now`): a replay, as before.
 */
const ROTATE_REFRESH: Statement = {
  name: "oauth_rotate_refresh",
  text: `WITH found AS (${REFRESH_FOUND}), rotated AS (
      UPDATE refresh_tokens r SET rotated_at = $4::timestamptz FROM found t WHERE ${usable("$8")} RETURNING r.family_id
    ), retried AS (
      UPDATE refresh_tokens r SET reused_at = $4::timestamptz FROM found t
      WHERE ${usableSpentOrNot("$8")} AND r.rotated_at IS NOT NULL AND r.reused_at IS NULL
        AND t.reuse_seconds > 0 AND r.rotated_at <= $4::timestamptz
        AND r.rotated_at > $4::timestamptz - make_interval(secs => t.reuse_seconds)
        AND NOT EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.family_id = r.family_id AND s.rotated_at > r.rotated_at)
      RETURNING r.family_id
    ), superseded AS (
      UPDATE refresh_tokens s SET rotated_at = $4::timestamptz, reused_at = $4::timestamptz FROM retried
      WHERE s.family_id = retried.family_id AND s.rotated_at IS NULL
    ), used AS (
      SELECT family_id FROM rotated UNION ALL SELECT family_id FROM retried
    ), next AS (
      INSERT INTO refresh_tokens (id, token_hash, family_id, expires_at, created_at)
      SELECT $5::uuid, $6::text, family_id, $7::timestamptz, $4::timestamptz FROM used
    )
    ${REFRESH_RESULT}`,
};

const FIND_REFRESH: Statement = { name: "oauth_find_refresh", text: REFRESH_FOUND };

const REVOKE_FAMILY: Statement = {
  name: "oauth_revoke_family",
  text: `UPDATE token_families SET revoked_at = $2::timestamptz WHERE id = $1::uuid AND revoked_at IS NULL`,
};

/** $1 hash of client and jti, $2 its expiry: one row when this is its first use, none for a replay. */
const USE_CLIENT_ASSERTION: Statement = {
  name: "oauth_use_client_assertion",
  text: `INSERT INTO client_assertions (jti_hash, expires_at) VALUES ($1, $2::timestamptz) ON CONFLICT (jti_hash) DO NOTHING RETURNING 1 AS used`,
};

/** $1 hash of the proof's key thumbprint and jti, $2 its expiry: one row when this is its first use, none for a replay. */
const USE_DPOP_PROOF: Statement = {
  name: "oauth_use_dpop_proof",
  text: `INSERT INTO dpop_proofs (jti_hash, expires_at) VALUES ($1, $2::timestamptz) ON CONFLICT (jti_hash) DO NOTHING RETURNING 1 AS used`,
};

/** $1 app, $2 when, $3 method: the later time wins; an app deleted meanwhile gets no row (no foreign-key error). */
const RECORD_CLIENT_AUTHENTICATION: Statement = {
  name: "oauth_record_client_authentication",
  text: `INSERT INTO client_last_authentication (app_id, at, method)
    SELECT id, $2::timestamptz, $3 FROM connected_apps WHERE id = $1::uuid
    ON CONFLICT (app_id) DO UPDATE SET at = EXCLUDED.at, method = EXCLUDED.method
    WHERE client_last_authentication.at < EXCLUDED.at`,
};

const REVOKE_ACCESS_TOKEN: Statement = {
  name: "oauth_revoke_access_token",
  text: `INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2::timestamptz) ON CONFLICT (jti) DO NOTHING`,
};

/** $1 family, $2 jti, $3 user (null: not wanted). A family that no longer exists counts as revoked. */
const ACCESS_TOKEN_STATUS: Statement = {
  name: "oauth_access_token_status",
  // A disabled app's tokens stop at once, whatever instance issued them (its families are also revoked when it is disabled).
  text: `SELECT (f.id IS NULL OR f.revoked_at IS NOT NULL OR a.status <> 'active'
        OR EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $2)) AS revoked,
      u.id AS user_row_id, u.email AS user_email, u.name AS user_name
    FROM (SELECT 1) AS one
    LEFT JOIN token_families f ON f.id = $1::uuid
    LEFT JOIN connected_apps a ON a.id = f.app_id
    LEFT JOIN users u ON u.id = $3::uuid`,
};

/** $1 machine client (internal id), $2 jti: revoked when the client is gone, disabled or not a machine client, or the token itself was revoked. */
const MACHINE_TOKEN_STATUS: Statement = {
  name: "oauth_machine_token_status",
  text: `SELECT (a.id IS NULL OR a.status <> 'active' OR a.client_type <> 'machine'
        OR EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $2)) AS revoked
    FROM (SELECT 1) AS one
    LEFT JOIN connected_apps a ON a.id = $1::uuid`,
};

/** findApiKey's rule (lib/auth/api-keys.ts) in one read: the key exists, is not revoked, and its owner is still an owner. */
const OWNER_API_KEY: Statement = {
  name: "oauth_owner_api_key",
  text: `SELECT 1 AS valid FROM api_keys k JOIN users u ON u.id = k.owner_id
    WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.role = 'owner'`,
};

const PROJECT_SETTINGS: Statement = {
  name: "oauth_project_settings",
  text: `SELECT key, value FROM project_settings WHERE key = ANY ($1::text[])`,
};

/**
 * A bounded delete: the oldest $2 rows of `table` whose `column` is before
 * $1, walked on the index of `column` and deleted by key (`= ANY (ARRAY(…))`
 * keeps the planner from joining the batch to the whole table).
 */
const purge = (table: string, column: string, key = "id"): Statement => ({
  name: `oauth_purge_${table}`,
  text: `WITH gone AS (DELETE FROM ${table} WHERE ${key} = ANY (ARRAY(
      SELECT ${key} FROM ${table} WHERE ${column} < $1::timestamptz ORDER BY ${column} LIMIT $2)) RETURNING 1)
    SELECT count(*)::int AS n FROM gone`,
});

const PURGE_REQUESTS = purge("authorization_requests", "expires_at");
const PURGE_CODES = purge("authorization_codes", "expires_at");
const PURGE_REVOKED = purge("revoked_access_tokens", "expires_at", "jti");
// Families that never had a refresh token (only they have expires_at; the partial index holds only them).
const PURGE_FAMILIES = purge("token_families", "expires_at");
const PURGE_EXCHANGES = purge("session_exchanges", "created_at");
const PURGE_ASSERTIONS = purge("client_assertions", "expires_at", "jti_hash");
const PURGE_DPOP_PROOFS = purge("dpop_proofs", "expires_at", "jti_hash");
// Sign-ins through a connection never finished (the callback deletes the others).
const PURGE_UPSTREAM_LOGINS = purge("upstream_logins", "expires_at", "state_hash");
// Expired device authorizations: a late poll then gets invalid_grant instead of expired_token.
const PURGE_DEVICE_AUTHORIZATIONS = purge("device_authorizations", "expires_at");
// Pushed requests are worth nothing after their 60 s, used or not.
const PURGE_PUSHED_REQUESTS = purge("pushed_authorization_requests", "expires_at");

/** The oldest $2 app and project activity rows of hours before $1, walked on the primary keys (bucket first). */
const PURGE_ACTIVITY: Statement = {
  name: "oauth_purge_activity_counts",
  text: `WITH apps AS (DELETE FROM activity_counts WHERE (bucket, app_id, kind) IN (
      SELECT bucket, app_id, kind FROM activity_counts WHERE bucket < $1::timestamptz ORDER BY bucket LIMIT $2) RETURNING 1),
    project AS (DELETE FROM project_activity_counts WHERE (bucket, kind) IN (
      SELECT bucket, kind FROM project_activity_counts WHERE bucket < $1::timestamptz ORDER BY bucket LIMIT $2) RETURNING 1)
    SELECT greatest((SELECT count(*) FROM apps), (SELECT count(*) FROM project))::int AS n`,
};

/**
 * Adds counts ($1 hours, $2 app ids or "", $3 kinds, $4 counts; one
 * entry per distinct key) to the apps' rows (of apps that still exist) and
 * to the project's rows, in one statement. Rows are taken in key order so
 * two instances flushing at once lock them in the same order.
 */
const ADD_ACTIVITY: Statement = {
  name: "oauth_add_activity",
  text: `WITH batch AS (
      SELECT b.bucket::timestamptz AS bucket, NULLIF(b.app_id, '')::uuid AS app_id, b.kind, b.n::bigint AS n
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS b(bucket, app_id, kind, n)),
    apps AS (
      INSERT INTO activity_counts (bucket, app_id, kind, count)
      SELECT b.bucket, b.app_id, b.kind, b.n FROM batch b JOIN connected_apps a ON a.id = b.app_id
      ORDER BY b.bucket, b.app_id, b.kind
      ON CONFLICT (bucket, app_id, kind) DO UPDATE SET count = activity_counts.count + EXCLUDED.count)
    INSERT INTO project_activity_counts (bucket, kind, count)
    SELECT bucket, kind, sum(n) FROM batch GROUP BY bucket, kind ORDER BY bucket, kind
    ON CONFLICT (bucket, kind) DO UPDATE SET count = project_activity_counts.count + EXCLUDED.count`,
};

/**
 * The oldest $2 refresh tokens expired before $1, each with its family when
 * the family has no token left that expired later (its newest token is the
 * one that counts; an older rotated one goes alone). Deleting a family
 * cascades to its tokens, which this statement deletes as well.
 */
const PURGE_REFRESH: Statement = {
  name: "oauth_purge_refresh_tokens",
  text: `WITH spent AS MATERIALIZED (
      SELECT id, family_id FROM refresh_tokens WHERE expires_at < $1::timestamptz ORDER BY expires_at LIMIT $2
    ), families AS (
      DELETE FROM token_families f WHERE f.id = ANY (ARRAY(SELECT family_id FROM spent))
        AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = f.id AND r.expires_at >= $1::timestamptz)
      RETURNING 1
    ), tokens AS (
      DELETE FROM refresh_tokens WHERE id = ANY (ARRAY(SELECT id FROM spent)) RETURNING 1
    )
    SELECT (SELECT count(*) FROM tokens)::int AS tokens, (SELECT count(*) FROM families)::int AS families`,
};

const KEY_COLUMNS = `kid, alg, status::text AS status, public_jwk, private_jwk_encrypted, created_at, publish_until`;

const PUBLISHED_KEYS: Statement = {
  name: "oauth_published_keys",
  text: `SELECT ${KEY_COLUMNS} FROM signing_keys WHERE status = 'active' OR publish_until > $1::timestamptz
    ORDER BY status = 'active' DESC, created_at DESC`,
};

const KEY_BY_KID: Statement = { name: "oauth_key_by_kid", text: `SELECT ${KEY_COLUMNS} FROM signing_keys WHERE kid = $1` };

// ---------------------------------------------------------------- rows

interface ClientRow extends Record<string, unknown> {
  id: string;
  client_id: string;
  client_type: string;
  status: string;
  allowed_scopes: string[] | null;
  full_access_allowed: boolean;
  device_flow_enabled: boolean;
  access_token_ttl_seconds: number;
  id_token_signed_response_alg: string;
  token_endpoint_auth_method: string;
  /** jsonb: both drivers hand it over parsed. */
  jwks: ClientJwks | null;
  jwks_uri: string | null;
  require_dpop: boolean;
  secret_hashes: string[];
  grant_resources: string[];
  grant_scopes: string[];
}

function toClient(row: ClientRow): OAuthClient {
  return {
    id: row.id,
    clientId: row.client_id,
    clientType: row.client_type as ClientType,
    active: row.status === "active",
    secretHashes: row.secret_hashes,
    authMethod: row.token_endpoint_auth_method as TokenEndpointAuthMethod,
    jwks: row.jwks,
    jwksUri: row.jwks_uri,
    allowedScopes: row.allowed_scopes ?? [],
    fullAccessAllowed: row.full_access_allowed,
    deviceFlowEnabled: row.device_flow_enabled,
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    idTokenSignedResponseAlg: row.id_token_signed_response_alg,
    requireDpop: row.require_dpop,
    clientGrants: row.grant_resources.map((resource, i) => ({ resource, scopes: (row.grant_scopes[i] ?? "").split(" ").filter(Boolean) })),
  };
}

interface CodeRow extends Record<string, unknown> {
  app_id: string;
  user_id: string;
  redirect_uri: string;
  redirect_uri_sent: boolean;
  scopes: string[] | null;
  resources: string[] | null;
  nonce: string | null;
  code_challenge: string | null;
  dpop_jkt: string | null;
  auth_time: Date;
  amr: string[] | null;
  idp: string | null;
  expires_at: Date;
  redeemed_at: Date | null;
  family_id: string | null;
}

interface RedeemFlags {
  won: number;
  refresh_stored: number;
}

function toCode(row: CodeRow): CodeRecord {
  return {
    appId: row.app_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    redirectUriSent: row.redirect_uri_sent,
    scopes: row.scopes ?? [],
    resources: row.resources ?? [],
    nonce: row.nonce,
    codeChallenge: row.code_challenge,
    dpopJkt: row.dpop_jkt,
    authTime: row.auth_time,
    signIn: { amr: row.amr ?? [], idp: row.idp },
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
    familyId: row.family_id,
  };
}

interface RefreshRow extends Record<string, unknown> {
  family_id: string;
  app_id: string;
  client_id: string;
  user_id: string;
  scopes: string[] | null;
  resources: string[] | null;
  auth_time: Date;
  amr: string[] | null;
  idp: string | null;
  dpop_jkt: string | null;
  family_revoked: boolean;
  expires_at: Date;
  rotated_at: Date | null;
  reused_at: Date | null;
  reuse_seconds: number;
  created_at: Date;
}

function toRefresh(row: RefreshRow): RefreshRecord {
  return {
    familyId: row.family_id,
    appId: row.app_id,
    clientId: row.client_id,
    userId: row.user_id,
    scopes: row.scopes ?? [],
    resources: row.resources ?? [],
    authTime: row.auth_time,
    signIn: { amr: row.amr ?? [], idp: row.idp },
    familyRevoked: row.family_revoked,
    dpopJkt: row.dpop_jkt,
    expiresAt: row.expires_at,
    rotatedAt: row.rotated_at,
    reusedAt: row.reused_at,
    reuseSeconds: row.reuse_seconds,
    createdAt: row.created_at,
  };
}

interface UserColumns extends Record<string, unknown> {
  user_row_id: string | null;
  user_email: string | null;
  user_name: string | null;
}

function toUser(row: UserColumns): UserRecord | null {
  // The columns come from a LEFT JOIN: all null when there is no user, and email is NOT NULL otherwise.
  return row.user_row_id === null ? null : { id: row.user_row_id, email: row.user_email!, name: row.user_name };
}

interface KeyRow extends Record<string, unknown> {
  kid: string;
  alg: string;
  status: string;
  /** jsonb: both drivers (pg, PGlite) hand it over parsed. */
  public_jwk: Record<string, unknown>;
  private_jwk_encrypted: string;
  created_at: Date;
  publish_until: Date | null;
}

function toKey(row: KeyRow): SigningKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    status: row.status === "active" ? "active" : "retired",
    publicJwk: row.public_jwk,
    privateJwkSealed: row.private_jwk_encrypted,
    createdAt: row.created_at,
    publishUntil: row.publish_until,
  };
}
