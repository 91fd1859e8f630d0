-- CreateTable
CREATE TABLE "NotifyChannel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "format" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "severities" TEXT NOT NULL,
    "domains" TEXT NOT NULL,
    "onOpen" BOOLEAN NOT NULL,
    "onAcknowledge" BOOLEAN NOT NULL,
    "onResolve" BOOLEAN NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "createdTs" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "NotifyDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "alertId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "channelName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastAttemptAt" DATETIME,
    "statusCode" INTEGER,
    "why" TEXT
);

-- CreateIndex
CREATE INDEX "NotifyDelivery_status_nextAttemptAt_idx" ON "NotifyDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "NotifyDelivery_createdAt_idx" ON "NotifyDelivery"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotifyDelivery_alertId_event_channelId_key" ON "NotifyDelivery"("alertId", "event", "channelId");
