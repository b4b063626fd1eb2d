-- AlterTable
ALTER TABLE "connected_apps" ADD COLUMN     "application_type" TEXT,
ADD COLUMN     "contacts" TEXT[],
ADD COLUMN     "dcr_dedup_key" TEXT,
ADD COLUMN     "metadata_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "metadata_fetched_at" TIMESTAMPTZ(3),
ADD COLUMN     "policy_uri" TEXT,
ADD COLUMN     "registration_access_token_hash" TEXT,
ADD COLUMN     "software_id" TEXT,
ADD COLUMN     "software_version" TEXT,
ADD COLUMN     "tos_uri" TEXT;

-- CreateTable
CREATE TABLE "rate_limit_windows" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_windows_pkey" PRIMARY KEY ("key","window_start")
);

-- CreateIndex
CREATE INDEX "rate_limit_windows_window_start_idx" ON "rate_limit_windows"("window_start");

-- CreateIndex
CREATE UNIQUE INDEX "connected_apps_registration_access_token_hash_key" ON "connected_apps"("registration_access_token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "connected_apps_dcr_dedup_key_key" ON "connected_apps"("dcr_dedup_key");
