-- AlterTable
ALTER TABLE "OutboundMessage" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 1;
