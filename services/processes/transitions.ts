/**
 * Step transitions: a step's completion and the creation of what follows it happen in one
 * transaction under a row lock (step and run), so a duplicate completion finds the step closed
 * and does nothing. The follow-up rows are recorded on the finished row (`next`) and enqueued
 * after the commit; a replayed job re-enqueues them idempotently.
 */
import { maskSecrets } from './template.ts';
import type { StepDef, StepPlace } from './definition.ts';
import { OPEN, TX, ProcessError, type ActiveDefinition, type NextRef, type RunRow, type StepRow, type Tx } from './engine-types.ts';
import type { EngineCore } from './engine-core.ts';
import type { RunMessages } from './run-messages.ts';
import type { ChainPlan } from './step-chain.ts';

/** What a finished step records. */
export interface StepResult {
  status: 'succeeded' | 'skipped' | 'failed';
  output?: unknown;
  input?: unknown;
  error?: string;
  /** A goto target (a step of the same sequence, or `end`). */
  target?: string;
}

export type Transitions = ReturnType<typeof createTransitions>;

/** Creates the row of a step about to run (its next iteration when it ran before). */
export async function createStepRow(tx: Tx, runId: number, place: StepPlace, parentId: string | null): Promise<NextRef> {
  // One round trip: the iteration is the number of earlier executions of the step.
  const [row] = await tx.$queryRaw<{ id: string; iteration: number }[]>`
    INSERT INTO "ProcessStepRun" (id, "runId", "stepId", iteration, kind, "parentId", "updatedAt")
    SELECT gen_random_uuid(), ${runId}, ${place.step.id}, COUNT(*)::int, ${place.step.kind}, ${parentId}::uuid, now()
    FROM "ProcessStepRun" WHERE "runId" = ${runId} AND "stepId" = ${place.step.id}
    RETURNING id::text AS id, iteration`;
  return { id: row!.id, stepId: place.step.id, iteration: row!.iteration };
}

/**
 * Locks a step row and its run in one round trip. Rows come back as JSON: timestamps are
 * strings here, and nothing on the paths that lock reads them.
 */
export async function lock(tx: Tx, rowId: string): Promise<{ row: StepRow; run: RunRow } | null> {
  const [hit] = await tx.$queryRaw<{ row: StepRow; run: RunRow }[]>`
    SELECT to_jsonb(s) AS row, to_jsonb(r) AS run FROM "ProcessStepRun" s JOIN "ProcessRun" r ON r.id = s."runId"
    WHERE s.id = ${rowId}::uuid FOR UPDATE`;
  return hit ?? null;
}

/** Locks a run row; refuses an unknown run. */
export async function lockRun(tx: Tx, runId: number): Promise<RunRow> {
  const [r] = await tx.$queryRaw<RunRow[]>`SELECT * FROM "ProcessRun" WHERE id = ${runId} FOR UPDATE`;
  if (!r) throw new ProcessError('processes.runNotFound', { id: runId });
  return r;
}

