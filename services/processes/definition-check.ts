/**
 * Semantic checks of a process definition beyond its shape: unique step ids, goto targets in
 * the same sequence, the paths templates and expressions read (inputs, steps, run, vars,
 * event), secrets only where allowed, cron expressions and input patterns. Every error names
 * the file and line.
 */
import { createHash } from 'node:crypto';
import { parseDocument, isMap, type Document } from 'yaml';
import { CronExpressionParser } from 'cron-parser';
import { parseExpression, pathsOf, ExpressionError } from './expression.ts';
import { templateRefsDeep } from './template.ts';
import { definitionSchema, type ProcessDefinition, type StepDef } from './definition-schema.ts';

/** A definition read from a file, with its hash (the version key). */
export interface LoadedDefinition {
  name: string;
  file: string;
  source: string;
  hash: string;
  def: ProcessDefinition;
  /** Names under `vars` the definition needs (without a fallback); a run checks them at start. */
  requiredVars: string[];
  /**
   * For each required var, its uses: each lists the alternatives read before it
   * (`{{ inputs.url ?? vars.appUrl }}`: `['inputs.url']`; `''` a literal). A run needs the var
   * only when some use has none of its earlier alternatives given.
   */
  varUses: Record<string, string[][]>;
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


/** Parses the YAML and checks its shape; throws the first problems found, with lines. */
function parseShape(file: string, source: string): { doc: Document; def: ProcessDefinition } {
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
  return { doc, def: parsed.data };
}

type Path = (string | number)[];

/** Collects errors at YAML paths and checks the references of templates and expressions. */
function createChecker(file: string, source: string, doc: Document, def: ProcessDefinition, places: Map<string, StepPlace>, opts: CheckOptions) {
  const errors: DefinitionError[] = [];
  const requiredVars = new Set<string>();
  const varUses: Record<string, string[][]> = {};
  const inputNames = new Set(Object.keys(def.inputs));
  const at = (path: Path, detail: string) => errors.push(new DefinitionError(file, lineOf(doc, source, path), detail));
  const checkPath = (parts: Path, path: Path, roots: readonly string[], optional = false, earlier: string[] = []) => {
    const [root, second] = parts.map(String);
    if (!root || !roots.includes(root)) {
      at(path, `"${parts.join('.')}" must start with one of ${roots.join(', ')}`);
      return;
    }
    if (root === 'inputs' && second && !inputNames.has(second)) at(path, `input "${second}" is not declared under inputs`);
    if (root === 'steps' && second && !places.has(second)) at(path, `"steps.${second}" names no step`);
    if (root === 'vars' && second && !optional) {
      requiredVars.add(second);
      (varUses[second] ??= []).push(earlier);
    }
  };
  const templates = (value: unknown, path: Path, roots: readonly string[], envAllowed: boolean) => {
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
      } else checkPath(r.parts, path, roots, r.optional, r.earlier);
    }
  };
  const expression = (src: string, path: Path, roots: readonly string[]) => {
    try {
      for (const parts of pathsOf(parseExpression(src))) checkPath(parts, path, roots);
    } catch (err) {
      at(path, err instanceof ExpressionError ? `expression: ${err.message}` : String(err));
    }
  };
  return { errors, requiredVars, varUses, at, templates, expression };
}

type Checker = ReturnType<typeof createChecker>;

/** Duplicate ids anywhere (branches included) would make `steps.<id>` ambiguous. */
function checkIds(ck: Checker, steps: StepDef[], path: Path, seen = new Set<string>()): void {
  steps.forEach((s, i) => {
    if (seen.has(s.id)) ck.at([...path, i, 'id'], `step id "${s.id}" is used twice`);
    seen.add(s.id);
    if (s.kind === 'parallel') s.branches.forEach((b, bi) => checkIds(ck, b.steps, [...path, i, 'branches', bi, 'steps'], seen));
  });
}

const STEP_ROOTS = ['inputs', 'steps', 'run', 'vars'] as const;

/** Guards, goto targets, and the templates of every step. */
function checkSteps(ck: Checker, places: Map<string, StepPlace>): void {
  for (const [, place] of places) {
    const { step, path } = place;
    const sibling = (target: string, p: Path) => {
      if (target === 'end') return;
      if (!place.sequence.includes(target)) ck.at(p, `goto "${target}" is not a step of the same sequence`);
    };
    if (step.when) ck.expression(step.when, [...path, 'when'], STEP_ROOTS);
    const { id: _id, kind: _kind, when: _when, ...fields } = step as unknown as Record<string, unknown>;
    if (step.kind === 'branch') {
      step.cases.forEach((c, i) => {
        ck.expression(c.if, [...path, 'cases', i, 'if'], STEP_ROOTS);
        sibling(c.goto, [...path, 'cases', i, 'goto']);
      });
      if (step.else) sibling(step.else, [...path, 'else']);
    } else if (step.kind === 'wait') {
      if (step.match) ck.expression(step.match, [...path, 'match'], [...STEP_ROOTS, 'event']);
    } else if (step.kind !== 'parallel') {
      // Branch steps of a parallel step are checked on their own.
      for (const [key, value] of Object.entries(fields)) ck.templates(value, [...path, key], STEP_ROOTS, step.kind === 'http');
    }
  }
}

/** The notify target, schedules (cron, inputs), event triggers and input patterns. */
function checkTriggers(ck: Checker, def: ProcessDefinition): void {
  if (def.notify) ck.templates(def.notify, ['notify'], ['vars'], false);
  def.triggers.schedules.forEach((s, i) => {
    if (s.cron) {
      try {
        CronExpressionParser.parse(s.cron, s.timezone ? { tz: s.timezone } : {});
      } catch (err) {
        ck.at(['triggers', 'schedules', i, 'cron'], `cron "${s.cron}": ${(err as Error).message}`);
      }
    }
    ck.templates(s.inputs, ['triggers', 'schedules', i, 'inputs'], ['vars'], false);
  });
  def.triggers.events.forEach((e, i) => {
    if (e.when) ck.expression(e.when, ['triggers', 'events', i, 'when'], ['event', 'vars']);
    ck.templates(e.inputs, ['triggers', 'events', i, 'inputs'], ['event', 'vars'], false);
    if (e.key) ck.templates(e.key, ['triggers', 'events', i, 'key'], ['event', 'vars'], false);
  });
  for (const [name, spec] of Object.entries(def.inputs)) {
    if (!spec.pattern) continue;
    try {
      new RegExp(spec.pattern);
    } catch {
      ck.at(['inputs', name, 'pattern'], `pattern is not a valid regular expression`);
    }
  }
}

/** Parses and validates one definition's source; throws {@link DefinitionError}s (all found). */
export function parseDefinition(file: string, source: string, opts: CheckOptions): LoadedDefinition {
  const { doc, def } = parseShape(file, source);
  const places = indexSteps(def);
  const ck = createChecker(file, source, doc, def, places, opts);
  checkIds(ck, def.steps, ['steps']);
  checkSteps(ck, places);
  checkTriggers(ck, def);
  if (ck.errors.length) throw new DefinitionsInvalidError(ck.errors);
  return { name: def.name, file, source, hash: createHash('sha256').update(source).digest('hex'), def, requiredVars: [...ck.requiredVars].sort(), varUses: ck.varUses };
}
