-- Purging by expiry (lib/oauth/housekeeping.ts): every bounded batch finds its
-- rows by an index on when they stop mattering, never by scanning for rows
-- that lack something (the old family purge walked every family with a live
-- refresh token on its way to the few without one).

-- A family without a refresh token ends when its access token does; a family
-- with one lives as long as its refresh tokens (they stay NULL here, and out
-- of the partial index, so the token path does not maintain it).
ALTER TABLE "token_families" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
UPDATE "token_families" f SET "expires_at" = f."created_at" + interval '1 day'
  WHERE NOT EXISTS (SELECT 1 FROM "refresh_tokens" r WHERE r."family_id" = f."id");
CREATE INDEX "token_families_expires_at_idx" ON "token_families"("expires_at") WHERE "expires_at" IS NOT NULL;
DROP INDEX "token_families_created_at_idx";

-- Deleting an app or a user cascades to these tables: without an index that
-- leads with the foreign key, each cascade scans the whole table.
CREATE INDEX "token_families_app_id_idx" ON "token_families"("app_id");
CREATE INDEX "authorization_codes_app_id_idx" ON "authorization_codes"("app_id");
CREATE INDEX "authorization_codes_user_id_idx" ON "authorization_codes"("user_id");
CREATE INDEX "authorization_requests_app_id_idx" ON "authorization_requests"("app_id");
CREATE INDEX "session_exchanges_app_id_idx" ON "session_exchanges"("app_id");
CREATE INDEX "session_exchanges_user_id_idx" ON "session_exchanges"("user_id");

-- Exchanged tokens are remembered (one exchange per token) until no access
-- token can be that old.
CREATE INDEX "session_exchanges_created_at_idx" ON "session_exchanges"("created_at");