/** Builds the transitions of one engine. */
export function createTransitions(core: EngineCore, messages: RunMessages) {
  const { db, clock } = core.deps;

  /**
   * What follows a finished step: the target of a goto, or the next step of its sequence; at
   * the end of a branch, the join of its parallel step; at the end of the top sequence, the
   * run's success. Returns the rows to enqueue.
   */
  async function successors(tx: Tx, run: RunRow, def: ActiveDefinition, row: { stepId: string; parentId: string | null }, target?: string, current?: { id: string; status: string; output: unknown }): Promise<NextRef[]> {
    const place = def.places.get(row.stepId)!;
    const nextId = target !== undefined ? target : place.sequence[place.index + 1];
    if (nextId && nextId !== 'end') return [await createStepRow(tx, run.id, def.places.get(nextId)!, row.parentId)];
    if (!row.parentId) {
      await tx.processRun.update({ where: { id: run.id }, data: { status: 'succeeded', finishedAt: clock.now() } });
      return [];
    }
    return join(tx, run, def, row.parentId, current);
  }

  /** End of a parallel branch: the last branch to arrive finishes the parallel step. */
  async function join(tx: Tx, run: RunRow, def: ActiveDefinition, parentId: string, current?: { id: string; status: string; output: unknown }): Promise<NextRef[]> {
    const [parent] = await tx.$queryRaw<StepRow[]>`SELECT * FROM "ProcessStepRun" WHERE id = ${parentId}::uuid FOR UPDATE`;
    if (!parent || parent.status !== 'running') return [];
    const branches = (def.places.get(parent.stepId)!.step as Extract<StepDef, { kind: 'parallel' }>).branches.length;
    const joined = parent.joined + 1;
    if (joined < branches) {
      await tx.processStepRun.update({ where: { id: parent.id }, data: { joined } });
      return [];
    }
    const children = await tx.processStepRun.findMany({ where: { parentId: parent.id }, select: { id: true, stepId: true, status: true, output: true } });
    // The step finishing now is recorded after its successors are known (one update for both).
    const output = Object.fromEntries(children.map((c) => (c.id === current?.id ? [c.stepId, { status: current.status, output: current.output }] : [c.stepId, { status: c.status, output: c.output }])));
    await tx.processStepRun.update({ where: { id: parent.id }, data: { joined, status: 'succeeded', output: output as object, finishedAt: clock.now() } });
    const after = await successors(tx, run, def, parent);
    await tx.processStepRun.update({ where: { id: parent.id }, data: { next: after.map((a) => a.id) } });
    return after;
  }

  /**
   * Records a step as finished and schedules what follows, atomically; only a step that is
   * still open (pending, running, waiting) can finish, so a duplicate completion does nothing.
   */
  async function finish(rowId: string, result: StepResult, expect: readonly string[] = OPEN): Promise<boolean> {
    const outcome = await db.$transaction(async (tx) => {
      const locked = await lock(tx, rowId);
      if (!locked || !expect.includes(locked.row.status)) return null;
      const { row, run } = locked;
      const data = {
        status: result.status,
        ...(result.output !== undefined ? { output: result.output as object } : {}),
        ...(result.input !== undefined ? { input: result.input as object } : {}),
        ...(result.error !== undefined ? { error: result.error } : {}),
        finishedAt: clock.now(),
      };
      if (run.status !== 'running') {
        await tx.processStepRun.update({ where: { id: row.id }, data });
        return { run, row: { ...row, status: result.status }, next: [] as NextRef[] };
      }
      const def = await core.definitionOf(run.definitionId);
      const next = await successors(tx, run, def, row, result.target, { id: row.id, status: result.status, output: result.output ?? null });
      await tx.processStepRun.update({ where: { id: row.id }, data: { ...data, next: next.map((n) => n.id) } });
      return { run, row: { ...row, status: result.status, output: (result.output ?? null) as never, error: result.error ?? null }, next };
    }, TX);
    if (!outcome) return false;
    await core.enqueueRefs(outcome.next, outcome.run);
    await messages.timeline(outcome.run, outcome.row);
    await messages.progress(outcome.run.id, outcome.run);
    return true;
  }

  /** Records a step's final failure: the run fails (or goes on when the step allows it). */
  async function fail(rowId: string, error: string, status: 'failed' | 'denied' = 'failed', expect: readonly string[] = OPEN): Promise<boolean> {
    const msg = maskSecrets(error, core.secretValues).slice(0, 2000);
    const outcome = await db.$transaction(async (tx) => {
      const locked = await lock(tx, rowId);
      if (!locked || !expect.includes(locked.row.status)) return null;
      const { row, run } = locked;
      const def = await core.definitionOf(run.definitionId);
      const step = def.places.get(row.stepId)?.step;
      if (step?.continueOnError && status === 'failed' && run.status === 'running') return { goOn: true as const, run, row };
      await tx.processStepRun.update({ where: { id: row.id }, data: { status, error: msg, finishedAt: clock.now() } });
      // A failed branch fails its parallel step(s) too, so `run retry` knows what to reopen.
      let parentId = row.parentId;
      while (parentId) {
        const p = await tx.processStepRun.update({ where: { id: parentId }, data: { status: 'failed', error: `${row.stepId}: ${msg}` }, select: { parentId: true } });
        parentId = p.parentId;
      }
      if (run.status === 'running') {
        await tx.processRun.update({ where: { id: run.id }, data: { status: 'failed', error: `${row.stepId}: ${msg}`, finishedAt: clock.now() } });
      }
      return { goOn: false as const, run, row: { ...row, status, error: msg } };
    }, TX);
    if (!outcome) return false;
    if (outcome.goOn) return finish(rowId, { status: 'failed', error: msg }, expect);
    await messages.timeline(outcome.run, outcome.row);
    await messages.progress(outcome.run.id, outcome.run);
    return true;
  }

  /** Creates the first row of every branch of a claimed parallel step; null when it fanned out before. */
  async function fanOut(run: RunRow, def: ActiveDefinition, rowId: string, step: Extract<StepDef, { kind: 'parallel' }>): Promise<NextRef[] | null> {
    return db.$transaction(async (tx) => {
      const locked = await lock(tx, rowId);
      if (!locked || locked.row.status !== 'running' || locked.row.next || locked.run.status !== 'running') return null;
      const refs: NextRef[] = [];
      for (const b of step.branches) refs.push(await createStepRow(tx, run.id, def.places.get(b.steps[0]!.id)!, rowId));
      await tx.processStepRun.update({ where: { id: rowId }, data: { next: refs.map((r) => r.id), joined: 0 } });
      return refs;
    }, TX);
  }

  /**
   * Records a chain in one statement (see step-chain.ts): the claimed step, the inline steps
   * after it, the next step's pending row or the run's success. It takes effect only while the
   * run is running (its row locked first, as every transition does) and the claimed step is
   * still running. A pure step needs no claim of its own (`claimed` false): it is recorded from
   * pending directly, its attempt counted here. Returns the pending step's ref, or null when nothing was recorded.
   */
  async function commitChain(run: RunRow, plan: ChainPlan, claimed = true): Promise<{ pending: NextRef | null; iterations: Map<string, number> } | null> {
    const now = clock.now().toISOString();
    const done = [plan.head, ...plan.inline];
    const nextOf = (i: number): string[] => {
      const after = done[i + 1] ?? plan.pending;
      return after ? [after.id] : [];
    };
    const rows = [
      ...plan.inline.map((c, i) => ({ id: c.id, stepId: c.stepId, kind: c.kind, status: c.status, input: c.input ?? null, output: c.output, attempts: 1, parentId: c.parentId, next: nextOf(i + 1), startedAt: now, finishedAt: now })),
      ...(plan.pending ? [{ ...plan.pending, status: 'pending', input: null, output: null, attempts: 0, next: null, startedAt: null, finishedAt: null }] : []),
    ];
    const head = plan.head;
    const [hit] = await db.$queryRaw<{ ok: number; created: { id: string; stepId: string; iteration: number }[] }[]>`
      WITH r AS (
        SELECT id FROM "ProcessRun" WHERE id = ${run.id} AND status = 'running' FOR UPDATE
      ), head AS (
        UPDATE "ProcessStepRun" s SET status = ${head.status},
          attempts = s.attempts + ${claimed ? 0 : 1}, "startedAt" = COALESCE(s."startedAt", ${now}::timestamp(3)),
          input = CASE WHEN ${head.input !== undefined}::boolean THEN NULLIF(${JSON.stringify(head.input ?? null)}::jsonb, 'null'::jsonb) ELSE s.input END,
          output = NULLIF(${JSON.stringify(head.output)}::jsonb, 'null'::jsonb), next = ${JSON.stringify(nextOf(0))}::jsonb,
          "finishedAt" = ${now}::timestamp(3), "updatedAt" = now()
        WHERE s.id = ${head.id}::uuid AND s.status = ${claimed ? 'running' : 'pending'} AND EXISTS (SELECT 1 FROM r)
        RETURNING s.id
      ), ins AS (
        INSERT INTO "ProcessStepRun" (id, "runId", "stepId", iteration, kind, status, input, output, attempts, "parentId", next, "startedAt", "finishedAt", "updatedAt")
        SELECT x.id, ${run.id}, x."stepId", (SELECT COUNT(*)::int FROM "ProcessStepRun" c WHERE c."runId" = ${run.id} AND c."stepId" = x."stepId"),
          x.kind, x.status, NULLIF(x.input, 'null'::jsonb), NULLIF(x.output, 'null'::jsonb), x.attempts, x."parentId", x.next, x."startedAt", x."finishedAt", now()
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, "stepId" text, kind text, status text, input jsonb, output jsonb, attempts int, "parentId" uuid, next jsonb, "startedAt" timestamp(3), "finishedAt" timestamp(3))
        WHERE EXISTS (SELECT 1 FROM head)
        RETURNING id::text AS id, "stepId", iteration
      ), fin AS (
        UPDATE "ProcessRun" SET status = 'succeeded', "finishedAt" = ${now}::timestamp(3), "updatedAt" = now()
        WHERE id = ${run.id} AND ${plan.runDone}::boolean AND EXISTS (SELECT 1 FROM head)
      )
      SELECT (SELECT COUNT(*)::int FROM head) AS ok, COALESCE((SELECT jsonb_agg(jsonb_build_object('id', id, 'stepId', "stepId", 'iteration', iteration)) FROM ins), '[]'::jsonb) AS created`;
    if (!hit || hit.ok === 0) return null;
    const pending = plan.pending ? (hit.created.find((c) => c.id === plan.pending!.id) ?? null) : null;
    return { pending, iterations: new Map(hit.created.map((c) => [c.id, c.iteration])) };
  }

  return { successors, finish, fail, fanOut, commitChain };
}
