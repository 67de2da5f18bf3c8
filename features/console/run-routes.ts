/**
 * The process runs pages: GET /console/runs (the latest runs), GET /console/runs/:id (details,
 * inputs, step timeline), and the forms: POST /console/runs/:id/approvals/:step/approve|deny
 * (a waiting approval step: the step's own roles decide, as on the chat buttons), POST
 * /console/runs/:id/retry and /cancel (operators). Each form runs the processes feature's
 * button spec through the registry (process.approve, process.deny, process.retry,
 * process.cancel): the engine's own operation and role rule, audited as a press.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../services/db.ts';
import type { CommandRegistry } from '../../core/registry.ts';
import { PROCESS_ACTIONS } from '../../services/processes/render.ts';
import { inCreationOrder } from '../../services/processes/run-control.ts';
import { href, messagePage, type PageCtx } from './layout.ts';
import type { Press } from './ack.ts';
import type { ConsoleUser } from './session.ts';
import { send, type Access, type PageCtxOf } from './access.ts';
import { runPage, runsPage } from './runs-view.ts';

export interface RunPagesDeps {
  db: Db;
  registry: CommandRegistry;
  press: Press;
  timeZone: string;
  access: Access;
  pageCtx: PageCtxOf;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const DONE = ['approve', 'deny', 'retry', 'cancel'] as const;
const listQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG } } as const;
const detailQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG, done: { type: 'string', enum: [...DONE] } } } as const;
const RUN_ID = { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } as const;
const runParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: RUN_ID } } as const;
const approvalParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'step', 'decision'],
  properties: { id: RUN_ID, step: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }, decision: { type: 'string', enum: ['approve', 'deny'] } },
} as const;
// _csrf is checked by the CSRF hook (403), not by the schema (which would answer 400).
const formBody = { type: 'object', additionalProperties: false, properties: { _csrf: { type: 'string', maxLength: 200 }, do: { type: 'string', enum: [...DONE] } } } as const;

/** How many runs the list shows. */
const LIST_LIMIT = 50;

/** Builds the runs pages plugin. */
export function runPages(deps: RunPagesDeps) {
  const { db, access, pageCtx } = deps;
  const canControl = (user: ConsoleUser) => deps.registry.action(PROCESS_ACTIONS.retry)?.roles.includes(user.role) ?? false;
  const back = (c: PageCtx, id: number) => ({ path: `/console/runs/${id}`, label: c.t('console.runs.back', { id }) });
  const notFound = (reply: FastifyReply, c: PageCtx, id: number) => send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('processes.runNotFound', { id })));

  async function pressOn(reply: FastifyReply, c: PageCtx, user: ConsoleUser, id: number, actionId: string, value: string, done: (typeof DONE)[number]) {
    const res = await deps.press(user, c.locale, actionId, value, `run:${id}`);
    // A decision that came too late is answered, not raised, by the engine: say so as a refusal.
    if (res.outcome === 'ok' && res.messages.includes(c.t('processes.approval.closed'))) {
      return send(reply, 409, messagePage(c, c.t('console.error.refused.title'), c.t('processes.approval.closed'), back(c, id)));
    }
    return access.pressAnswer(reply, c, res, {
      done: href(c, `/console/runs/${id}`, { done }),
      back: back(c, id),
      notFoundKeys: ['processes.runNotFound', 'processes.approval.unknown'],
      deniedKeys: ['processes.approval.role'],
    });
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/runs', { schema: { querystring: listQuery } }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const runs = await db.processRun.findMany({ orderBy: { id: 'desc' }, take: LIST_LIMIT });
      return send(reply, 200, runsPage(pageCtx(req, reply, user), runs, deps.timeZone));
    });

    app.get('/runs/:id', { schema: { params: runParams, querystring: detailQuery } }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const id = Number((req.params as { id: string }).id);
      const c = pageCtx(req, reply, user);
      const run = await db.processRun.findUnique({ where: { id }, include: { steps: { orderBy: [{ createdAt: 'asc' }] } } });
      if (!run) return notFound(reply, c, id);
      const done = (req.query as { done?: string }).done;
      const notice = done ? c.t(`console.runs.done.${done}`, { id }) : undefined;
      return send(reply, 200, runPage(c, { run, steps: inCreationOrder(run.steps), timeZone: deps.timeZone, canControl: canControl(user), ...(notice ? { notice } : {}) }));
    });

    app.post('/runs/:id/approvals/:step/:decision', { schema: { params: approvalParams, body: formBody, querystring: listQuery }, preHandler: app.csrfProtection }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const p = req.params as { id: string; step: string; decision: 'approve' | 'deny' };
      const id = Number(p.id);
      const c = pageCtx(req, reply, user, false);
      const step = await db.processStepRun.findFirst({ where: { id: p.step, runId: id }, select: { id: true } });
      if (!step) return send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('processes.approval.unknown'), back(c, id)));
      return pressOn(reply, c, user, id, p.decision === 'approve' ? PROCESS_ACTIONS.approve : PROCESS_ACTIONS.deny, step.id, p.decision);
    });

    for (const op of ['retry', 'cancel'] as const) {
      app.post(`/runs/:id/${op}`, { schema: { params: runParams, body: formBody, querystring: listQuery }, preHandler: app.csrfProtection }, async (req, reply) => {
        const user = await access.signedIn(req, reply);
        if (!user) return reply;
        const id = Number((req.params as { id: string }).id);
        const c = pageCtx(req, reply, user, false);
        return pressOn(reply, c, user, id, PROCESS_ACTIONS[op], String(id), op);
      });
    }
  };
}
