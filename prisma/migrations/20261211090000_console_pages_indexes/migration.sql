-- CreateIndex: the console's agent runs page reads the latest runs of everyone.
CREATE INDEX "AgentRun_createdAt_idx" ON "AgentRun"("createdAt");

-- CreateIndex: the console's deploys page reads each service's latest successful deployment per environment.
CREATE INDEX "Deployment_environment_status_service_createdAt_idx" ON "Deployment"("environment", "status", "service", "createdAt");
