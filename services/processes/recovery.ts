/**
 * Recovery of step jobs. A step row is committed first and its job enqueued second, so a
 * process killed in between leaves a row with no job; a job can also end (stalled too often,
 * a database error on its last try) while its row is still open. Two paths put such rows
 * back on the queue, always under their deterministic job ids, so a job that still exists is
 * never doubled: a repeated start re-enqueues its run's open steps, and a sweep (a repeatable
 * job any live worker runs) finds open rows older than a grace period whose job is missing
 * or finished, and due timers of waiting steps whose delayed job is gone.
 */
import { z } from 'zod';
import { toMs } from './processes.config.ts';
import { stepJobId, type RunRow } from './engine-types.ts';
import type { EngineCore, RunKey } from './engine-core.ts';

export const PROCESS_RECOVERY_QUEUE = 'processes-recovery';
export const recoveryJobSchema = z.object({ sweep: z.literal(true) });
export type RecoveryJob = z.infer<typeof recoveryJobSchema>;

/** The job scheduler id of the sweep. */
const SCHEDULER = 'process-recovery';

/** A row the sweep looks at, with what its job id needs. */
interface OpenRow {
  id: string;
  stepId: string;
  iteration: number;
  status: string;
  waitUntil: Date | null;
  runId: number;
  generation: number;
  definitionId: string;
}

/** What a sweep did. */
export interface SweepResult {
  steps: number;
  timers: number;
}

/** Job states after which a job never runs again by itself. */
const ENDED = ['completed', 'failed', 'missing'];

export type Recovery = ReturnType<typeof createRecovery>;

/** Builds the recovery of one engine. */
export function createRecovery(core: EngineCore) {
  const { db, queues, config, clock, logger } = core.deps;

  /** Enqueues a step row again; a job under its id that still exists is left as it is. */
  async function requeue(r: Pick<OpenRow, 'id' | 'stepId' | 'iteration' | 'status' | 'waitUntil'>, run: RunKey): Promise<void> {
    if (r.status === 'waiting') {
      if (r.waitUntil) await core.timer(r, run.generation, new Date(r.waitUntil).getTime() - clock.now().getTime());
      return;
    }
    await core.enqueueRefs([r], run, false);
  }

  /** Enqueues the open steps of a run again (a repeated start whose first enqueue may be lost). */
  async function reopen(run: RunRow): Promise<number> {
    if (run.status !== 'running') return 0;
    const rows = await db.processStepRun.findMany({
      where: { runId: run.id, OR: [{ status: { in: ['pending', 'running'] } }, { status: 'waiting', waitUntil: { not: null } }] },
      select: { id: true, stepId: true, iteration: true, status: true, waitUntil: true, kind: true, next: true },
    });
    const open = rows.filter((r) => !(r.kind === 'parallel' && r.next !== null));
    for (const r of open) await requeue(r, run);
    return open.length;
  }

  /** The state of a job by id ('missing' when Redis has none). */
  async function stateOf(queue: ReturnType<typeof queues.queue>, jobId: string): Promise<{ state: string; remove(): Promise<void> }> {
    const job = await queue.getJob(jobId);
    if (!job) return { state: 'missing', remove: async () => {} };
    return { state: await job.getState(), remove: () => job.remove() };
  }

  /** Finds open rows whose job is missing or ended and enqueues them again. */
  async function sweep(): Promise<SweepResult> {
    const graceMs = toMs(config.recovery.grace);
    const rows = await db.$queryRaw<OpenRow[]>`
      SELECT s.id::text AS id, s."stepId", s.iteration, s.status, s."waitUntil", r.id AS "runId", r.generation, r."definitionId"::text AS "definitionId"
      FROM "ProcessStepRun" s JOIN "ProcessRun" r ON r.id = s."runId"
      WHERE r.status = 'running' AND s."updatedAt" < now() - (${graceMs}::int * interval '1 millisecond')
        AND ((s.status IN ('pending', 'running') AND NOT (s.kind = 'parallel' AND s.next IS NOT NULL))
          OR (s.status = 'waiting' AND s."waitUntil" IS NOT NULL))
      ORDER BY s."updatedAt" LIMIT 1000`;
    const queue = queues.queue(core.stepQueue);
    const out: SweepResult = { steps: 0, timers: 0 };
    for (const r of rows) {
      const waiting = r.status === 'waiting';
      const jobId = waiting ? core.timerJobId(r.id, r.generation) : stepJobId(r.runId, r.stepId, r.iteration, r.generation);
      const job = await stateOf(queue, jobId);
      if (!ENDED.includes(job.state)) continue;
      try {
        // An ended job keeps its id: it goes before the row can be enqueued under it again.
        await job.remove();
      } catch (err) {
        logger.warn({ err: (err as Error).message, jobId }, 'ended step job not removed; the next sweep tries again');
        continue;
      }
      await requeue(r, { id: r.runId, generation: r.generation, definitionId: r.definitionId });
      if (waiting) out.timers++;
      else out.steps++;
    }
    if (out.steps || out.timers) logger.warn({ ...out }, 'process recovery re-enqueued stranded step jobs');
    return out;
  }

  /**
   * On a worker: the sweep's schedule, kept by the process's schedule keeper (re-created if a
   * flushed or replaced Redis lost it, which would otherwise end recovery for good).
   */
  async function install(): Promise<void> {
    await core.deps.schedules.keep({ queue: PROCESS_RECOVERY_QUEUE, id: SCHEDULER, repeat: { every: toMs(config.recovery.every) }, job: { name: 'sweep', data: { sweep: true } } });
  }

  return { reopen, sweep, install };
}
