-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "kind" TEXT,
    "direction" TEXT NOT NULL,
    "threshold" REAL NOT NULL,
    "clearAt" REAL NOT NULL,
    "forSeconds" INTEGER NOT NULL,
    "severity" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "sinceTs" DATETIME NOT NULL,
    "openedTs" DATETIME NOT NULL,
    "triggerValue" REAL NOT NULL,
    "peakValue" REAL NOT NULL,
    "acknowledgedTs" DATETIME,
    "acknowledgedBy" TEXT,
    "ackComment" TEXT,
    "resolvedTs" DATETIME,
    "resolvedBy" TEXT
);

-- CreateIndex
CREATE INDEX "Alert_resolvedTs_idx" ON "Alert"("resolvedTs");

-- CreateIndex
CREATE INDEX "Alert_ruleId_entityId_idx" ON "Alert"("ruleId", "entityId");
