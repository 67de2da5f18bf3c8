/**
 * Response schemas of /api/v1/tickets, for the OpenAPI document and the serializer. They list
 * every property `ticketJson` and the routes send: a property missing here would be dropped
 * from the answer.
 */
import { SEVERITIES } from '../../services/tickets/tickets.config.ts';
import { API_SECURITY, COMMON_ERRORS, dateTime, errorResponses, nullableDateTime, nullableInteger, nullableString } from '../../services/http/api-schemas.ts';

const ticket = {
  type: 'object',
  required: ['id', 'title', 'description', 'severity', 'status', 'source', 'sla', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'integer' },
    title: { type: 'string' },
    description: { type: 'string' },
    component: nullableString,
    severity: { type: 'string', enum: [...SEVERITIES] },
    severityConfirmed: { type: 'boolean', description: 'false while a suggested severity waits for a person' },
    triageReason: nullableString,
    status: { type: 'string' },
    reporter: nullableString,
    assignee: nullableString,
    source: { type: 'string', description: 'slack, telegram, terminal, api, ...' },
    duplicateOf: { ...nullableInteger, description: 'the ticket this one duplicates' },
    sla: {
      type: 'object',
      properties: {
        responseDueAt: nullableDateTime,
        resolutionDueAt: nullableDateTime,
        responseBreachedAt: nullableDateTime,
        resolutionBreachedAt: nullableDateTime,
        paused: { type: 'boolean', description: 'true while waiting on the reporter' },
      },
    },
    acknowledgedAt: nullableDateTime,
    resolvedAt: nullableDateTime,
    closedAt: nullableDateTime,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

const created = {
  type: 'object',
  required: ['ticket', 'created', 'duplicateOf'],
  properties: {
    ticket,
    created: { type: 'boolean', description: 'false when the Idempotency-Key was seen before: the first ticket is returned' },
    duplicateOf: {
      type: ['null', 'object'],
      description: 'an open ticket that looks the same, or null',
      properties: { id: { type: 'integer' }, title: { type: 'string' } },
    },
    triage: {
      type: 'object',
      description: 'the suggested severity and why (when triage ran)',
      properties: { severity: { type: 'string' }, reason: nullableString },
    },
  },
} as const;

const event = {
  type: 'object',
  properties: { kind: { type: 'string' }, actorName: nullableString, body: nullableString, createdAt: dateTime },
} as const;

const tags = ['tickets'];
const security = API_SECURITY;

export const createSchema = {
  tags,
  security,
  summary: 'Create a ticket',
  description: 'Severity is suggested by triage when not given. Send `Idempotency-Key` to make a retry return the first ticket (200).',
  headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', description: 'up to 200 characters (a longer key is ignored)' } } },
  response: { 201: { description: 'Created', ...created }, 200: { description: 'Already created with this Idempotency-Key', ...created }, ...errorResponses(400, ...COMMON_ERRORS) },
};

export const listSchema = {
  tags,
  security,
  summary: 'List tickets',
  description: 'Open tickets by default; `status` alone lists every ticket in that status.',
  response: { 200: { description: 'The tickets', type: 'object', properties: { tickets: { type: 'array', items: ticket } } }, ...errorResponses(400, ...COMMON_ERRORS) },
};

export const getSchema = {
  tags,
  security,
  summary: 'Read a ticket and its history',
  response: {
    200: { description: 'The ticket and its events, oldest first', type: 'object', properties: { ticket, events: { type: 'array', items: event } } },
    ...errorResponses(400, 404, ...COMMON_ERRORS),
  },
};

export const patchSchema = {
  tags,
  security,
  summary: 'Change a ticket',
  description: 'Severity, assignee, status (with an optional note) and a comment, in that order.',
  response: { 200: { description: 'The ticket after the change', type: 'object', properties: { ticket } }, ...errorResponses(400, 404, 409, ...COMMON_ERRORS) },
};
