-- CreateTable
CREATE TABLE "ProcessDefinition" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessRun" (
    "id" SERIAL NOT NULL,
    "definitionId" UUID NOT NULL,
    "processName" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "inputs" JSONB NOT NULL,
    "trigger" TEXT NOT NULL,
    "triggerKey" TEXT,
    "startedBy" TEXT,
    "startedById" UUID,
    "ref" JSONB,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "generation" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ProcessRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessStepRun" (
    "id" UUID NOT NULL,
    "runId" INTEGER NOT NULL,
    "stepId" TEXT NOT NULL,
    "iteration" INTEGER NOT NULL DEFAULT 0,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "input" JSONB,
    "output" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "parentId" UUID,
    "joined" INTEGER NOT NULL DEFAULT 0,
    "next" JSONB,
    "waitEvent" TEXT,
    "waitUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcessStepRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProcessDefinition_name_version_key" ON "ProcessDefinition"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessDefinition_name_hash_key" ON "ProcessDefinition"("name", "hash");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessRun_triggerKey_key" ON "ProcessRun"("triggerKey");

-- CreateIndex
CREATE INDEX "ProcessRun_processName_createdAt_idx" ON "ProcessRun"("processName", "createdAt");

-- CreateIndex
CREATE INDEX "ProcessRun_status_idx" ON "ProcessRun"("status");

-- CreateIndex
CREATE INDEX "ProcessStepRun_status_waitEvent_idx" ON "ProcessStepRun"("status", "waitEvent");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessStepRun_runId_stepId_iteration_key" ON "ProcessStepRun"("runId", "stepId", "iteration");

-- AddForeignKey
ALTER TABLE "ProcessRun" ADD CONSTRAINT "ProcessRun_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "ProcessDefinition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcessStepRun" ADD CONSTRAINT "ProcessStepRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ProcessRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
