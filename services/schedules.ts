/**
 * Repeatable schedules that survive a Redis that lost them. BullMQ keeps job schedulers in
 * Redis only: a restart without persistence, a failover to an empty replica or a flush removes
 * them, and nothing would ever run the SLA sweep or a recovery sweep again. Every worker keeps
 * the schedules its features need: it registers each at start and checks on a timer that Redis
 * still has it (same interval and template), re-creating what is missing. Re-creating is
 * idempotent (upsert by scheduler id), so any number of workers may do it at once.
 */
import type { JobsOptions, RepeatOptions } from 'bullmq';
import type { Logger } from './logger.ts';
import type { Queues } from './queues.ts';

/** One repeatable schedule: which queue, its scheduler id, when, and the job it adds. */
export interface Schedule {
  queue: string;
  id: string;
  repeat: Pick<RepeatOptions, 'every' | 'pattern' | 'tz'>;
  job: { name: string; data?: unknown; opts?: JobsOptions };
  /**
   * One-off jobs added when the schedule had to be re-created, that is when Redis lost its
   * data: each `data` runs once after its `delayMs`. A recovery sweep uses it to run at once,
   * without the grace it keeps in normal times (what it looks for can only be lost now).
   */
  afterLoss?: { delayMs: number; data: unknown }[];
}

export interface ScheduleKeeper {
  /** Registers `s` now and keeps it from then on (call on worker roles only). */
  keep(s: Schedule): Promise<void>;
  /** Checks every kept schedule once; returns how many had to be re-created. */
  check(): Promise<number>;
  /** Stops the timer (shutdown); the schedules stay in Redis for the other workers. */
  stop(): void;
}

const sameRepeat = (a: Schedule['repeat'], b: { every?: number | string | null; pattern?: string | null; tz?: string | null }) =>
  Number(a.every ?? 0) === Number(b.every ?? 0) && (a.pattern ?? null) === (b.pattern ?? null) && (a.tz ?? null) === (b.tz ?? null);

/** Builds the keeper of one process; `checkEveryMs` is how soon a lost schedule comes back. */
export function createScheduleKeeper(deps: { queues: Queues; logger: Logger; checkEveryMs?: number; onRecreated?(s: Schedule): void }): ScheduleKeeper {
  const kept = new Map<string, Schedule>();
  const checkEveryMs = deps.checkEveryMs ?? 2_000;
  let timer: NodeJS.Timeout | null = null;

  async function ensure(s: Schedule): Promise<boolean> {
    const q = deps.queues.queue(s.queue);
    const existing = await q.getJobScheduler(s.id);
    if (existing && sameRepeat(s.repeat, existing) && JSON.stringify(existing.template?.data ?? {}) === JSON.stringify(s.job.data ?? {})) return false;
    await q.upsertJobScheduler(s.id, s.repeat, { name: s.job.name, data: s.job.data ?? {}, ...(s.job.opts ? { opts: s.job.opts } : {}) });
    return !existing;
  }

  /** Adds the schedule's after-loss runs (see {@link Schedule.afterLoss}). */
  async function afterLoss(s: Schedule): Promise<void> {
    for (const [i, run] of (s.afterLoss ?? []).entries()) {
      // One id per loss and run: several workers noticing the same loss mostly add it once
      // (the runs are sweeps, so a second one finds nothing left to do).
      const jobId = `after-loss-${s.id}-${i}-${Math.floor(Date.now() / (checkEveryMs * 5))}`;
      await deps.queues.queue(s.queue).add(s.job.name, run.data, { jobId, delay: run.delayMs, removeOnComplete: true, removeOnFail: { count: 100 } });
    }
  }

  async function check(): Promise<number> {
    let recreated = 0;
    for (const s of kept.values()) {
      try {
        if (await ensure(s)) {
          recreated++;
          deps.onRecreated?.(s);
          deps.logger.warn({ queue: s.queue, schedule: s.id }, 'a schedule was missing in Redis (restarted without persistence?); re-created');
          await afterLoss(s);
        }
      } catch (err) {
        deps.logger.warn({ queue: s.queue, schedule: s.id, err: (err as Error).message }, 'schedule not checked; the next check tries again');
      }
    }
    return recreated;
  }

  return {
    async keep(s) {
      kept.set(`${s.queue}\u0000${s.id}`, s);
      // Missing at start: a first start, or Redis emptied while no worker ran.
      if (await ensure(s)) await afterLoss(s);
      if (!timer) {
        timer = setInterval(() => void check(), checkEveryMs);
        timer.unref();
      }
    },
    check,
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
