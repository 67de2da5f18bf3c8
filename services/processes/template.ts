/**
 * Templating of step fields without eval: `{{ inputs.x }}` and `{{ steps.check.output.status }}`
 * read plain data by path; `${env.NAME}` reads an allow-listed secret, only where a definition
 * may carry one (http requests), and only at the moment of sending: what is stored or shown
 * carries `***` instead.
 */
import { getPath } from './expression.ts';

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}|\$\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+|\[\d+\])*$/;
const LITERAL = /^(?:'[^']*'|"[^"]*"|-?\d+(?:\.\d+)?)$/;
/** What a secret looks like wherever it may be seen. */
export const SECRET_MASK = '***';

/**
 * A reference found in a template string. `optional` marks a path that has a fallback after
 * it (`{{ inputs.url ?? vars.appUrl }}`): it may be empty. `earlier` lists the alternatives
 * before it (paths; `''` for a literal): the path is read only when none of them is given.
 */
export type TemplateRef = { kind: 'path'; path: string; parts: string[]; optional: boolean; earlier: string[] } | { kind: 'env'; name: string };

/** Splits `a.b[0].c` into parts. */
export function splitPath(path: string): string[] {
  return path.replace(/\[(\d+)\]/g, '.$1').split('.');
}

/** The alternatives of `{{ a ?? b ?? 'literal' }}`; throws when one is neither a path nor a literal. */
function alternatives(inner: string): { path?: string; literal?: string }[] {
  return inner.split('??').map((raw) => {
    const a = raw.trim();
    if (PATH.test(a)) return { path: a };
    if (LITERAL.test(a)) return { literal: /^['"]/.test(a) ? a.slice(1, -1) : a };
    throw new Error(`"{{ ${inner.trim()} }}" is not a path such as inputs.name or steps.check.output.status (optionally "?? fallback")`);
  });
}

/** Every reference in a string; throws with the offending text when a path is malformed. */
export function templateRefs(s: string): TemplateRef[] {
  const out: TemplateRef[] = [];
  for (const m of s.matchAll(TOKEN)) {
    if (m[2]) out.push({ kind: 'env', name: m[2] });
    else {
      const alts = alternatives(m[1] ?? '');
      alts.forEach((a, i) => {
        const earlier = alts.slice(0, i).map((e) => e.path ?? (e.literal ? '' : '-'));
        if (a.path) out.push({ kind: 'path', path: a.path, parts: splitPath(a.path), optional: i < alts.length - 1, earlier });
      });
    }
  }
  return out;
}

/** Every reference in any string inside a value (objects and arrays walked). */
export function templateRefsDeep(v: unknown): TemplateRef[] {
  if (typeof v === 'string') return templateRefs(v);
  if (Array.isArray(v)) return v.flatMap(templateRefsDeep);
  if (v && typeof v === 'object') return Object.values(v).flatMap(templateRefsDeep);
  return [];
}

function resolveInner(inner: string, scope: unknown): unknown {
  let alts;
  try {
    alts = alternatives(inner);
  } catch {
    return undefined;
  }
  let value: unknown;
  for (const a of alts) {
    value = a.path ? getPath(scope, splitPath(a.path)) : a.literal;
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return value;
}

export interface RenderOptions {
  /** Secret values by name; absent: secrets render as the mask. */
  secrets?: Readonly<Record<string, string>>;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Renders one string. A string that is exactly one `{{ path }}` keeps the value's type. */
export function renderString(s: string, scope: unknown, opts: RenderOptions = {}): unknown {
  const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(s);
  if (whole) return resolveInner(whole[1]!, scope);
  return s.replace(TOKEN, (_all, inner: string | undefined, env: string | undefined) => {
    if (env) return opts.secrets ? (opts.secrets[env] ?? '') : SECRET_MASK;
    return show(resolveInner(inner ?? '', scope));
  });
}

/** Renders every string inside a value. */
export function render(v: unknown, scope: unknown, opts: RenderOptions = {}): unknown {
  if (typeof v === 'string') return renderString(v, scope, opts);
  if (Array.isArray(v)) return v.map((x) => render(x, scope, opts));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = render(x, scope, opts);
    return out;
  }
  return v;
}

/** Renders to text (for messages): objects become JSON. */
export function renderText(s: string, scope: unknown): string {
  return show(renderString(s, scope));
}

/** Replaces every occurrence of the given secret values in a text (error messages, bodies). */
export function maskSecrets(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (v.length >= 4) out = out.split(v).join(SECRET_MASK);
  return out;
}
