/**
 * Step executors: what each step kind does when its job runs. An executor returns what the
 * engine should record (done with an output, wait for a person or a timer, go to a step, fan
 * out); it never writes run state itself, so the engine alone decides what is finished.
 */
import type { StepDef } from './definition.ts';
import type { ProcessesConfig } from './processes.config.ts';
import { toMs } from './processes.config.ts';
import { parseDuration } from '../duration.ts';
import { holds } from './expression.ts';
import { render, renderString, renderText, maskSecrets, SECRET_MASK } from './template.ts';
import type { ProcessPorts } from './ports.ts';
import type { EffectCall, RunEffect } from './effects.ts';

/** A step failure. `permanent` skips the remaining tries (retrying cannot help). */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** What an executor asks the engine to record. */
export type StepOutcome =
  | { type: 'done'; output: unknown; input?: unknown }
  | { type: 'goto'; target: string; output: unknown; input?: unknown }
  | { type: 'wait'; input?: unknown; waitMs?: number; waitEvent?: string }
  | { type: 'fanout' };

/** Where a notify or approval message goes: a destination, or the run's thread. */
export interface ChatTarget {
  /** platform:chat[/thread]; absent: the run's own progress thread. */
  destination?: string;
}

/** What executors may use. */
export interface StepEnv {
  config: ProcessesConfig;
  secrets: Readonly<Record<string, string>>;
  ports: ProcessPorts;
  runId: number;
  /**
   * Sends a chat message (text, optional title) to a target; returns where it went. `effect`
   * keys the message: sent again under the same key it is not posted a second time.
   */
  say(target: ChatTarget, text: string, title?: string, effect?: EffectCall): Promise<string>;
  /** Posts an approval request with Approve/Deny buttons for this step row. */
  askApproval(target: ChatTarget, text: string, roles: readonly string[], stepRunId: string, effect?: EffectCall): Promise<string>;
  stepRunId: string;
  /** Runs an outside effect at most once to its end (see effects.ts). */
  effect: RunEffect;
  fetch?: typeof fetch;
}

/** True when a host (and port) is in the allow-list. */
export function hostAllowed(url: URL, allow: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allow.some((pattern) => {
    const m = /^(.*?)(?::(\d+|\*))?$/.exec(pattern.toLowerCase())!;
    let h = m[1]!;
    const p = m[2];
    if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
    const hostOk = h.startsWith('*.') ? host.endsWith(h.slice(1)) && host.length > h.length - 1 : host === h;
    const portOk = !p || p === '*' || p === port;
    return hostOk && portOk;
  });
}

function masked(value: unknown, secrets: Readonly<Record<string, string>>): unknown {
  const values = Object.values(secrets);
  if (typeof value === 'string') return maskSecrets(value, values);
  if (Array.isArray(value)) return value.map((v) => masked(v, secrets));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, secrets)]));
  return value;
}

async function readLimited(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= max) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

