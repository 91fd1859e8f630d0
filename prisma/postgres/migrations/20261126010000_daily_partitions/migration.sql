-- Hand-written: Prisma cannot declare partitioning (prisma/schema.prisma is unchanged).
-- NB the PostgreSQL adapter runs a migration split at every semicolon: none in comments or strings here.
--
-- MetricSample becomes a table partitioned by day of "ts" (UTC), one partition per day
-- (MetricSample_pYYYYMMDD, created on first write by lib/db/partitions.ts). Raw retention then
-- drops whole days instead of deleting millions of rows, leaving no dead tuples to vacuum.
-- Time-range scans (a minute being rolled up, MAX of ts at start) touch only their day's
-- partition, through its ts index.
--
-- The key (metricId, entityId, ts) and the ts index are Prisma's own, created on every partition,
-- so the migration diff (scripts/migration-new.ts --check) still finds the schema in sync.
--
-- Runs right after the init migration, on its empty table. Rows there would find no partition
-- and stop this migration with an error rather than being lost.

ALTER TABLE "MetricSample" RENAME TO "MetricSample_unpartitioned";
ALTER TABLE "MetricSample_unpartitioned" RENAME CONSTRAINT "MetricSample_pkey" TO "MetricSample_unpartitioned_pkey";
ALTER INDEX "MetricSample_ts_idx" RENAME TO "MetricSample_unpartitioned_ts_idx";

CREATE TABLE "MetricSample" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL,
    "drillId" TEXT,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("metricId","entityId","ts")
) PARTITION BY RANGE ("ts");

CREATE INDEX "MetricSample_ts_idx" ON "MetricSample"("ts");

INSERT INTO "MetricSample" ("metricId", "entityId", "ts", "value", "source", "drillId")
    SELECT "metricId", "entityId", "ts", "value", "source", "drillId" FROM "MetricSample_unpartitioned";
DROP TABLE "MetricSample_unpartitioned";
