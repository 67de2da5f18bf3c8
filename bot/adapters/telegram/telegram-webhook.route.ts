/**
 * POST /telegram/webhook: Telegram's update delivery. The secret token is checked before the
 * body is even parsed (missing -> 401, wrong -> 403); Fastify parses JSON under a body limit;
 * the minimal shape (an integer update_id) is validated; the update is handed on and the
 * request answered at once. Work happens in the queue, never while Telegram waits.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../../services/logger.ts';
import type { Metrics } from '../../../services/metrics.ts';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What happened to an accepted update. */
export type TelegramUpdateOutcome = 'queued' | 'duplicate' | 'ignored';

export interface TelegramWebhookOptions {
  /** TELEGRAM_WEBHOOK_SECRET; the route is not registered without one. */
  secret: string;
  /** Normalizes and ingests; rejects when the update could not be stored (Telegram will redeliver). */
  onUpdate(update: Record<string, unknown>): Promise<TelegramUpdateOutcome>;
  logger: Logger;
  metrics?: Metrics;
  /** Largest accepted body; updates are small, so 1 MiB unless given. */
  bodyLimit?: number;
}

// Hashing both sides gives equal lengths, so timingSafeEqual never leaks the secret's length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Why a body is not an update, or null when it has the minimal shape. */
export function invalidUpdateReason(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const id = (body as Record<string, unknown>).update_id;
  if (id === undefined) return 'update_id is required';
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return 'update_id must be a non-negative integer';
  return null;
}

/** The route as a Fastify plugin (register it encapsulated). */
export function telegramWebhookRoute(opts: TelegramWebhookOptions): (app: FastifyInstance) => Promise<void> {
  const expected = digest(opts.secret);
  const rejected = (reason: string) => opts.metrics?.inboundEvents.inc({ platform: 'telegram', kind: reason, outcome: 'rejected' });

  async function verify(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers[TELEGRAM_SECRET_HEADER];
    if (header === undefined || header === '') {
      rejected('auth');
      await reply.code(401).send({ error: 'unauthorized', reason: 'missing X-Telegram-Bot-Api-Secret-Token' });
      return;
    }
    if (typeof header !== 'string' || !timingSafeEqual(digest(header), expected)) {
      rejected('auth');
      await reply.code(403).send({ error: 'forbidden', reason: 'wrong X-Telegram-Bot-Api-Secret-Token' });
    }
  }

  return async (app) => {
    // Telegram posts JSON only; in this plugin's scope other bodies get 415 instead of being parsed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
    app.post(
      TELEGRAM_WEBHOOK_PATH,
      { bodyLimit: opts.bodyLimit ?? 1_048_576, onRequest: verify },
      async (request, reply) => {
        const reason = invalidUpdateReason(request.body);
        if (reason) {
          rejected('invalid');
          return reply.code(400).send({ error: 'invalid_update', reason });
        }
        const update = request.body as Record<string, unknown>;
        try {
          const outcome = await opts.onUpdate(update);
          return reply.code(200).send({ ok: true, outcome });
        } catch (err) {
          // Not stored: a non-2xx makes Telegram deliver the update again later.
          opts.logger.error({ err, updateId: update.update_id }, 'telegram update not ingested');
          return reply.code(503).send({ error: 'unavailable', reason: 'could not accept the update now; retry later' });
        }
      },
    );
  };
}
