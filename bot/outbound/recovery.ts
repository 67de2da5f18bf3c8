/**
 * No outbound row is stranded. The port writes a row first and queues its job second, so a
 * process killed in between, or a Redis that refused the enqueue, leaves a `queued` row with
 * no job; a job can also end (stalled out of its retries, a database error on its last try)
 * while its row is still queued. A sweep, a repeatable job on the outbound queue that any
 * live worker runs, finds queued rows older than a grace period whose job is missing or ended
 * and queues them again under their deterministic job id, so a job that still exists is never
 * doubled and the processor (idempotent on the row's status) sends each row once. The chat
 * order is kept by the processor: a re-queued row still waits for the rows before it.
 *
 * The schedule lives in Redis; every worker checks on a timer that it is still there (a
 * flushed or replaced Redis would otherwise lose recovery for good) and registers it again.
 */
import type { Queue } from 'bullmq';
import { z } from 'zod';
import type { Schedule } from '../../services/schedules.ts';
import { OUTBOUND_QUEUE, outboundJobId } from '../../services/messaging/outbound.service.ts';
import { errorText, markFailed, type SenderContext } from './sender-context.ts';

/** The job scheduler id of the sweep. */
export const OUTBOUND_SWEEP_SCHEDULER = 'outbound-recovery';

/**
 * The sweep runs on a queue of its own: the outbound queue then holds only messages, so
 * "nothing waiting or delayed there" still means every message is out.
 */
export const OUTBOUND_RECOVERY_QUEUE = 'outbound-recovery';
/** A sweep run; the schedule carries the install's grace and give-up times (the sender's options otherwise). */
export const sweepJobSchema = z.object({
  sweep: z.literal(true),
  graceMs: z.number().int().nonnegative().optional(),
  giveUpMs: z.number().int().positive().optional(),
});
export type SweepJob = z.infer<typeof sweepJobSchema>;

/** Job states in which a job still runs by itself. */
const LIVE_JOB_STATES = new Set(['waiting', 'wait', 'delayed', 'active', 'prioritized', 'waiting-children']);

/** How long a queued row is trusted to have its job, and when a stranded one is given up. */
export interface RecoveryTimes {
  graceMs: number;
  giveUpMs: number;
}

/** What one sweep did. */
export interface SweepResult {
  requeued: number;
  failed: number;
}

/** Options of an outbound job, also for handles that have no queue defaults (the job's own queue). */
export function outboundJobOptions(sc: SenderContext, outboundId: string) {
  return {
    jobId: outboundJobId(outboundId),
    attempts: sc.opts.maxAttempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * Makes sure the row has a live job: leaves a live one alone, removes an ended one (it keeps
 * the id) and adds the job again. Answers whether it had to.
 */
export async function ensureJob(sc: SenderContext, queue: Queue, outboundId: string): Promise<'live' | 'requeued'> {
  const jobId = outboundJobId(outboundId);
  const job = await queue.getJob(jobId);
  if (job) {
    const state = await job.getState();
    if (LIVE_JOB_STATES.has(state)) return 'live';
    await job.remove();
  }
  await queue.add(OUTBOUND_QUEUE, { outboundId }, outboundJobOptions(sc, outboundId));
  return 'requeued';
}

/**
 * A queued row of the chat whose job may be lost: young rows are trusted (their enqueue may
 * be on its way); older ones get their job back, or are failed once stranded past giving up.
 */
export async function recoverRow(
  sc: SenderContext,
  queue: Queue,
  row: { id: string; platform: string; createdAt: Date },
  times: RecoveryTimes = { graceMs: sc.opts.orphanGraceMs, giveUpMs: sc.opts.strandedGiveUpMs },
): Promise<'young' | 'live' | 'requeued' | 'failed'> {
  // Wall time, not the injected clock: createdAt is Postgres's own now().
  const age = Date.now() - row.createdAt.getTime();
  if (age < times.graceMs) return 'young';
  const job = await queue.getJob(outboundJobId(row.id));
  if (job && LIVE_JOB_STATES.has(await job.getState())) return 'live';
  if (age >= times.giveUpMs) {
    await markFailed(sc, row.id, 0, `queue job ${job ? await job.getState() : 'unknown'} and stranded too long; given up`);
    sc.log.warn({ outboundId: row.id }, 'outbound row stranded past giving up marked failed');
    return 'failed';
  }
  const done = await ensureJob(sc, queue, row.id);
  if (done === 'requeued') {
    sc.deps.metrics.outboundMessages.inc({ platform: row.platform, op: 'post', outcome: 'requeued' });
    sc.log.warn({ outboundId: row.id }, 'outbound row without a live job queued again');
  }
  return done;
}

/** Finds queued rows past the grace period whose job is missing or ended and queues them again. */
export async function sweepStranded(sc: SenderContext, queue: Queue, job: SweepJob): Promise<SweepResult> {
  const times = { graceMs: job.graceMs ?? sc.opts.orphanGraceMs, giveUpMs: job.giveUpMs ?? sc.opts.strandedGiveUpMs };
  const rows = await sc.db.outboundMessage.findMany({
    where: { status: 'queued', createdAt: { lt: new Date(Date.now() - times.graceMs) } },
    orderBy: { seq: 'asc' },
    take: 1000,
    select: { id: true, platform: true, createdAt: true },
  });
  const out: SweepResult = { requeued: 0, failed: 0 };
  for (const row of rows) {
    try {
      const r = await recoverRow(sc, queue, row, times);
      if (r === 'requeued') out.requeued++;
      if (r === 'failed') out.failed++;
    } catch (err) {
      // One row's Redis hiccup must not end the sweep for the others; the next sweep retries it.
      sc.log.warn({ outboundId: row.id, err: errorText(err) }, 'outbound row not recovered');
    }
  }
  if (out.requeued || out.failed) sc.log.warn({ ...out }, 'outbound recovery sweep re-queued stranded rows');
  return out;
}

/** The grace of the sweeps run right after a Redis loss. */
const AFTER_LOSS_GRACE_MS = 3_000;

/**
 * The sweep's schedule, for the process's schedule keeper (services/schedules.ts), which
 * registers it on every worker and re-creates it when Redis lost it.
 */
export function sweepSchedule(everyMs: number, times?: RecoveryTimes): Schedule {
  const data: SweepJob = { sweep: true, ...(times ? { graceMs: times.graceMs, giveUpMs: times.giveUpMs } : {}) };
  // After a Redis loss every queued row lost its job: look at once with a short grace (a row
  // whose post is in flight right now is left to its worker), and once more a little later.
  const soon: SweepJob = { ...data, graceMs: Math.min(AFTER_LOSS_GRACE_MS, times?.graceMs ?? AFTER_LOSS_GRACE_MS) };
  return {
    queue: OUTBOUND_RECOVERY_QUEUE,
    id: OUTBOUND_SWEEP_SCHEDULER,
    repeat: { every: everyMs },
    job: { name: 'sweep', data, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    afterLoss: [
      { delayMs: 1_000, data: soon },
      { delayMs: AFTER_LOSS_GRACE_MS + 2_000, data: soon },
    ],
  };
}
