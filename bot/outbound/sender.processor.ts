/**
 * The outbound sender: the worker side of {@link OutboundPort}. One processor for every
 * platform; each platform's {@link PlatformSender} renders and delivers, this file decides
 * what to deliver, when, and in which order, and records the outcome in Postgres.
 *
 * Per job (`{ outboundId }`):
 * 1. Load the OutboundMessage row; a row that is no longer `queued` was handled already
 *    (BullMQ delivers at least once), so the job ends there.
 * 2. Order: the row waits while an earlier row (lower `seq`) for the same chat is still queued,
 *    so one chat's messages go out in the order they were stored. An earlier row whose queue
 *    job is gone (lost enqueue, lost Redis data) is marked failed after a grace period instead
 *    of blocking the chat forever.
 * 3. A per-chat Redis lock keeps a second copy of the same job (or a racing worker) from
 *    sending at the same time; under it the row is read again.
 * 4. Resolve the target: `editMessageId`, else the MessageLink of `messageKey` (edit in place),
 *    else a new post, threaded under the MessageLink of `threadUnderKey` when there is one.
 *    A keyed message the platform refuses to edit (deleted) is posted anew and re-linked.
 * 5. Take a slot from the shared rate limiter; when it says wait, the job is moved to the
 *    delayed set (no worker slot is held) unless the wait is a few hundred milliseconds.
 *    The slot is re-stamped when the platform call returns (spacing as the platform sees it).
 * 6. Send, then mark the row sent and upsert the MessageLink in one transaction.
 *    429: the chat is blocked for Retry-After and the job is delayed as long; a permanent
 *    error or the last attempt marks the row failed and ends the job without retries.
 */
