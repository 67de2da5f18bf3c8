/**
 * The agent runs pages, for technicians and admins (others 403, no navigation entry): GET
 * /console/agents (the latest runs: agent, status, who asked, tool calls, tokens, cost) and
 * GET /console/agents/:id (the question, the answer or error, each tool call with its
 * arguments and result as the run's messages hold them, approvals, and every model request
 * with its tokens, cost and latency from the usage ledger that budgets sum).
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../services/db.ts';
import { messagePage, sectionRoles } from './layout.ts';
import { send, type Access, type PageCtxOf } from './access.ts';
import { agentRunPage, agentRunsPage, toolCallsOf, type AgentRunRow } from './agents-view.ts';

export interface AgentPagesDeps {
  db: Db;
  timeZone: string;
  access: Access;
  pageCtx: PageCtxOf;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const listQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG } } as const;
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } } } as const;

/** How many runs the list shows. */
const LIST_LIMIT = 50;

const RUN_COLUMNS = { id: true, agent: true, status: true, userId: true, input: true, toolCalls: true, tokens: true, elapsedMs: true, result: true, error: true, parentId: true, createdAt: true, finishedAt: true } as const;

/** The latest runs with who asked and what their model requests cost. */
export async function latestAgentRuns(db: Db): Promise<AgentRunRow[]> {
  const runs = await db.agentRun.findMany({ orderBy: { createdAt: 'desc' }, take: LIST_LIMIT, select: RUN_COLUMNS });
  if (!runs.length) return [];
  const [usage, users] = await Promise.all([
    db.llmUsage.groupBy({ by: ['runId'], where: { runId: { in: runs.map((r) => r.id) } }, _sum: { costUsd: true }, _count: { _all: true } }),
    db.user.findMany({ where: { id: { in: [...new Set(runs.map((r) => r.userId))] } }, select: { id: true, displayName: true } }),
  ]);
  const cost = new Map(usage.map((u) => [u.runId, { usd: u._sum.costUsd ?? 0, requests: u._count._all }]));
  const names = new Map(users.map((u) => [u.id, u.displayName ?? u.id]));
  return runs.map((r) => ({ ...r, userName: names.get(r.userId) ?? r.userId, costUsd: cost.get(r.id)?.usd ?? 0, requests: cost.get(r.id)?.requests ?? 0 }));
}

/** Builds the agent runs pages plugin. */
export function agentPages(deps: AgentPagesDeps) {
  const { db, access, pageCtx } = deps;
  const roles = sectionRoles('agents') ?? [];

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/agents', { schema: { querystring: listQuery } }, async (req, reply) => {
      const user = await access.withRole(req, reply, roles);
      if (!user) return reply;
      return send(reply, 200, agentRunsPage(pageCtx(req, reply, user), await latestAgentRuns(db), deps.timeZone));
    });

    app.get('/agents/:id', { schema: { params: idParams, querystring: listQuery } }, async (req, reply) => {
      const user = await access.withRole(req, reply, roles);
      if (!user) return reply;
      const { id } = req.params as { id: string };
      const c = pageCtx(req, reply, user);
      const run = await db.agentRun.findUnique({ where: { id }, select: { ...RUN_COLUMNS, messages: true, approvals: { orderBy: { createdAt: 'asc' } } } });
      if (!run) return send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('console.agents.notFound'), { path: '/console/agents', label: c.t('console.agents.back') }));
      const [usage, asker] = await Promise.all([
        db.llmUsage.findMany({ where: { runId: id }, orderBy: { id: 'asc' }, take: 200 }),
        db.user.findUnique({ where: { id: run.userId }, select: { displayName: true } }),
      ]);
      const row: AgentRunRow = { ...run, userName: asker?.displayName ?? run.userId, costUsd: usage.reduce((s, u) => s + u.costUsd, 0), requests: usage.length };
      return send(reply, 200, agentRunPage(c, { run: row, calls: toolCallsOf(run.messages), approvals: run.approvals, usage, timeZone: deps.timeZone }));
    });
  };
}
