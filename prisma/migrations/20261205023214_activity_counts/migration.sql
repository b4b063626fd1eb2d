-- CreateTable
CREATE TABLE "activity_counts" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "app_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "activity_counts_pkey" PRIMARY KEY ("bucket","app_id","kind")
);

-- CreateTable
CREATE TABLE "project_activity_counts" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "project_activity_counts_pkey" PRIMARY KEY ("bucket","kind")
);

-- CreateIndex
CREATE INDEX "activity_counts_app_id_bucket_idx" ON "activity_counts"("app_id", "bucket");

-- AddForeignKey
ALTER TABLE "activity_counts" ADD CONSTRAINT "activity_counts_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "connected_apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
