/**
 * Process definitions: the YAML format, its validation (shape, step references, templates,
 * expressions, secrets, schedules) and loading from folders. Every error names the file and
 * line, so a bad definition stops start-up with a message one can act on.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, isMap, type Document } from 'yaml';
import { z } from 'zod';
import { CronExpressionParser } from 'cron-parser';
import { ROLES } from '../users/roles.ts';
import { durationText } from './processes.config.ts';
import { parseExpression, pathsOf, ExpressionError } from './expression.ts';
import { templateRefsDeep } from './template.ts';

const id = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and _ (starting with a letter or _), at most 64');
const expr = z.string().min(1).max(2000);
const template = z.string().max(20_000);
/** A duration, or a template that renders to one at run time (`{{ vars.settle ?? '30s' }}`). */
const durationOrTemplate = z.union([durationText, z.string().regex(/\{\{.*\}\}/, 'a duration such as 30s, or a template')]);

const inputSchema = z
  .object({
    type: z.enum(['string', 'number', 'boolean']).default('string'),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
    enum: z.array(z.union([z.string(), z.number()])).min(1).optional(),
    pattern: z.string().optional(),
  })
  .strict();
export type InputSpec = z.infer<typeof inputSchema>;

const retrySchema = z.object({ attempts: z.number().int().min(1).max(20).optional(), backoff: durationText.optional() }).strict();

const base = {
  id,
  /** Label shown in the progress message. */
  name: z.string().max(200).optional(),
  /** Guard: the step is skipped when this expression is false. */
  when: expr.optional(),
  retry: retrySchema.optional(),
  /** Keep going (the step counts as failed but the run continues). */
  continueOnError: z.boolean().optional(),
};

const httpStep = z
  .object({
    ...base,
    kind: z.literal('http'),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: template,
    headers: z.record(z.string(), template).default({}),
    body: z.unknown().optional(),
    timeout: durationText.optional(),
    /** Accepted status codes (default: any 2xx). */
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).optional(),
    /** Text the response body must contain. */
    expectBody: z.string().optional(),
  })
  .strict();

const approvalStep = z
  .object({
    ...base,
    kind: z.literal('approval'),
    /** Roles that may approve (default: admin). */
    roles: z.array(z.enum(ROLES)).min(1).default(['admin']),
    message: template,
    /** Where the request is posted (default: the run's thread). */
    to: template.optional(),
    timeout: durationText.optional(),
    /** fail: the run stops; approve: go on as approved; continue: go on with approved=false. */
    onTimeout: z.enum(['fail', 'approve', 'continue']).default('fail'),
  })
  .strict();

const notifyStep = z
  .object({ ...base, kind: z.literal('notify'), text: template, to: template.optional(), title: template.optional() })
  .strict();

const waitStep = z
  .object({
    ...base,
    kind: z.literal('wait'),
    duration: durationOrTemplate.optional(),
    /** Event type to wait for (e.g. ticket.resolved); `match` filters it. */
    event: z.string().regex(/^[a-z][a-z0-9_.-]*$/).optional(),
    match: expr.optional(),
    /** How long to wait for the event; then the step succeeds with timedOut=true. */
    timeout: durationOrTemplate.optional(),
  })
  .strict()
  .refine((s) => Boolean(s.duration) !== Boolean(s.event), { message: 'a wait step needs either duration or event', path: ['duration'] });

const branchStep = z
  .object({
    ...base,
    kind: z.literal('branch'),
    cases: z.array(z.object({ if: expr, goto: z.string() }).strict()).min(1),
    /** Where to go when no case holds (default: the next step). */
    else: z.string().optional(),
  })
  .strict();

const ticketStep = z
  .object({
    ...base,
    kind: z.literal('ticket'),
    action: z.enum(['open', 'get', 'assign', 'comment', 'resolve']),
    ticket: template.optional(),
    title: template.optional(),
    description: template.optional(),
    severity: template.optional(),
    text: template.optional(),
    assignee: template.optional(),
  })
  .strict();

/** Ends the run as failed with a message (usually behind a `when`). */
const failStep = z.object({ ...base, kind: z.literal('fail'), message: template }).strict();

const agentStep = z.object({ ...base, kind: z.literal('agent'), agent: z.string().min(1), prompt: template }).strict();
const documentStep = z.object({ ...base, kind: z.literal('document'), action: z.enum(['get']).default('get'), document: template }).strict();

/** A step of any kind. */
export type StepDef =
  | z.infer<typeof httpStep>
  | z.infer<typeof approvalStep>
  | z.infer<typeof notifyStep>
  | z.infer<typeof waitStep>
  | z.infer<typeof branchStep>
  | z.infer<typeof ticketStep>
  | z.infer<typeof agentStep>
  | z.infer<typeof documentStep>
  | z.infer<typeof failStep>
  | ParallelStep;

