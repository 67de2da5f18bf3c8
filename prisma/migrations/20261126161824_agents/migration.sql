-- CreateTable
CREATE TABLE "LlmUsage" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "day" DATE NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "workspaceKey" TEXT NOT NULL,
    "userId" UUID,
    "runId" UUID,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LlmUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentRun" (
    "id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "userId" UUID NOT NULL,
    "ref" JSONB NOT NULL,
    "replyRef" JSONB NOT NULL,
    "locale" TEXT NOT NULL,
    "input" TEXT NOT NULL,
    "messages" JSONB NOT NULL DEFAULT '[]',
    "pendingCalls" JSONB NOT NULL DEFAULT '[]',
    "toolCalls" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "elapsedMs" INTEGER NOT NULL DEFAULT 0,
    "result" TEXT,
    "error" TEXT,
    "parentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AgentRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentApproval" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "toolCallId" TEXT NOT NULL,
    "commandId" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requesterId" UUID NOT NULL,
    "approverRole" TEXT NOT NULL,
    "decidedBy" UUID,
    "decidedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentApproval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationMemory" (
    "conversationId" UUID NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "messages" JSONB NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationMemory_pkey" PRIMARY KEY ("conversationId")
);

-- CreateIndex
CREATE INDEX "LlmUsage_workspaceKey_day_idx" ON "LlmUsage"("workspaceKey", "day");

-- CreateIndex
CREATE INDEX "LlmUsage_userId_day_idx" ON "LlmUsage"("userId", "day");

-- CreateIndex
CREATE INDEX "LlmUsage_runId_idx" ON "LlmUsage"("runId");

-- CreateIndex
CREATE INDEX "AgentRun_userId_createdAt_idx" ON "AgentRun"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "AgentRun_status_idx" ON "AgentRun"("status");

-- CreateIndex
CREATE INDEX "AgentApproval_status_expiresAt_idx" ON "AgentApproval"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "AgentApproval_runId_toolCallId_key" ON "AgentApproval"("runId", "toolCallId");

-- AddForeignKey
ALTER TABLE "AgentApproval" ADD CONSTRAINT "AgentApproval_runId_fkey" FOREIGN KEY ("runId") REFERENCES "AgentRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
