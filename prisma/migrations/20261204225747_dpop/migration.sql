-- AlterTable
ALTER TABLE "authorization_codes" ADD COLUMN     "dpop_jkt" TEXT;

-- AlterTable
ALTER TABLE "connected_apps" ADD COLUMN     "require_dpop" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "token_families" ADD COLUMN     "dpop_jkt" TEXT;

-- CreateTable
CREATE TABLE "dpop_proofs" (
    "jti_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dpop_proofs_pkey" PRIMARY KEY ("jti_hash")
);

-- CreateIndex
CREATE INDEX "dpop_proofs_expires_at_idx" ON "dpop_proofs"("expires_at");
