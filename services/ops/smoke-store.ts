/**
 * The store checks of `a2d2 smoke`: a row written, read back and deleted in Postgres, and a
 * job on the `smoke` queue answered by a worker. Both clean up after themselves, also when
 * the deadline cuts them short. The database is reached through the multi-host address as
 * the roles reach it (services/db/pg-hosts.ts).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { connectClient } from '../db/pg-hosts.ts';
import type { Logger } from '../logger.ts';
import { Queues } from '../queues.ts';
import type { RedisTarget } from '../redis.ts';
import { SmokeFailure, detail, type SmokeDetail } from './smoke-http.ts';
import { SMOKE_QUEUE, smokeQueueDef, type SmokeAnswer } from './smoke-queue.ts';

/** The smoke row's source in the webhook-delivery ledger (no webhook ever uses it). */
const SMOKE_SOURCE = 'a2d2-smoke';

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code && e.message && !e.message.includes(e.code) ? `${e.code} ${e.message}` : (e.message ?? String(err));
}

/**
 * Connects as the roles do (an address listing several hosts: the one that serves its
 * target_session_attrs); a connection that arrives after the deadline is closed at once.
 */
async function connectBefore(databaseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<pg.Client> {
  const pending = connectClient(databaseUrl, { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, application_name: 'a2d2-smoke' });
  const cut = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new Error('aborted'));
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  try {
    return await Promise.race([pending, cut]);
  } catch (err) {
    if (signal.aborted) void pending.then((c) => c.end()).catch(() => undefined);
    throw err;
  }
}

/** Insert, select and delete one row of "WebhookDelivery" (a small table every install has). */
export async function checkDatabase(databaseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<SmokeDetail> {
  let client: pg.Client | null = null;
  const cut = () => void client?.end().catch(() => undefined);
  signal.addEventListener('abort', cut, { once: true });
  const id = `smoke-${randomUUID()}`;
  let step = 'connect';
  try {
    client = await connectBefore(databaseUrl, timeoutMs, signal);
    step = 'insert';
    await client.query('INSERT INTO "WebhookDelivery" ("source", "deliveryId") VALUES ($1, $2)', [SMOKE_SOURCE, id]);
    step = 'select';
    const read = await client.query('SELECT "deliveryId" FROM "WebhookDelivery" WHERE "source" = $1 AND "deliveryId" = $2', [SMOKE_SOURCE, id]);
    if (read.rowCount !== 1) throw new SmokeFailure('smoke.db.notRead');
    step = 'delete';
    await client.query('DELETE FROM "WebhookDelivery" WHERE "source" = $1 AND "deliveryId" = $2', [SMOKE_SOURCE, id]);
    return detail('smoke.db.ok');
  } catch (err) {
    if (err instanceof SmokeFailure) throw err;
    if (signal.aborted) throw new SmokeFailure('smoke.db.late', { ms: timeoutMs, step });
    throw new SmokeFailure('smoke.step.failed', { step, reason: reason(err) });
  } finally {
    signal.removeEventListener('abort', cut);
    await client?.end().catch(() => undefined);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the job's answer; removes the job when none came in time. */
async function awaitAnswer(queues: Queues, id: string, nonce: string, timeoutMs: number, signal: AbortSignal): Promise<SmokeDetail> {
  const queue = queues.queue(SMOKE_QUEUE);
  const sent = Date.now();
  for (;;) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (state === 'completed') {
      // Read again: the job fetched above may predate its completion (no return value yet).
      const done = await queue.getJob(id);
      const answer = (done?.returnvalue ?? null) as SmokeAnswer | null;
      await done?.remove().catch(() => undefined);
      if (answer?.nonce !== nonce) throw new SmokeFailure('smoke.queue.wrongAnswer');
      return detail('smoke.queue.ok', { ms: Date.now() - sent });
    }
    if (state === 'failed') throw new SmokeFailure('smoke.queue.failed', { reason: job!.failedReason });
    if (state === 'missing') throw new SmokeFailure('smoke.queue.missing');
    if (signal.aborted) {
      await job?.remove().catch(() => undefined);
      throw new SmokeFailure('smoke.queue.late', { ms: timeoutMs, state });
    }
    await pause(50);
  }
}

export interface QueueTarget {
  redis: RedisTarget;
  prefix: string;
  logger: Logger;
}

/** One job on the `smoke` queue, answered by a worker of the deployment within the deadline. */
export async function checkQueueRoundTrip(target: QueueTarget, timeoutMs: number, signal: AbortSignal): Promise<SmokeDetail> {
  const { url, ...sentinel } = target.redis;
  // Connection errors become the check's detail; they are not logged line by line.
  const queues = new Queues({ redisUrl: url, sentinel, prefix: target.prefix, logger: target.logger.child({}, { level: 'silent' }) });
  queues.register(smokeQueueDef(false));
  const nonce = randomUUID();
  let step = 'smoke.queue.connectFailed';
  try {
    await queues.connect();
    step = 'smoke.queue.enqueueFailed';
    const id = await queues.add(SMOKE_QUEUE, { nonce, sentAt: Date.now() }, { jobId: `smoke-${nonce}` });
    step = 'smoke.queue.waitFailed';
    return await awaitAnswer(queues, id, nonce, timeoutMs, signal);
  } catch (err) {
    if (err instanceof SmokeFailure) throw err;
    throw new SmokeFailure(step, { reason: reason(err) });
  } finally {
    queues.producer.disconnect();
    await queues.close().catch(() => undefined);
  }
}
