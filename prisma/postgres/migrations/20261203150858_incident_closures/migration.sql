-- CreateTable
CREATE TABLE "IncidentClosure" (
    "incidentId" TEXT NOT NULL,
    "closedTs" TIMESTAMP(3) NOT NULL,
    "closedBy" TEXT NOT NULL,
    "comment" TEXT,

    CONSTRAINT "IncidentClosure_pkey" PRIMARY KEY ("incidentId")
);

-- CreateIndex
CREATE INDEX "IncidentClosure_closedTs_idx" ON "IncidentClosure"("closedTs");
