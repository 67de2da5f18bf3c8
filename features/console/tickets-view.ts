/**
 * The tickets pages' markup: the open list with its GET filter form and SLA column, and one
 * ticket with its details, its forms (ticket-forms.ts) and the timeline (state changes, comments, SLA
 * notices, as the tickets service records them). At-risk and breached rows carry a class and
 * say so in words.
 */
import type { Ticket } from '../../generated/prisma/client.ts';
import type { TicketRow } from '../../services/tickets/ticket-types.ts';
import { SEVERITIES } from '../../services/tickets/tickets.config.ts';
import { DONE_STATUSES, formatDue, formatTime, severityLabel, statusLabel } from '../../services/tickets/ticket.render.ts';
import { html, type Html } from './html.ts';
import { href, page, type PageCtx } from './layout.ts';
import { ticketForms, type People, type TicketForms } from './ticket-forms.ts';
import { pager } from './pager.ts';

/** The states an open ticket can be in (the list's state filter). */
export const OPEN_STATES = ['new', 'acknowledged', 'in_progress', 'waiting_on_reporter'] as const;
/** The assignee filter's value for tickets nobody has. */
export const UNASSIGNED = '-';

export interface ListFilters {
  severity?: string;
  state?: string;
  assignee?: string;
}

export type SlaState = 'ok' | 'at_risk' | 'breached' | 'paused' | 'done' | 'none';

/** Where a ticket stands against its clocks at `now`. */
export function slaState(t: TicketRow, now: Date): SlaState {
  if (DONE_STATUSES.includes(t.status)) return 'done';
  if (t.status === 'waiting_on_reporter') return 'paused';
  const responding = !t.acknowledgedAt;
  if (t.responseBreachedAt || t.resolutionBreachedAt) return 'breached';
  if ((responding && t.responseDueAt && t.responseDueAt <= now) || (t.resolutionDueAt && t.resolutionDueAt <= now)) return 'breached';
  if ((responding && t.responseAtRiskAt && t.responseAtRiskAt <= now) || (t.resolutionAtRiskAt && t.resolutionAtRiskAt <= now)) return 'at_risk';
  return t.responseDueAt || t.resolutionDueAt ? 'ok' : 'none';
}

const STATE_KEYS: Record<SlaState, string> = {
  ok: 'console.sla.ok',
  at_risk: 'console.sla.atRisk',
  breached: 'console.sla.breached',
  paused: 'console.sla.paused',
  done: 'console.sla.done',
  none: 'tickets.due.none',
};

/** "At risk: response due in 5m; resolution due in 3h". */
function slaText(c: PageCtx, t: TicketRow, now: Date): Html {
  const state = slaState(t, now);
  const parts: string[] = [];
  if (state !== 'done' && state !== 'paused') {
    if (!t.acknowledgedAt && t.responseDueAt) parts.push(c.t('console.sla.response', { due: formatDue(c.t, t.responseDueAt, now) }));
    if (t.resolutionDueAt) parts.push(c.t('console.sla.resolution', { due: formatDue(c.t, t.resolutionDueAt, now) }));
  }
  return html`<span class="state">${c.t(STATE_KEYS[state])}</span>${parts.length ? html`: ${parts.join('; ')}` : ''}`;
}

function rowClass(state: SlaState): string {
  return state === 'at_risk' ? 'at-risk' : state === 'breached' ? 'breached' : '';
}

function select(c: PageCtx, name: string, labelKey: string, options: { value: string; label: string }[], current: string | undefined): Html {
  const opts = [{ value: '', label: c.t('console.tickets.any') }, ...options].map(
    (o) => html`<option value="${o.value}"${o.value === (current ?? '') ? html` selected` : ''}>${o.label}</option>`,
  );
  return html`<div><label for="f-${name}">${c.t(labelKey)}</label><select id="f-${name}" name="${name}">${opts}</select></div>`;
}

function filterForm(c: PageCtx, f: ListFilters, assignees: string[]): Html {
  return html`<form class="filters" method="get" action="/console/tickets" role="search" aria-label="${c.t('console.tickets.filters')}">
${c.explicitLang ? html`<input type="hidden" name="lang" value="${c.explicitLang}">` : ''}
${select(c, 'severity', 'console.tickets.severity', SEVERITIES.map((s) => ({ value: s, label: severityLabel(c.t, s) })), f.severity)}
${select(c, 'state', 'console.tickets.state', OPEN_STATES.map((s) => ({ value: s, label: statusLabel(c.t, s) })), f.state)}
${select(c, 'assignee', 'console.tickets.assignee', [{ value: UNASSIGNED, label: c.t('console.tickets.unassigned') }, ...assignees.map((a) => ({ value: a, label: a }))], f.assignee)}
<div><button type="submit">${c.t('console.tickets.apply')}</button> <a href="${href(c, '/console/tickets')}">${c.t('console.tickets.reset')}</a></div>
</form>`;
}

/** The list's page: rows, how many match, the assignee filter's names. */
export interface TicketsList {
  rows: TicketRow[];
  total: number;
  page: number;
  pageSize: number;
  assignees: string[];
}