/** Fan-out: each branch is a sequence of steps; the step finishes when every branch has. */
export interface ParallelStep {
  id: string;
  name?: string | undefined;
  when?: string | undefined;
  retry?: z.infer<typeof retrySchema> | undefined;
  continueOnError?: boolean | undefined;
  kind: 'parallel';
  branches: { steps: StepDef[] }[];
}

const stepSchema: z.ZodType<StepDef> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    httpStep,
    approvalStep,
    notifyStep,
    waitStep,
    branchStep,
    ticketStep,
    agentStep,
    documentStep,
    failStep,
    z.object({ ...base, kind: z.literal('parallel'), branches: z.array(z.object({ steps: z.array(stepSchema).min(1) }).strict()).min(2) }).strict(),
  ]),
) as unknown as z.ZodType<StepDef>;

const scheduleSchema = z
  .object({
    cron: z.string().optional(),
    every: durationText.optional(),
    timezone: z.string().optional(),
    inputs: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .refine((s) => Boolean(s.cron) !== Boolean(s.every), { message: 'a schedule needs either cron or every', path: ['cron'] });

const eventTriggerSchema = z
  .object({
    /** alert.firing, ticket.created, or any type a feature emits. */
    type: z.string().regex(/^[a-z][a-z0-9_.-]*$/),
    /** Expression over `event` (e.g. `event.labels.service == 'checkout'`). */
    when: expr.optional(),
    /** Inputs of the run, templated from `event`. */
    inputs: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const definitionSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -, starting with a letter'),
    description: z.string().max(1000).default(''),
    /** Roles that may start it from chat (default: operator and above). */
    roles: z.array(z.enum(ROLES)).min(1).default(['operator', 'technician', 'admin']),
    inputs: z.record(id, inputSchema).default({}),
    /** Where runs not started from a chat show progress (platform:chat[/thread], templated). */
    notify: template.optional(),
    triggers: z
      .object({ schedules: z.array(scheduleSchema).default([]), events: z.array(eventTriggerSchema).default([]) })
      .strict()
      .prefault({}),
    steps: z.array(stepSchema).min(1),
  })
  .strict();
export type ProcessDefinition = z.infer<typeof definitionSchema>;

/** A definition read from a file, with its hash (the version key). */
export interface LoadedDefinition {
  name: string;
  file: string;
  source: string;
  hash: string;
  def: ProcessDefinition;
  /** Names under `vars` the definition needs (without a fallback); a run checks them at start. */
  requiredVars: string[];
}

/** A definition error: file, line (1-based, when known) and what is wrong. */
export class DefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
    this.name = 'DefinitionError';
  }
}

