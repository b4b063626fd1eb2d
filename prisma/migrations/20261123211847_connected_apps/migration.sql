-- CreateEnum
CREATE TYPE "client_type" AS ENUM ('first_party', 'first_party_public', 'third_party', 'third_party_public');

-- CreateEnum
CREATE TYPE "creation_method" AS ENUM ('dashboard', 'api', 'dcr', 'cimd');

-- CreateEnum
CREATE TYPE "app_status" AS ENUM ('active', 'disabled');

-- CreateEnum
CREATE TYPE "secret_slot" AS ENUM ('current', 'next');

-- CreateTable
CREATE TABLE "connected_apps" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "client_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "client_type" "client_type" NOT NULL,
    "redirect_uris" TEXT[],
    "post_logout_redirect_uris" TEXT[],
    "logo_uri" TEXT,
    "client_uri" TEXT,
    "allowed_scopes" TEXT[],
    "skip_consent" BOOLEAN NOT NULL DEFAULT false,
    "bypass_consent_for_offline_access" BOOLEAN NOT NULL DEFAULT false,
    "full_access_allowed" BOOLEAN NOT NULL DEFAULT false,
    "access_token_ttl_seconds" INTEGER NOT NULL DEFAULT 3600,
    "id_token_signed_response_alg" TEXT NOT NULL DEFAULT 'RS256',
    "creation_method" "creation_method" NOT NULL,
    "status" "app_status" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "connected_apps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "client_secrets" (
    "id" UUID NOT NULL,
    "app_id" UUID NOT NULL,
    "slot" "secret_slot" NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "project_settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "connected_apps_seq_key" ON "connected_apps"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "connected_apps_client_id_key" ON "connected_apps"("client_id");

-- CreateIndex
CREATE UNIQUE INDEX "client_secrets_app_id_slot_key" ON "client_secrets"("app_id", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_seq_key" ON "audit_events"("seq");

-- AddForeignKey
ALTER TABLE "client_secrets" ADD CONSTRAINT "client_secrets_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "connected_apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