async function http(step: Extract<StepDef, { kind: 'http' }>, scope: unknown, env: StepEnv): Promise<StepOutcome> {
  const shown = render({ method: step.method, url: step.url, headers: step.headers, body: step.body }, scope) as Record<string, unknown>;
  const real = render({ url: step.url, headers: step.headers, body: step.body }, scope, { secrets: env.secrets }) as {
    url: unknown;
    headers: Record<string, unknown>;
    body: unknown;
  };
  const input = masked(shown, env.secrets);
  let url: URL;
  try {
    url = new URL(String(real.url));
  } catch {
    throw new StepFailure(`"${String(shown.url)}" is not a URL`, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new StepFailure(`only http and https URLs are called (got ${url.protocol})`, true);
  if (!hostAllowed(url, env.config.http.allowHosts)) {
    throw new StepFailure(`host ${url.host} is not in processes.http.allowHosts, so it was not called`, true);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(real.headers ?? {})) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
  let body: string | undefined;
  if (real.body !== undefined && step.method !== 'GET' && step.method !== 'HEAD') {
    body = typeof real.body === 'string' ? real.body : JSON.stringify(real.body);
    if (typeof real.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const timeoutMs = step.timeout !== undefined ? toMs(step.timeout) : env.config.http.timeoutMs;
  const where = `${step.method} ${url.host}${url.pathname}`;
  // Only an accepted answer is recorded as done: a refused one is called again on the next
  // try, with the same Idempotency-Key, as is a call a killed worker never saw answered.
  const answer = await env.effect('http', async ({ key }) => {
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) headers['Idempotency-Key'] = key;
    const started = Date.now();
    let res: Response;
    try {
      // Redirects are not followed: a redirect could lead outside the allow-list.
      res = await (env.fetch ?? fetch)(url, { method: step.method, headers, body: body ?? null, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
      throw new StepFailure(maskSecrets(`${where} failed: ${why}`, Object.values(env.secrets)));
    }
    const text = await readLimited(res, env.config.http.maxResponseBytes);
    const statusOk = step.expectStatus ? step.expectStatus.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!statusOk) throw new StepFailure(`${where} answered ${res.status}, expected ${step.expectStatus?.join(' or ') ?? '2xx'}`);
    if (step.expectBody && !text.includes(step.expectBody)) throw new StepFailure(`${where} answered without "${step.expectBody}"`);
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, ok: res.ok, ms: Date.now() - started, body: masked(parsed, env.secrets) };
  });
  return { type: 'done', input, output: answer };
}

/** A literal duration, or a template rendering to one (which must carry its unit too). */
export function durationOf(d: string, scope: unknown): number {
  const v = d.includes('{{') ? renderString(d, scope) : d;
  const ms = parseDuration(String(v));
  if (ms === null) throw new StepFailure(`"${String(v)}" is not a duration with a unit, such as 30s or 5m`, true);
  return ms;
}

function targetOf(to: string | undefined, scope: unknown): ChatTarget {
  if (!to) return {};
  const d = renderText(to, scope).trim();
  return d ? { destination: d } : {};
}

function ticketId(v: string | undefined, scope: unknown): number {
  const n = Number(v === undefined ? NaN : renderText(v, scope));
  if (!Number.isInteger(n) || n <= 0) throw new StepFailure(`ticket "${v ?? ''}" is not a ticket number`, true);
  return n;
}

/** The `ticket` step: open, read, assign, comment on or resolve a ticket through the port. */
async function ticket(step: Extract<StepDef, { kind: 'ticket' }>, scope: unknown, env: StepEnv): Promise<StepOutcome> {
  const tickets = env.ports.tickets;
  if (!tickets) throw new StepFailure('the tickets feature is not available here', true);
  const actor = `process run ${env.runId}`;
  switch (step.action) {
    case 'open': {
      const title = renderText(step.title ?? '', scope).trim();
      if (title.length < 3) throw new StepFailure('a ticket needs a title of 3 characters or more', true);
      const t = await tickets.open({
        title,
        description: renderText(step.description ?? '', scope),
        severity: step.severity ? renderText(step.severity, scope) : undefined,
        reporter: actor,
        key: `process:${env.stepRunId}`,
      });
      return { type: 'done', input: { action: 'open', title }, output: t };
    }
    case 'get': {
      const id = ticketId(step.ticket, scope);
      const t = await tickets.get(id);
      if (!t) throw new StepFailure(`ticket ${id} does not exist`, true);
      return { type: 'done', input: { action: 'get', ticket: id }, output: t };
    }
    case 'assign': {
      const id = ticketId(step.ticket, scope);
      const who = renderText(step.assignee ?? '', scope).trim();
      if (!who) throw new StepFailure('assign needs an assignee', true);
      const output = await env.effect('ticket.assign', ({ key }) => tickets.assign(id, who, actor, key));
      return { type: 'done', input: { action: 'assign', ticket: id, assignee: who }, output };
    }
    case 'comment': {
      const id = ticketId(step.ticket, scope);
      const text = renderText(step.text ?? '', scope);
      return { type: 'done', input: { action: 'comment', ticket: id }, output: await env.effect('ticket.comment', ({ key }) => tickets.comment(id, text, actor, key)) };
    }
    case 'resolve': {
      const id = ticketId(step.ticket, scope);
      const note = renderText(step.text ?? '', scope);
      return { type: 'done', input: { action: 'resolve', ticket: id }, output: await env.effect('ticket.resolve', ({ key }) => tickets.resolve(id, note, actor, key)) };
    }
  }
}

/** Where a branch step goes: the first case that holds, else `else`, else the next step. Pure. */
export function branchOutcome(step: Extract<StepDef, { kind: 'branch' }>, scope: unknown): StepOutcome {
  for (const [i, c] of step.cases.entries()) {
    if (holds(c.if, scope)) return { type: 'goto', target: c.goto, input: { cases: step.cases.length }, output: { matched: i, target: c.goto } };
  }
  if (step.else) return { type: 'goto', target: step.else, output: { matched: null, target: step.else } };
  return { type: 'done', output: { matched: null, target: null } };
}

/** Runs one step. `scope` is what templates and expressions read. */
export async function executeStep(step: StepDef, scope: unknown, env: StepEnv): Promise<StepOutcome> {
  switch (step.kind) {
    case 'http':
      return http(step, scope, env);
    case 'notify': {
      const text = renderText(step.text, scope);
      const title = step.title ? renderText(step.title, scope) : undefined;
      const to = await env.effect('notify', (call) => env.say(targetOf(step.to, scope), text, title, call));
      return { type: 'done', input: { to, text }, output: { to, text } };
    }
    case 'approval': {
      const text = renderText(step.message, scope);
      const to = await env.effect('approval', (call) => env.askApproval(targetOf(step.to, scope), text, step.roles, env.stepRunId, call));
      const timeoutMs = toMs(step.timeout ?? env.config.defaults.approvalTimeout);
      return { type: 'wait', input: { to, message: text, roles: step.roles, timeoutMs }, waitMs: timeoutMs };
    }
    case 'wait':
      if (step.event) {
        const timeoutMs = step.timeout !== undefined ? durationOf(step.timeout, scope) : undefined;
        return { type: 'wait', input: { event: step.event, match: step.match ?? null, timeoutMs: timeoutMs ?? null }, waitEvent: step.event, ...(timeoutMs !== undefined ? { waitMs: timeoutMs } : {}) };
      }
      return { type: 'wait', input: { durationMs: durationOf(step.duration!, scope) }, waitMs: durationOf(step.duration!, scope) };
    case 'fail':
      throw new StepFailure(renderText(step.message, scope) || 'failed', true);
    case 'branch':
      return branchOutcome(step, scope);
    case 'parallel':
      return { type: 'fanout' };
    case 'ticket':
      return ticket(step, scope, env);
    case 'agent': {
      if (!env.ports.agents) throw new StepFailure('agents are not available here', true);
      const prompt = renderText(step.prompt, scope);
      const agents = env.ports.agents;
      // An answer already had is reused: a retried job does not ask (and pay for) it again.
      const r = await env.effect('agent', () => agents.run(step.agent, prompt, env.runId));
      return { type: 'done', input: { agent: step.agent }, output: r };
    }
    case 'document': {
      if (!env.ports.documents) throw new StepFailure('documents are not available here', true);
      const raw = renderText(step.document, scope).replace(/^#/, '');
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0) throw new StepFailure(`document "${raw}" is not a document number`, true);
      const doc = await env.ports.documents.get(n);
      if (!doc) throw new StepFailure(`document ${n} does not exist`, true);
      return { type: 'done', input: { action: 'get', document: n }, output: doc };
    }
  }
  throw new StepFailure(`unknown step kind`, true);
}

/** The plan of a step for `--dry-run`: its fields rendered where inputs allow, secrets masked. */
export function planOf(step: StepDef, scope: unknown): string {
  switch (step.kind) {
    case 'http':
      return `${step.method} ${String(render(step.url, scope))}`.replace(/\$\{env\.[A-Z0-9_]+\}/g, SECRET_MASK);
    case 'notify':
      return step.to ? `→ ${renderText(step.to, scope)}` : '→ run thread';
    case 'approval':
      return `${step.roles.join('/')} · ${step.onTimeout}`;
    case 'wait':
      return step.event ? `event ${step.event}` : String(step.duration);
    case 'branch':
      return step.cases.map((c) => `${c.if} → ${c.goto}`).join('; ') + (step.else ? `; else → ${step.else}` : '');
    case 'ticket':
      return step.action;
    case 'agent':
      return step.agent;
    case 'document':
      return renderText(step.document, scope);
    case 'parallel':
      return `${step.branches.length} branches`;
    case 'fail':
      return renderText(step.message, scope);
  }
}
