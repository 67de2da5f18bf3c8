-- CreateTable: what each service runs now in each environment (its latest successful deployment),
-- so the console's deploys page reads one row per service instead of probing the deployments of each.
CREATE TABLE "DeploymentCurrent" (
    "environment" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "deploymentId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeploymentCurrent_pkey" PRIMARY KEY ("environment","service")
);

-- The latest successful deployment of one service in one environment, written to the table (or
-- its row removed when there is none). Writers of the same pair take turns (a transaction-scoped
-- advisory lock), so each one reads the deployments the one before it committed.
CREATE FUNCTION "DeploymentCurrent_refresh"(env TEXT, svc TEXT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  latest RECORD;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('DeploymentCurrent:' || env || ':' || svc, 0));
  SELECT id, "createdAt" INTO latest FROM "Deployment"
    WHERE environment = env AND status = 'success' AND service = svc
    ORDER BY "createdAt" DESC, id DESC LIMIT 1;
  IF latest.id IS NULL THEN
    DELETE FROM "DeploymentCurrent" WHERE environment = env AND service = svc;
  ELSE
    INSERT INTO "DeploymentCurrent" (environment, service, "deploymentId", "createdAt")
    VALUES (env, svc, latest.id, latest."createdAt")
    ON CONFLICT (environment, service) DO UPDATE SET "deploymentId" = EXCLUDED."deploymentId", "createdAt" = EXCLUDED."createdAt"
    WHERE "DeploymentCurrent"."deploymentId" IS DISTINCT FROM EXCLUDED."deploymentId" OR "DeploymentCurrent"."createdAt" IS DISTINCT FROM EXCLUDED."createdAt";
  END IF;
END
$$;

-- A successful deployment inserted, deleted, or changed in status, service, environment or start
-- time refreshes its pair (before and after the change), in the writer's own transaction; the
-- other states' rows never change what runs.
CREATE FUNCTION "DeploymentCurrent_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'success' THEN
    PERFORM "DeploymentCurrent_refresh"(OLD.environment, OLD.service);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'success'
     AND (TG_OP = 'INSERT' OR OLD.status <> 'success' OR (NEW.environment, NEW.service) IS DISTINCT FROM (OLD.environment, OLD.service)) THEN
    PERFORM "DeploymentCurrent_refresh"(NEW.environment, NEW.service);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "DeploymentCurrent_sync" AFTER INSERT OR DELETE OR UPDATE OF status, environment, service, "createdAt" ON "Deployment"
  FOR EACH ROW EXECUTE FUNCTION "DeploymentCurrent_sync"();

-- The deployments already stored.
INSERT INTO "DeploymentCurrent" (environment, service, "deploymentId", "createdAt")
SELECT DISTINCT ON (environment, service) environment, service, id, "createdAt"
FROM "Deployment" WHERE status = 'success'
ORDER BY environment, service, "createdAt" DESC, id DESC;
