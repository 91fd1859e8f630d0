-- Hand-written (Prisma cannot express WITHOUT ROWID; schema.prisma is unchanged).
-- History is read as one series over a time range. As rowid tables, each row found through
-- the primary-key index cost a random lookup into the table for its value: 24 h of one
-- series took ~200 ms at p95 on 10 M rows. WITHOUT ROWID, the table is the primary-key
-- B-tree, so a series' rows sit together and a range scan reads consecutive pages
-- (see BENCHMARKS.md, "history").

CREATE TABLE "new_MetricSample" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "ts" DATETIME NOT NULL,
    "value" REAL NOT NULL,
    "source" TEXT NOT NULL,
    "drillId" TEXT,

    PRIMARY KEY ("metricId", "entityId", "ts")
) WITHOUT ROWID;
INSERT INTO "new_MetricSample" ("metricId", "entityId", "ts", "value", "source", "drillId")
    SELECT "metricId", "entityId", "ts", "value", "source", "drillId" FROM "MetricSample";
DROP TABLE "MetricSample";
ALTER TABLE "new_MetricSample" RENAME TO "MetricSample";
CREATE INDEX "MetricSample_ts_idx" ON "MetricSample"("ts");

CREATE TABLE "new_Rollup1m" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "bucketTs" DATETIME NOT NULL,
    "min" REAL NOT NULL,
    "max" REAL NOT NULL,
    "sum" REAL NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("metricId", "entityId", "bucketTs")
) WITHOUT ROWID;
INSERT INTO "new_Rollup1m" SELECT "metricId", "entityId", "bucketTs", "min", "max", "sum", "count" FROM "Rollup1m";
DROP TABLE "Rollup1m";
ALTER TABLE "new_Rollup1m" RENAME TO "Rollup1m";
CREATE INDEX "Rollup1m_bucketTs_idx" ON "Rollup1m"("bucketTs");

CREATE TABLE "new_Rollup1h" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "bucketTs" DATETIME NOT NULL,
    "min" REAL NOT NULL,
    "max" REAL NOT NULL,
    "sum" REAL NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("metricId", "entityId", "bucketTs")
) WITHOUT ROWID;
INSERT INTO "new_Rollup1h" SELECT "metricId", "entityId", "bucketTs", "min", "max", "sum", "count" FROM "Rollup1h";
DROP TABLE "Rollup1h";
ALTER TABLE "new_Rollup1h" RENAME TO "Rollup1h";
CREATE INDEX "Rollup1h_bucketTs_idx" ON "Rollup1h"("bucketTs");
