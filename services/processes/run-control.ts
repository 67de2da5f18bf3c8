/**
 * Operations on runs: start (validated inputs, the run and its first step written together),
 * the dry-run plan, cancel, retry of a failed run, approval decisions, and the run queries.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.ts';
import { validateInputs, type InputProblem, type StepDef } from './definition.ts';
import { maskSecrets, splitPath } from './template.ts';
import { getPath } from './expression.ts';
import { planOf } from './steps.ts';
import { ProcessError, TX, type ActiveDefinition, type RunRow, type StartRequest, type StepRow } from './engine-types.ts';
import type { EngineCore } from './engine-core.ts';
import type { RunMessages } from './run-messages.ts';
import { lockRun, type Transitions } from './transitions.ts';
import type { Recovery } from './recovery.ts';

/** One step of a dry-run plan. */
export interface PlanStep {
  id: string;
  kind: string;
  depth: number;
  detail: string;
  when?: string;
}

/** How long a press waits for its approval step to finish posting the request. */
const SETTLE_WAIT_MS = 10_000;

function inputError(p: InputProblem): ProcessError {
  return new ProcessError('processes.badInput', { field: p.field, reason: p.reason }, p.field);
}

/**
 * Step rows ordered by creation. Rows written by one statement (a chain of inline steps) share
 * a timestamp; among those, a row comes after the row whose `next` names it.
 */
export function inCreationOrder<T extends { id: string; createdAt: Date; next: unknown }>(rows: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && rows[j]!.createdAt.getTime() === rows[i]!.createdAt.getTime()) j++;
    const group = rows.slice(i, j);
    const named = new Set(group.flatMap((r) => (Array.isArray(r.next) ? (r.next as string[]) : [])));
    const byId = new Map(group.map((r) => [r.id, r]));
    const placed = new Set<string>();
    const follow = (r: T | undefined) => {
      while (r && !placed.has(r.id)) {
        placed.add(r.id);
        out.push(r);
        const next = Array.isArray(r.next) ? (r.next as string[]) : [];
        r = next.length === 1 ? byId.get(next[0]!) : undefined;
      }
    };
    for (const r of group) if (!named.has(r.id)) follow(r);
    for (const r of group) follow(r);
    i = j;
  }
  return out;
}

