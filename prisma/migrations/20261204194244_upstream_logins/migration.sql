-- AlterTable
ALTER TABLE "authorization_codes" ADD COLUMN     "amr" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "idp" TEXT;

-- AlterTable
ALTER TABLE "token_families" ADD COLUMN     "amr" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "idp" TEXT;

-- CreateTable
CREATE TABLE "upstream_logins" (
    "state_hash" TEXT NOT NULL,
    "connection_id" UUID NOT NULL,
    "return_path" TEXT NOT NULL,
    "binding_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "upstream_logins_pkey" PRIMARY KEY ("state_hash")
);

-- CreateIndex
CREATE INDEX "upstream_logins_expires_at_idx" ON "upstream_logins"("expires_at");

-- CreateIndex
CREATE INDEX "upstream_logins_connection_id_idx" ON "upstream_logins"("connection_id");

-- AddForeignKey
ALTER TABLE "upstream_logins" ADD CONSTRAINT "upstream_logins_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
