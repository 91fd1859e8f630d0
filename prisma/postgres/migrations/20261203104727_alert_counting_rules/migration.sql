-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "counted" TEXT;

-- AlterTable
ALTER TABLE "AlertRule" ADD COLUMN     "atLeast" INTEGER,
ADD COLUMN     "atLeastPercent" DOUBLE PRECISION;
