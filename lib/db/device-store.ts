import { hitRateLimit, peekRateLimit } from "../rate-limit";
import type { DeviceAuthorizationRecord, DevicePoll, InteractionStore, OAuthStore, UserRecord } from "../oauth/store";
import type { DeviceAuthorization, PrismaClient } from "./generated/client.ts";
import { mergeGrant } from "./merge-grant";
import { startFamily, USER_COLUMNS } from "./family-sql";
import type { SqlClient, Statement } from "./sql";

/**
 * The device authorization grant's storage (RFC 8628). The device's verbs
 * (start, poll) are on the token path: one prepared statement each, the
 * poll a data-modifying CTE like the code redemption (oauth-store.ts). The
 * /device page's verbs are cold and go through Prisma.
 */
export function sqlDeviceStore(sql: SqlClient): Pick<OAuthStore, "insertDeviceAuthorization" | "pollDeviceCode"> {
  return {
    async insertDeviceAuthorization(a) {
      const rows = await sql.query(INSERT_DEVICE_AUTHORIZATION, [
        a.id, a.deviceCodeHash, a.userCodeHash, a.appId, a.scopes, a.resources, a.intervalSeconds, a.createdAt, a.expiresAt,
      ]);
      return rows.length === 1;
    },

    async pollDeviceCode(input): Promise<DevicePoll> {
      const rt = input.refreshToken;
      const [row] = await sql.query<DeviceRow & PollColumns>(POLL_DEVICE_CODE, [
        input.deviceCodeHash, input.appId, input.now, input.familyId, rt?.id ?? null, rt?.hash ?? null, rt?.expiresAt ?? null, input.familyExpiresAt,
        input.familyDpopJkt ?? null,
      ]);
      if (!row) return { kind: "untouched", authorization: null };
      const authorization = toDeviceAuthorization(row);
      if (row.won === 1) return { kind: "issued", authorization, refreshTokenStored: row.refresh_stored === 1, user: toUser(row) };
      if (row.polled_interval !== null) {
        return { kind: "pending", authorization: { ...authorization, intervalSeconds: row.polled_interval }, tooFast: row.too_fast === true };
      }
      return { kind: "untouched", authorization };
    },
  };
}

/** The /device page's verbs (InteractionStore): cold paths, through Prisma. */
export function prismaDeviceInteractions(
  prisma: PrismaClient,
): Pick<InteractionStore, "deviceAuthorizationByUserCode" | "deviceAuthorization" | "decideDeviceAuthorization" | "hitRateLimit" | "peekRateLimit"> {
  return {
    async deviceAuthorizationByUserCode(userCodeHash) {
      const row = await prisma.deviceAuthorization.findUnique({ where: { userCodeHash } });
      return row && fromPrisma(row);
    },

    async deviceAuthorization(id) {
      const row = await prisma.deviceAuthorization.findUnique({ where: { id } });
      return row && fromPrisma(row);
    },

    async decideDeviceAuthorization(d) {
      return prisma.$transaction(async (tx) => {
        const decided = await tx.deviceAuthorization.updateMany({
          where: { id: d.id, decision: null, expiresAt: { gt: d.now } },
          data: {
            decision: d.decision,
            userId: d.userId,
            grantedScopes: d.decision === "approved" ? [...d.grantedScopes] : [],
            authTime: d.authTime,
            amr: d.signIn.amr,
            idp: d.signIn.idp,
          },
        });
        if (decided.count !== 1) return false;
        if (d.decision === "approved") {
          const { appId } = await tx.deviceAuthorization.findUniqueOrThrow({ where: { id: d.id }, select: { appId: true } });
          await mergeGrant(tx, d.userId, appId, d.grantedScopes);
        }
        return true;
      });
    },

    async hitRateLimit({ key, limit, windowSeconds, now }) {
      return (await hitRateLimit(prisma, key, limit, windowSeconds, now)).allowed;
    },

    async peekRateLimit({ key, limit, windowSeconds, now }) {
      return (await peekRateLimit(prisma, key, limit, windowSeconds, now)).allowed;
    },
  };
}

// ---------------------------------------------------------------- statements

/** $1 id … $9 expiry. No row when the user code's hash is taken (the caller draws another). */
const INSERT_DEVICE_AUTHORIZATION: Statement = {
  name: "oauth_insert_device_authorization",
  text: `INSERT INTO device_authorizations (id, device_code_hash, user_code_hash, app_id, scopes, resources, interval_seconds, created_at, expires_at)
    VALUES ($1::uuid, $2, $3, $4::uuid, $5::text[], $6::text[], $7::int, $8::timestamptz, $9::timestamptz)
    ON CONFLICT (user_code_hash) DO NOTHING RETURNING 1 AS stored`,
};

