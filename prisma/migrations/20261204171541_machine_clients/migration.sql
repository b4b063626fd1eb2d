-- AlterEnum
ALTER TYPE "client_type" ADD VALUE 'machine';

-- CreateTable
CREATE TABLE "client_grants" (
    "id" UUID NOT NULL,
    "app_id" UUID NOT NULL,
    "resource" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_grants_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "client_grants_app_id_resource_key" ON "client_grants"("app_id", "resource");

-- AddForeignKey
ALTER TABLE "client_grants" ADD CONSTRAINT "client_grants_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "connected_apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A machine client's grants are part of what the token path caches with the client (lib/oauth/cached-store.ts).
CREATE TRIGGER "client_grants_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "client_grants"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_change"('clients');
