-- Trigram similarity for "looks like #123" duplicate hints.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateTable
CREATE TABLE "Ticket" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "component" TEXT,
    "severity" TEXT NOT NULL,
    "severityConfirmed" BOOLEAN NOT NULL DEFAULT true,
    "triageReason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'new',
    "reporterUserId" UUID,
    "reporterName" TEXT,
    "assigneeUserId" UUID,
    "assigneeName" TEXT,
    "source" TEXT NOT NULL,
    "sourceKey" TEXT,
    "reporterRef" JSONB,
    "duplicateOfId" INTEGER,
    "slaAnchorAt" TIMESTAMP(3),
    "responseUsedMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "resolutionUsedMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "responseAtRiskAt" TIMESTAMP(3),
    "responseDueAt" TIMESTAMP(3),
    "resolutionAtRiskAt" TIMESTAMP(3),
    "resolutionDueAt" TIMESTAMP(3),
    "responseStage" INTEGER NOT NULL DEFAULT 0,
    "resolutionStage" INTEGER NOT NULL DEFAULT 0,
    "slaVersion" INTEGER NOT NULL DEFAULT 0,
    "nextSlaCheckAt" TIMESTAMP(3),
    "responseBreachedAt" TIMESTAMP(3),
    "resolutionBreachedAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" BIGSERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actorUserId" UUID,
    "actorName" TEXT,
    "body" TEXT,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketWatcher" (
    "id" UUID NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL DEFAULT '',
    "workspaceId" TEXT,
    "threadKey" TEXT,
    "userId" UUID,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "role" TEXT NOT NULL DEFAULT 'reporter',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketWatcher_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_sourceKey_key" ON "Ticket"("sourceKey");

-- CreateIndex
CREATE INDEX "Ticket_status_idx" ON "Ticket"("status");

-- CreateIndex
CREATE INDEX "Ticket_nextSlaCheckAt_idx" ON "Ticket"("nextSlaCheckAt");

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_createdAt_idx" ON "TicketEvent"("ticketId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TicketWatcher_ticketId_platform_chatId_threadId_key" ON "TicketWatcher"("ticketId", "platform", "chatId", "threadId");

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketWatcher" ADD CONSTRAINT "TicketWatcher_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
