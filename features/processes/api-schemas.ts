/**
 * Response schemas of /api/v1/processes for the OpenAPI document and the serializer. They
 * list every property the routes send (the started run, the dry-run plan, the run view with
 * its steps): a property missing here would be dropped from the answer.
 */
import { API_SECURITY, COMMON_ERRORS, anyJson, dateTime, errorResponses, nullableDateTime, nullableString } from '../../services/http/api-schemas.ts';

const tags = ['processes'];
const security = API_SECURITY;
const inputs = { type: 'object', additionalProperties: true, description: 'the run inputs, checked against the process definition' } as const;

const started = {
  type: 'object',
  required: ['id', 'process', 'version', 'status', 'created'],
  properties: {
    id: { type: 'integer' },
    process: { type: 'string' },
    version: { type: 'integer' },
    status: { type: 'string', description: 'running, succeeded, failed, cancelled' },
    created: { type: 'boolean', description: 'false when the Idempotency-Key was seen before: the first run is returned' },
  },
} as const;

const plan = {
  type: 'object',
  required: ['dryRun', 'plan'],
  properties: {
    dryRun: { type: 'boolean', enum: [true] },
    plan: {
      type: 'object',
      properties: {
        process: { type: 'string' },
        version: { type: 'integer' },
        inputs,
        steps: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, kind: { type: 'string' }, depth: { type: 'integer' }, detail: { type: 'string' }, when: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

const step = {
  type: 'object',
  properties: {
    step: { type: 'string' },
    iteration: { type: 'integer' },
    kind: { type: 'string' },
    status: { type: 'string', description: 'pending, running, waiting, succeeded, failed, denied, cancelled' },
    attempts: { type: 'integer' },
    input: anyJson,
    output: anyJson,
    error: nullableString,
    startedAt: nullableDateTime,
    finishedAt: nullableDateTime,
  },
} as const;

export const startSchema = {
  tags,
  security,
  summary: 'Start a process run (or plan it with dryRun)',
  description: 'Send `Idempotency-Key` to make a retry return the first run (200). With `dryRun: true` nothing runs: the plan is returned.',
  headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', description: 'up to 200 characters (a longer key is ignored)' } } },
  response: {
    201: { description: 'Started', ...started },
    200: { description: 'The plan (dryRun), or the run already started with this Idempotency-Key', oneOf: [started, plan] },
    ...errorResponses(400, 404, 409, ...COMMON_ERRORS),
  },
};

export const runSchema = {
  tags,
  security,
  summary: 'Read a run and its steps',
  response: {
    200: {
      description: 'The run with its steps in order',
      type: 'object',
      properties: {
        id: { type: 'integer' },
        process: { type: 'string' },
        version: { type: 'integer' },
        status: { type: 'string', description: 'running, succeeded, failed, cancelled' },
        error: nullableString,
        inputs,
        trigger: { type: 'string', description: 'chat, api, schedule, event' },
        createdAt: dateTime,
        finishedAt: nullableDateTime,
        steps: { type: 'array', items: step },
      },
    },
    ...errorResponses(400, 404, ...COMMON_ERRORS),
  },
};
