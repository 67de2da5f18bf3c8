-- CreateTable
CREATE TABLE "ProcessEffect" (
    "key" TEXT NOT NULL,
    "runId" INTEGER NOT NULL,
    "stepRunId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'started',
    "result" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcessEffect_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ProcessTicketOp" (
    "key" TEXT NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "afterEventId" BIGINT NOT NULL,
    "eventId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessTicketOp_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ProcessEffect_runId_idx" ON "ProcessEffect"("runId");

-- CreateIndex
CREATE INDEX "ProcessStepRun_status_updatedAt_idx" ON "ProcessStepRun"("status", "updatedAt");

-- AddForeignKey
ALTER TABLE "ProcessEffect" ADD CONSTRAINT "ProcessEffect_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ProcessRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
