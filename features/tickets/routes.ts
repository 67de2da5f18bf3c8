/**
 * REST for tickets: POST/GET/PATCH /api/v1/tickets, bearer A2D2_API_TOKEN (an admin).
 * Every body has a JSON schema without unknown fields; a 400 names the field at fault.
 * `Idempotency-Key` on POST makes a retried request return the first ticket.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditService } from '../../services/audit/audit.service.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import { TicketError, type Actor, type TicketService } from '../../services/tickets/ticket.service.ts';
import { SEVERITIES, type Severity } from '../../services/tickets/tickets.config.ts';
import { STATUSES } from '../../services/tickets/ticket.render.ts';
import { translate } from '../../services/i18n/i18n.ts';
import { bearerAuth } from '../../services/http/bearer-auth.ts';
import { cleanDeep, isBlank } from '../../services/text/sanitize.ts';
import { createSchema, getSchema, listSchema, patchSchema } from './api-schemas.ts';

export interface TicketRoutesDeps {
  service: TicketService;
  token: string;
  audit: AuditService;
}

const API_ACTOR: Actor = { userId: null, name: 'API' };

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: {
    title: { type: 'string', minLength: 3, maxLength: 300 },
    description: { type: 'string', maxLength: 20_000 },
    severity: { type: 'string', enum: [...SEVERITIES] },
    component: { type: 'string', maxLength: 100 },
    reporter: { type: 'string', maxLength: 200 },
  },
} as const;

const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    severity: { type: 'string', enum: [...SEVERITIES] },
    status: { type: 'string', enum: ['acknowledged', 'in_progress', 'waiting_on_reporter', 'resolved', 'closed', 'reopened'] },
    assignee: { type: 'string', minLength: 1, maxLength: 200 },
    comment: { type: 'string', minLength: 1, maxLength: 10_000 },
    note: { type: 'string', maxLength: 10_000 },
  },
} as const;

const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    view: { type: 'string', enum: ['open', 'at_risk', 'breached', 'all'] },
    severity: { type: 'string', enum: [...SEVERITIES] },
    status: { type: 'string', enum: [...STATUSES] },
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' },
  },
} as const;

/** Turns an Ajv error into {field, message}: "unknown field", "missing field", "must be one of". */
export function describeValidation(err: { validation?: unknown[]; validationContext?: string; message: string }): { field: string; message: string } {
  const first = (err.validation?.[0] ?? {}) as { keyword?: string; instancePath?: string; params?: Record<string, unknown>; message?: string };
  const path = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const where = err.validationContext ?? 'body';
  switch (first.keyword) {
    case 'additionalProperties': {
      const field = [path, String(first.params?.additionalProperty ?? '')].filter(Boolean).join('.');
      return { field, message: `unknown field "${field}" in ${where}` };
    }
    case 'required': {
      const field = [path, String(first.params?.missingProperty ?? '')].filter(Boolean).join('.');
      return { field, message: `missing required field "${field}" in ${where}` };
    }
    case 'enum': {
      const allowed = (first.params?.allowedValues as unknown[] | undefined)?.join(', ') ?? '';
      return { field: path, message: `field "${path}" must be one of ${allowed}` };
    }
    default:
      return { field: path || where, message: `field "${path || where}" ${first.message ?? 'is invalid'}` };
  }
}


