/**
 * The `smoke` queue: `a2d2 smoke` puts one job on it and waits for a worker to answer. The
 * processor only hands back what it got, so a passing round trip proves that Redis takes jobs
 * and that a worker of this deployment picks them up and completes them.
 *
 * Only worker roles consume it (Queues.startWorkers runs there alone). At idle its worker is
 * one blocked Redis read that wakes every 10 s, and no stalled-job sweep: a smoke job that was
 * interrupted is of no use to anyone later.
 */
import { z } from 'zod';
import type { QueueDef } from '../queues.ts';

export const SMOKE_QUEUE = 'smoke';

export const smokeJobSchema = z.object({
  nonce: z.string().min(1).max(100),
  sentAt: z.number().int().nonnegative(),
});
export type SmokeJob = z.infer<typeof smokeJobSchema>;

/** What the worker answers: the job's own data, and when it saw it. */
export interface SmokeAnswer extends SmokeJob {
  answeredAt: number;
}

/** The queue's declaration; `withProcessor: false` for a producer (the smoke command). */
export function smokeQueueDef(withProcessor = true): QueueDef<SmokeJob> {
  return {
    name: SMOKE_QUEUE,
    schema: smokeJobSchema,
    concurrency: 1,
    // One attempt, and nothing kept: the command removes its job once it has the answer.
    defaultJobOptions: { attempts: 1, removeOnComplete: { age: 300 }, removeOnFail: { age: 300 } },
    // Idle cost: one blocking read every 10 s (BullMQ's ceiling for Redis; 5 s by default) and
    // no stalled-job sweep.
    workerOptions: { drainDelay: 10, skipStalledCheck: true },
    ...(withProcessor ? { processor: async (job) => ({ ...job.data, answeredAt: Date.now() }) satisfies SmokeAnswer } : {}),
  };
}
