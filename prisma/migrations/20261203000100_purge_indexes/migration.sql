-- The purge deletes expired rows in bounded batches (lib/oauth/housekeeping.ts):
-- each batch finds its rows by these indexes instead of scanning the tables.
-- CreateIndex
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens"("expires_at");

-- CreateIndex
CREATE INDEX "token_families_created_at_idx" ON "token_families"("created_at");
