-- CreateTable
CREATE TABLE "NotifyChannel" (
    "id" TEXT NOT NULL,
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
    "createdTs" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotifyChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotifyDelivery" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "channelName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastAttemptAt" TIMESTAMP(3),
    "statusCode" INTEGER,
    "why" TEXT,

    CONSTRAINT "NotifyDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NotifyDelivery_status_nextAttemptAt_idx" ON "NotifyDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "NotifyDelivery_createdAt_idx" ON "NotifyDelivery"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotifyDelivery_alertId_event_channelId_key" ON "NotifyDelivery"("alertId", "event", "channelId");
