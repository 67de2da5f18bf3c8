/**
 * The agent runs pages' markup: the latest runs (status in words, tool calls, tokens, cost)
 * and one run with its question, answer or error, the tool calls with their arguments and
 * results, the approvals it asked for and the model requests of the usage ledger.
 */
import { formatTime } from '../../services/tickets/ticket.render.ts';
import { formatDuration } from '../../services/i18n/duration-format.ts';
import { html, type Html } from './html.ts';
import { href, page, type PageCtx } from './layout.ts';

/** A run as the pages show it. */
export interface AgentRunRow {
  id: string;
  agent: string;
  status: string;
  userName: string;
  input: string;
  toolCalls: number;
  tokens: number;
  elapsedMs: number;
  result: string | null;
  error: string | null;
  parentId: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  costUsd: number;
  requests: number;
}

/** A run as the list shows it (its question at most {@link INPUT_SHOWN} characters and a mark). */
export type AgentRunListRow = Pick<AgentRunRow, 'id' | 'agent' | 'status' | 'userName' | 'input' | 'toolCalls' | 'tokens' | 'createdAt' | 'costUsd' | 'requests'>;

/** How much of a run's question the list shows. */
export const INPUT_SHOWN = 120;

/** One tool call of a run and what it answered (null: not run yet). */
export interface ToolCallView {
  id: string;
  name: string;
  args: string;
  result: string | null;
}

interface ApprovalView {
  id: string;
  commandId: string;
  status: string;
  approverRole: string;
  createdAt: Date;
  decidedAt: Date | null;
}

interface UsageView {
  id: bigint;
  at: Date;
  provider: string;
  model: string;
  purpose: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  ok: boolean;
  error: string | null;
  latencyMs: number;
}

type Message = { role?: unknown; tool_calls?: { id?: unknown; function?: { name?: unknown; arguments?: unknown } }[]; tool_call_id?: unknown; content?: unknown };

