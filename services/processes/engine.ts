/**
 * The process engine. A run and each of its step executions live in Postgres; every step is a
 * BullMQ job whose id is fixed by (run, step, iteration, generation), so a redelivered or
 * resumed job finds its row and never runs a finished step again. A step's completion and the
 * creation of what follows it happen in one transaction under a row lock; the follow-up jobs
 * are recorded on the finished row and re-enqueued idempotently when a job is replayed.
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import { isUniqueViolation } from '../db.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Queues } from '../queues.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import type { ConversationRef, Reply } from '../messaging/types.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import { parseDocument } from 'yaml';
import { definitionSchema, indexSteps, validateInputs, type InputProblem, type LoadedDefinition, type ProcessDefinition, type StepDef, type StepPlace } from './definition.ts';
import type { ProcessesConfig } from './processes.config.ts';
import { toMs } from './processes.config.ts';
import { holds } from './expression.ts';
import { render, renderText, maskSecrets } from './template.ts';
import { executeStep, planOf, StepFailure, type ChatTarget } from './steps.ts';
import type { ProcessPorts } from './ports.ts';
import { PROCESS_EVENT_QUEUE, processEventJobSchema, type ProcessEventJob } from './events.ts';
import { renderProgress, renderTimelineLine, progressKey, PROCESS_ACTIONS } from './render.ts';

export const PROCESS_STEP_QUEUE = 'processes-steps';
export const PROCESS_TRIGGER_QUEUE = 'processes-triggers';

export const stepJobSchema = z.object({ stepRunId: z.string().uuid(), kind: z.enum(['run', 'timer']).default('run') });
export type StepJob = z.infer<typeof stepJobSchema>;
export const triggerJobSchema = z.object({ process: z.string().min(1), schedule: z.number().int().nonnegative() });
export type TriggerJob = z.infer<typeof triggerJobSchema>;

type RunRow = Prisma.ProcessRunGetPayload<object>;
type StepRow = Prisma.ProcessStepRunGetPayload<object>;
type Tx = Prisma.TransactionClient;

const FINAL = ['succeeded', 'failed', 'denied', 'cancelled', 'skipped'];

/** Interactive transaction limits: a busy pool should make a step wait, not fail it. */
const TX = { maxWait: 15_000, timeout: 20_000 } as const;

/** A step row just created, with what its job id needs. */
interface NextRef {
  id: string;
  stepId: string;
  iteration: number;
}

/** Thrown for requests the engine refuses (unknown process, bad input, wrong state, role). */
export class ProcessError extends Error {
  constructor(
    /** i18n key, also the stable code. */
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(key);
    this.name = 'ProcessError';
  }
}

/** A definition as stored (with its version) and indexed. */
export interface ActiveDefinition extends LoadedDefinition {
  id: string;
  version: number;
  places: Map<string, StepPlace>;
}

export interface EngineDeps {
  db: Db;
  queues: Queues;
  outbound: OutboundPort;
  clock: Clock;
  logger: Logger;
  config: ProcessesConfig;
  defaultLocale: Locale;
  /** Secret values by env name (only allow-listed names). */
  secrets: Readonly<Record<string, string>>;
  ports: ProcessPorts;
  /** True once this process is shutting down: a step result is then discarded, not recorded. */
  isStopping(): boolean;
  fetch?: typeof fetch;
}

/** Who or what starts a run. */
export interface StartRequest {
  process: string;
  inputs: Record<string, unknown>;
  trigger: 'chat' | 'api' | 'schedule' | 'event';
  triggerKey?: string | undefined;
  startedBy?: string | undefined;
  startedById?: string | undefined;
  ref?: ConversationRef | undefined;
  locale?: Locale | undefined;
}

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

/** Parses a destination `platform:chat[/thread]`. */
export function parseDestination(s: string): ConversationRef | null {
  const m = /^(slack|telegram|terminal):([^\s/]+)(?:\/([^\s/]+))?$/.exec(s.trim());
  if (!m) return null;
  return { platform: m[1] as ConversationRef['platform'], chatId: m[2]!, ...(m[3] ? { threadId: m[3] } : {}) };
}

