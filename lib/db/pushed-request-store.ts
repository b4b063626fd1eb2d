import { uuidv7 } from "../crypto/uuid";
import type { PushedRequestStore, UsedPushedRequest } from "../oauth/store";
import type { SqlClient, Statement } from "./sql";

/**
 * Pushed authorization requests (lib/oauth/store.ts, PushedRequestStore) in
 * SQL that PostgreSQL and PGlite both run. Single use is the conditional
 * UPDATE of USE_PUSHED_REQUEST: under READ COMMITTED a concurrent second
 * update waits for the first, then finds `used_at` set and matches nothing.
 */
export function sqlPushedRequestStore(sql: SqlClient): PushedRequestStore {
  return {
    async savePushedRequest(request, limits) {
      await sql.query(INSERT_PUSHED_REQUEST, [
        uuidv7(), request.requestUriHash, request.appId, JSON.stringify(request.params), request.source, request.expiresAt, request.dpopJkt ?? null,
      ]);
      // Ids are UUIDv7, so id order is age: a flood costs its sender their own older requests first.
      if (request.source !== null) await sql.query(TRIM_PUSHED_PER_SOURCE, [request.source, limits.perSource]);
      await sql.query(TRIM_PUSHED, [limits.max]);
    },

    async usePushedRequest(requestUriHash, clientId, now): Promise<UsedPushedRequest | null> {
      const [row] = await sql.query<{ app_id: string; params: unknown; dpop_jkt: string | null }>(USE_PUSHED_REQUEST, [requestUriHash, clientId, now]);
      return row ? { appId: row.app_id, params: row.params, dpopJkt: row.dpop_jkt } : null;
    },
  };
}

const INSERT_PUSHED_REQUEST: Statement = {
  name: "par_insert",
  text: `INSERT INTO pushed_authorization_requests (id, request_uri_hash, app_id, params, source, expires_at, dpop_jkt)
    VALUES ($1::uuid, $2, $3::uuid, $4::jsonb, $5, $6::timestamptz, $7::text)`,
};

const TRIM_PUSHED_PER_SOURCE: Statement = {
  name: "par_trim_source",
  text: `DELETE FROM pushed_authorization_requests WHERE id = ANY (ARRAY(
      SELECT id FROM pushed_authorization_requests WHERE source = $1 ORDER BY id DESC OFFSET $2))`,
};

const TRIM_PUSHED: Statement = {
  name: "par_trim",
  text: `DELETE FROM pushed_authorization_requests WHERE id = ANY (ARRAY(
      SELECT id FROM pushed_authorization_requests ORDER BY id DESC OFFSET $1))`,
};

/** $1 hash of the request_uri, $2 the client_id using it, $3 now: its app and parameters when this call spent it, no row otherwise. */
const USE_PUSHED_REQUEST: Statement = {
  name: "par_use",
  text: `UPDATE pushed_authorization_requests p SET used_at = $3::timestamptz
    FROM connected_apps a
    WHERE p.request_uri_hash = $1 AND a.id = p.app_id AND a.client_id = $2 AND p.used_at IS NULL AND p.expires_at > $3::timestamptz
    RETURNING p.app_id, p.params, p.dpop_jkt`,
};

