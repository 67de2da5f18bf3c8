/**
 * Process definitions: the YAML format (definition-schema.ts), its validation
 * (definition-check.ts), loading from folders, and run input validation. Every error names
 * the file and line, so a bad definition stops start-up with a message one can act on.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDefinition, DefinitionError, DefinitionsInvalidError, type CheckOptions, type LoadedDefinition } from './definition-check.ts';
import type { ProcessDefinition } from './definition-schema.ts';

export { definitionSchema, type InputSpec, type StepDef, type ParallelStep, type ProcessDefinition } from './definition-schema.ts';
export { parseDefinition, indexSteps, DefinitionError, DefinitionsInvalidError, type CheckOptions, type LoadedDefinition, type StepPlace } from './definition-check.ts';

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
