-- AlterTable
ALTER TABLE "Entity" ADD COLUMN "capacity" INTEGER;
ALTER TABLE "Entity" ADD COLUMN "lat" REAL;
ALTER TABLE "Entity" ADD COLUMN "lon" REAL;
ALTER TABLE "Entity" ADD COLUMN "profile" TEXT;

-- AlterTable
ALTER TABLE "MetricSample" ADD COLUMN "drillId" TEXT;

-- CreateTable
CREATE TABLE "Drill" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scenarioId" TEXT NOT NULL,
    "startTs" DATETIME NOT NULL,
    "endTs" DATETIME NOT NULL,
    "stoppedTs" DATETIME,
    "startedBy" TEXT NOT NULL
);