import { conversationRefSchema } from '../../services/messaging/schemas.ts';
import { DelayedError, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../services/clock.ts';
import { systemClock } from '../../services/clock.ts';
import type { Db } from '../../services/db.ts';
import type { Logger } from '../../services/logger.ts';
import type { Metrics } from '../../services/metrics.ts';
import {
  OUTBOUND_QUEUE,
  PermanentSendError,
  RateLimitedError,
  outboundJobId,
  outboundJobSchema,
  type OutboundJob,
  type PlatformSender,
} from '../../services/messaging/outbound.service.ts';
import type { ConversationRef, OutboundRequest, Platform, Reply } from '../../services/messaging/types.ts';
import { UnrecoverableError, type Job, type QueueDef } from '../../services/queues.ts';
import { tryLock } from './chat-lock.ts';
import {
  DEFAULT_OUTBOUND_LIMITS,
  createRateLimiter,
  mergeLimits,
  type OutboundLimits,
  type RateLimiter,
} from './rate-limiter.ts';
import type { OutboundLimitsOverride } from '../../services/messaging/outbound.config.ts';

/** Tunables of the sender; every field has a default. */
export interface SenderOptions {
  /** Platform calls per message before it is given up (429s and transient errors alike). */
  maxAttempts: number;
  /** Waits up to this long are slept in place; longer ones move the job to the delayed set. */
  maxInlineWaitMs: number;
  /** Expiry of the per-chat send lock (bounds how long a crashed worker blocks its chat). */
  lockTtlMs: number;
  /** An earlier queued row younger than this always blocks; older ones are checked for a live job. */
  orphanGraceMs: number;
  /** Jobs processed at once per worker process. */
  concurrency: number;
}

export const DEFAULT_SENDER_OPTIONS: SenderOptions = {
  maxAttempts: 8,
  maxInlineWaitMs: 250,
  lockTtlMs: 30_000,
  orphanGraceMs: 30_000,
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
 * `early`: the wait ends at a limiter slot, so the job may wake up to this much sooner; it then
 * loads its row while the slot comes and waits out the rest in place (the limiter decides).
 */
type Step = { kind: 'done'; result: OutboundResult } | { kind: 'wait'; ms: number; reason: string; early?: boolean };

/** How much sooner than its slot a delayed job wakes (covers the row loading before the send). */
const WAKE_EARLY_MS = 100;

const storedRequestSchema = z.object({
  ref: conversationRefSchema,
  reply: z.looseObject({ text: z.string() }),
  messageKey: z.string().min(1).optional(),
  threadUnderKey: z.string().min(1).optional(),
  editMessageId: z.string().min(1).optional(),
});

const LIVE_JOB_STATES = new Set(['waiting', 'wait', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * How long a row with `ahead` earlier rows waits before it looks again: about the time those
 * rows need at the chat's rate. Usually the row before it wakes it sooner (see `wakeNext`);
 * the poll is the fallback when that wake-up is missed, so it is bounded both ways.
 */
export function orderingPollMs(ahead: number, slotMs: number): number {
  return Math.round(Math.min(15_000, Math.max(500, ahead * slotMs)));
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 1000);
}

function withThread(ref: ConversationRef, threadId: string | undefined): ConversationRef {
  const { threadId: _drop, ...rest } = ref;
  return threadId ? { ...rest, threadId } : rest;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` up to `times` times, `pauseMs` apart; rethrows the last error. */
async function withRetries<T>(times: number, pauseMs: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= times) throw err;
      await sleep(pauseMs * i);
    }
  }
}

/**
 * The outbound queue: its name, payload schema and the sender processor. The composition
 * root registers it on the worker role (`queues.register(createOutboundQueue(...))`).
 */
export function createOutboundQueue(deps: OutboundQueueDeps): QueueDef<OutboundJob> {
  const opts: SenderOptions = { ...DEFAULT_SENDER_OPTIONS, ...deps.options };
  const clock = deps.clock ?? systemClock;
  const limits: OutboundLimits = mergeLimits(DEFAULT_OUTBOUND_LIMITS, deps.limits);
  const log = deps.logger.child({ component: 'outbound' });
  const db = deps.db;
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

  /** State of another job of this queue (for orphan detection). */
  const queueOf = (job: Job<OutboundJob>): Queue => {
    let q = stateQueues.get(job.queueQualifiedName);
    if (!q) {
      // Shares the connection: closing is not needed and would not close it.
      q = new Queue(job.queueName, { connection: deps.redis, prefix: job.prefix });
      q.on('error', (err) => log.warn({ err: err.message }, 'outbound state queue error'));
      stateQueues.set(job.queueQualifiedName, q);
    }
    return q;
  };
  const jobState = (job: Job<OutboundJob>, jobId: string): Promise<string> => queueOf(job).getJobState(jobId);

  /**
   * The row is done (sent or failed): wake the chat's next queued row if it sleeps in the
   * delayed set, so it goes out as soon as the limiter allows instead of at its next poll.
   */
  const wakeNext = async (job: Job<OutboundJob>): Promise<void> => {
    try {
      const row = await db.outboundMessage.findUnique({ where: { id: job.data.outboundId }, select: { platform: true, chatId: true, seq: true } });
      if (!row) return;
      const next = await db.outboundMessage.findFirst({
        where: { platform: row.platform, chatId: row.chatId, status: 'queued', seq: { gt: row.seq } },
        orderBy: { seq: 'asc' },
        select: { id: true },
      });
      if (!next) return;
      const nextJob = await queueOf(job).getJob(outboundJobId(next.id));
      if (nextJob && (await nextJob.isDelayed())) await nextJob.promote();
    } catch (err) {
      // It may have started meanwhile; a missed wake-up only costs the next row its poll.
      log.debug({ err: errorText(err), outboundId: job.data.outboundId }, 'outbound wake-up of the next row skipped');
    }
  };

  const markFailed = async (id: string, attempts: number, error: string): Promise<void> => {
    await db.outboundMessage.updateMany({
      where: { id, status: 'queued' },
      data: { status: 'failed', attempts, error: error.slice(0, 1000) },
    });
  };

  /** Earlier rows of the same chat that still block this one (orphans are failed and skipped). */
  const rowsAhead = async (
    job: Job<OutboundJob>,
    row: { id: string; platform: string; chatId: string; seq: bigint },
  ): Promise<number> => {
    const where = { platform: row.platform, chatId: row.chatId, status: 'queued', seq: { lt: row.seq } };
    // Bounded: each pass fails one orphan; a live or young head ends the loop.
    for (let pass = 0; pass < 10; pass++) {
      const head = await db.outboundMessage.findFirst({ where, orderBy: { seq: 'asc' }, select: { id: true, createdAt: true } });
      if (!head) return 0;
      // Wall time, not the injected clock: createdAt is Postgres's own now().
      const young = Date.now() - head.createdAt.getTime() < opts.orphanGraceMs;
      if (young) return db.outboundMessage.count({ where });
      const state = await jobState(job, outboundJobId(head.id));
      if (LIVE_JOB_STATES.has(state)) return db.outboundMessage.count({ where });
      // Its job is gone (enqueue failed, Redis lost data, stalled out): waiting would block the chat for good.
      await markFailed(head.id, 0, `queue job ${state}; skipped so later messages to the chat can go`);
      log.warn({ outboundId: head.id, state, blocked: row.id }, 'outbound row without a live job marked failed');
    }
    return 1;
  };

  const attempt = async (job: Job<OutboundJob>): Promise<Step> => {
    const id = job.data.outboundId;
    const row = await db.outboundMessage.findUnique({ where: { id } });
    if (!row) {
      log.warn({ outboundId: id }, 'outbound row not found; nothing to send');
      return { kind: 'done', result: { outcome: 'skipped', reason: 'missing' } };
    }
    if (row.status !== 'queued') return { kind: 'done', result: { outcome: 'skipped', reason: 'already-done' } };

    const parsed = storedRequestSchema.safeParse(row.reply);
    if (!parsed.success) {
      await markFailed(id, row.attempts, `stored request is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
      throw new UnrecoverableError(`outbound ${id}: stored request is invalid`);
    }
    const req = parsed.data as OutboundRequest;
    const platform = req.ref.platform;
    const sender = deps.senders[platform];
    if (!sender) {
      await markFailed(id, row.attempts, `no sender configured for ${platform}`);
      deps.metrics.outboundMessages.inc({ platform, op: req.editMessageId ? 'edit' : 'post', outcome: 'failed' });
      throw new UnrecoverableError(`outbound ${id}: no sender configured for ${platform}`);
    }

    const ahead = await rowsAhead(job, row);
    if (ahead > 0) return { kind: 'wait', ms: orderingPollMs(ahead, slotMs(platform)), reason: 'earlier messages first' };

    const ns = deps.keyPrefix ?? `${job.queueQualifiedName}:send`;
    const chat = { platform, chatId: row.chatId };
    const lock = await tryLock(deps.redis, `${ns}:lock:${platform}:${row.chatId}`, opts.lockTtlMs);
    if (!lock) return { kind: 'wait', ms: 100, reason: 'another send to this chat is in flight' };
    try {
      // Read again under the lock: a copy of this job may have sent it meanwhile.
      const fresh = await db.outboundMessage.findUnique({ where: { id }, select: { status: true, attempts: true } });
      if (!fresh || fresh.status !== 'queued') return { kind: 'done', result: { outcome: 'skipped', reason: 'already-done' } };

      // Target: an explicit id, else the message this key already lives in, else a new post.
      let editId = req.editMessageId;
      if (!editId && req.messageKey) {
        const link = await db.messageLink.findUnique({
          where: { messageKey_platform_chatId: { messageKey: req.messageKey, platform, chatId: row.chatId } },
        });
        editId = link?.platformMessageId;
      }
      let postRef = req.ref;
      let replyTo: string | undefined;
      if (!editId && req.threadUnderKey) {
        const parent = await db.messageLink.findUnique({
          where: { messageKey_platform_chatId: { messageKey: req.threadUnderKey, platform, chatId: row.chatId } },
        });
        if (parent) {
          replyTo = parent.platformMessageId;
          // The reply lives where its parent lives.
          postRef = withThread(req.ref, parent.threadId || undefined);
        }
      }
      const op = editId ? 'edit' : 'post';

      // It is this chat's turn and the lock is ours: wait out a short limit here, without
      // loading everything again (bounded, since the platform-wide window is shared).
      const limiter = limiterFor(ns);
      const inlineUntil = Date.now() + opts.maxInlineWaitMs * 2;
      let slot = await limiter.acquire(chat);
      while (!slot.granted && slot.waitMs <= opts.maxInlineWaitMs && Date.now() + slot.waitMs <= inlineUntil) {
        await sleep(slot.waitMs);
        slot = await limiter.acquire(chat);
      }
      if (!slot.granted) return { kind: 'wait', ms: slot.waitMs, reason: 'rate limit', early: true };

      const attempts = fresh.attempts + 1;
      let messageId: string;
      try {
        if (editId) {
          await sender.edit(req.ref, editId, req.reply as Reply);
          messageId = editId;
        } else {
          const postOpts = { ...(replyTo ? { replyToMessageId: replyTo } : {}), ...(req.visibleTo ? { visibleTo: req.visibleTo } : {}) };
          const posted = await sender.post(postRef, req.reply as Reply, Object.keys(postOpts).length ? postOpts : undefined);
          messageId = posted.messageId;
        }
      } catch (err) {
        await slot.finish().catch((e: unknown) => log.warn({ err: errorText(e) }, 'outbound limiter finish failed'));
        // A keyed card that can no longer be edited (deleted, too old) is posted anew, once:
        // later updates then edit the new message instead of failing forever.
        const keyedEdit = op === 'edit' && !req.editMessageId && req.messageKey;
        if (err instanceof PermanentSendError && keyedEdit && attempts < opts.maxAttempts) {
          deps.metrics.outboundMessages.inc({ platform, op, outcome: 'failed' });
          await db.$transaction([
            db.messageLink.deleteMany({ where: { messageKey: req.messageKey!, platform, chatId: row.chatId, platformMessageId: editId! } }),
            db.outboundMessage.update({ where: { id }, data: { attempts, error: errorText(err) } }),
          ]);
          log.info({ outboundId: id, messageKey: req.messageKey, err: errorText(err) }, 'keyed message cannot be edited; posting it anew');
          return { kind: 'wait', ms: 0, reason: 'post anew' };
        }
        return await onSendError(job, { id, platform, op, attempts, chat, ns }, err);
      }
      await slot.finish().catch((e: unknown) => log.warn({ err: errorText(e) }, 'outbound limiter finish failed'));
      deps.metrics.outboundMessages.inc({ platform, op, outcome: 'sent' });

      const linkThread = (op === 'post' ? postRef.threadId : req.ref.threadId) ?? '';
      // The message is out: a failed write here would make the retry send it twice, so a
      // short database hiccup is retried in place first.
      await withRetries(3, 200, () => db.$transaction([
        db.outboundMessage.update({
          where: { id },
          data: { status: 'sent', platformMessageId: messageId, attempts, sentAt: clock.now(), error: null },
        }),
        ...(req.messageKey
          ? [
              db.messageLink.upsert({
                where: { messageKey_platform_chatId: { messageKey: req.messageKey, platform, chatId: row.chatId } },
                create: { messageKey: req.messageKey, platform, chatId: row.chatId, platformMessageId: messageId, threadId: linkThread },
                update: { platformMessageId: messageId },
              }),
            ]
          : []),
      ]));
      log.debug({ outboundId: id, platform, op, messageId }, 'outbound delivered');
      return { kind: 'done', result: { outcome: 'sent', op, platformMessageId: messageId } };
    } finally {
      await lock.release().catch((err: unknown) => log.warn({ err: errorText(err) }, 'outbound lock release failed'));
    }
  };

  const onSendError = async (
    job: Job<OutboundJob>,
    s: { id: string; platform: Platform; op: 'post' | 'edit'; attempts: number; chat: { platform: Platform; chatId: string }; ns: string },
    err: unknown,
  ): Promise<Step> => {
    const text = errorText(err);
    if (err instanceof PermanentSendError) {
      deps.metrics.outboundMessages.inc({ platform: s.platform, op: s.op, outcome: 'failed' });
      await markFailed(s.id, s.attempts, text);
      log.warn({ outboundId: s.id, err: text }, 'outbound send failed permanently');
      throw new UnrecoverableError(text);
    }
    if (err instanceof RateLimitedError) {
      deps.metrics.outboundMessages.inc({ platform: s.platform, op: s.op, outcome: 'rate_limited' });
      // Push the whole chat back, not only this message: the others would hit the same 429.
      await limiterFor(s.ns).block(s.chat, err.retryAfterMs);
      if (s.attempts >= opts.maxAttempts) {
        await markFailed(s.id, s.attempts, `gave up after ${s.attempts} attempts: ${text}`);
        deps.metrics.outboundMessages.inc({ platform: s.platform, op: s.op, outcome: 'failed' });
        throw new UnrecoverableError(`gave up after ${s.attempts} attempts: ${text}`);
      }
      await db.outboundMessage.update({ where: { id: s.id }, data: { attempts: s.attempts, error: text } });
      log.info({ outboundId: s.id, retryAfterMs: err.retryAfterMs, attempt: s.attempts }, 'outbound rate limited by the platform');
      return { kind: 'wait', ms: Math.max(1, err.retryAfterMs), reason: 'retry-after', early: true };
    }
    // Transient (network, 5xx): BullMQ retries with backoff; the row remembers the attempt.
    const lastQueueAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (s.attempts >= opts.maxAttempts || lastQueueAttempt) {
      await markFailed(s.id, s.attempts, `gave up after ${s.attempts} attempts: ${text}`);
      deps.metrics.outboundMessages.inc({ platform: s.platform, op: s.op, outcome: 'failed' });
      throw new UnrecoverableError(`gave up after ${s.attempts} attempts: ${text}`);
    }
    deps.metrics.outboundMessages.inc({ platform: s.platform, op: s.op, outcome: 'error' });
    await db.outboundMessage.update({ where: { id: s.id }, data: { attempts: s.attempts, error: text } });
    throw err;
  };

  /** Delivers one outbound row (see the file comment for the steps). */
  const processor = async (job: Job<OutboundJob>): Promise<OutboundResult> => {
    // Short waits are slept in place, within a small budget per run.
    const inlineUntil = Date.now() + opts.maxInlineWaitMs * 4;
    for (;;) {
      let step: Step;
      try {
        step = await attempt(job);
      } catch (err) {
        // Unrecoverable means the row was marked failed: the chat moves on.
        if (err instanceof UnrecoverableError) await wakeNext(job);
        throw err;
      }
      if (step.kind === 'done') {
        if (step.result.outcome === 'sent') await wakeNext(job);
        return step.result;
      }
      if (step.ms <= opts.maxInlineWaitMs && Date.now() + step.ms <= inlineUntil) {
        await sleep(step.ms);
        continue;
      }
      // Longer waits give the worker slot back: the job sleeps in Redis's delayed set.
      const ms = step.early ? Math.max(0, step.ms - WAKE_EARLY_MS) : step.ms;
      await job.moveToDelayed(Date.now() + ms, job.token);
      throw new DelayedError(step.reason);
    }
  };

  return {
    name: OUTBOUND_QUEUE,
    schema: outboundJobSchema,
    processor,
    concurrency: opts.concurrency,
    defaultJobOptions: { attempts: opts.maxAttempts, backoff: { type: 'exponential', delay: 1000 } },
  };
}
