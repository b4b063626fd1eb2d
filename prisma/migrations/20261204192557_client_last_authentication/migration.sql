-- CreateTable
CREATE TABLE "client_last_authentication" (
    "app_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "method" TEXT NOT NULL,

    CONSTRAINT "client_last_authentication_pkey" PRIMARY KEY ("app_id")
);

-- AddForeignKey
ALTER TABLE "client_last_authentication" ADD CONSTRAINT "client_last_authentication_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "connected_apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