/** The tool calls in a run's stored chat-completion messages, with their results. */
export function toolCallsOf(messages: unknown): ToolCallView[] {
  const list = Array.isArray(messages) ? (messages as Message[]) : [];
  const results = new Map<string, string>();
  for (const m of list) if (m.role === 'tool' && typeof m.tool_call_id === 'string') results.set(m.tool_call_id, typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
  const calls: ToolCallView[] = [];
  for (const m of list) {
    if (m.role !== 'assistant' || !Array.isArray(m.tool_calls)) continue;
    for (const call of m.tool_calls) {
      const id = String(call.id ?? '');
      calls.push({ id, name: String(call.function?.name ?? '?'), args: String(call.function?.arguments ?? ''), result: results.get(id) ?? null });
    }
  }
  return calls;
}

const when = (c: PageCtx, d: Date | null, tz: string) => (d ? html`<time datetime="${d.toISOString()}">${formatTime(d, c.locale, tz)}</time>` : html`—`);
const usd = (n: number) => `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`;
const status = (c: PageCtx, s: string) => c.t(`console.agents.status.${s}`);
const cut = (s: string, max = 2000) => (s.length > max ? `${s.slice(0, max)}…` : s);

/** The runs list. */
export function agentRunsPage(c: PageCtx, runs: AgentRunListRow[], tz: string): string {
  const rows = runs.map((r) => {
    const link = href(c, `/console/agents/${r.id}`);
    return html`<tr data-agent-run="${r.id}" data-status="${r.status}" class="${r.status === 'failed' ? 'breached' : ''}"><th scope="row"><a href="${link}">${r.agent}</a></th>
<td><span class="state">${status(c, r.status)}</span></td><td>${r.userName}</td><td>${cut(r.input, INPUT_SHOWN)}</td><td class="num">${r.toolCalls}</td><td class="num">${r.tokens}</td>
<td class="num">${usd(r.costUsd)}</td><td>${when(c, r.createdAt, tz)}</td></tr>`;
  });
  const table = runs.length
    ? html`<table><caption>${c.t('console.agents.caption', { count: runs.length })}</caption><thead><tr>
<th scope="col">${c.t('console.agents.agent')}</th><th scope="col">${c.t('console.col.state')}</th><th scope="col">${c.t('console.col.who')}</th><th scope="col">${c.t('console.agents.input')}</th>
<th scope="col">${c.t('console.agents.toolCalls')}</th><th scope="col">${c.t('console.agents.tokens')}</th><th scope="col">${c.t('console.agents.cost')}</th><th scope="col">${c.t('console.runs.started')}</th>
</tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>${c.t('console.agents.empty')}</p>`;
  return page(c, { title: c.t('console.agents.title'), section: 'agents', body: table });
}

function callsTable(c: PageCtx, calls: ToolCallView[]): Html {
  if (!calls.length) return html`<p>${c.t('console.agents.noCalls')}</p>`;
  const rows = calls.map(
    (k, i) => html`<tr data-call="${k.name}"><th scope="row">${i + 1}. ${k.name}</th><td><pre class="json">${cut(k.args)}</pre></td><td><pre class="json">${k.result === null ? c.t('console.agents.notRun') : cut(k.result)}</pre></td></tr>`,
  );
  return html`<table data-table="calls"><caption>${c.t('console.agents.callsCaption', { count: calls.length })}</caption><thead><tr>
<th scope="col">${c.t('console.agents.tool')}</th><th scope="col">${c.t('console.agents.args')}</th><th scope="col">${c.t('console.agents.result')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function usageTable(c: PageCtx, usage: UsageView[], tz: string): Html {
  if (!usage.length) return html`<p>${c.t('console.agents.noUsage')}</p>`;
  const rows = usage.map(
    (u) => html`<tr data-usage="${String(u.id)}"><td>${when(c, u.at, tz)}</td><th scope="row">${u.provider} / ${u.model}</th><td>${u.purpose}</td><td class="num">${u.promptTokens}</td>
<td class="num">${u.completionTokens}</td><td class="num">${usd(u.costUsd)}</td><td class="num">${formatDuration(c.t, u.latencyMs)}</td><td>${u.ok ? c.t('console.agents.ok') : (u.error ?? c.t('console.agents.failed'))}</td></tr>`,
  );
  return html`<table data-table="usage"><caption>${c.t('console.agents.usageCaption', { count: usage.length })}</caption><thead><tr>
<th scope="col">${c.t('console.col.when')}</th><th scope="col">${c.t('console.agents.model')}</th><th scope="col">${c.t('console.agents.purpose')}</th><th scope="col">${c.t('console.agents.prompt')}</th>
<th scope="col">${c.t('console.agents.completion')}</th><th scope="col">${c.t('console.agents.cost')}</th><th scope="col">${c.t('console.agents.latency')}</th><th scope="col">${c.t('console.agents.outcome')}</th>
</tr></thead><tbody>${rows}</tbody></table>`;
}

function approvalsList(c: PageCtx, approvals: ApprovalView[], tz: string): Html {
  if (!approvals.length) return html``;
  const items = approvals.map((a) => html`<li data-approval="${a.id}">${c.t('console.agents.approval', { command: a.commandId, status: c.t(`console.agents.approvalStatus.${a.status}`), role: a.approverRole })} ${when(c, a.decidedAt ?? a.createdAt, tz)}</li>`);
  return html`<h2>${c.t('console.agents.approvals')}</h2><ul>${items}</ul>`;
}

/** One run. */
export function agentRunPage(c: PageCtx, o: { run: AgentRunRow; calls: ToolCallView[]; approvals: ApprovalView[]; usage: UsageView[]; timeZone: string }): string {
  const { run: r, timeZone: tz } = o;
  const item = (key: string, value: Html | string | number) => html`<dt>${c.t(key)}</dt><dd>${value}</dd>`;
  const details = html`<dl class="details">${item('console.col.state', html`<span class="state" data-status="${r.status}">${status(c, r.status)}</span>`)}${item('console.col.who', r.userName)}
${item('console.agents.toolCalls', r.toolCalls)}${item('console.agents.tokens', r.tokens)}${item('console.agents.cost', html`<span data-cost>${usd(r.costUsd)}</span>`)}
${item('console.agents.requests', r.requests)}${item('console.agents.elapsed', formatDuration(c.t, r.elapsedMs))}
${item('console.runs.started', when(c, r.createdAt, tz))}${item('console.runs.finished', when(c, r.finishedAt, tz))}
${r.parentId ? item('console.agents.parent', html`<a href="${href(c, `/console/agents/${r.parentId}`)}">${r.parentId.slice(0, 8)}</a>`) : ''}</dl>`;
  return page(c, {
    title: c.t('console.agents.heading', { agent: r.agent, id: r.id.slice(0, 8) }),
    section: 'agents',
    body: html`<h2>${c.t('console.ticket.details')}</h2>${details}
<h2>${c.t('console.agents.input')}</h2><p class="description" data-input>${r.input}</p>
<h2>${c.t('console.agents.result')}</h2><p class="description" data-result>${r.error ?? r.result ?? '—'}</p>
<h2>${c.t('console.agents.toolCalls')}</h2>${callsTable(c, o.calls)}${approvalsList(c, o.approvals, tz)}
<h2>${c.t('console.agents.requestsHeading')}</h2>${usageTable(c, o.usage, tz)}`,
  });
}
