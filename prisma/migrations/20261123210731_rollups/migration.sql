-- CreateTable
CREATE TABLE "Rollup1m" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "bucketTs" DATETIME NOT NULL,
    "min" REAL NOT NULL,
    "max" REAL NOT NULL,
    "sum" REAL NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("metricId", "entityId", "bucketTs")
);

-- CreateTable
CREATE TABLE "Rollup1h" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "bucketTs" DATETIME NOT NULL,
    "min" REAL NOT NULL,
    "max" REAL NOT NULL,
    "sum" REAL NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("metricId", "entityId", "bucketTs")
);

-- CreateIndex
CREATE INDEX "Rollup1m_bucketTs_idx" ON "Rollup1m"("bucketTs");

-- CreateIndex
CREATE INDEX "Rollup1h_bucketTs_idx" ON "Rollup1h"("bucketTs");
