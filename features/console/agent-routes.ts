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
import { agentRunPage, agentRunsPage, INPUT_SHOWN, toolCallsOf, type AgentRunListRow, type AgentRunRow } from './agents-view.ts';

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

/**
 * The latest runs with who asked and what their model requests cost: one statement (the runs
 * by the AgentRun(createdAt) index, each run's ledger rows by LlmUsage(runId)), only the
 * columns the list shows (the question cut as the page cuts it).
 */
export async function latestAgentRuns(db: Db): Promise<AgentRunListRow[]> {
  const rows = await db.$queryRaw<(Omit<AgentRunListRow, 'requests'> & { requests: bigint })[]>`
    SELECT r.id::text AS id, r.agent, r.status, coalesce(u."displayName", r."userId"::text) AS "userName", left(r.input, ${INPUT_SHOWN + 1}) AS input,
      r."toolCalls", r.tokens, r."createdAt", coalesce(c.usd, 0)::float8 AS "costUsd", coalesce(c.requests, 0) AS requests
    FROM (SELECT id, agent, status, "userId", input, "toolCalls", tokens, "createdAt" FROM "AgentRun" ORDER BY "createdAt" DESC LIMIT ${LIST_LIMIT}) r
    LEFT JOIN "User" u ON u.id = r."userId"
    LEFT JOIN LATERAL (SELECT sum(l."costUsd") AS usd, count(*) AS requests FROM "LlmUsage" l WHERE l."runId" = r.id) c ON true
    ORDER BY r."createdAt" DESC`;
  return rows.map((r) => ({ ...r, requests: Number(r.requests) }));
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
      // The run and its ledger rows at once (both by the id); the asker's name once the run is read.
      const [run, usage] = await Promise.all([
        db.agentRun.findUnique({ where: { id }, select: { ...RUN_COLUMNS, messages: true, approvals: { orderBy: { createdAt: 'asc' } } } }),
        db.llmUsage.findMany({ where: { runId: id }, orderBy: { id: 'asc' }, take: 200 }),
      ]);
      if (!run) return send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('console.agents.notFound'), { path: '/console/agents', label: c.t('console.agents.back') }));
      const asker = await db.user.findUnique({ where: { id: run.userId }, select: { displayName: true } });
      const row: AgentRunRow = { ...run, userName: asker?.displayName ?? run.userId, costUsd: usage.reduce((s, u) => s + u.costUsd, 0), requests: usage.length };
      return send(reply, 200, agentRunPage(c, { run: row, calls: toolCallsOf(run.messages), approvals: run.approvals, usage, timeZone: deps.timeZone }));
    });
  };
}
