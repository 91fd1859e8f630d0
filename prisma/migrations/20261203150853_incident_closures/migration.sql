-- CreateTable
CREATE TABLE "IncidentClosure" (
    "incidentId" TEXT NOT NULL PRIMARY KEY,
    "closedTs" DATETIME NOT NULL,
    "closedBy" TEXT NOT NULL,
    "comment" TEXT
);

-- CreateIndex
CREATE INDEX "IncidentClosure_closedTs_idx" ON "IncidentClosure"("closedTs");
