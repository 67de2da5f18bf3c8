/**
 * The step job: claims an open step of a running run (conditionally, so a duplicate delivery
 * never sets a finished step back to running), runs it, and records the outcome through the
 * transitions. A replayed job of a finished step only re-enqueues what followed it; a timer
 * job ends a wait or an approval.
 */
import { holds } from './expression.ts';
import { maskSecrets } from './template.ts';
import { executeStep, StepFailure, type StepOutcome } from './steps.ts';
import type { StepDef } from './definition.ts';
import { FINAL, type NextRef, type ActiveDefinition, type JobInfo, type RunRow, type StepJob, type StepRow } from './engine-types.ts';
import type { EngineCore } from './engine-core.ts';
import type { RunMessages } from './run-messages.ts';
import type { StepResult, Transitions } from './transitions.ts';
import type { LoadedSteps } from './engine-core.ts';
import { planChain, pureResult, type ChainPlan } from './step-chain.ts';
import { effectRunner } from './effects.ts';

const STOPPING = 'worker stopping; the step will run again elsewhere';

/** Builds the step processor of one engine. */
export function createStepRunner(core: EngineCore, messages: RunMessages, transitions: Transitions) {
  const { db, clock, config } = core.deps;
  const { finish, fail } = transitions;

  /** Processes one step job (see the module comment for the guarantees). */
  async function processStep(data: StepJob, job: JobInfo): Promise<string> {
    if (data.kind === 'run') {
      const pure = data.pure ? await tryPure(data.stepRunId) : null;
      if (pure) return pure;
      // Fast path, one round trip: claim an open step of a running run and read both rows.
      const [hit] = await db.$queryRaw<{ row: StepRow; run: RunRow }[]>`
        UPDATE "ProcessStepRun" s SET status = 'running', attempts = s.attempts + 1, "startedAt" = COALESCE(s."startedAt", now()), "updatedAt" = now()
        FROM "ProcessRun" r
        WHERE s.id = ${data.stepRunId}::uuid AND r.id = s."runId" AND r.status = 'running'
          AND s.status IN ('pending', 'running') AND NOT (s.kind = 'parallel' AND s.next IS NOT NULL)
        RETURNING to_jsonb(s) AS row, to_jsonb(r) AS run`;
      if (hit) return runClaimed(hit.row, hit.run, job);
    }
    const row = await db.processStepRun.findUnique({ where: { id: data.stepRunId }, include: { run: true } });
    if (!row) return 'gone';
    const run = row.run;
    if (run.status !== 'running') return `run ${run.status}`;
    const def = await core.definitionOf(run.definitionId);
    const step = def.places.get(row.stepId)?.step;
    if (data.kind === 'timer') return step ? onTimer(row, step) : 'unknown step';
    if (FINAL.includes(row.status) || (row.kind === 'parallel' && row.status === 'running' && row.next)) {
      // Finished before (a replay after a crash): only make sure what follows was enqueued.
      await core.enqueue((row.next as string[] | null) ?? []);
      return 'replayed';
    }
    return row.status === 'waiting' ? 'waiting' : 'claimed elsewhere';
  }

  /**
   * A pure step (a branch, or a step whose `when` is false) is evaluated from a plain read and
   * recorded with the chain after it in one statement, with no claim of its own: evaluating it
   * again after a crash changes nothing. Null: not pure after all, or not open; claim it.
   */
  async function tryPure(stepRunId: string): Promise<string | null> {
    const [hit] = await db.$queryRaw<{ row: StepRow; run: RunRow }[]>`
      SELECT to_jsonb(s) AS row, to_jsonb(r) AS run FROM "ProcessStepRun" s JOIN "ProcessRun" r ON r.id = s."runId"
      WHERE s.id = ${stepRunId}::uuid AND r.status = 'running' AND s.status = 'pending'`;
    if (!hit) return null;
    const { row, run } = hit;
    const def = await core.definitionOf(run.definitionId);
    const step = def.places.get(row.stepId)?.step;
    if (!step) return null;
    const loaded = core.needsSteps(step) ? await core.stepsOf(run.id) : null;
    const head = { ...row, attempts: row.attempts + 1 };
    const result = pureResult(step, core.scopeWith(run, loaded?.steps ?? {}));
    if (!result) return null;
    const plan = await planChain(core, def, run, head, result, loaded);
    if (!plan) return null;
    const committed = await transitions.commitChain(run, plan, false);
    if (!committed) return (await finish(row.id, result)) ? 'done' : 'closed';
    await announce(run, head, plan, committed);
    return result.status === 'skipped' ? 'skipped' : 'done';
  }

  /**
   * Runs a step this worker has claimed (status running, attempts counted). Rows arrive as JSON
   * from the claim: timestamps are strings, and nothing here reads them.
   */
  async function runClaimed(row: StepRow, run: RunRow, job: JobInfo): Promise<string> {
    const def = await core.definitionOf(run.definitionId);
    const place = def.places.get(row.stepId);
    if (!place) {
      await fail(row.id, `step ${row.stepId} is not in version ${def.version} of ${def.name}`);
      return 'unknown step';
    }
    const step = place.step;
    const loaded = core.needsSteps(step) ? await core.stepsOf(run.id) : null;
    const scope = core.scopeWith(run, loaded?.steps ?? {});
    if (step.when && !holds(step.when, scope)) {
      await advance(run, def, row, { status: 'skipped', output: null }, loaded);
      return 'skipped';
    }
    if (row.attempts === 1) await messages.progress(run.id, run);
    let outcome: StepOutcome;
    try {
      outcome = await execute(step, scope, row, run, def);
    } catch (err) {
      // A stopping worker's result is not trusted: another worker re-runs the step.
      if (core.deps.isStopping()) throw new Error(STOPPING);
      const message = maskSecrets(err instanceof Error ? err.message : String(err), core.secretValues);
      const permanent = err instanceof StepFailure ? err.permanent : false;
      const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!last) {
        await db.processStepRun.update({ where: { id: row.id }, data: { error: message } });
        throw new Error(message);
      }
      await fail(row.id, message);
      return 'failed';
    }
    if (core.deps.isStopping()) throw new Error(STOPPING);
    return record(outcome, row, run, def, step, loaded);
  }

  /** Runs a step's executor with what it may use (chat, ports, secrets). */
  function execute(step: StepDef, scope: unknown, row: StepRow, run: RunRow, def: ActiveDefinition): Promise<StepOutcome> {
    return executeStep(step, scope, {
      config,
      secrets: core.deps.secrets,
      ports: core.deps.ports,
      runId: run.id,
      stepRunId: row.id,
      effect: effectRunner(db, { runId: run.id, stepRunId: row.id, stepId: row.stepId, iteration: row.iteration, generation: run.generation }, core.deps.isStopping),
      ...(core.deps.fetch ? { fetch: core.deps.fetch } : {}),
      say: (target, text, title, effect) => messages.say(run, def, target, { text, ...(title ? { title } : {}) }, effect),
      askApproval: (target, text, roles, stepRunId, effect) => messages.askApproval(run, def, target, text, roles, stepRunId, effect),
    });
  }

  /** Records what a claimed step's executor returned. */
  async function record(outcome: StepOutcome, row: StepRow, run: RunRow, def: ActiveDefinition, step: StepDef, loaded: LoadedSteps | null): Promise<string> {
    switch (outcome.type) {
      case 'done':
        await advance(run, def, row, { status: 'succeeded', output: outcome.output ?? null, ...(outcome.input !== undefined ? { input: outcome.input } : {}) }, loaded);
        return 'done';
      case 'goto':
        await advance(run, def, row, { status: 'succeeded', output: outcome.output, target: outcome.target, ...(outcome.input !== undefined ? { input: outcome.input } : {}) }, loaded);
        return 'done';
      case 'wait': {
        const until = outcome.waitMs !== undefined ? new Date(clock.now().getTime() + outcome.waitMs) : null;
        await db.processStepRun.update({
          where: { id: row.id },
          data: { status: 'waiting', input: (outcome.input ?? null) as object, waitUntil: until, waitEvent: outcome.waitEvent ?? null },
        });
        if (outcome.waitMs !== undefined) await core.timer(row, run.generation, outcome.waitMs);
        await messages.progress(run.id, run);
        return 'waiting';
      }
      case 'fanout': {
        const next = await transitions.fanOut(run, def, row.id, step as Extract<StepDef, { kind: 'parallel' }>);
        if (next) await core.enqueueRefs(next, run);
        else await core.enqueue(((await db.processStepRun.findUnique({ where: { id: row.id } }))?.next as string[] | null) ?? []);
        return 'fanned out';
      }
    }
  }

  /**
   * Records a claimed step's success (or skip) with the pure steps after it (step-chain.ts) in
   * one statement, then enqueues the next step and tells the chat. The end of a parallel
   * branch, and a run that stopped meanwhile, take the transactional path.
   */
  async function advance(run: RunRow, def: ActiveDefinition, row: StepRow, result: StepResult & { status: 'succeeded' | 'skipped' }, loaded: LoadedSteps | null): Promise<void> {
    const plan = await planChain(core, def, run, row, result, loaded);
    const committed = plan ? await transitions.commitChain(run, plan) : null;
    if (!plan || !committed) {
      await finish(row.id, result);
      return;
    }
    await announce(run, row, plan, committed);
  }

  /** After a chain is recorded: enqueues the next step, posts timeline lines and the progress. */
  async function announce(run: RunRow, row: StepRow, plan: ChainPlan, committed: { pending: NextRef | null; iterations: Map<string, number> }): Promise<void> {
    if (committed.pending) await core.enqueueRefs([committed.pending], run);
    if (!(await messages.hasChat(run))) return;
    for (const c of [plan.head, ...plan.inline]) {
      const attempts = c === plan.head ? row.attempts : 1;
      await messages.timeline(run, { stepId: c.stepId, iteration: c === plan.head ? row.iteration : (committed.iterations.get(c.id) ?? 0), status: c.status, attempts, error: null, output: c.output as never });
    }
    await messages.progress(run.id, run);
  }

  /** A timer fired: an approval or an event wait timed out, or a duration wait is over. */
  async function onTimer(row: StepRow, step: StepDef): Promise<string> {
    if (row.status !== 'waiting') return 'not waiting';
    if (step.kind === 'approval') {
      if (step.onTimeout === 'fail') {
        await fail(row.id, 'approval timed out', 'failed', ['waiting']);
        return 'timed out';
      }
      const approved = step.onTimeout === 'approve';
      await finish(row.id, { status: 'succeeded', output: { approved, timedOut: true, by: null } }, ['waiting']);
      return 'timed out';
    }
    if (step.kind === 'wait') {
      await finish(row.id, { status: 'succeeded', output: step.event ? { timedOut: true, event: null } : { waitedMs: (row.input as { durationMs?: number } | null)?.durationMs ?? null } }, ['waiting']);
      return 'woke';
    }
    return 'ignored';
  }

  return { processStep };
}
