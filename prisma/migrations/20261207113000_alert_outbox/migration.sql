-- AlterTable: the notify outbox mark, delivery de-duplication, card details and occurrences
ALTER TABLE "AlertGroup" ADD COLUMN "notifyPendingSince" TIMESTAMP(3),
ADD COLUMN "deliveryHash" TEXT,
ADD COLUMN "details" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "occurrence" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "occurrenceAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "AlertGroup_notifyPendingSince_idx" ON "AlertGroup"("notifyPendingSince");
