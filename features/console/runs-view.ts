/**
 * The process runs pages' markup: the latest runs with their status, and one run with its
 * details, inputs, the forms an operator or approver may use (approve or deny a waiting
 * approval step, retry a failed run, cancel a running one) and the step timeline with each
 * step's input, output and error as the engine stored them (secrets already masked there).
 */
import { formatTime } from '../../services/tickets/ticket.render.ts';
import { stepStatus } from '../../services/processes/render.ts';
import { html, type Html } from './html.ts';
import { csrfField, href, page, type PageCtx } from './layout.ts';
import { shownJson } from './access.ts';

/** A run as the pages show it. */
export interface RunView {
  id: number;
  processName: string;
  version: number;
  status: string;
  trigger: string;
  startedBy: string | null;
  error: string | null;
  inputs: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

/** One step execution. */
export interface StepView {
  id: string;
  stepId: string;
  iteration: number;
  kind: string;
  status: string;
  attempts: number;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const when = (c: PageCtx, d: Date | null, tz: string) => (d ? html`<time datetime="${d.toISOString()}">${formatTime(d, c.locale, tz)}</time>` : html`—`);
const runStatus = (c: PageCtx, status: string) => c.t(`processes.runStatus.${status}`);

/** The runs list. */
export function runsPage(c: PageCtx, runs: RunView[], tz: string): string {
  const rows = runs.map((r) => {
    const link = href(c, `/console/runs/${r.id}`);
    return html`<tr data-run="${r.id}" data-status="${r.status}" class="${r.status === 'failed' ? 'breached' : ''}"><th scope="row"><a href="${link}">#${r.id}</a></th>
<td><a href="${link}">${r.processName}</a> <span class="muted">v${r.version}</span></td><td><span class="state">${runStatus(c, r.status)}</span></td>
<td>${c.t(`processes.trigger.${r.trigger}`)}</td><td>${r.startedBy ?? '—'}</td><td>${when(c, r.createdAt, tz)}</td><td>${when(c, r.finishedAt, tz)}</td></tr>`;
  });
  const table = runs.length
    ? html`<table><caption>${c.t('console.runs.caption', { count: runs.length })}</caption><thead><tr>
<th scope="col">${c.t('console.col.id')}</th><th scope="col">${c.t('console.runs.process')}</th><th scope="col">${c.t('console.col.state')}</th>
<th scope="col">${c.t('console.runs.trigger')}</th><th scope="col">${c.t('console.runs.startedBy')}</th><th scope="col">${c.t('console.runs.started')}</th><th scope="col">${c.t('console.runs.finished')}</th>
</tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>${c.t('console.runs.empty')}</p>`;
  return page(c, { title: c.t('console.runs.title'), section: 'runs', body: table });
}

export interface RunPageOpts {
  run: RunView;
  steps: StepView[];
  timeZone: string;
  /** The viewer may retry and cancel (operators). */
  canControl: boolean;
  notice?: string;
}

function form(c: PageCtx, action: string, label: string, name: string): Html {
  return html`<form method="post" action="${href(c, action)}">${csrfField(c)}<button type="submit" name="do" value="${name}">${label}</button></form>`;
}

function approvals(c: PageCtx, o: RunPageOpts): Html {
  if (o.run.status !== 'running') return html``;
  const waiting = o.steps.filter((s) => s.kind === 'approval' && s.status === 'waiting');
  return html`${waiting.map(
    (s) => html`<div class="approval" data-approval="${s.id}"><p>${c.t('console.runs.approvalWaiting', { step: s.stepId })}</p>
<div class="buttons">${form(c, `/console/runs/${o.run.id}/approvals/${s.id}/approve`, c.t('processes.approval.approve'), 'approve')}
${form(c, `/console/runs/${o.run.id}/approvals/${s.id}/deny`, c.t('processes.approval.deny'), 'deny')}</div></div>`,
  )}`;
}

function controls(c: PageCtx, o: RunPageOpts): Html {
  const parts: Html[] = [approvals(c, o)];
  if (o.canControl && o.run.status === 'failed') parts.push(form(c, `/console/runs/${o.run.id}/retry`, c.t('console.runs.retry'), 'retry'));
  if (o.canControl && o.run.status === 'running') parts.push(form(c, `/console/runs/${o.run.id}/cancel`, c.t('console.runs.cancel'), 'cancel'));
  const shown = parts.filter((p) => p.value.trim());
  return shown.length ? html`${shown}` : html`<p class="muted">${c.t('console.runs.noActions')}</p>`;
}

function timeline(c: PageCtx, o: RunPageOpts): Html {
  if (!o.steps.length) return html`<p>${c.t('console.ticket.timeline.empty')}</p>`;
  const rows = o.steps.map(
    (s) => html`<tr data-step="${s.stepId}" data-status="${s.status}"><th scope="row">${s.stepId}${s.iteration ? html` <span class="muted">#${s.iteration + 1}</span>` : ''}</th>
<td>${s.kind}</td><td><span class="state">${stepStatus(c.t, { ...s, error: null })}</span></td><td>${when(c, s.startedAt, o.timeZone)}</td><td>${when(c, s.finishedAt, o.timeZone)}</td>
<td><pre class="json">${shownJson(s.input)}</pre></td><td><pre class="json">${shownJson(s.output)}</pre>${s.error ? html`<p class="error">${s.error}</p>` : ''}</td></tr>`,
  );
  return html`<table class="timeline"><caption>${c.t('console.runs.timelineCaption')}</caption><thead><tr>
<th scope="col">${c.t('console.runs.step')}</th><th scope="col">${c.t('console.runs.kind')}</th><th scope="col">${c.t('console.col.state')}</th>
<th scope="col">${c.t('console.runs.started')}</th><th scope="col">${c.t('console.runs.finished')}</th><th scope="col">${c.t('console.runs.input')}</th><th scope="col">${c.t('console.runs.output')}</th>
</tr></thead><tbody>${rows}</tbody></table>`;
}

/** One run. */
export function runPage(c: PageCtx, o: RunPageOpts): string {
  const r = o.run;
  const item = (key: string, value: Html | string) => html`<dt>${c.t(key)}</dt><dd>${value}</dd>`;
  const details = html`<dl class="details">
${item('console.runs.process', `${r.processName} v${r.version}`)}${item('console.col.state', html`<span class="state" data-status="${r.status}">${runStatus(c, r.status)}</span>`)}
${item('console.runs.trigger', c.t(`processes.trigger.${r.trigger}`))}${item('console.runs.startedBy', r.startedBy ?? '—')}
${item('console.runs.started', when(c, r.createdAt, o.timeZone))}${item('console.runs.finished', when(c, r.finishedAt, o.timeZone))}
${r.error ? item('console.runs.error', r.error) : ''}</dl>`;
  return page(c, {
    title: c.t('console.runs.heading', { id: r.id, process: r.processName }),
    section: 'runs',
    body: html`${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<h2>${c.t('console.ticket.details')}</h2>${details}
<h2>${c.t('console.runs.inputs')}</h2><pre class="json" data-inputs>${shownJson(r.inputs)}</pre>
<h2>${c.t('console.ticket.actions')}</h2>${controls(c, o)}
<h2>${c.t('console.ticket.timeline')}</h2>${timeline(c, o)}`,
  });
}
