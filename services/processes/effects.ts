/**
 * Outside effects of steps (a page, an http call, a ticket change, an agent call) happen at
 * most once per step execution. Each carries a key fixed by (run, step, iteration,
 * generation). "Started" is written before the effect and "done" with its result after it:
 * a retried job (a worker killed, a lock lost) finds "done" and reuses the result without
 * acting again, or finds "started" and repeats the effect with the same key, which the effect
 * itself honours (the Idempotency-Key header, the outbound message key, the ticket port's key).
 */
import type { Db } from '../db.ts';
import { Prisma } from '../../generated/prisma/client.ts';

/** The idempotency key of one step execution's outside effect. */
export function effectKey(runId: number, stepId: string, iteration: number, generation: number): string {
  return `a2d2-run-${runId}-${stepId}-${iteration}-g${generation}`;
}

/** What an effect is told: its key, and whether an earlier attempt may have performed it. */
export interface EffectCall {
  key: string;
  /** An earlier attempt started this effect and did not record its end. */
  resumed: boolean;
}

/** Runs one effect of a step execution at most once to its end. */
export type RunEffect = <T>(kind: string, fn: (call: EffectCall) => Promise<T>) => Promise<T>;

/** Builds the effect ledger of one step execution. */
export function effectRunner(db: Db, at: { runId: number; stepRunId: string; stepId: string; iteration: number; generation: number }, isStopping: () => boolean = () => false): RunEffect {
  const base = effectKey(at.runId, at.stepId, at.iteration, at.generation);
  let n = 0;
  return async function once<T>(kind: string, fn: (call: EffectCall) => Promise<T>): Promise<T> {
    // A step with several effects (none today) would key them apart in call order.
    const key = n++ === 0 ? base : `${base}-${n - 1}`;
    const inserted = await db.$executeRaw`
      INSERT INTO "ProcessEffect" (key, "runId", "stepRunId", kind, status, "updatedAt")
      VALUES (${key}, ${at.runId}, ${at.stepRunId}::uuid, ${kind}, 'started', now())
      ON CONFLICT (key) DO NOTHING`;
    let resumed = false;
    if (inserted === 0) {
      const row = await db.processEffect.findUnique({ where: { key } });
      if (row?.status === 'done') return row.result as T;
      resumed = true;
    }
    const result = await fn({ key, resumed });
    // A stopping worker's result is not trusted (engine-types.ts): it stays "started", and the
    // worker that runs the step again repeats the effect under the same key.
    if (isStopping()) throw new Error('worker stopping; the effect is left to the next try');
    await db.processEffect.update({ where: { key }, data: { status: 'done', result: result === undefined || result === null ? Prisma.DbNull : (result as object) } });
    return result;
  };
}
