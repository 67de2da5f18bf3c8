-- CreateTable
CREATE TABLE "AlertGroup" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'firing',
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "service" TEXT NOT NULL DEFAULT '',
    "environment" TEXT NOT NULL DEFAULT '',
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "url" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fireCount" INTEGER NOT NULL DEFAULT 0,
    "notifiedAlertId" BIGINT NOT NULL DEFAULT 0,
    "stateChanges" JSONB NOT NULL DEFAULT '[]',
    "flapping" BOOLEAN NOT NULL DEFAULT false,
    "ackBy" TEXT,
    "ackAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "deploymentId" UUID,
    "ticketId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" BIGSERIAL NOT NULL,
    "groupId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Silence" (
    "id" UUID NOT NULL,
    "groupId" UUID,
    "matchers" JSONB NOT NULL DEFAULT '{}',
    "reason" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Silence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "version" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "url" TEXT,
    "actor" TEXT,
    "history" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthCheckState" (
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "consecutiveSuccesses" INTEGER NOT NULL DEFAULT 0,
    "lastCheckedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "changedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HealthCheckState_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AlertSubscription" (
    "id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL DEFAULT '',
    "matchers" JSONB NOT NULL DEFAULT '{}',
    "matchKey" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "source" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("source","deliveryId")
);

-- CreateTable
CREATE TABLE "AlertDigest" (
    "destKey" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "alertCount" INTEGER NOT NULL DEFAULT 0,
    "groupCount" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertDigest_pkey" PRIMARY KEY ("destKey","windowStart")
);

-- CreateIndex
CREATE INDEX "AlertGroup_status_severity_idx" ON "AlertGroup"("status", "severity");

-- CreateIndex
CREATE INDEX "AlertGroup_service_lastSeenAt_idx" ON "AlertGroup"("service", "lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertGroup_source_groupKey_key" ON "AlertGroup"("source", "groupKey");

-- CreateIndex
CREATE INDEX "Alert_groupId_id_idx" ON "Alert"("groupId", "id");

-- CreateIndex
CREATE INDEX "Alert_receivedAt_idx" ON "Alert"("receivedAt");

-- CreateIndex
CREATE INDEX "Silence_endsAt_idx" ON "Silence"("endsAt");

-- CreateIndex
CREATE INDEX "Silence_groupId_idx" ON "Silence"("groupId");

-- CreateIndex
CREATE INDEX "Deployment_service_createdAt_idx" ON "Deployment"("service", "createdAt");

-- CreateIndex
CREATE INDEX "Deployment_environment_createdAt_idx" ON "Deployment"("environment", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_source_externalId_key" ON "Deployment"("source", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "AlertSubscription_platform_chatId_threadId_matchKey_key" ON "AlertSubscription"("platform", "chatId", "threadId", "matchKey");

-- CreateIndex
CREATE INDEX "WebhookDelivery_receivedAt_idx" ON "WebhookDelivery"("receivedAt");

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "AlertGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;
