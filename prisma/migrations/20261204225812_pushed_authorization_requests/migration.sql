-- AlterTable
ALTER TABLE "connected_apps" ADD COLUMN     "require_par" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "pushed_authorization_requests" (
    "id" UUID NOT NULL,
    "request_uri_hash" TEXT NOT NULL,
    "app_id" UUID NOT NULL,
    "params" JSONB NOT NULL,
    "dpop_jkt" TEXT,
    "source" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "pushed_authorization_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pushed_authorization_requests_request_uri_hash_key" ON "pushed_authorization_requests"("request_uri_hash");

-- CreateIndex
CREATE INDEX "pushed_authorization_requests_expires_at_idx" ON "pushed_authorization_requests"("expires_at");

-- CreateIndex
CREATE INDEX "pushed_authorization_requests_app_id_idx" ON "pushed_authorization_requests"("app_id");

-- CreateIndex
CREATE INDEX "pushed_authorization_requests_source_id_idx" ON "pushed_authorization_requests"("source", "id");

-- AddForeignKey
ALTER TABLE "pushed_authorization_requests" ADD CONSTRAINT "pushed_authorization_requests_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "connected_apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
