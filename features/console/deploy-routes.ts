/**
 * The deploys page, GET /console/deploys: the deployments the alerts feature stores (GitHub's
 * deployment, deployment_status and workflow_run deliveries and the deploy JSON scripts post,
 * one `Deployment` row per deployment with its state history), per environment: what each
 * service runs now (its latest successful deployment) and the latest deployments with their
 * states. GET filters: environment and service. The roles are those of the chat's `deploys`.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../services/db.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { CommandRegistry } from '../../core/registry.ts';
import { ROLES } from '../../services/users/roles.ts';
import { send, type Access, type PageCtxOf } from './access.ts';
import { deploysPage, type CurrentRow, type DeployRow, type EnvironmentView } from './deploys-view.ts';

export interface DeployPagesDeps {
  db: Db;
  registry: CommandRegistry;
  timeZone: string;
  access: Access;
  pageCtx: PageCtxOf;
}

export interface DeployFilters {
  environment?: string;
  service?: string;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const query = {
  type: 'object',
  additionalProperties: false,
  properties: { lang: LANG, environment: { type: 'string', maxLength: 100 }, service: { type: 'string', maxLength: 200 } },
} as const;

/** How many environments the page shows, and deployments per environment: on its own, and among all environments (a link leads to the rest). */
const ENVIRONMENTS = 20;
const PER_ENVIRONMENT = 20;
const OVERVIEW_RECENT = 10;
/** At most this many services in an environment's "runs now" table: on its own, and among all environments (a link leads to the rest). */
const CURRENT_LIMIT = 200;
const OVERVIEW_SERVICES = 25;

/** The columns of the latest deployments' table, and of the "runs now" table. */
const SELECTED = Prisma.sql`id, service, environment, version, status, url, actor, history, "createdAt", "updatedAt", source`;
const CURRENT = Prisma.sql`d.service, d.environment, d.version, d.url, d.actor, d."updatedAt"`;

/**
 * The environments with deployments, most recently deployed first: one index probe per
 * environment (a skip scan over the environment index) rather than a scan of every row.
 */
export async function deployEnvironments(db: Db): Promise<{ environment: string; last: Date }[]> {
  return db.$queryRaw<{ environment: string; last: Date }[]>`
    WITH RECURSIVE e AS (
      (SELECT environment FROM "Deployment" ORDER BY environment LIMIT 1)
      UNION ALL
      SELECT (SELECT d.environment FROM "Deployment" d WHERE d.environment > e.environment ORDER BY d.environment LIMIT 1) FROM e WHERE e.environment IS NOT NULL
    )
    SELECT e.environment, (SELECT max(d."createdAt") FROM "Deployment" d WHERE d.environment = e.environment) AS last
    FROM e WHERE e.environment IS NOT NULL ORDER BY last DESC LIMIT ${ENVIRONMENTS}`;
}

/**
 * Each service's latest successful deployment in these environments, from the
 * "DeploymentCurrent" table (one row per environment and service, kept by a trigger on
 * "Deployment" in the writer's transaction) by its primary key, joined to the deployment it
 * names: per environment, its first services by name and how many it has.
 */
async function currentDeploys(db: Db, environments: string[], service?: string): Promise<CurrentRow[]> {
  const shown = environments.length === 1 ? CURRENT_LIMIT : OVERVIEW_SERVICES;
  return db.$queryRaw<CurrentRow[]>`
    SELECT x.*, n.total AS "servicesInEnvironment" FROM unnest(${environments}::text[]) e(env)
    CROSS JOIN LATERAL (SELECT count(*)::int AS total FROM "DeploymentCurrent" c WHERE c.environment = e.env) n
    CROSS JOIN LATERAL (
      SELECT ${CURRENT} FROM "DeploymentCurrent" c JOIN "Deployment" d ON d.id = c."deploymentId"
      WHERE c.environment = e.env ${service ? Prisma.sql`AND c.service = ${service}` : Prisma.empty}
      ORDER BY c.service LIMIT ${shown}
    ) x`;
}

/** The latest `limit` deployments of each of these environments, in one statement (an index scan each). */
async function recentDeploys(db: Db, environments: string[], limit: number, service?: string): Promise<DeployRow[]> {
  return db.$queryRaw<DeployRow[]>`
    SELECT x.* FROM unnest(${environments}::text[]) e(env) CROSS JOIN LATERAL (
      SELECT ${SELECTED} FROM "Deployment" d WHERE d.environment = e.env ${service ? Prisma.sql`AND d.service = ${service}` : Prisma.empty}
      ORDER BY d."createdAt" DESC LIMIT ${limit}
    ) x`;
}

/** These environments, each with its services' latest successful deployments and its latest deployments. */
export async function environmentViews(db: Db, environments: string[], service?: string): Promise<EnvironmentView[]> {
  if (!environments.length) return [];
  // Among several environments each shows its latest few (one more is read to know there are more).
  const overview = environments.length > 1;
  const shown = overview ? OVERVIEW_RECENT : PER_ENVIRONMENT;
  const [recent, current] = await Promise.all([recentDeploys(db, environments, overview ? shown + 1 : shown, service), currentDeploys(db, environments, service)]);
  const of = <R extends { environment: string }>(rows: R[], env: string) => rows.filter((r) => r.environment === env);
  return environments.map((environment) => {
    const runs = of(current, environment).sort((a, b) => a.service.localeCompare(b.service)).slice(0, CURRENT_LIMIT);
    // Among several environments only the first services are listed; one environment (or one service) lists them all.
    const services = environments.length > 1 && !service ? Math.max(runs.length, ...runs.map((r) => r.servicesInEnvironment ?? 0)) : runs.length;
    const latest = of(recent, environment);
    return { environment, recent: latest.slice(0, shown), moreRecent: latest.length > shown, current: runs, services };
  });
}

/** Builds the deploys page plugin. */
export function deployPages(deps: DeployPagesDeps) {
  const { db, access, pageCtx } = deps;
  const roles = () => deps.registry.command('alerts.deploys')?.roles ?? ROLES;

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/deploys', { schema: { querystring: query } }, async (req, reply) => {
      const user = await access.withRole(req, reply, roles());
      if (!user) return reply;
      const q = req.query as DeployFilters;
      const f: DeployFilters = { ...(q.environment ? { environment: q.environment } : {}), ...(q.service?.trim() ? { service: q.service.trim() } : {}) };
      const environments = await deployEnvironments(db);
      const shown = environments.filter((e) => !f.environment || e.environment === f.environment);
      const views = await environmentViews(db, shown.map((e) => e.environment), f.service);
      return send(reply, 200, deploysPage(pageCtx(req, reply, user), { filters: f, environments: environments.map((e) => e.environment), views, timeZone: deps.timeZone }));
    });
  };
}