/** Raised at start-up when any definition is invalid; lists them all. */
export class DefinitionsInvalidError extends Error {
  constructor(readonly errors: DefinitionError[]) {
    super(`invalid process definitions:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    this.name = 'DefinitionsInvalidError';
  }
}

/** Where a step sits: its sequence (top level or a parallel branch) and index. */
export interface StepPlace {
  step: StepDef;
  /** YAML path to the step (for line numbers). */
  path: (string | number)[];
  /** The parallel step this one's sequence belongs to (null: top level). */
  parent: string | null;
  branch: number;
  /** Ids of the sequence, in order. */
  sequence: string[];
  index: number;
}

/** Indexes every step of a definition by id. */
export function indexSteps(def: Pick<ProcessDefinition, 'steps'>): Map<string, StepPlace> {
  const out = new Map<string, StepPlace>();
  const walk = (steps: StepDef[], path: (string | number)[], parent: string | null, branch: number) => {
    const sequence = steps.map((s) => s.id);
    steps.forEach((step, index) => {
      const p = [...path, index];
      if (!out.has(step.id)) out.set(step.id, { step, path: p, parent, branch, sequence, index });
      if (step.kind === 'parallel') step.branches.forEach((b, bi) => walk(b.steps, [...p, 'branches', bi, 'steps'], step.id, bi));
    });
  };
  walk(def.steps, ['steps'], null, 0);
  return out;
}

function lineOf(doc: Document, source: string, path: readonly PropertyKey[]): number | null {
  // Walk up until a node with a range exists (a missing key points at its parent map).
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true)) as { range?: [number, number] } | null;
    const offset = node?.range?.[0];
    if (offset !== undefined) return source.slice(0, offset).split('\n').length;
  }
  return null;
}

/** Options that semantic checks need from the configuration. */
export interface CheckOptions {
  /** Env names allowed as `${env.NAME}`. */
  secretEnv: readonly string[];
  /** Names under `vars` (kept for callers; unset vars are checked when a run starts). */
  vars?: readonly string[];
}

/** Parses and validates one definition's source; throws {@link DefinitionError}s (all found). */
export function parseDefinition(file: string, source: string, opts: CheckOptions): LoadedDefinition {
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new DefinitionsInvalidError([new DefinitionError(file, e.linePos?.[0]?.line ?? null, `invalid YAML: ${e.message.split('\n')[0]}`)]);
  }
  if (!isMap(doc.contents)) throw new DefinitionsInvalidError([new DefinitionError(file, 1, 'a process definition is a mapping with name, inputs and steps')]);
  const parsed = definitionSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 5).map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      return new DefinitionError(file, lineOf(doc, source, issue.path), `${key}: ${issue.message}`);
    });
    throw new DefinitionsInvalidError(errors);
  }
  const def = parsed.data;
  const errors: DefinitionError[] = [];
  const at = (path: (string | number)[], detail: string) => errors.push(new DefinitionError(file, lineOf(doc, source, path), detail));
  const places = indexSteps(def);

  // Duplicate ids anywhere (branches included) would make `steps.<id>` ambiguous.
  const seen = new Set<string>();
  const walkIds = (steps: StepDef[], path: (string | number)[]) =>
    steps.forEach((s, i) => {
      if (seen.has(s.id)) at([...path, i, 'id'], `step id "${s.id}" is used twice`);
      seen.add(s.id);
      if (s.kind === 'parallel') s.branches.forEach((b, bi) => walkIds(b.steps, [...path, i, 'branches', bi, 'steps']));
    });
  walkIds(def.steps, ['steps']);

  const inputNames = new Set(Object.keys(def.inputs));
  const requiredVars = new Set<string>();
  const checkPath = (parts: (string | number)[], path: (string | number)[], roots: readonly string[], optional = false) => {
    const [root, second] = parts.map(String);
    if (!root || !roots.includes(root)) {
      at(path, `"${parts.join('.')}" must start with one of ${roots.join(', ')}`);
      return;
    }
    if (root === 'inputs' && second && !inputNames.has(second)) at(path, `input "${second}" is not declared under inputs`);
    if (root === 'steps' && second && !places.has(second)) at(path, `"steps.${second}" names no step`);
    if (root === 'vars' && second && !optional) requiredVars.add(second);
  };
  const checkTemplates = (value: unknown, path: (string | number)[], roots: readonly string[], envAllowed: boolean) => {
    let refs;
    try {
      refs = templateRefsDeep(value);
    } catch (err) {
      at(path, (err as Error).message);
      return;
    }
    for (const r of refs) {
      if (r.kind === 'env') {
        if (!envAllowed) at(path, `\${env.${r.name}} is only allowed in http steps`);
        else if (!opts.secretEnv.includes(r.name)) at(path, `\${env.${r.name}} is not in processes.secretEnv`);
      } else checkPath(r.parts, path, roots, r.optional);
    }
  };
  const checkExpr = (src: string, path: (string | number)[], roots: readonly string[]) => {
    try {
      for (const parts of pathsOf(parseExpression(src))) checkPath(parts, path, roots);
    } catch (err) {
      at(path, err instanceof ExpressionError ? `expression: ${err.message}` : String(err));
    }
  };

  const stepRoots = ['inputs', 'steps', 'run', 'vars'] as const;
  for (const [, place] of places) {
    const { step, path } = place;
    const sibling = (target: string, p: (string | number)[]) => {
      if (target === 'end') return;
      if (!place.sequence.includes(target)) at(p, `goto "${target}" is not a step of the same sequence`);
    };
    if (step.when) checkExpr(step.when, [...path, 'when'], stepRoots);
    const { id: _id, kind: _kind, when: _when, ...fields } = step as unknown as Record<string, unknown>;
    if (step.kind === 'branch') {
      step.cases.forEach((c, i) => {
        checkExpr(c.if, [...path, 'cases', i, 'if'], stepRoots);
        sibling(c.goto, [...path, 'cases', i, 'goto']);
      });
      if (step.else) sibling(step.else, [...path, 'else']);
    } else if (step.kind === 'wait') {
      if (step.match) checkExpr(step.match, [...path, 'match'], [...stepRoots, 'event']);
    } else if (step.kind === 'parallel') {
      // Branch steps are checked on their own.
    } else {
      for (const [key, value] of Object.entries(fields)) checkTemplates(value, [...path, key], stepRoots, step.kind === 'http');
    }
  }
  if (def.notify) checkTemplates(def.notify, ['notify'], ['vars'], false);
  def.triggers.schedules.forEach((s, i) => {
    if (s.cron) {
      try {
        CronExpressionParser.parse(s.cron, s.timezone ? { tz: s.timezone } : {});
      } catch (err) {
        at(['triggers', 'schedules', i, 'cron'], `cron "${s.cron}": ${(err as Error).message}`);
      }
    }
    checkTemplates(s.inputs, ['triggers', 'schedules', i, 'inputs'], ['vars'], false);
  });
  def.triggers.events.forEach((e, i) => {
    if (e.when) checkExpr(e.when, ['triggers', 'events', i, 'when'], ['event', 'vars']);
    checkTemplates(e.inputs, ['triggers', 'events', i, 'inputs'], ['event', 'vars'], false);
  });
  for (const [name, spec] of Object.entries(def.inputs)) {
    if (spec.pattern) {
      try {
        new RegExp(spec.pattern);
      } catch {
        at(['inputs', name, 'pattern'], `pattern is not a valid regular expression`);
      }
    }
  }
  if (errors.length) throw new DefinitionsInvalidError(errors);
  return { name: def.name, file, source, hash: createHash('sha256').update(source).digest('hex'), def, requiredVars: [...requiredVars].sort() };
}

/** Secrets the shipped processes reference; allowed whenever they are loaded. */
export const SHIPPED_SECRET_ENV = ['DEPLOY_HOOK_TOKEN', 'PAGER_TOKEN'] as const;

/** The processes shipped with a2d2 (processes/ at the repository root). */
export const SHIPPED_DIR = fileURLToPath(new URL('../../processes/', import.meta.url));

/**
 * Loads every *.yaml / *.yml of the folders, in order (a later folder overrides a name from an
 * earlier one; a name twice in one folder is an error). Throws {@link DefinitionsInvalidError}
 * listing every problem found.
 */
export function loadDefinitions(dirs: readonly string[], opts: CheckOptions): Map<string, LoadedDefinition> {
  const out = new Map<string, LoadedDefinition>();
  const errors: DefinitionError[] = [];
  const done = new Set<string>();
  for (const dir of dirs) {
    const abs = resolve(dir);
    if (done.has(abs)) continue;
    done.add(abs);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) continue;
    const inThisDir = new Map<string, string>();
    for (const name of readdirSync(abs).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const file = join(abs, name);
      try {
        const loaded = parseDefinition(file, readFileSync(file, 'utf8'), opts);
        const other = inThisDir.get(loaded.name);
        if (other) {
          errors.push(new DefinitionError(file, 1, `process "${loaded.name}" is also defined in ${other}`));
          continue;
        }
        inThisDir.set(loaded.name, file);
        out.set(loaded.name, loaded);
      } catch (err) {
        if (err instanceof DefinitionsInvalidError) errors.push(...err.errors);
        else errors.push(new DefinitionError(file, null, (err as Error).message));
      }
    }
  }
  if (errors.length) throw new DefinitionsInvalidError(errors);
  return out;
}

/** A bad input: which field, and why. */
export interface InputProblem {
  field: string;
  reason: string;
}

/**
 * Validates and coerces run inputs against the definition's input schema (chat gives text,
 * the API gives JSON). Unknown names are refused so a typo does not pass silently.
 */
export function validateInputs(def: Pick<ProcessDefinition, 'inputs'>, raw: Record<string, unknown>): { ok: true; values: Record<string, string | number | boolean> } | { ok: false; problem: InputProblem } {
  const values: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(raw)) {
    if (!Object.prototype.hasOwnProperty.call(def.inputs, key)) return { ok: false, problem: { field: key, reason: 'unknown input' } };
  }
  for (const [name, spec] of Object.entries(def.inputs)) {
    let v = Object.prototype.hasOwnProperty.call(raw, name) ? raw[name] : undefined;
    if (v === undefined || v === null || v === '') {
      if (spec.default !== undefined) v = spec.default;
      else if (spec.required) return { ok: false, problem: { field: name, reason: 'required' } };
      else continue;
    }
    if (spec.type === 'number') {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) return { ok: false, problem: { field: name, reason: 'expected a number' } };
      v = n;
    } else if (spec.type === 'boolean') {
      if (typeof v === 'string' && /^(true|yes|1|false|no|0)$/i.test(v)) v = /^(true|yes|1)$/i.test(v);
      if (typeof v !== 'boolean') return { ok: false, problem: { field: name, reason: 'expected true or false' } };
    } else {
      if (typeof v !== 'string') return { ok: false, problem: { field: name, reason: 'expected a string' } };
      if (v.length > 2000) return { ok: false, problem: { field: name, reason: 'longer than 2000 characters' } };
      if (spec.pattern && !new RegExp(spec.pattern).test(v)) return { ok: false, problem: { field: name, reason: `does not match ${spec.pattern}` } };
    }
    if (spec.enum && !spec.enum.some((e) => e === v)) return { ok: false, problem: { field: name, reason: `one of ${spec.enum.join(', ')}` } };
    values[name] = v as string | number | boolean;
  }
  return { ok: true, values };
}
