/**
 * Recovery of notify jobs. A delivery is stored with its group's notify mark in one statement
 * and its notify job is queued second, so a queue that could not be reached (or a crash in
 * between) leaves a stored group nobody shows; a Redis failover can drop a job the old primary
 * had acknowledged; a notify job can also end for good (retries spent) with the mark still set.
 * A sweep, a repeatable job any live worker runs, looks each marked group's jobs up: a mark
 * with no live job (gone, or ended with the mark still set) is queued again as soon as it is
 * `LOST_AFTER_MS` old; a mark whose job is still waiting or running is left to it until the
 * grace period. Queued under a job id derived from the mark, so the sweep never doubles itself.
 */
import { z } from 'zod';
import { durationMs } from '../duration.ts';
import type { AlertContext } from './alert-context.ts';
import { ALERTS_QUEUE, type AlertJob } from './alert-types.ts';

/** The queue of the sweep. */
export const ALERTS_RECOVERY_QUEUE = 'alerts.recovery';
export const alertRecoveryJobSchema = z.object({ sweep: z.literal(true) });
export type AlertRecoveryJob = z.infer<typeof alertRecoveryJobSchema>;

/** The job scheduler id of the sweep. */
const SCHEDULER = 'alert-notify-recovery';

/** Job states after which a job never runs again by itself. */
const ENDED = ['completed', 'failed'];

/** Groups looked at per sweep; a longer backlog is taken by the next sweeps, oldest first. */
const BATCH = 500;

/**
 * Age of a mark after which a group with no live notify job is queued again: its delivery's
 * job is added right after the statement that set the mark, so a younger mark may still be
 * on its way to Redis. Shorter when the grace is.
 */
const LOST_AFTER_MS = 5_000;

interface Marked {
  id: string;
  mark: Date;
  /** The group's latest alert: the delivery that set the mark queued `grp-<id>-a<lastAlertId>`. */
  lastAlertId: bigint | null;
}

export type AlertRecovery = ReturnType<typeof createAlertRecovery>;

/** The notify recovery sweep over the shared context. */
export function createAlertRecovery(ctx: AlertContext) {
  const { db, queues, config, clock, logger } = ctx;
  let watch: ReturnType<typeof setInterval> | null = null;

  /** Whether the job of `jobId` is waiting, delayed or running (one that will still run). */
  async function live(jobId: string): Promise<boolean> {
    const job = await queues.queue(ALERTS_QUEUE).getJob(jobId);
    return Boolean(job) && !ENDED.includes(await job!.getState());
  }

  /**
   * Queues one marked group's notify job under the mark's job id; true when queued. Left alone
   * while a job for the mark is live: the sweep's own always, the delivery's until the grace.
   */
  async function requeue(g: Marked, graceCutoff: Date): Promise<boolean> {
    const jobId = `grp-${g.id}-m${g.mark.getTime()}`;
    if (await live(jobId)) return false;
    if (g.mark >= graceCutoff && (await live(`grp-${g.id}-a${g.lastAlertId ?? 0n}`))) return false;
    // An ended job keeps its id: it goes before the group is queued under it again.
    await (await queues.queue(ALERTS_QUEUE).getJob(jobId))?.remove();
    await queues.add<AlertJob>(ALERTS_QUEUE, { kind: 'group', groupId: g.id }, { jobId });
    return true;
  }

  /** Groups whose notify mark is older than `cutoff`, oldest first, with their latest alert (two indexed statements). */
  async function marked(cutoff: Date): Promise<Marked[]> {
    const rows = await db.alertGroup.findMany({
      where: { notifyPendingSince: { lt: cutoff } },
      select: { id: true, notifyPendingSince: true },
      orderBy: { notifyPendingSince: 'asc' },
      take: BATCH,
    });
    if (rows.length === 0) return [];
    const latest = await db.alert.groupBy({ by: ['groupId'], where: { groupId: { in: rows.map((r) => r.id) } }, _max: { id: true } });
    const last = new Map(latest.map((r) => [r.groupId, r._max.id]));
    return rows.flatMap((r) => (r.notifyPendingSince ? [{ id: r.id, mark: r.notifyPendingSince, lastAlertId: last.get(r.id) ?? null }] : []));
  }

  /** Queues the notify jobs of marked groups with no live job, or older than the grace; returns how many. */
  async function sweep(): Promise<number> {
    const now = clock.now().getTime();
    const grace = durationMs(config.recovery.grace);
    const graceCutoff = new Date(now - grace);
    let queued = 0;
    for (const g of await marked(new Date(now - Math.min(grace, LOST_AFTER_MS)))) {
      try {
        if (await requeue(g, graceCutoff)) queued++;
      } catch (err) {
        logger.warn({ err: (err as Error).message, groupId: g.id }, 'stranded alert group not queued; the next sweep tries again');
      }
    }
    if (queued) logger.warn({ groups: queued }, 'alert recovery queued notify jobs of stored groups nobody had shown');
    return queued;
  }

  /** Registers the sweep's scheduler unless Redis has it at the configured interval. */
  async function ensureScheduler(): Promise<void> {
    const q = queues.queue(ALERTS_RECOVERY_QUEUE);
    const every = durationMs(config.recovery.every);
    const existing = await q.getJobScheduler(SCHEDULER);
    if (existing && Number(existing.every ?? 0) === every) return;
    await q.upsertJobScheduler(SCHEDULER, { every }, { name: 'sweep', data: { sweep: true } });
  }

  /**
   * On a worker: registers the sweep and checks, once per sweep interval, that Redis still has
   * it (a flushed or replaced Redis would otherwise end recovery for good).
   */
  async function install(): Promise<void> {
    await ensureScheduler();
    if (watch) return;
    watch = setInterval(() => {
      ensureScheduler().catch((err: Error) => logger.warn({ err: err.message }, 'alert recovery scheduler not checked'));
    }, durationMs(config.recovery.every));
    watch.unref();
  }

  /** Stops checking the scheduler (shutdown). */
  function uninstall(): void {
    if (watch) clearInterval(watch);
    watch = null;
  }

  return { sweep, install, uninstall };
}