function refOf(v: unknown): ConversationRef | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if ((r.platform !== 'slack' && r.platform !== 'telegram' && r.platform !== 'terminal') || typeof r.chatId !== 'string') return null;
  return { platform: r.platform, chatId: r.chatId, ...(typeof r.threadId === 'string' && r.threadId ? { threadId: r.threadId } : {}) };
}

/** Job id of a step execution: deterministic, so a duplicate enqueue is ignored. */
export function stepJobId(runId: number, stepId: string, iteration: number, generation: number): string {
  return `ps-${runId}-${stepId}-${iteration}-g${generation}`;
}

export type Engine = ReturnType<typeof createEngine>;

export function createEngine(deps: EngineDeps) {
  const { db, queues, clock, logger, config } = deps;
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
    const a: ActiveDefinition = { name: row.name, file: row.file, source: row.source, hash: row.hash, def, requiredVars: [], id: row.id, version: row.version, places: indexSteps(def) };
    byId.set(id, a);
    return a;
  }

  function vars(): Record<string, unknown> {
    return { ...config.vars };
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

  async function scopeOf(run: RunRow, extra: Record<string, unknown> = {}, withSteps = true): Promise<Record<string, unknown>> {
    const rows = withSteps ? await db.processStepRun.findMany({ where: { runId: run.id }, orderBy: [{ iteration: 'asc' }, { createdAt: 'asc' }] }) : [];
    const steps: Record<string, unknown> = {};
    // The latest iteration of a step is what later steps see.
    for (const r of rows) steps[r.stepId] = { status: r.status, output: r.output, error: r.error, attempts: r.attempts, iteration: r.iteration };
    return {
      inputs: run.inputs,
      steps,
      run: { id: run.id, process: run.processName, version: run.version, trigger: run.trigger, startedBy: run.startedBy ?? '' },
      vars: vars(),
      ...extra,
    };
  }

  function runRef(run: RunRow, def: ActiveDefinition): ConversationRef | null {
    const fromRun = refOf(run.ref);
    if (fromRun) return fromRun;
    const dest = def.def.notify ? renderText(def.def.notify, { vars: vars() }) : config.defaults.notify;
    return dest ? parseDestination(dest) : null;
  }

  function localeOf(run: RunRow): Locale {
    return run.locale === 'ru' ? 'ru' : 'en';
  }

  // ---- messages ----

  /** Renders and sends (edits) the progress message. `known` spares a query when the run has no chat. */
  async function progress(runId: number, known?: RunRow): Promise<void> {
    try {
      if (known && !runRef(known, await definitionOf(known.definitionId))) return;
      const run = await db.processRun.findUnique({ where: { id: runId } });
      if (!run) return;
      const def = await definitionOf(run.definitionId);
      const ref = runRef(run, def);
      if (!ref) return;
      const rows = await db.processStepRun.findMany({ where: { runId }, orderBy: [{ createdAt: 'asc' }] });
      const reply = renderProgress(translator(localeOf(run)), run, def.def, rows);
      await deps.outbound.send({ ref, reply, messageKey: progressKey(runId) });
    } catch (err) {
      logger.warn({ err: (err as Error).message, runId }, 'process progress message failed');
    }
  }

  async function timeline(run: RunRow, row: StepRow): Promise<void> {
    try {
      const def = await definitionOf(run.definitionId);
      const ref = runRef(run, def);
      if (!ref) return;
      const label = def.places.get(row.stepId)?.step.name ?? row.stepId;
      const text = renderTimelineLine(translator(localeOf(run)), label, row);
      await deps.outbound.send({ ref, reply: { text }, threadUnderKey: progressKey(run.id) });
    } catch (err) {
      logger.warn({ err: (err as Error).message, runId: run.id }, 'process timeline message failed');
    }
  }

  async function say(run: RunRow, def: ActiveDefinition, target: ChatTarget, reply: Reply): Promise<string> {
    if (target.destination) {
      const ref = parseDestination(target.destination);
      if (!ref) throw new StepFailure(`"${target.destination}" is not a destination such as slack:C0123 or telegram:-100123`, true);
      await deps.outbound.send({ ref, reply });
      return target.destination;
    }
    const ref = runRef(run, def);
    if (!ref) {
      // Buttons nobody can see would leave the run waiting for ever; plain text is kept in the step output.
      if (reply.buttons?.length) throw new StepFailure('this run has no chat to ask in: set `to:` on the step or `notify:` on the process', true);
      return 'none';
    }
    await deps.outbound.send({ ref, reply, threadUnderKey: progressKey(run.id) });
    return 'thread';
  }

  // ---- scheduling ----

  /** Enqueues step rows known only by id (replays, retries): reads them first. */
  async function enqueue(rowIds: readonly string[]): Promise<void> {
    if (rowIds.length === 0) return;
    const rows = await db.processStepRun.findMany({ where: { id: { in: [...rowIds] } }, include: { run: { select: { id: true, generation: true, definitionId: true } } } });
    for (const r of rows) await enqueueRefs([r], r.run);
  }

  /** Enqueues step rows whose step and iteration are known (no query). */
  async function enqueueRefs(refs: readonly NextRef[], run: { id: number; generation: number; definitionId: string }): Promise<void> {
    if (refs.length === 0) return;
    const def = await definitionOf(run.definitionId);
    for (const r of refs) {
      const step = def.places.get(r.stepId)?.step;
      const attempts = step?.retry?.attempts ?? config.defaults.attempts;
      const delay = toMs(step?.retry?.backoff ?? config.defaults.backoff);
      await queues.add<StepJob>(
        PROCESS_STEP_QUEUE,
        { stepRunId: r.id, kind: 'run' },
        { jobId: stepJobId(run.id, r.stepId, r.iteration, run.generation), attempts, backoff: { type: 'exponential', delay } },
      );
    }
  }

  async function timer(row: StepRow, generation: number, delayMs: number): Promise<void> {
    await queues.add<StepJob>(PROCESS_STEP_QUEUE, { stepRunId: row.id, kind: 'timer' }, { jobId: `pt-${row.id}-g${generation}`, delay: Math.max(0, delayMs), attempts: 3 });
  }

  /** Creates the row of a step about to run (its next iteration when it ran before). */
  async function createStepRow(tx: Tx, runId: number, place: StepPlace, parentId: string | null): Promise<NextRef> {
    // One round trip: the iteration is the number of earlier executions of the step.
    const [row] = await tx.$queryRaw<{ id: string; iteration: number }[]>`
      INSERT INTO "ProcessStepRun" (id, "runId", "stepId", iteration, kind, "parentId", "updatedAt")
      SELECT gen_random_uuid(), ${runId}, ${place.step.id}, COUNT(*)::int, ${place.step.kind}, ${parentId}::uuid, now()
      FROM "ProcessStepRun" WHERE "runId" = ${runId} AND "stepId" = ${place.step.id}
      RETURNING id::text AS id, iteration`;
    return { id: row!.id, stepId: place.step.id, iteration: row!.iteration };
  }

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
    // End of a parallel branch: the last branch to arrive finishes the parallel step.
    const [parent] = await tx.$queryRaw<StepRow[]>`SELECT * FROM "ProcessStepRun" WHERE id = ${row.parentId}::uuid FOR UPDATE`;
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
   * Locks a step row and its run in one round trip. Rows come back as JSON: timestamps are
   * strings here, and nothing on the paths that lock reads them.
   */
  async function lock(tx: Tx, rowId: string): Promise<{ row: StepRow; run: RunRow } | null> {
    const [hit] = await tx.$queryRaw<{ row: StepRow; run: RunRow }[]>`
      SELECT to_jsonb(s) AS row, to_jsonb(r) AS run FROM "ProcessStepRun" s JOIN "ProcessRun" r ON r.id = s."runId"
      WHERE s.id = ${rowId}::uuid FOR UPDATE`;
    return hit ?? null;
  }

  /**
   * Records a step as finished and schedules what follows, atomically; only a step that is
   * still open (pending, running, waiting) can finish, so a duplicate completion does nothing.
   */
  async function finish(
    rowId: string,
    result: { status: 'succeeded' | 'skipped' | 'failed'; output?: unknown; input?: unknown; error?: string; target?: string },
    expect: readonly string[] = ['pending', 'running', 'waiting'],
  ): Promise<boolean> {
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
      const def = await definitionOf(run.definitionId);
      const next = await successors(tx, run, def, row, result.target, { id: row.id, status: result.status, output: result.output ?? null });
      await tx.processStepRun.update({ where: { id: row.id }, data: { ...data, next: next.map((n) => n.id) } });
      return { run, row: { ...row, status: result.status, output: (result.output ?? null) as never, error: result.error ?? null }, next };
    }, TX);
    if (!outcome) return false;
    await enqueueRefs(outcome.next, outcome.run);
    await timeline(outcome.run, outcome.row);
    await progress(outcome.run.id, outcome.run);
    return true;
  }

  /** Records a step's final failure: the run fails (or goes on when the step allows it). */
  async function fail(rowId: string, error: string, status: 'failed' | 'denied' = 'failed', expect: readonly string[] = ['pending', 'running', 'waiting']): Promise<boolean> {
    const msg = maskSecrets(error, secretValues).slice(0, 2000);
    const outcome = await db.$transaction(async (tx) => {
      const locked = await lock(tx, rowId);
      if (!locked || !expect.includes(locked.row.status)) return null;
      const { row, run } = locked;
      const def = await definitionOf(run.definitionId);
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
    await timeline(outcome.run, outcome.row);
    await progress(outcome.run.id, outcome.run);
    return true;
  }

  // ---- the step job ----

  /** Processes one step job (see the module comment for the guarantees). */
  async function processStep(data: StepJob, job: { attemptsMade: number; opts: { attempts?: number } }): Promise<string> {
    if (data.kind === 'run') {
      // Fast path, one round trip: claim an open step of a running run. Conditional, so a
      // duplicate delivery can never set a finished step back to running.
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
    const def = await definitionOf(run.definitionId);
    const step = def.places.get(row.stepId)?.step;
    if (data.kind === 'timer') return step ? onTimer(row, step) : 'unknown step';
    if (FINAL.includes(row.status) || (row.kind === 'parallel' && row.status === 'running' && row.next)) {
      // Finished before (a replay after a crash): only make sure what follows was enqueued.
      await enqueue((row.next as string[] | null) ?? []);
      return 'replayed';
    }
    return row.status === 'waiting' ? 'waiting' : 'claimed elsewhere';
  }

  /**
   * Runs a step this worker has claimed (status running, attempts counted). Rows arrive as JSON
   * from the claim: timestamps are strings, and nothing here reads them.
   */
  async function runClaimed(row: StepRow, run: RunRow, job: { attemptsMade: number; opts: { attempts?: number } }): Promise<string> {
    const def = await definitionOf(run.definitionId);
    const place = def.places.get(row.stepId);
    if (!place) {
      await fail(row.id, `step ${row.stepId} is not in version ${def.version} of ${def.name}`);
      return 'unknown step';
    }
    const step = place.step;
    const scope = await scopeOf(run, {}, needsSteps(step));
    if (step.when && !holds(step.when, scope)) {
      await finish(row.id, { status: 'skipped', output: null });
      return 'skipped';
    }
    if (row.attempts === 1) await progress(run.id, run);

    let outcome;
    try {
      outcome = await executeStep(step, scope, {
        config,
        secrets: deps.secrets,
        ports: deps.ports,
        runId: run.id,
        stepRunId: row.id,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        say: (target, text, title) => say(run, def, target, { text, ...(title ? { title } : {}) }),
        askApproval: async (target, text, roles, stepRunId) => {
          const t = translator(localeOf(run));
          return say(run, def, target, {
            title: t('processes.approval.title', { process: def.name, run: run.id }),
            text: `${text}\n${t('processes.approval.who', { roles: roles.join(', ') })}`,
            buttons: [
              { actionId: PROCESS_ACTIONS.approve, label: t('processes.approval.approve'), value: stepRunId, style: 'primary' },
              { actionId: PROCESS_ACTIONS.deny, label: t('processes.approval.deny'), value: stepRunId, style: 'danger' },
            ],
          });
        },
      });
    } catch (err) {
      // A stopping worker's result is not trusted: another worker re-runs the step.
      if (deps.isStopping()) throw new Error('worker stopping; the step will run again elsewhere');
      const message = maskSecrets(err instanceof Error ? err.message : String(err), secretValues);
      const permanent = err instanceof StepFailure ? err.permanent : false;
      const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!last) {
        await db.processStepRun.update({ where: { id: row.id }, data: { error: message } });
        throw new Error(message);
      }
      await fail(row.id, message);
      return 'failed';
    }
    if (deps.isStopping()) throw new Error('worker stopping; the step will run again elsewhere');

    switch (outcome.type) {
      case 'done':
        await finish(row.id, { status: 'succeeded', output: outcome.output ?? null, ...(outcome.input !== undefined ? { input: outcome.input } : {}) });
        return 'done';
      case 'goto':
        await finish(row.id, { status: 'succeeded', output: outcome.output, target: outcome.target, ...(outcome.input !== undefined ? { input: outcome.input } : {}) });
        return 'done';
      case 'wait': {
        const until = outcome.waitMs !== undefined ? new Date(clock.now().getTime() + outcome.waitMs) : null;
        const updated = await db.processStepRun.update({
          where: { id: row.id },
          data: { status: 'waiting', input: (outcome.input ?? null) as object, waitUntil: until, waitEvent: outcome.waitEvent ?? null },
        });
        if (outcome.waitMs !== undefined) await timer(updated, run.generation, outcome.waitMs);
        await progress(run.id, run);
        return 'waiting';
      }
      case 'fanout': {
        const next = await db.$transaction(async (tx) => {
          const locked = await lock(tx, row.id);
          if (!locked || locked.row.status !== 'running' || locked.row.next || locked.run.status !== 'running') return null;
          const refs: NextRef[] = [];
          for (const b of (step as Extract<StepDef, { kind: 'parallel' }>).branches) refs.push(await createStepRow(tx, run.id, def.places.get(b.steps[0]!.id)!, row.id));
          await tx.processStepRun.update({ where: { id: row.id }, data: { next: refs.map((r) => r.id), joined: 0 } });
          return refs;
        }, TX);
        if (next) await enqueueRefs(next, run);
        else await enqueue(((await db.processStepRun.findUnique({ where: { id: row.id } }))?.next as string[] | null) ?? []);
        return 'fanned out';
      }
    }
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

  // ---- operations ----

  function definition(name: string): ActiveDefinition {
    const d = active.get(name);
    if (!d) throw new ProcessError('processes.unknown', { name, known: [...active.keys()].sort().join(', ') || '-' });
    return d;
  }

  /**
   * Starts a run: validates inputs, writes the run and its first step in one transaction, then
   * enqueues it. A repeated trigger key returns the run it started before.
   */
  async function start(req: StartRequest): Promise<{ run: RunRow; created: boolean }> {
    const def = definition(req.process);
    const missing = def.requiredVars.filter((v) => config.vars[v] === undefined || config.vars[v] === '');
    if (missing.length) throw new ProcessError('processes.varsMissing', { process: def.name, vars: missing.map((v) => `processes.vars.${v}`).join(', ') });
    const checked = validateInputs(def.def, req.inputs);
    if (!checked.ok) throw inputError(checked.problem);
    let created: { run: RunRow; first: NextRef } | null = null;
    try {
      created = await db.$transaction(async (tx): Promise<{ run: RunRow; first: NextRef }> => {
        const run = await tx.processRun.create({
          data: {
            definitionId: def.id,
            processName: def.name,
            version: def.version,
            inputs: checked.values,
            trigger: req.trigger,
            triggerKey: req.triggerKey ?? null,
            startedBy: req.startedBy ?? null,
            startedById: req.startedById ?? null,
            ref: req.ref ? (req.ref as object) : undefined,
            locale: req.locale ?? config.defaults.locale ?? deps.defaultLocale,
          },
        });
        const first = await createStepRow(tx, run.id, def.places.get(def.def.steps[0]!.id)!, null);
        return { run, first };
      }, TX);
    } catch (err) {
      if (req.triggerKey && isUniqueViolation(err)) {
        const run = await db.processRun.findUniqueOrThrow({ where: { triggerKey: req.triggerKey } });
        return { run, created: false };
      }
      throw err;
    }
    await progress(created.run.id, created.run);
    await enqueueRefs([created.first], created.run);
    return { run: created.run, created: true };
  }

  function inputError(p: InputProblem): ProcessError {
    return new ProcessError('processes.badInput', { field: p.field, reason: p.reason }, p.field);
  }

  /** The plan of a run without performing anything (`--dry-run`). */
  function plan(name: string, inputs: Record<string, unknown>): { process: string; version: number; inputs: Record<string, unknown>; steps: { id: string; kind: string; depth: number; detail: string; when?: string }[] } {
    const def = definition(name);
    const checked = validateInputs(def.def, inputs);
    if (!checked.ok) throw inputError(checked.problem);
    const scope = { inputs: checked.values, steps: {}, run: { id: 0, process: name }, vars: vars() };
    const steps: { id: string; kind: string; depth: number; detail: string; when?: string }[] = [];
    const walk = (list: StepDef[], depth: number) => {
      for (const s of list) {
        steps.push({ id: s.id, kind: s.kind, depth, detail: maskSecrets(planOf(s, scope), secretValues), ...(s.when ? { when: s.when } : {}) });
        if (s.kind === 'parallel') s.branches.forEach((b) => walk(b.steps, depth + 1));
      }
    };
    walk(def.def.steps, 0);
    return { process: name, version: def.version, inputs: checked.values, steps };
  }

  /** Cancels a running run: open steps are closed, in-flight ones find the run cancelled. */
  async function cancel(runId: number, by: string): Promise<RunRow> {
    const run = await db.$transaction(async (tx) => {
      const [r] = await tx.$queryRaw<RunRow[]>`SELECT * FROM "ProcessRun" WHERE id = ${runId} FOR UPDATE`;
      if (!r) throw new ProcessError('processes.runNotFound', { id: runId });
      if (r.status !== 'running') throw new ProcessError('processes.notRunning', { id: runId, status: r.status });
      await tx.processStepRun.updateMany({ where: { runId, status: { in: ['pending', 'running', 'waiting'] } }, data: { status: 'cancelled', finishedAt: clock.now() } });
      return tx.processRun.update({ where: { id: runId }, data: { status: 'cancelled', error: `cancelled by ${by}`, finishedAt: clock.now() } });
    }, TX);
    await progress(runId);
    return run;
  }

  /**
   * Re-opens a failed run at its failed step(s) with a new generation of job ids. What the
   * failure left half-way is picked up too: steps that finished while the run stood failed are
   * advanced, pending steps re-enqueued, and waiting steps get their timers again.
   */
  async function retry(runId: number): Promise<RunRow> {
    const out = await db.$transaction(async (tx) => {
      const [r] = await tx.$queryRaw<RunRow[]>`SELECT * FROM "ProcessRun" WHERE id = ${runId} FOR UPDATE`;
      if (!r) throw new ProcessError('processes.runNotFound', { id: runId });
      if (r.status !== 'failed') throw new ProcessError('processes.notFailed', { id: runId, status: r.status });
      const rows = await tx.processStepRun.findMany({ where: { runId } });
      const failed = rows.filter((f) => (f.status === 'failed' || f.status === 'denied') && f.kind !== 'parallel');
      // Only the latest failure of each step is reopened (a loop may have failed before).
      const leaves = failed.filter((f) => !failed.some((o) => o.stepId === f.stepId && o.iteration > f.iteration));
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
      const def = await definitionOf(run.definitionId);
      const ids = new Set(leaves.map((l) => l.id));
      for (const row of rows) {
        if (row.status === 'pending') ids.add(row.id);
        // Finished while the run stood failed (a parallel branch): it never advanced.
        if ((row.status === 'succeeded' || row.status === 'skipped') && row.kind !== 'parallel' && row.next === null) {
          const target = row.kind === 'branch' ? ((row.output as { target?: string | null } | null)?.target ?? undefined) : undefined;
          const next = await successors(tx, run, def, row, target);
          await tx.processStepRun.update({ where: { id: row.id }, data: { next: next.map((n) => n.id) } });
          for (const n of next) ids.add(n.id);
        }
      }
      const waiting = rows.filter((w) => w.status === 'waiting' && w.waitUntil);
      return { run, ids: [...ids], waiting };
    }, TX);
    await progress(runId);
    await enqueue(out.ids);
    for (const w of out.waiting) await timer(w, out.run.generation, w.waitUntil!.getTime() - clock.now().getTime());
    return out.run;
  }

  /** An approval decision from a button. Checks the approver's role against the step. */
  async function decide(stepRunId: string, approve: boolean, who: { name: string; role: string }): Promise<'approved' | 'denied' | 'closed'> {
    const row = await db.processStepRun.findUnique({ where: { id: stepRunId }, include: { run: true } });
    if (!row || row.kind !== 'approval') throw new ProcessError('processes.approval.unknown');
    if (row.status !== 'waiting' || row.run.status !== 'running') return 'closed';
    const def = await definitionOf(row.run.definitionId);
    const step = def.places.get(row.stepId)?.step;
    if (!step || step.kind !== 'approval') throw new ProcessError('processes.approval.unknown');
    if (!(step.roles as readonly string[]).includes(who.role)) throw new ProcessError('processes.approval.role', { roles: step.roles.join(', '), role: who.role });
    const ok = approve
      ? await finish(row.id, { status: 'succeeded', output: { approved: true, timedOut: false, by: who.name } }, ['waiting'])
      : await fail(row.id, `denied by ${who.name}`, 'denied', ['waiting']);
    if (!ok) return 'closed';
    return approve ? 'approved' : 'denied';
  }

  /** Handles an event: starts runs whose triggers match, wakes steps waiting for it. */
  async function onEvent(ev: ProcessEventJob): Promise<{ started: number; woke: number }> {
    let started = 0;
    let woke = 0;
    for (const def of active.values()) {
      for (const [i, trig] of def.def.triggers.events.entries()) {
        if (trig.type !== ev.type) continue;
        const scope = { event: ev.payload, vars: vars() };
        if (trig.when && !holds(trig.when, scope)) continue;
        const inputs = render(trig.inputs, scope) as Record<string, unknown>;
        try {
          const r = await start({ process: def.name, inputs, trigger: 'event', triggerKey: `event:${ev.type}:${ev.eventId}:${def.name}:${i}`, startedBy: ev.type });
          if (r.created) started++;
        } catch (err) {
          logger.warn({ err: (err as Error).message, process: def.name, event: ev.type }, 'event did not start a run');
        }
      }
    }
    const waiting = await db.processStepRun.findMany({ where: { status: 'waiting', waitEvent: ev.type, run: { status: 'running' } }, include: { run: true } });
    for (const row of waiting) {
      const def = await definitionOf(row.run.definitionId);
      const step = def.places.get(row.stepId)?.step;
      if (!step || step.kind !== 'wait') continue;
      const scope = await scopeOf(row.run, { event: ev.payload });
      if (step.match && !holds(step.match, scope)) continue;
      if (await finish(row.id, { status: 'succeeded', output: { timedOut: false, event: ev.payload } }, ['waiting'])) woke++;
    }
    return { started, woke };
  }

  /** Upserts one job scheduler per schedule trigger and removes schedulers no longer defined. */
  async function syncSchedules(): Promise<string[]> {
    const q = queues.queue(PROCESS_TRIGGER_QUEUE);
    const wanted = new Set<string>();
    for (const def of active.values()) {
      for (const [i, s] of def.def.triggers.schedules.entries()) {
        const id = `proc-${def.name}-${i}`;
        wanted.add(id);
        const repeat = s.cron ? { pattern: s.cron, ...(s.timezone ? { tz: s.timezone } : {}) } : { every: toMs(s.every!) };
        await q.upsertJobScheduler(id, repeat, { name: 'schedule', data: { process: def.name, schedule: i } });
      }
    }
    for (const s of await q.getJobSchedulers()) {
      const key = (s as { key?: string; id?: string }).key ?? (s as { id?: string }).id ?? '';
      if (key.startsWith('proc-') && !wanted.has(key)) await q.removeJobScheduler(key);
    }
    return [...wanted];
  }

  /** A schedule fired. The scheduler's job id keys the run, so a redelivery starts nothing new. */
  async function onSchedule(data: TriggerJob, jobId: string): Promise<number | null> {
    const def = active.get(data.process);
    const s = def?.def.triggers.schedules[data.schedule];
    if (!def || !s) return null;
    const inputs = render(s.inputs, { vars: vars() }) as Record<string, unknown>;
    const r = await start({ process: def.name, inputs, trigger: 'schedule', triggerKey: `schedule:${jobId}`, startedBy: 'schedule' });
    return r.run.id;
  }

  /** A run with its steps (for `run <id>` and the API). */
  async function get(runId: number) {
    return db.processRun.findUnique({ where: { id: runId }, include: { steps: { orderBy: [{ createdAt: 'asc' }] } } });
  }

  async function recent(process?: string, limit = 10) {
    return db.processRun.findMany({ where: process ? { processName: process } : {}, orderBy: { id: 'desc' }, take: limit });
  }

  return {
    install,
    definition,
    /** The definition version a run started with (read back from Postgres when not loaded). */
    definitionOf,
    definitions: () => [...active.values()],
    start,
    plan,
    cancel,
    retry,
    decide,
    get,
    recent,
    onEvent,
    onSchedule,
    syncSchedules,
    processStep,
    progress,
    /** Queue declarations for the step, trigger and event queues. */
    queueDefs() {
      return [
        {
          name: PROCESS_STEP_QUEUE,
          schema: stepJobSchema,
          concurrency: config.queue.concurrency,
          workerOptions: { lockDuration: config.queue.lockDurationMs, stalledInterval: config.queue.stalledIntervalMs, maxStalledCount: 2 },
          defaultJobOptions: { removeOnComplete: { age: 3600, count: 5000 } },
          processor: async (job: { data: StepJob; attemptsMade: number; opts: { attempts?: number } }) => processStep(job.data, job),
        },
        {
          name: PROCESS_TRIGGER_QUEUE,
          schema: triggerJobSchema,
          concurrency: 2,
          processor: async (job: { data: TriggerJob; id?: string }) => onSchedule(job.data, job.id ?? ''),
        },
        {
          name: PROCESS_EVENT_QUEUE,
          schema: processEventJobSchema,
          concurrency: 5,
          processor: async (job: { data: ProcessEventJob }) => onEvent(job.data),
        },
      ];
    },
  };
}
