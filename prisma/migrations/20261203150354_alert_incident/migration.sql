-- AlterTable
ALTER TABLE "Alert" ADD COLUMN "incidentId" TEXT;
