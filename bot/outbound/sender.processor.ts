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
 *
 * This file is the job loop (sleep short waits in place, move long ones to the delayed set).
 * The steps live beside it: send-attempt.ts (steps 1 and 3 to 6 for one attempt),
 * chat-order.ts (step 2), send-errors.ts (what a failed platform call means for the row)
 * and sender-context.ts (options, dependencies and helpers they share). The same queue runs
 * the recovery sweep (recovery.ts), which queues stranded rows again.
 */
import { DelayedError } from 'bullmq';
import { OUTBOUND_QUEUE, outboundJobSchema, type OutboundJob } from '../../services/messaging/outbound.service.ts';
import { UnrecoverableError, type Job, type QueueDef } from '../../services/queues.ts';
import { createSenderContext, sleep, type OutboundQueueDeps, type OutboundResult, type SenderContext, type Step } from './sender-context.ts';
import { wakeNext } from './chat-order.ts';
import { attempt } from './send-attempt.ts';
import { OUTBOUND_RECOVERY_QUEUE, sweepJobSchema, sweepStranded, type SweepJob, type SweepResult } from './recovery.ts';

export { DEFAULT_SENDER_OPTIONS, type OutboundQueueDeps, type OutboundResult, type SenderOptions } from './sender-context.ts';
export { orderingPollMs } from './chat-order.ts';
export { sweepSchedule, OUTBOUND_RECOVERY_QUEUE } from './recovery.ts';

/** The outbound queue carries one job per row. */
export const outboundQueueJobSchema = outboundJobSchema;
export type OutboundQueueJob = OutboundJob;

/** How much sooner than its slot a delayed job wakes (covers the row loading before the send). */
const WAKE_EARLY_MS = 100;

/**
 * The outbound queue: its name, payload schema and the sender processor. The composition
 * root registers it on the worker role (`queues.register(createOutboundQueue(...))`).
 */
export function createOutboundQueue(deps: OutboundQueueDeps): QueueDef<OutboundQueueJob> {
  const sc = createSenderContext(deps);
  return {
    name: OUTBOUND_QUEUE,
    schema: outboundQueueJobSchema,
    processor: (job): Promise<OutboundResult> => deliverRow(sc, job),
    concurrency: sc.opts.concurrency,
    defaultJobOptions: { attempts: sc.opts.maxAttempts, backoff: { type: 'exponential', delay: 1000 } },
    // A killed worker's rows come back within seconds; being taken up again never fails a row.
    workerOptions: { lockDuration: sc.opts.jobLockMs, stalledInterval: sc.opts.stalledCheckMs, maxStalledCount: 1_000 },
  };
}

/** The recovery sweep's queue: each run re-queues stranded rows on the outbound queue of the same install. */
export function createOutboundRecoveryQueue(deps: OutboundQueueDeps): QueueDef<SweepJob> {
  const sc = createSenderContext(deps);
  return {
    name: OUTBOUND_RECOVERY_QUEUE,
    schema: sweepJobSchema,
    concurrency: 1,
    defaultJobOptions: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
    processor: (job): Promise<SweepResult> =>
      sweepStranded(sc, sc.queueOf({ queueName: OUTBOUND_QUEUE, prefix: job.prefix, queueQualifiedName: `${job.prefix}:${OUTBOUND_QUEUE}` }), job.data),
  };
}

/** Delivers one outbound row (see the file comment for the steps). */
async function deliverRow(sc: SenderContext, job: Job<OutboundJob>): Promise<OutboundResult> {
  const { opts } = sc;
  // Short waits are slept in place, within a small budget per run.
  const inlineUntil = Date.now() + opts.maxInlineWaitMs * 4;
  for (;;) {
    let step: Step;
    try {
      step = await attempt(sc, job);
    } catch (err) {
      // Unrecoverable means the row was marked failed: the chat moves on.
      if (err instanceof UnrecoverableError) await wakeNext(sc, job);
      throw err;
    }
    if (step.kind === 'done') {
      if (step.result.outcome === 'sent') await wakeNext(sc, job);
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
}
