import { uuidv7 } from "../crypto/uuid";
import type { Prisma } from "./generated/client.ts";

/**
 * What the user has authorized is the union with earlier grants (one row per
 * user and app), merged in one statement so two concurrent consents both
 * count; a grant that already covers the scopes is left alone (its
 * updated_at says when it last widened).
 */
export async function mergeGrant(tx: Prisma.TransactionClient, userId: string, appId: string, scopes: readonly string[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO grants (id, user_id, app_id, scopes, updated_at)
    VALUES (${uuidv7()}::uuid, ${userId}::uuid, ${appId}::uuid, ${[...new Set(scopes)]}::text[], now())
    ON CONFLICT (user_id, app_id) DO UPDATE
      SET scopes = ARRAY(
            SELECT s FROM unnest(grants.scopes || EXCLUDED.scopes) WITH ORDINALITY AS t(s, n) GROUP BY s ORDER BY min(n)
          ),
          updated_at = now()
      WHERE NOT (coalesce(grants.scopes, '{}') @> EXCLUDED.scopes)`;
}
