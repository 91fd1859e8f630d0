-- CreateTable
CREATE TABLE "Entity" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "districtId" TEXT,
    "capacity" INTEGER,
    "profile" TEXT,
    "lon" DOUBLE PRECISION,
    "lat" DOUBLE PRECISION,

    CONSTRAINT "Entity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL,
    "drillId" TEXT,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("metricId","entityId","ts")
);

-- CreateTable
CREATE TABLE "ReferenceFigure" (
    "id" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "year" INTEGER,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "derivation" TEXT,
    "note" TEXT,

    CONSTRAINT "ReferenceFigure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Drill" (
    "id" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "startTs" TIMESTAMP(3) NOT NULL,
    "endTs" TIMESTAMP(3) NOT NULL,
    "stoppedTs" TIMESTAMP(3),
    "startedBy" TEXT NOT NULL,

    CONSTRAINT "Drill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rollup1m" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "bucketTs" TIMESTAMP(3) NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "Rollup1m_pkey" PRIMARY KEY ("metricId","entityId","bucketTs")
);

-- CreateTable
CREATE TABLE "Rollup1h" (
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "bucketTs" TIMESTAMP(3) NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "Rollup1h_pkey" PRIMARY KEY ("metricId","entityId","bucketTs")
);

-- CreateTable
CREATE TABLE "IngestToken" (
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "IngestToken_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "kind" TEXT,
    "direction" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "clearAt" DOUBLE PRECISION NOT NULL,
    "forSeconds" INTEGER NOT NULL,
    "severity" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "sinceTs" TIMESTAMP(3) NOT NULL,
    "openedTs" TIMESTAMP(3) NOT NULL,
    "triggerValue" DOUBLE PRECISION NOT NULL,
    "peakValue" DOUBLE PRECISION NOT NULL,
    "acknowledgedTs" TIMESTAMP(3),
    "acknowledgedBy" TEXT,
    "ackComment" TEXT,
    "resolvedTs" TIMESTAMP(3),
    "resolvedBy" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Session" (
    "tokenHash" TEXT NOT NULL,
    "userName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "MetricSample_ts_idx" ON "MetricSample"("ts");

-- CreateIndex
CREATE INDEX "Rollup1m_bucketTs_idx" ON "Rollup1m"("bucketTs");

-- CreateIndex
CREATE INDEX "Rollup1h_bucketTs_idx" ON "Rollup1h"("bucketTs");

-- CreateIndex
CREATE UNIQUE INDEX "IngestToken_tokenHash_key" ON "IngestToken"("tokenHash");

-- CreateIndex
CREATE INDEX "Alert_resolvedTs_idx" ON "Alert"("resolvedTs");

-- CreateIndex
CREATE INDEX "Alert_ruleId_entityId_idx" ON "Alert"("ruleId", "entityId");

-- CreateIndex
CREATE INDEX "Session_userName_idx" ON "Session"("userName");
