/**
 * Recovery of notify jobs. A delivery is stored with its group's notify mark in one statement
 * and its notify job is queued second, so a queue that could not be reached (or a crash in
 * between) leaves a stored group nobody shows; a notify job can also end for good (retries
 * spent) with the mark still set. A sweep, a repeatable job any live worker runs, queues the
 * groups whose mark is older than a grace period again, under a job id derived from the mark,
 * so a job that is still waiting or running is never doubled.
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

export type AlertRecovery = ReturnType<typeof createAlertRecovery>;

/** The notify recovery sweep over the shared context. */
export function createAlertRecovery(ctx: AlertContext) {
  const { db, queues, config, clock, logger } = ctx;
  let watch: ReturnType<typeof setInterval> | null = null;

  /** Queues one marked group's notify job unless a job for this mark is still pending; true when queued. */
  async function requeue(groupId: string, mark: Date): Promise<boolean> {
    const jobId = `grp-${groupId}-m${mark.getTime()}`;
    const existing = await queues.queue(ALERTS_QUEUE).getJob(jobId);
    if (existing) {
      if (!ENDED.includes(await existing.getState())) return false;
      // An ended job keeps its id: it goes before the group is queued under it again.
      await existing.remove();
    }
    await queues.add<AlertJob>(ALERTS_QUEUE, { kind: 'group', groupId }, { jobId });
    return true;
  }

  /** Queues the notify jobs of groups whose mark is older than the grace period; returns how many. */
  async function sweep(): Promise<number> {
    const cutoff = new Date(clock.now().getTime() - durationMs(config.recovery.grace));
    const rows = await db.alertGroup.findMany({
      where: { notifyPendingSince: { lt: cutoff } },
      select: { id: true, notifyPendingSince: true },
      orderBy: { notifyPendingSince: 'asc' },
      take: BATCH,
    });
    let queued = 0;
    for (const r of rows) {
      try {
        if (r.notifyPendingSince && (await requeue(r.id, r.notifyPendingSince))) queued++;
      } catch (err) {
        logger.warn({ err: (err as Error).message, groupId: r.id }, 'stranded alert group not queued; the next sweep tries again');
      }
    }
    if (queued) logger.warn({ groups: queued }, 'alert recovery queued notify jobs of stored groups nobody had shown');
    return queued;
  }

  /** Registers the sweep's scheduler unless Redis has it. */
  async function ensureScheduler(): Promise<void> {
    const q = queues.queue(ALERTS_RECOVERY_QUEUE);
    if (await q.getJobScheduler(SCHEDULER)) return;
    await q.upsertJobScheduler(SCHEDULER, { every: durationMs(config.recovery.every) }, { name: 'sweep', data: { sweep: true } });
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