/** The open tickets page: one page of the list, with links to the others. */
export function ticketsPage(c: PageCtx, l: TicketsList, f: ListFilters, now: Date): string {
  const body = l.rows.map((t) => {
    const state = slaState(t, now);
    const link = href(c, `/console/tickets/${t.id}`);
    return html`<tr class="${rowClass(state)}" data-ticket="${t.id}" data-sla="${state}">
<th scope="row"><a href="${link}">#${t.id}</a></th><td><a href="${link}">${t.title}</a></td><td>${t.severity}</td>
<td>${statusLabel(c.t, t.status)}</td><td>${t.assigneeName ?? c.t('console.tickets.unassigned')}</td><td>${slaText(c, t, now)}</td></tr>`;
  });
  const table = l.rows.length
    ? html`<table><caption>${c.t('console.tickets.caption')}</caption><thead><tr>
<th scope="col">${c.t('console.col.id')}</th><th scope="col">${c.t('console.col.title')}</th><th scope="col">${c.t('console.col.severity')}</th>
<th scope="col">${c.t('console.col.state')}</th><th scope="col">${c.t('console.col.assignee')}</th><th scope="col">${c.t('console.col.sla')}</th>
</tr></thead><tbody>${body}</tbody></table>`
    : '';
  const { status, nav } = pager(c, {
    path: '/console/tickets',
    params: { ...f },
    page: l.page,
    pageSize: l.pageSize,
    shown: l.rows.length,
    total: l.total,
    rangeKey: 'console.tickets.range',
    empty: c.t('console.tickets.empty'),
  });
  return page(c, {
    title: c.t('console.tickets.title'),
    section: 'tickets',
    body: html`<h2>${c.t('console.tickets.filters')}</h2>${filterForm(c, f, l.assignees)}${status}${table}${nav}`,
  });
}

export interface TicketEventView {
  kind: string;
  actorName: string | null;
  body: string | null;
  createdAt: Date;
}

function when(c: PageCtx, d: Date, timeZone: string): Html {
  return html`<time datetime="${d.toISOString()}">${formatTime(d, c.locale, timeZone)}</time>`;
}

function timeline(c: PageCtx, events: TicketEventView[], timeZone: string): Html {
  if (!events.length) return html`<p>${c.t('console.ticket.timeline.empty')}</p>`;
  const rows = events.map(
    (e) => html`<tr data-kind="${e.kind}"><td>${when(c, e.createdAt, timeZone)}</td><td>${c.t(`tickets.event.${e.kind}`)}</td><td>${e.actorName ?? '—'}</td><td>${e.body ?? ''}</td></tr>`,
  );
  return html`<table class="timeline"><caption>${c.t('console.ticket.timeline.caption')}</caption><thead><tr>
<th scope="col">${c.t('console.col.when')}</th><th scope="col">${c.t('console.col.what')}</th><th scope="col">${c.t('console.col.who')}</th><th scope="col">${c.t('console.col.detail')}</th>
</tr></thead><tbody>${rows}</tbody></table>`;
}

export interface TicketPageOpts {
  ticket: Ticket;
  events: TicketEventView[];
  now: Date;
  timeZone: string;
  /** The forms the viewer's role may use (the chat's specs allow them). */
  forms: TicketForms;
  /** The assignee picker's people. */
  people: People;
  /** A line saying what was just done (after a form). */
  notice?: string;
}

/** One ticket: details, actions and timeline. */
export function ticketPage(c: PageCtx, o: TicketPageOpts): string {
  const { ticket: t, now, timeZone } = o;
  const state = slaState(t, now);
  const item = (key: string, value: Html | string) => html`<dt>${c.t(key)}</dt><dd>${value}</dd>`;
  const details = html`<dl class="details">
${item('console.col.severity', severityLabel(c.t, t.severity))}${item('console.col.state', statusLabel(c.t, t.status))}
${item('console.col.sla', html`<span class="${rowClass(state)}" data-sla="${state}">${slaText(c, t, now)}</span>`)}
${item('console.ticket.reporter', t.reporterName ?? '—')}${item('console.col.assignee', t.assigneeName ?? c.t('console.tickets.unassigned'))}
${t.component ? item('console.ticket.component', t.component) : ''}${item('console.ticket.source', t.source)}
${item('console.ticket.created', when(c, t.createdAt, timeZone))}${t.acknowledgedAt ? item('console.ticket.acknowledged', when(c, t.acknowledgedAt, timeZone)) : ''}
</dl>`;
  const actions = ticketForms(c, t, o.forms, o.people);
  return page(c, {
    title: c.t('console.ticket.heading', { id: t.id, title: t.title }),
    section: 'tickets',
    body: html`${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<h2>${c.t('console.ticket.details')}</h2>${details}
<h2>${c.t('console.ticket.description')}</h2><p class="description">${t.description || c.t('console.ticket.noDescription')}</p>
<h2>${c.t('console.ticket.actions')}</h2>${actions}
<h2>${c.t('console.ticket.timeline')}</h2>${timeline(c, o.events, timeZone)}`,
  });
}
