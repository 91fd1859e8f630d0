-- CreateTable
CREATE TABLE "Entity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "districtId" TEXT
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "ts" DATETIME NOT NULL,
    "value" REAL NOT NULL,
    "source" TEXT NOT NULL,

    PRIMARY KEY ("metricId", "entityId", "ts")
);

-- CreateTable
CREATE TABLE "ReferenceFigure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "series" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "year" INTEGER,
    "value" REAL NOT NULL,
    "unit" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "derivation" TEXT,
    "note" TEXT
);

-- CreateIndex
CREATE INDEX "MetricSample_ts_idx" ON "MetricSample"("ts");