/** The public shape of a ticket. */
export function ticketJson(t: Ticket) {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    component: t.component,
    severity: t.severity,
    severityConfirmed: t.severityConfirmed,
    triageReason: t.triageReason,
    status: t.status,
    reporter: t.reporterName,
    assignee: t.assigneeName,
    source: t.source,
    duplicateOf: t.duplicateOfId,
    sla: {
      responseDueAt: t.responseDueAt?.toISOString() ?? null,
      resolutionDueAt: t.resolutionDueAt?.toISOString() ?? null,
      responseBreachedAt: t.responseBreachedAt?.toISOString() ?? null,
      resolutionBreachedAt: t.resolutionBreachedAt?.toISOString() ?? null,
      paused: t.status === 'waiting_on_reporter',
    },
    acknowledgedAt: t.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: t.resolvedAt?.toISOString() ?? null,
    closedAt: t.closedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** Fields that must show something once cleaned, per route: a blank one can never make sense. */
const VISIBLE = { create: ['title'], update: ['assignee', 'comment'] } as const;

/** A 400 naming the first of `fields` that is present but blank (only whitespace or zero-width characters), else null. */
function blankField(reply: FastifyReply, body: Record<string, unknown>, fields: readonly string[]) {
  const field = fields.find((f) => typeof body[f] === 'string' && isBlank(body[f]));
  return field ? reply.status(400).send({ error: 'bad_request', field, message: `field "${field}" has no visible characters` }) : null;
}

function refusal(reply: FastifyReply, err: TicketError) {
  const status = err.key === 'tickets.error.notFound' ? 404 : 409;
  return reply.status(status).send({ error: err.key.replace(/^tickets\.error\./, ''), message: translate('en', err.key, err.params) });
}

/** The routes as an encapsulated plugin (registered only when A2D2_API_TOKEN is set). */
export function ticketRoutes(deps: TicketRoutesDeps): (app: FastifyInstance) => Promise<void> {
  const { service, token, audit } = deps;
  return async (app) => {
    app.addHook('onRequest', bearerAuth({ token, name: 'A2D2_API_TOKEN', logger: app.log }));
    app.setErrorHandler((err: Error & { validation?: unknown[]; validationContext?: string; statusCode?: number; code?: string }, req, reply) => {
      if (err.validation) {
        const { field, message } = describeValidation(err);
        return reply.status(400).send({ error: 'bad_request', field, message });
      }
      if (err instanceof TicketError) return refusal(reply, err);
      // Faults go to the server's handler: 503 while a store is down, else a logged 500.
      if (!err.statusCode || err.statusCode >= 500) throw err;
      return reply.status(err.statusCode).send({ error: err.code ?? 'bad_request', message: err.message });
    });

    // Cleaned before validation, so the schema's lengths (code points, as Ajv counts) and every
    // check after it see the text as it will be stored: no NUL, no lone surrogate.
    app.addHook('preValidation', async (req) => {
      if (req.body && typeof req.body === 'object') req.body = cleanDeep(req.body);
    });

    const record = (action: string, outcome: 'ok' | 'invalid', target?: number, detail?: Record<string, unknown>) =>
      audit.record({ platform: 'api', action: `api:tickets.${action}`, outcome, ...(target ? { target: `ticket:${target}` } : {}), ...(detail ? { detail } : {}) });

    app.post('/api/v1/tickets', { schema: { ...createSchema, body: createBody } }, async (req: FastifyRequest, reply) => {
      const body = req.body as { title: string; description?: string; severity?: Severity; component?: string; reporter?: string };
      const blank = blankField(reply, body, VISIBLE.create);
      if (blank) return blank;
      const key = req.headers['idempotency-key'];
      const idem = typeof key === 'string' && key.length > 0 && key.length <= 200 ? `api:${key}` : null;
      const res = await service.create({
        title: body.title,
        description: body.description ?? '',
        severity: body.severity ?? null,
        component: body.component && !isBlank(body.component) ? body.component : null,
        source: 'api',
        sourceKey: idem,
        reporter: { name: body.reporter && !isBlank(body.reporter) ? body.reporter : 'API' },
      });
      await record('create', 'ok', res.ticket.id, { created: res.created });
      return reply.status(res.created ? 201 : 200).send({
        ticket: ticketJson(res.ticket),
        created: res.created,
        duplicateOf: res.duplicate,
        ...(res.triage ? { triage: { severity: res.triage.severity, reason: res.ticket.triageReason } } : {}),
      });
    });

    app.get('/api/v1/tickets', { schema: { ...listSchema, querystring: listQuery } }, async (req) => {
      const q = req.query as { view?: 'open' | 'at_risk' | 'breached' | 'all'; severity?: Severity; status?: string; limit?: string };
      const rows = await service.list({ view: q.view ?? (q.status ? 'all' : 'open'), ...(q.severity ? { severity: q.severity } : {}), ...(q.status ? { status: q.status } : {}), ...(q.limit ? { limit: Number(q.limit) } : {}) });
      return { tickets: rows.map(ticketJson) };
    });

    app.get('/api/v1/tickets/:id', { schema: { ...getSchema, params: idParams } }, async (req, reply) => {
      const id = Number((req.params as { id: string }).id);
      const t = await service.get(id);
      if (!t) return reply.status(404).send({ error: 'not_found', message: `no ticket #${id}` });
      const events = await service.events(id);
      return { ticket: ticketJson(t), events: events.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
    });

    app.patch('/api/v1/tickets/:id', { schema: { ...patchSchema, params: idParams, body: patchBody } }, async (req, reply) => {
      const id = Number((req.params as { id: string }).id);
      const body = req.body as { severity?: Severity; status?: string; assignee?: string; comment?: string; note?: string };
      const blank = blankField(reply, body, VISIBLE.update);
      if (blank) return blank;
      if (!(await service.get(id))) return reply.status(404).send({ error: 'not_found', message: `no ticket #${id}` });
      if (body.severity) await service.setSeverity(id, API_ACTOR, body.severity);
      if (body.assignee) await service.assign(id, API_ACTOR, { userId: null, name: body.assignee });
      switch (body.status) {
        case 'acknowledged':
          await service.acknowledge(id, API_ACTOR);
          break;
        case 'in_progress':
          await service.start(id, API_ACTOR);
          break;
        case 'waiting_on_reporter':
          await service.waitOnReporter(id, API_ACTOR, body.note);
          break;
        case 'resolved':
          await service.resolve(id, API_ACTOR, body.note);
          break;
        case 'closed':
          await service.close(id, API_ACTOR);
          break;
        case 'reopened':
          await service.reopen(id, API_ACTOR, body.note);
          break;
      }
      if (body.comment) await service.comment(id, API_ACTOR, body.comment, 'api');
      await record('update', 'ok', id, { fields: Object.keys(body) });
      const t = await service.get(id);
      return { ticket: ticketJson(t!) };
    });
  };
}
