/**
 * POST /slack/events: commands, events and interactivity over HTTP. An encapsulated Fastify
 * plugin with its own body parsers that keep the raw bytes (the signature covers them
 * exactly), so the rest of the server keeps its normal parsers. Order per request: verify
 * the signature (401 with a reason, nothing else looked at), parse (400), answer the
 * handshakes (url_verification, ssl_check), then dispatch and ack with an empty 200.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../services/clock.ts';
import type { Logger } from '../../../services/logger.ts';
import type { Metrics } from '../../../services/metrics.ts';
import { verifySlackSignature } from './slack-signature.ts';
import type { SlackDispatcher } from './slack-dispatcher.ts';

/** The path Slack is configured to call for events, commands and interactivity. */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Options of {@link slackEventsRoute}. */
export interface SlackRouteOptions {
  signingSecret: string;
  dispatcher: SlackDispatcher;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** Largest accepted body in bytes. */
  bodyLimit: number;
}

/** A body that is signed but not a Slack payload we can read. */
export class SlackBodyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SlackBodyError';
  }
}

type Obj = Record<string, unknown>;

const POISON_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const INTERACTIVE_TYPES = new Set([
  'block_actions',
  'view_submission',
  'view_closed',
  'message_action',
  'shortcut',
  'block_suggestion',
  'interactive_message',
  'dialog_submission',
]);

/** Why a signed body is not a Slack payload we know, or null when it is one. */
export function payloadProblem(body: Obj): string | null {
  if (typeof body.command === 'string') return null;
  if (body.type === 'event_callback') {
    return body.event && typeof body.event === 'object' && !Array.isArray(body.event) ? null : 'event_callback without an event object';
  }
  if (body.type === 'app_rate_limited') return null;
  if (typeof body.type === 'string' && INTERACTIVE_TYPES.has(body.type)) return null;
  return `unrecognised payload type: ${typeof body.type === 'string' ? body.type.slice(0, 40) : 'none'}`;
}

/** JSON.parse that drops prototype-polluting keys (only paid for when one appears at all). */
function parseJson(text: string): unknown {
  if (!/"(?:__proto__|constructor|prototype)"/.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => (POISON_KEYS.has(key) ? undefined : value));
}

function asObject(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SlackBodyError(`${what} is not a JSON object`);
  return v as Obj;
}

/**
 * Parses a Slack body: JSON (Events API), or form fields (slash commands, ssl_check) whose
 * `payload` field, when present, is the interactivity JSON.
 */
export function parseSlackBody(raw: Buffer, contentType: string | undefined): Obj {
  const text = raw.toString('utf8');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  try {
    if (type === 'application/json') return asObject(parseJson(text), 'body');
    if (type === 'application/x-www-form-urlencoded') {
      const params = new URLSearchParams(text);
      const payload = params.get('payload');
      if (payload !== null) return asObject(parseJson(payload), 'payload');
      const fields: [string, string][] = [];
      for (const [k, v] of params) if (!POISON_KEYS.has(k)) fields.push([k, v]);
      return Object.fromEntries(fields);
    }
  } catch (err) {
    if (err instanceof SlackBodyError) throw err;
    throw new SlackBodyError('malformed body');
  }
  throw new SlackBodyError(`unsupported content type ${type || '(none)'}`);
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function retryNumOf(req: FastifyRequest): number | undefined {
  const v = header(req, 'x-slack-retry-num');
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The Fastify plugin serving {@link SLACK_EVENTS_PATH}. */
export function slackEventsRoute(opts: SlackRouteOptions): (app: FastifyInstance) => Promise<void> {
  const { signingSecret, dispatcher, clock, logger, metrics } = opts;
  return async (app) => {
    // Encapsulated: these parsers (raw bytes kept for the signature) exist only in this scope.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      ['application/x-www-form-urlencoded', 'application/json'],
      { parseAs: 'buffer', bodyLimit: opts.bodyLimit },
      (_req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => done(null, body),
    );

    app.post(SLACK_EVENTS_PATH, async (req: FastifyRequest, reply: FastifyReply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verdict = verifySlackSignature({
        signingSecret,
        timestamp: header(req, 'x-slack-request-timestamp'),
        signature: header(req, 'x-slack-signature'),
        rawBody: raw,
        nowMs: clock.now().getTime(),
      });
      if (!verdict.ok) {
        metrics?.inboundEvents.inc({ platform: 'slack', kind: 'http', outcome: 'rejected' });
        logger.warn({ reason: verdict.reason, ip: req.ip }, 'slack: request refused');
        return reply.code(401).send({ error: 'invalid_signature', message: verdict.reason });
      }
      let body: Obj;
      try {
        body = parseSlackBody(raw, header(req, 'content-type'));
      } catch (err) {
        const reason = err instanceof SlackBodyError ? err.message : 'malformed body';
        return reply.code(400).send({ error: 'bad_request', message: reason });
      }
      if (body.type === 'url_verification') {
        const challenge = typeof body.challenge === 'string' ? body.challenge : '';
        return reply.code(200).send({ challenge });
      }
      if (body.ssl_check !== undefined) return reply.code(200).send();
      const problem = payloadProblem(body);
      if (problem) return reply.code(400).send({ error: 'bad_request', message: problem });

      let ackBody: unknown;
      const retryNum = retryNumOf(req);
      const retryReason = header(req, 'x-slack-retry-reason');
      try {
        await dispatcher.processEvent({
          body,
          ack: async (response?: unknown) => {
            ackBody = response;
          },
          ...(retryNum !== undefined ? { retryNum } : {}),
          ...(retryReason ? { retryReason } : {}),
        });
      } catch (err) {
        // Not acked: Slack redelivers events, and shows the user an error for commands.
        logger.error({ err }, 'slack: could not take the delivery');
        return reply.code(503).send({ error: 'unavailable', message: 'try again later' });
      }
      // An empty 200 acks everything (and closes a submitted modal); a response body is the dispatcher's choice.
      return ackBody === undefined ? reply.code(200).send() : reply.code(200).send(ackBody);
    });
  };
}
