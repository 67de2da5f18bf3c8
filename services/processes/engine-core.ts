/**
 * The engine's shared core: the active definitions (stored with a version, older versions read
 * back on demand), the scope templates and expressions see, and step job scheduling. The other
 * engine parts (transitions, the step runner, run control, triggers) are built on it.
 */
import { parseDocument } from 'yaml';
import type { Db } from '../db.ts';
import { isUniqueViolation } from '../db.ts';
import { toMs } from './processes.config.ts';
import { definitionSchema, indexSteps, type LoadedDefinition, type ProcessDefinition, type StepDef } from './definition.ts';
import { PROCESS_STEP_QUEUE, stepJobId, type ActiveDefinition, type EngineDeps, type NextRef, type RunRow, type StepJob, type StepRow, ProcessError } from './engine-types.ts';

/** A stored definition with the same name and hash is reused; otherwise a new version is written. */
async function storeVersion(db: Db, d: LoadedDefinition): Promise<{ id: string; version: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await db.processDefinition.findUnique({ where: { name_hash: { name: d.name, hash: d.hash } }, select: { id: true, version: true } });
    if (existing) return existing;
    const last = await db.processDefinition.findFirst({ where: { name: d.name }, orderBy: { version: 'desc' }, select: { version: true } });
    try {
      return await db.processDefinition.create({
        data: { name: d.name, version: (last?.version ?? 0) + 1, hash: d.hash, source: d.source, file: d.file },
        select: { id: true, version: true },
      });
    } catch (err) {
      // Another instance stored it (or took the version number) at the same moment: read again.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new Error(`could not store process definition ${d.name}`);
}

/** What later steps see of one step (`steps.<id>`). */
export interface StepView {
  status: string;
  output: unknown;
  error: string | null;
  attempts: number;
  iteration: number;
}

/** The `steps` view of a run and the number of rows of each step. */
export interface LoadedSteps {
  steps: Record<string, StepView>;
  counts: Record<string, number>;
}

/** The run fields a step job id and its retry options need. */
export type RunKey = Pick<RunRow, 'id' | 'generation' | 'definitionId'>;

export type EngineCore = ReturnType<typeof createCore>;

/** Builds the shared core of one engine. */
export function createCore(deps: EngineDeps) {
  const { db, queues, config } = deps;
  const active = new Map<string, ActiveDefinition>();
  const byId = new Map<string, ActiveDefinition>();
  const secretValues = Object.values(deps.secrets);

  /** Stores (versions) and activates the loaded definitions. */
  async function install(loaded: Map<string, LoadedDefinition>): Promise<void> {
    for (const d of loaded.values()) {
      const stored = await storeVersion(db, d);
      const a: ActiveDefinition = { ...d, ...stored, places: indexSteps(d.def) };
      active.set(d.name, a);
      byId.set(a.id, a);
    }
  }

  /** The definition version a run started with (older versions are read back from Postgres). */
  async function definitionOf(id: string): Promise<ActiveDefinition> {
    const cached = byId.get(id);
    if (cached) return cached;
    const row = await db.processDefinition.findUniqueOrThrow({ where: { id } });
    const def = definitionSchema.parse(parseDocument(row.source).toJS()) as ProcessDefinition;
    const a: ActiveDefinition = { name: row.name, file: row.file, source: row.source, hash: row.hash, def, requiredVars: [], varUses: {}, id: row.id, version: row.version, places: indexSteps(def) };
    byId.set(id, a);
    return a;
  }

  /** An active definition by name; refuses unknown names with the known ones listed. */
  function definition(name: string): ActiveDefinition {
    const d = active.get(name);
    if (!d) throw new ProcessError('processes.unknown', { name, known: [...active.keys()].sort().join(', ') || '-' });
    return d;
  }

  /** The vars a run reads: `processes.vars`, with its environment's values over them. */
  function vars(inputs?: Record<string, unknown>): Record<string, unknown> {
    const env = typeof inputs?.env === 'string' ? config.environments[inputs.env] : undefined;
    return { ...config.vars, ...env };
  }

  /** Whether a step's templates or expressions read `steps.…` (else its scope needs no query). */
  const readsSteps = new WeakMap<StepDef, boolean>();
  function needsSteps(step: StepDef): boolean {
    let v = readsSteps.get(step);
    if (v === undefined) {
      const own = step.kind === 'parallel' ? { when: step.when } : step;
      v = /\bsteps\s*[.[]/.test(JSON.stringify(own));
      readsSteps.set(step, v);
    }
    return v;
  }

  /**
   * What each step of a run shows later steps, from its rows (the latest iteration wins), and
   * how many rows each step has (its next iteration).
   */
  async function stepsOf(runId: number): Promise<LoadedSteps> {
    const rows = await db.processStepRun.findMany({ where: { runId }, orderBy: [{ iteration: 'asc' }, { createdAt: 'asc' }] });
    const steps: Record<string, StepView> = {};
    const counts: Record<string, number> = {};
    for (const r of rows) {
      steps[r.stepId] = { status: r.status, output: r.output, error: r.error, attempts: r.attempts, iteration: r.iteration };
      counts[r.stepId] = (counts[r.stepId] ?? 0) + 1;
    }
    return { steps, counts };
  }

  /** The scope of a run around a given `steps` view. */
  function scopeWith(run: RunRow, steps: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      inputs: run.inputs,
      steps,
      run: { id: run.id, process: run.processName, version: run.version, trigger: run.trigger, startedBy: run.startedBy ?? '' },
      vars: vars(run.inputs as Record<string, unknown>),
      ...extra,
    };
  }

  /** The scope templates and expressions of a run read; `steps` is queried only when asked for. */
  async function scopeOf(run: RunRow, extra: Record<string, unknown> = {}, withSteps = true): Promise<Record<string, unknown>> {
    return scopeWith(run, withSteps ? (await stepsOf(run.id)).steps : {}, extra);
  }

  /** Enqueues step rows known only by id (replays, retries): reads them first. */
  async function enqueue(rowIds: readonly string[]): Promise<void> {
    if (rowIds.length === 0) return;
    const rows = await db.processStepRun.findMany({ where: { id: { in: [...rowIds] } }, include: { run: { select: { id: true, generation: true, definitionId: true } } } });
    for (const r of rows) await enqueueRefs([r], r.run);
  }

  /** Enqueues step rows whose step and iteration are known (no query); `batched`: per-tick batches. */
  async function enqueueRefs(refs: readonly NextRef[], run: RunKey, batched = true): Promise<void> {
    if (refs.length === 0) return;
    const def = await definitionOf(run.definitionId);
    await Promise.all(
      refs.map((r) => {
        const step = def.places.get(r.stepId)?.step;
        const attempts = step?.retry?.attempts ?? config.defaults.attempts;
        const delay = toMs(step?.retry?.backoff ?? config.defaults.backoff);
        // Jobs enqueued by concurrent steps in the same tick leave in one round trip; a caller
        // that waits for its one job (a start) skips the wait for the tick.
        return (batched ? queues.addBatched.bind(queues) : queues.add.bind(queues))<StepJob>(
          PROCESS_STEP_QUEUE,
          { stepRunId: r.id, kind: 'run', ...(step && (step.kind === 'branch' || step.when) ? { pure: true } : {}) },
          { jobId: stepJobId(run.id, r.stepId, r.iteration, run.generation), attempts, backoff: { type: 'exponential', delay } },
        );
      }),
    );
  }

  /** Job id of a waiting step's timer. */
  function timerJobId(rowId: string, generation: number): string {
    return `pt-${rowId}-g${generation}`;
  }

  /** Arms the timer of a waiting step (approval timeout, event timeout, duration). */
  async function timer(row: Pick<StepRow, 'id'>, generation: number, delayMs: number): Promise<void> {
    await queues.add<StepJob>(PROCESS_STEP_QUEUE, { stepRunId: row.id, kind: 'timer' }, { jobId: timerJobId(row.id, generation), delay: Math.max(0, delayMs), attempts: 3 });
  }

  return { deps, secretValues, active, stepQueue: PROCESS_STEP_QUEUE, install, definitionOf, definition, vars, needsSteps, stepsOf, scopeWith, scopeOf, enqueue, enqueueRefs, timer, timerJobId };
}
