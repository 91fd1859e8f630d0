-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "resolveComment" TEXT;