// A poll sooner than the interval after the previous one (RFC 8628 §3.5).
const TOO_FAST = `coalesce(d.last_polled_at > $3::timestamptz - make_interval(secs => d.interval_seconds), false)`;

/**
 * $1 device code hash, $2 app, $3 now, $4 new family id, $5–$7 refresh
 * token id, hash (null: none wanted), expiry, $8 the family's expiry
 * without a refresh token, $9 the DPoP key its refresh tokens are bound
 * to (null: none). `found` is the row as the statement began. `won` spends
 * an approved one; under READ COMMITTED a concurrent second UPDATE
 * waits, then finds it spent: exactly one wins. `polled` records a poll of
 * a pending one, re-reading the row a concurrent poll just wrote, so two
 * polls at once are one too many on any instances. Their conditions
 * exclude each other, so they never touch the same row.
 */
const POLL_DEVICE_CODE: Statement = {
  name: "oauth_poll_device_code",
  text: `WITH found AS (
      SELECT * FROM device_authorizations WHERE device_code_hash = $1
    ), won AS (
      UPDATE device_authorizations d SET redeemed_at = $3::timestamptz, family_id = $4::uuid
      WHERE d.device_code_hash = $1 AND d.app_id = $2::uuid AND d.decision = 'approved' AND d.redeemed_at IS NULL
        AND d.expires_at > $3::timestamptz
      RETURNING d.app_id, d.user_id, d.granted_scopes AS scopes, d.resources, d.auth_time, d.amr, d.idp
    ), polled AS (
      UPDATE device_authorizations d SET last_polled_at = $3::timestamptz, last_poll_too_fast = ${TOO_FAST},
        interval_seconds = d.interval_seconds + CASE WHEN ${TOO_FAST} THEN 5 ELSE 0 END
      WHERE d.device_code_hash = $1 AND d.app_id = $2::uuid AND d.decision IS NULL AND d.expires_at > $3::timestamptz
      RETURNING d.interval_seconds, d.last_poll_too_fast
    ), ${startFamily({ now: 3, familyId: 4, refreshId: 5, refreshHash: 6, refreshExpiry: 7, familyExpiry: 8, dpopJkt: 9 })}
    SELECT f.id, f.app_id, f.scopes, f.resources, f.interval_seconds, f.decision, f.user_id, f.granted_scopes, f.auth_time,
      f.amr, f.idp, f.created_at, f.expires_at, f.redeemed_at,
      (SELECT count(*) FROM won)::int AS won, (SELECT count(*) FROM refresh)::int AS refresh_stored,
      (SELECT interval_seconds FROM polled) AS polled_interval, (SELECT last_poll_too_fast FROM polled) AS too_fast,
      ${USER_COLUMNS}
    FROM found f LEFT JOIN users u ON u.id = f.user_id`,
};

// ---------------------------------------------------------------- rows

interface DeviceRow extends Record<string, unknown> {
  id: string;
  app_id: string;
  scopes: string[] | null;
  resources: string[] | null;
  interval_seconds: number;
  decision: string | null;
  user_id: string | null;
  granted_scopes: string[] | null;
  auth_time: Date | null;
  amr: string[] | null;
  idp: string | null;
  created_at: Date;
  expires_at: Date;
  redeemed_at: Date | null;
}

interface PollColumns {
  won: number;
  refresh_stored: number;
  polled_interval: number | null;
  too_fast: boolean | null;
  user_row_id: string | null;
  user_email: string | null;
  user_name: string | null;
}

const decisionOf = (value: string | null): DeviceAuthorizationRecord["decision"] =>
  value === "approved" || value === "denied" ? value : null;

function toDeviceAuthorization(row: DeviceRow): DeviceAuthorizationRecord {
  return {
    id: row.id,
    appId: row.app_id,
    scopes: row.scopes ?? [],
    resources: row.resources ?? [],
    intervalSeconds: row.interval_seconds,
    decision: decisionOf(row.decision),
    userId: row.user_id,
    grantedScopes: row.granted_scopes ?? [],
    authTime: row.auth_time,
    signIn: { amr: row.amr ?? [], idp: row.idp },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
  };
}

function fromPrisma(row: DeviceAuthorization): DeviceAuthorizationRecord {
  return {
    id: row.id,
    appId: row.appId,
    scopes: row.scopes,
    resources: row.resources,
    intervalSeconds: row.intervalSeconds,
    decision: decisionOf(row.decision),
    userId: row.userId,
    grantedScopes: row.grantedScopes,
    authTime: row.authTime,
    signIn: { amr: row.amr, idp: row.idp },
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    redeemedAt: row.redeemedAt,
  };
}

function toUser(row: PollColumns): UserRecord | null {
  return row.user_row_id === null ? null : { id: row.user_row_id, email: row.user_email!, name: row.user_name };
}
