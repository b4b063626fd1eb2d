-- AlterTable
ALTER TABLE "authorization_requests" ADD COLUMN     "source" TEXT;

-- CreateIndex
CREATE INDEX "authorization_requests_source_id_idx" ON "authorization_requests"("source", "id");
