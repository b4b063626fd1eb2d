/** SQL shared by the statements that start a token family (oauth-store.ts, device-store.ts). */

/**
 * The `family` and `refresh` CTEs that start a token family from what the
 * CTE `won` returns (app_id, user_id, scopes, resources, auth_time, amr,
 * idp): nothing when `won` is empty. The numbers are the statement's
 * parameter positions. The family gets a refresh token when one is wanted
 * and the scopes hold offline_access; then it lives as long as its tokens,
 * otherwise it expires with its access token (`familyExpiry`). `dpopJkt`:
 * the DPoP key its refresh tokens are bound to (RFC 9449 §5; null: unbound).
 */
export function startFamily(p: { now: number; familyId: number; refreshId: number; refreshHash: number; refreshExpiry: number; familyExpiry: number; dpopJkt: number }): string {
  const storesRefresh = `$${p.refreshHash}::text IS NOT NULL AND 'offline_access' = ANY (won.scopes)`;
  return `family AS (
      INSERT INTO token_families (id, app_id, user_id, scopes, resources, auth_time, amr, idp, created_at, expires_at, dpop_jkt)
      SELECT $${p.familyId}::uuid, app_id, user_id, scopes, resources, auth_time, amr, idp, $${p.now}::timestamptz,
        CASE WHEN ${storesRefresh} THEN NULL ELSE $${p.familyExpiry}::timestamptz END, $${p.dpopJkt}::text
      FROM won
    ), refresh AS (
      INSERT INTO refresh_tokens (id, token_hash, family_id, expires_at, created_at)
      SELECT $${p.refreshId}::uuid, $${p.refreshHash}::text, $${p.familyId}::uuid, $${p.refreshExpiry}::timestamptz, $${p.now}::timestamptz FROM won
      WHERE ${storesRefresh}
      RETURNING 1
    )`;
}

/** The user columns a LEFT JOIN of `users u` adds to a result (toUser reads them). */
export const USER_COLUMNS = `u.id AS user_row_id, u.email AS user_email, u.name AS user_name`;
