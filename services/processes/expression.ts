/**
 * The small, safe expression language of process definitions (branch conditions, event
 * matches, `when` guards). It is parsed by hand into a tree and evaluated by walking it:
 * no `eval`, no `Function`, no property access beyond plain own data.
 *
 * Grammar (lowest precedence first):
 *   or      := and ( ('||' | 'or') and )*
 *   and     := not ( ('&&' | 'and') not )*
 *   not     := ('!' | 'not') not | compare
 *   compare := primary ( ('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'contains') primary )?
 *   primary := number | string | true | false | null | path | '[' list ']' | '(' or ')'
 *   path    := ident ( '.' ident | '[' (number | string) ']' )*
 */

/** A parse error with the column it happened at (1-based). */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} (at column ${column})`);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { t: 'num'; v: number; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'ident'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number };

/** A parsed expression. */
export type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'path'; parts: (string | number)[] }
  | { k: 'list'; items: Expr[] }
  | { k: 'not'; e: Expr }
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'cmp'; op: string; a: Expr; b: Expr };

const WORD_OPS = new Set(['and', 'or', 'not', 'in', 'contains']);
const MAX_LENGTH = 2000;
const MAX_DEPTH = 40;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? '') && !lastIsValue(out))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), pos });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          s += src[j + 1];
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExpressionError('unterminated string', pos);
      out.push({ t: 'str', v: s, pos });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      const w = m[0];
      out.push(WORD_OPS.has(w) ? { t: 'op', v: w, pos } : { t: 'ident', v: w, pos });
      i += w.length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two, pos });
      i += 2;
      continue;
    }
    if ('<>!()[].,'.includes(c)) {
      out.push({ t: 'op', v: c, pos });
      i++;
      continue;
    }
    throw new ExpressionError(`unexpected character "${c}"`, pos);
  }
  out.push({ t: 'end', pos: src.length + 1 });
  return out;
}

function lastIsValue(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return !!last && (last.t === 'num' || last.t === 'str' || last.t === 'ident' || (last.t === 'op' && (last.v === ')' || last.v === ']')));
}

/** Parses an expression; throws {@link ExpressionError} naming the column. */
export function parseExpression(src: string): Expr {
  if (src.length > MAX_LENGTH) throw new ExpressionError(`longer than ${MAX_LENGTH} characters`, 1);
  const tokens = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = () => tokens[p]!;
  const isOp = (...vs: string[]) => {
    const tk = peek();
    return tk.t === 'op' && vs.includes(tk.v);
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExpressionError(`expected "${v}"`, peek().pos);
    p++;
  };

  function or(): Expr {
    let a = and();
    while (isOp('||', 'or')) {
      p++;
      a = { k: 'or', a, b: and() };
    }
    return a;
  }
  function and(): Expr {
    let a = not();
    while (isOp('&&', 'and')) {
      p++;
      a = { k: 'and', a, b: not() };
    }
    return a;
  }
  function not(): Expr {
    if (isOp('!', 'not')) {
      p++;
      if (++depth > MAX_DEPTH) throw new ExpressionError('nested too deeply', peek().pos);
      const e = not();
      depth--;
      return { k: 'not', e };
    }
    return compare();
  }
  function compare(): Expr {
    const a = primary();
    if (isOp('==', '!=', '<', '<=', '>', '>=', 'in', 'contains')) {
      const op = (peek() as { v: string }).v;
      p++;
      return { k: 'cmp', op, a, b: primary() };
    }
    return a;
  }
  function primary(): Expr {
    const tk = peek();
    if (tk.t === 'num' || tk.t === 'str') {
      p++;
      return { k: 'lit', v: tk.v };
    }
    if (tk.t === 'ident') {
      p++;
      if (tk.v === 'true') return { k: 'lit', v: true };
      if (tk.v === 'false') return { k: 'lit', v: false };
      if (tk.v === 'null') return { k: 'lit', v: null };
      const parts: (string | number)[] = [tk.v];
      for (;;) {
        if (isOp('.')) {
          p++;
          const id = peek();
          if (id.t !== 'ident') throw new ExpressionError('expected a name after "."', id.pos);
          parts.push(id.v);
          p++;
        } else if (isOp('[')) {
          p++;
          const key = peek();
          if (key.t !== 'num' && key.t !== 'str') throw new ExpressionError('expected a number or string index', key.pos);
          parts.push(key.v);
          p++;
          expect(']');
        } else break;
      }
      return { k: 'path', parts };
    }
    if (isOp('(')) {
      p++;
      if (++depth > MAX_DEPTH) throw new ExpressionError('nested too deeply', tk.pos);
      const e = or();
      depth--;
      expect(')');
      return e;
    }
    if (isOp('[')) {
      p++;
      const items: Expr[] = [];
      if (!isOp(']')) {
        items.push(primary());
        while (isOp(',')) {
          p++;
          items.push(primary());
        }
      }
      expect(']');
      return { k: 'list', items };
    }
    throw new ExpressionError(tk.t === 'end' ? 'unexpected end of expression' : `unexpected "${(tk as { v: unknown }).v}"`, tk.pos);
  }

  const e = or();
  if (peek().t !== 'end') throw new ExpressionError(`unexpected "${(peek() as { v: unknown }).v}"`, peek().pos);
  return e;
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Reads a path from plain data: own properties only, never the prototype chain. */
export function getPath(root: unknown, parts: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const part of parts) {
    if (cur === null || cur === undefined) return undefined;
    const key = String(part);
    if (FORBIDDEN.has(key)) return undefined;
    if (Array.isArray(cur)) {
      if (key === 'length') {
        cur = cur.length;
        continue;
      }
      const idx = Number(key);
      cur = Number.isInteger(idx) ? cur[idx] : undefined;
      continue;
    }
    if (typeof cur === 'string' && key === 'length') {
      cur = cur.length;
      continue;
    }
    if (typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Paths an expression reads (to check at load time that they name known roots and steps). */
export function pathsOf(e: Expr): (string | number)[][] {
  switch (e.k) {
    case 'path':
      return [e.parts];
    case 'list':
      return e.items.flatMap(pathsOf);
    case 'not':
      return pathsOf(e.e);
    case 'and':
    case 'or':
    case 'cmp':
      return [...pathsOf(e.a), ...pathsOf(e.b)];
    default:
      return [];
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Loose only between numbers and numeric strings: inputs from chat arrive as text.
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '') return a === Number(b);
  if (typeof a === 'string' && typeof b === 'number' && a.trim() !== '') return Number(a) === b;
  if (a === undefined) return b === null;
  if (b === undefined) return a === null;
  return false;
}

function order(a: unknown, b: unknown): number | null {
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a)) ? Number(a) : null;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b)) ? Number(b) : null;
  if (na !== null && nb !== null) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/** Truthiness: null, undefined, false, 0, '' and [] are false. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

/** Evaluates a parsed expression against plain data. */
export function evaluate(e: Expr, scope: unknown): unknown {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'path':
      return getPath(scope, e.parts);
    case 'list':
      return e.items.map((i) => evaluate(i, scope));
    case 'not':
      return !truthy(evaluate(e.e, scope));
    case 'and':
      return truthy(evaluate(e.a, scope)) && truthy(evaluate(e.b, scope));
    case 'or':
      return truthy(evaluate(e.a, scope)) || truthy(evaluate(e.b, scope));
    case 'cmp': {
      const a = evaluate(e.a, scope);
      const b = evaluate(e.b, scope);
      switch (e.op) {
        case '==':
          return equal(a, b);
        case '!=':
          return !equal(a, b);
        case 'in':
          return Array.isArray(b) ? b.some((x) => equal(a, x)) : typeof b === 'string' && typeof a === 'string' ? b.includes(a) : false;
        case 'contains':
          return Array.isArray(a) ? a.some((x) => equal(x, b)) : typeof a === 'string' && typeof b === 'string' ? a.includes(b) : false;
        default: {
          const o = order(a, b);
          if (o === null) return false;
          return e.op === '<' ? o < 0 : e.op === '<=' ? o <= 0 : e.op === '>' ? o > 0 : o >= 0;
        }
      }
    }
  }
}

/** Parses and evaluates to a boolean in one go. */
export function holds(src: string, scope: unknown): boolean {
  return truthy(evaluate(parseExpression(src), scope));
}
