-- AlterTable
ALTER TABLE "connected_apps" ADD COLUMN     "jwks" JSONB,
ADD COLUMN     "jwks_uri" TEXT,
ADD COLUMN     "token_endpoint_auth_method" TEXT NOT NULL DEFAULT 'client_secret_basic';

-- CreateTable
CREATE TABLE "client_assertions" (
    "jti_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "client_assertions_pkey" PRIMARY KEY ("jti_hash")
);

-- CreateIndex
CREATE INDEX "client_assertions_expires_at_idx" ON "client_assertions"("expires_at");

-- Existing apps keep authenticating as before: public types with none (confidential ones with a secret, the default).
UPDATE "connected_apps" SET "token_endpoint_auth_method" = 'none' WHERE "client_type" IN ('first_party_public', 'third_party_public');
