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
import { deploysPage, type DeployRow, type EnvironmentView } from './deploys-view.ts';

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

/** How many environments the page shows, and deployments per environment. */
const ENVIRONMENTS = 20;
const PER_ENVIRONMENT = 20;

const COLUMNS = { id: true, service: true, environment: true, version: true, status: true, url: true, actor: true, history: true, createdAt: true, updatedAt: true, source: true } as const;

/** The environments with deployments, most recently deployed first. */
export async function deployEnvironments(db: Db): Promise<{ environment: string; count: number; last: Date }[]> {
  const rows = await db.$queryRaw<{ environment: string; count: bigint; last: Date }[]>`
    SELECT environment, count(*) AS count, max("createdAt") AS last FROM "Deployment" GROUP BY environment ORDER BY last DESC LIMIT ${ENVIRONMENTS}`;
  return rows.map((r) => ({ environment: r.environment, count: Number(r.count), last: r.last }));
}

/** One environment: each service's latest successful deployment, and the latest deployments. */
export async function environmentView(db: Db, environment: string, service?: string): Promise<EnvironmentView> {
  const where = { environment, ...(service ? { service } : {}) };
  const [recent, current] = await Promise.all([
    db.deployment.findMany({ where, orderBy: { createdAt: 'desc' }, take: PER_ENVIRONMENT, select: COLUMNS }),
    db.$queryRaw<DeployRow[]>`
      SELECT DISTINCT ON (service) id, service, environment, version, status, url, actor, history, "createdAt", "updatedAt", source
      FROM "Deployment" WHERE environment = ${environment} AND status = 'success' ${service ? Prisma.sql`AND service = ${service}` : Prisma.empty}
      ORDER BY service, "createdAt" DESC LIMIT 200`,
  ]);
  return { environment, recent: recent as DeployRow[], current };
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
      const views = await Promise.all(shown.map((e) => environmentView(db, e.environment, f.service)));
      return send(reply, 200, deploysPage(pageCtx(req, reply, user), { filters: f, environments: environments.map((e) => e.environment), views, timeZone: deps.timeZone }));
    });
  };
}
