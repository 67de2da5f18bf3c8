/**
 * What every part of the outbound sender shares: its options and dependencies, the result a
 * job returns and the step an attempt comes to, the {@link SenderContext} built once per queue
 * (limiters per key namespace, queue handles for job states), the {@link Delivery} an attempt
 * carries through its steps, and small helpers (marking a row failed, error text for the row,
 * sleeping, retrying a short database hiccup).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../../services/clock.ts';
import { systemClock } from '../../services/clock.ts';
import type { Db } from '../../services/db.ts';
import type { Logger } from '../../services/logger.ts';
import type { Metrics } from '../../services/metrics.ts';
import type { OutboundMessage } from '../../generated/prisma/client.ts';
import type { OutboundJob, PlatformSender } from '../../services/messaging/outbound.service.ts';
import type { OutboundRequest, Platform } from '../../services/messaging/types.ts';
import type { Job } from '../../services/queues.ts';
import type { OutboundLimitsOverride } from '../../services/messaging/outbound.config.ts';
import { DEFAULT_OUTBOUND_LIMITS, createRateLimiter, mergeLimits, type ChatTarget, type OutboundLimits, type RateLimiter } from './rate-limiter.ts';

/** Tunables of the sender; every field has a default. */
export interface SenderOptions {
  /** Platform calls per message before it is given up (429s and transient errors alike). */
  maxAttempts: number;
  /** Waits up to this long are slept in place; longer ones move the job to the delayed set. */
  maxInlineWaitMs: number;
  /** Expiry of the per-chat send lock, renewed while held (bounds how long a crashed worker blocks its chat). */
  lockTtlMs: number;
  /**
   * Expiry of a running job's lock in the queue, renewed by its worker at half of it: a job
   * whose worker was killed is taken up again within about this plus `stalledCheckMs`. The
   * queue library's 30 s default held a killed worker's head row, and so its whole chat, for
   * up to a minute; every step of a row is idempotent, so a job taken up twice is harmless.
   */
  jobLockMs: number;
  /** How often each worker looks for jobs whose lock expired. */
  stalledCheckMs: number;
  /**
   * A queued row younger than this is trusted to have its job (its enqueue may be on its way);
   * an older one is checked, and queued again when its job is missing or ended.
   */
  orphanGraceMs: number;
  /** A row stranded (no live job) for longer than this is failed instead of queued again. */
  strandedGiveUpMs: number;
  /** How often the recovery sweep runs (and each worker checks that its schedule exists). */
  sweepEveryMs: number;
  /** Jobs processed at once per worker process. */
  concurrency: number;
}

export const DEFAULT_SENDER_OPTIONS: SenderOptions = {
  maxAttempts: 8,
  maxInlineWaitMs: 250,
  lockTtlMs: 5_000,
  jobLockMs: 4_000,
  stalledCheckMs: 1_000,
  orphanGraceMs: 5_000,
  strandedGiveUpMs: 24 * 3600_000,
  sweepEveryMs: 10_000,
  concurrency: 16,
};

/** What the outbound queue needs. */
export interface OutboundQueueDeps {
  db: Db;
  logger: Logger;
  metrics: Pick<Metrics, 'outboundMessages'>;
  /** One sender per configured platform; a message for a platform without one fails. */
  senders: Partial<Record<Platform, PlatformSender>>;
  /** Connection for limiter and lock keys (the producer connection or a dedicated one). */
  redis: Redis;
  clock?: Clock;
  /** Overrides of {@link DEFAULT_OUTBOUND_LIMITS}, per platform and per limit. */
  limits?: OutboundLimitsOverride;
  options?: Partial<SenderOptions>;
  /** Key prefix for limiter and lock keys; defaults to the queue's own prefix and name. */
  keyPrefix?: string;
}

/** What a finished outbound job returns (kept by BullMQ as the job's return value). */
export type OutboundResult =
  | { outcome: 'sent'; op: 'post' | 'edit'; platformMessageId: string }
  | { outcome: 'skipped'; reason: 'missing' | 'already-done' };

/**
 * What one attempt at a row came to: done, or wait `ms` and try again.
 * `early`: the wait ends at a limiter slot, so the job may wake up to this much sooner; it then
 * loads its row while the slot comes and waits out the rest in place (the limiter decides).
 */
export type Step = { kind: 'done'; result: OutboundResult } | { kind: 'wait'; ms: number; reason: string; early?: boolean };

/** What the sender's parts are handed: dependencies, settled options, and the per-queue caches. */
export interface SenderContext {
  deps: OutboundQueueDeps;
  db: Db;
  opts: SenderOptions;
  clock: Clock;
  log: Logger;
  /** The shared rate limiter of a key namespace (made on first use). */
  limiterFor(ns: string): RateLimiter;
  /** The per-chat spacing of a platform, for estimating how long a queue of rows takes. */
  slotMs(platform: Platform): number;
  /** A handle on the job's own queue, to look at the state of its other jobs. */
  queueOf(job: QueuedJob): Queue;
}

/** What a job handle says about its queue. */
export type QueuedJob = Pick<Job<OutboundJob>, 'queueName' | 'prefix' | 'queueQualifiedName'>;

/** One row on its way out: what it says, who delivers it, and the keys of its chat. */
export interface Delivery {
  id: string;
  row: OutboundMessage;
  req: OutboundRequest;
  sender: PlatformSender;
  platform: Platform;
  chat: ChatTarget;
  /** Key namespace of the limiter and the lock. */
  ns: string;
}

/** Settles the options and limits and makes the caches the sender's parts share. */
export function createSenderContext(deps: OutboundQueueDeps): SenderContext {
  const opts: SenderOptions = { ...DEFAULT_SENDER_OPTIONS, ...deps.options };
  const limits: OutboundLimits = mergeLimits(DEFAULT_OUTBOUND_LIMITS, deps.limits);
  const log = deps.logger.child({ component: 'outbound' });
  const limiters = new Map<string, RateLimiter>();
  const stateQueues = new Map<string, Queue>();

  const limiterFor = (ns: string): RateLimiter => {
    let l = limiters.get(ns);
    if (!l) {
      l = createRateLimiter({ redis: deps.redis, keyPrefix: ns, limits });
      limiters.set(ns, l);
    }
    return l;
  };

  const slotMs = (platform: Platform): number => {
    const l = limits[platform]?.perChat;
    return l ? l.windowMs / l.count : 1000;
  };

  const queueOf = (job: QueuedJob): Queue => {
    let q = stateQueues.get(job.queueQualifiedName);
    if (!q) {
      // Shares the connection: closing is not needed and would not close it.
      q = new Queue(job.queueName, { connection: deps.redis, prefix: job.prefix });
      q.on('error', (err) => log.warn({ err: err.message }, 'outbound state queue error'));
      stateQueues.set(job.queueQualifiedName, q);
    }
    return q;
  };

  return { deps, db: deps.db, opts, clock: deps.clock ?? systemClock, log, limiterFor, slotMs, queueOf };
}

/** Marks a still-queued row failed with the reason (a row handled meanwhile is left alone). */
export async function markFailed(sc: SenderContext, id: string, attempts: number, error: string): Promise<void> {
  await sc.db.outboundMessage.updateMany({
    where: { id, status: 'queued' },
    data: { status: 'failed', attempts, error: error.slice(0, 1000) },
  });
}

/** An error as the row stores it: name and message, bounded. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 1000);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` up to `times` times, `pauseMs` apart; rethrows the last error. */
export async function withRetries<T>(times: number, pauseMs: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= times) throw err;
      await sleep(pauseMs * i);
    }
  }
}
