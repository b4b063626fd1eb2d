-- AlterTable
ALTER TABLE "connected_apps" ADD COLUMN     "refresh_token_reuse_seconds" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "refresh_tokens" ADD COLUMN     "reused_at" TIMESTAMPTZ(3);
