/**
 * Inline steps. After a claimed step finishes, the steps that follow it in its sequence and
 * are pure (a branch, or any step whose `when` is false: no outside effect, no wait) are
 * evaluated in the same job instead of one job each. The chain is recorded in one statement
 * together with what ends it (the next step's pending row, or the run's success), so each step
 * still has its own row and a crash before the commit leaves the claimed step open: the job
 * is delivered again and the pure steps are simply evaluated again. Nothing is recorded twice.
 */
import { randomUUID } from 'node:crypto';
import { holds } from './expression.ts';
import { branchOutcome } from './steps.ts';
import type { StepDef } from './definition.ts';
import type { ActiveDefinition, RunRow, StepRow } from './engine-types.ts';
import type { EngineCore, LoadedSteps, StepView } from './engine-core.ts';
import type { StepResult } from './transitions.ts';

/** Pure steps evaluated in one job at most (a loop of branches still yields to other jobs). */
const MAX_INLINE = 25;

/** A finished step of a chain, as it is recorded. */
export interface ChainStep {
  id: string;
  stepId: string;
  kind: string;
  parentId: string | null;
  status: 'succeeded' | 'skipped';
  input?: unknown;
  output: unknown;
}

/** What one job records: the claimed step, the inline steps after it, and what ends the chain. */
export interface ChainPlan {
  head: ChainStep;
  inline: ChainStep[];
  /** The step to run next in its own job (absent: the chain ends the run). */
  pending: { id: string; stepId: string; kind: string; parentId: string | null } | null;
  runDone: boolean;
}

/** The outcome of a pure step, or null when it is not pure (or cannot be evaluated here). */
export function pureResult(step: StepDef, scope: unknown): { status: 'succeeded' | 'skipped'; input?: unknown; output: unknown; target?: string } | null {
  try {
    if (step.when && !holds(step.when, scope)) return { status: 'skipped', output: null };
    if (step.kind !== 'branch') return null;
    const o = branchOutcome(step, scope);
    if (o.type === 'goto') return { status: 'succeeded', output: o.output, target: o.target, ...(o.input !== undefined ? { input: o.input } : {}) };
    if (o.type === 'done') return { status: 'succeeded', output: o.output };
    return null;
  } catch {
    // An expression that fails here fails the same way in the step's own job, which records it.
    return null;
  }
}

/**
 * Plans the chain after a claimed step finished with `result`. `loaded` is the `steps` view the
 * claimed step read, if it read one. Returns null when the chain would end a parallel branch
 * right away (the join takes the transactional path).
 */
export async function planChain(
  core: EngineCore,
  def: ActiveDefinition,
  run: RunRow,
  row: StepRow,
  result: StepResult & { status: 'succeeded' | 'skipped' },
  loaded: LoadedSteps | null,
): Promise<ChainPlan | null> {
  const head: ChainStep = { id: row.id, stepId: row.stepId, kind: row.kind, parentId: row.parentId, status: result.status, output: result.output ?? null, ...(result.input !== undefined ? { input: result.input } : {}) };
  const inline: ChainStep[] = [];
  const seen = new Set([row.stepId]);
  let view = loaded;
  // What later steps see of the chain so far (the claimed step keeps its own row's counters).
  const stepsView = (): Record<string, StepView> => {
    const out: Record<string, StepView> = { ...view!.steps };
    out[head.stepId] = { status: head.status, output: head.output, error: row.error, attempts: row.attempts, iteration: row.iteration };
    for (const c of inline) out[c.stepId] = { status: c.status, output: c.output, error: null, attempts: 1, iteration: view!.counts[c.stepId] ?? 0 };
    return out;
  };
  let last = head;
  let target = result.target;
  for (;;) {
    const place = def.places.get(last.stepId)!;
    const nextId = target !== undefined ? target : place.sequence[place.index + 1];
    if (!nextId || nextId === 'end') {
      if (!last.parentId) return { head, inline, pending: null, runDone: true };
      // The end of a branch joins its parallel step under a lock: that step goes its own way.
      const back = inline.pop();
      return back ? { head, inline, pending: { id: back.id, stepId: back.stepId, kind: back.kind, parentId: back.parentId }, runDone: false } : null;
    }
    const step = def.places.get(nextId)!.step;
    const pending = { id: randomUUID(), stepId: step.id, kind: step.kind, parentId: last.parentId };
    // A step seen in this chain is a loop: its next iteration runs in its own job.
    if (inline.length >= MAX_INLINE || seen.has(step.id) || (!step.when && step.kind !== 'branch')) return { head, inline, pending, runDone: false };
    if (core.needsSteps(step) && !view) view = await core.stepsOf(run.id);
    const r = pureResult(step, core.scopeWith(run, view ? stepsView() : {}));
    if (!r) return { head, inline, pending, runDone: false };
    const done: ChainStep = { ...pending, status: r.status, output: r.output, ...(r.input !== undefined ? { input: r.input } : {}) };
    inline.push(done);
    seen.add(step.id);
    last = done;
    target = r.target;
  }
}