/** Builds the run operations of one engine. */
export function createRunControl(core: EngineCore, messages: RunMessages, transitions: Transitions, recovery: Recovery) {
  const { db, clock, config } = core.deps;

  /**
   * Starts a run: validates inputs, writes the run and its first step in one statement, then
   * enqueues it. A repeated trigger key returns the run it started before, and enqueues its
   * open steps again: the first start may have died between its commit and its enqueue.
   */
  async function start(req: StartRequest): Promise<{ run: RunRow; created: boolean }> {
    const def = core.definition(req.process);
    const checked = validateInputs(def.def, req.inputs);
    if (!checked.ok) throw inputError(checked.problem);
    checkEnvironment(checked.values);
    const missing = missingVars(def, checked.values);
    if (missing.length) throw new ProcessError('processes.varsMissing', { process: def.name, vars: missing.map((v) => `processes.vars.${v}`).join(', ') });
    const first = def.def.steps[0]!;
    const firstId = randomUUID();
    // One statement writes the run and its first step; a repeated trigger key writes nothing.
    const [run] = await db.$queryRaw<RunRow[]>`
      WITH r AS (
        INSERT INTO "ProcessRun" ("definitionId", "processName", version, inputs, trigger, "triggerKey", "startedBy", "startedById", ref, locale, "updatedAt")
        VALUES (${def.id}::uuid, ${def.name}, ${def.version}, ${JSON.stringify(checked.values)}::jsonb, ${req.trigger}, ${req.triggerKey ?? null},
          ${req.startedBy ?? null}, ${req.startedById ?? null}::uuid, ${req.ref ? JSON.stringify(req.ref) : null}::jsonb,
          ${req.locale ?? config.defaults.locale ?? core.deps.defaultLocale}, now())
        ON CONFLICT ("triggerKey") DO NOTHING
        RETURNING *
      ), s AS (
        INSERT INTO "ProcessStepRun" (id, "runId", "stepId", iteration, kind, "updatedAt")
        SELECT ${firstId}::uuid, r.id, ${first.id}, 0, ${first.kind}, now() FROM r
      )
      SELECT * FROM r`;
    if (!run) {
      const before = await db.processRun.findUniqueOrThrow({ where: { triggerKey: req.triggerKey! } });
      await recovery.reopen(before);
      return { run: before, created: false };
    }
    const created = { run, first: { id: firstId, stepId: first.id, iteration: 0 } };
    await messages.progress(created.run.id, created.run);
    await core.enqueueRefs([created.first], created.run, false);
    return { run: created.run, created: true };
  }

  /**
   * The unset vars a run with these inputs would read: a var used only behind an earlier
   * alternative that is given (`{{ inputs.url ?? vars.appUrl }}` with url=...) is not read.
   */
  function missingVars(def: ActiveDefinition, inputs: Record<string, unknown>): string[] {
    const vars = core.vars(inputs);
    const known = { inputs, vars };
    const given = (alt: string) => {
      if (alt === '') return true;
      const v = getPath(known, splitPath(alt));
      return v !== undefined && v !== null && v !== '';
    };
    const unset = (v: string) => vars[v] === undefined || vars[v] === '';
    return def.requiredVars.filter((v) => unset(v) && (def.varUses[v] ?? [[]]).some((earlier) => !earlier.some(given)));
  }

  /** An `env` input must name a configured environment (else the run would read the wrong values). */
  function checkEnvironment(inputs: Record<string, unknown>): void {
    const env = inputs.env;
    if (typeof env !== 'string' || config.environments[env]) return;
    throw new ProcessError('processes.envUnknown', { env, known: Object.keys(config.environments).sort().join(', ') || '-' });
  }

  /** The plan of a run without performing anything (`--dry-run`). */
  function plan(name: string, inputs: Record<string, unknown>): { process: string; version: number; inputs: Record<string, unknown>; steps: PlanStep[] } {
    const def = core.definition(name);
    const checked = validateInputs(def.def, inputs);
    if (!checked.ok) throw inputError(checked.problem);
    checkEnvironment(checked.values);
    const scope = { inputs: checked.values, steps: {}, run: { id: 0, process: name }, vars: core.vars(checked.values) };
    const steps: PlanStep[] = [];
    const walk = (list: StepDef[], depth: number) => {
      for (const s of list) {
        steps.push({ id: s.id, kind: s.kind, depth, detail: maskSecrets(planOf(s, scope), core.secretValues), ...(s.when ? { when: s.when } : {}) });
        if (s.kind === 'parallel') s.branches.forEach((b) => walk(b.steps, depth + 1));
      }
    };
    walk(def.def.steps, 0);
    return { process: name, version: def.version, inputs: checked.values, steps };
  }

  /** Cancels a running run: open steps are closed, in-flight ones find the run cancelled. */
  async function cancel(runId: number, by: string): Promise<RunRow> {
    const run = await db.$transaction(async (tx) => {
      const r = await lockRun(tx, runId);
      if (r.status !== 'running') throw new ProcessError('processes.notRunning', { id: runId, status: r.status });
      await tx.processStepRun.updateMany({ where: { runId, status: { in: ['pending', 'running', 'waiting'] } }, data: { status: 'cancelled', finishedAt: clock.now() } });
      return tx.processRun.update({ where: { id: runId }, data: { status: 'cancelled', error: `cancelled by ${by}`, finishedAt: clock.now() } });
    }, TX);
    await messages.progress(runId);
    return run;
  }

  /** The latest failure of each step that failed (a loop may have failed before); parallel steps excluded. */
  function failedLeaves(rows: StepRow[]): StepRow[] {
    const failed = rows.filter((f) => (f.status === 'failed' || f.status === 'denied') && f.kind !== 'parallel');
    return failed.filter((f) => !failed.some((o) => o.stepId === f.stepId && o.iteration > f.iteration));
  }

  /**
   * Re-opens a failed run at its failed step(s) with a new generation of job ids. What the
   * failure left half-way is picked up too: steps that finished while the run stood failed are
   * advanced, pending steps re-enqueued, and waiting steps get their timers again.
   */
  async function retry(runId: number): Promise<RunRow> {
    const out = await db.$transaction(async (tx) => {
      const r = await lockRun(tx, runId);
      if (r.status !== 'failed') throw new ProcessError('processes.notFailed', { id: runId, status: r.status });
      const rows = await tx.processStepRun.findMany({ where: { runId } });
      const leaves = failedLeaves(rows);
      if (leaves.length === 0) throw new ProcessError('processes.nothingToRetry', { id: runId });
      for (const l of leaves) {
        await tx.processStepRun.update({ where: { id: l.id }, data: { status: 'pending', error: null, output: Prisma.DbNull, finishedAt: null, next: Prisma.DbNull } });
        let parentId = l.parentId;
        while (parentId) {
          const p = await tx.processStepRun.update({ where: { id: parentId }, data: { status: 'running', error: null }, select: { parentId: true } });
          parentId = p.parentId;
        }
      }
      const run = await tx.processRun.update({ where: { id: runId }, data: { status: 'running', error: null, finishedAt: null, generation: { increment: 1 } } });
      const def = await core.definitionOf(run.definitionId);
      const ids = new Set(leaves.map((l) => l.id));
      for (const row of rows) {
        if (row.status === 'pending') ids.add(row.id);
        // Finished while the run stood failed (a parallel branch): it never advanced.
        if ((row.status === 'succeeded' || row.status === 'skipped') && row.kind !== 'parallel' && row.next === null) {
          const target = row.kind === 'branch' ? ((row.output as { target?: string | null } | null)?.target ?? undefined) : undefined;
          const next = await transitions.successors(tx, run, def, row, target);
          await tx.processStepRun.update({ where: { id: row.id }, data: { next: next.map((n) => n.id) } });
          for (const n of next) ids.add(n.id);
        }
      }
      const waiting = rows.filter((w) => w.status === 'waiting' && w.waitUntil);
      return { run, ids: [...ids], waiting };
    }, TX);
    await messages.progress(runId);
    await core.enqueue(out.ids);
    for (const w of out.waiting) await core.timer(w, out.run.generation, w.waitUntil!.getTime() - clock.now().getTime());
    return out.run;
  }

  /**
   * The approval's step row once its step has finished posting the request. The request is
   * queued while the step still runs and is marked waiting just after; a press that arrives in
   * between (a fast click, a busy database) waits for that instead of finding the request closed.
   */
  async function settledApproval(stepRunId: string) {
    const until = Date.now() + SETTLE_WAIT_MS;
    for (;;) {
      const row = await db.processStepRun.findUnique({ where: { id: stepRunId }, include: { run: true } });
      if (!row || row.status !== 'running' || row.run.status !== 'running' || Date.now() >= until) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** An approval decision from a button. Checks the approver's role against the step. */
  async function decide(stepRunId: string, approve: boolean, who: { name: string; role: string }): Promise<'approved' | 'denied' | 'closed'> {
    const row = await settledApproval(stepRunId);
    if (!row || row.kind !== 'approval') throw new ProcessError('processes.approval.unknown');
    if (row.status !== 'waiting' || row.run.status !== 'running') return 'closed';
    const def = await core.definitionOf(row.run.definitionId);
    const step = def.places.get(row.stepId)?.step;
    if (!step || step.kind !== 'approval') throw new ProcessError('processes.approval.unknown');
    if (!(step.roles as readonly string[]).includes(who.role)) throw new ProcessError('processes.approval.role', { roles: step.roles.join(', '), role: who.role });
    const ok = approve
      ? await transitions.finish(row.id, { status: 'succeeded', output: { approved: true, timedOut: false, by: who.name } }, ['waiting'])
      : await transitions.fail(row.id, `denied by ${who.name}`, 'denied', ['waiting']);
    if (!ok) return 'closed';
    return approve ? 'approved' : 'denied';
  }

  /** A run with its steps in creation order (for `run <id>` and the API). */
  async function get(runId: number) {
    const run = await db.processRun.findUnique({ where: { id: runId }, include: { steps: { orderBy: [{ createdAt: 'asc' }] } } });
    return run ? { ...run, steps: inCreationOrder(run.steps) } : null;
  }

  /** The latest runs, of one process or of all. */
  async function recent(process?: string, limit = 10) {
    return db.processRun.findMany({ where: process ? { processName: process } : {}, orderBy: { id: 'desc' }, take: limit });
  }

  return { start, plan, cancel, retry, decide, get, recent };
}
