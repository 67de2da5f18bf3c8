/**
 * The alerts page's markup: the firing groups, most severe first (severity, service, since
 * when, flapping, acknowledged or silenced, said in words), 50 a page, each with the Ack and Silence
 * forms for roles that may press the card's buttons, and the latest alert notifications.
 */
import { formatTime } from '../../services/tickets/ticket.render.ts';
import { html, type Html } from './html.ts';
import { csrfField, href, page, type PageCtx } from './layout.ts';
import { pager } from './pager.ts';

/** A firing group as the page shows it. */
export interface ActiveGroupView {
  id: string;
  severity: string;
  service: string;
  environment: string;
  title: string;
  since: Date;
  flapping: boolean;
  ackBy: string | null;
  ackAt: Date | null;
  silencedUntil: Date | null;
  ticketId: string | null;
}

/** One received alert (the history). */
export interface AlertHistoryView {
  id: string;
  receivedAt: Date;
  status: string;
  severity: string;
  service: string;
  title: string;
}

export interface AlertsPageOpts {
  /** A page of the firing groups: which one, its size, and how many groups fire. */
  groups: ActiveGroupView[];
  page: number;
  pageSize: number;
  total: number;
  history: AlertHistoryView[];
  canAct: boolean;
  timeZone: string;
  notice?: string;
}

/** The silence lengths the card offers (hours). */
export const SILENCE_HOURS = ['1', '4', '24'] as const;

const when = (c: PageCtx, d: Date, tz: string) => html`<time datetime="${d.toISOString()}">${formatTime(d, c.locale, tz)}</time>`;

function stateOf(c: PageCtx, g: ActiveGroupView, tz: string): Html {
  const parts: Html[] = [];
  parts.push(g.ackAt ? html`<span class="state">${c.t('console.alerts.acked', { who: g.ackBy ?? '—' })}</span> ${when(c, g.ackAt, tz)}` : html`<span class="state">${c.t('console.alerts.notAcked')}</span>`);
  if (g.silencedUntil) parts.push(html`<br><span class="state">${c.t('console.alerts.silencedUntil')}</span> ${when(c, g.silencedUntil, tz)}`);
  return html`${parts}`;
}

function actions(c: PageCtx, g: ActiveGroupView): Html {
  const ack = g.ackAt
    ? ''
    : html`<form method="post" action="${href(c, `/console/alerts/${g.id}/ack`)}">${csrfField(c)}<button type="submit" aria-label="${c.t('console.alerts.ackFor', { title: g.title })}">${c.t('console.alerts.ack')}</button></form>`;
  const options = SILENCE_HOURS.map((h) => html`<option value="${h}">${c.t('console.alerts.hours', { hours: h })}</option>`);
  const silence = html`<form class="inline" method="post" action="${href(c, `/console/alerts/${g.id}/silence`)}">${csrfField(c)}
<label class="sr-only" for="sil-${g.id}">${c.t('console.alerts.silenceFor', { title: g.title })}</label><select id="sil-${g.id}" name="hours">${options}</select>
<button type="submit" aria-label="${c.t('console.alerts.silenceFor', { title: g.title })}">${c.t('console.alerts.silence')}</button></form>`;
  return html`<td class="actions">${ack}${silence}</td>`;
}

function activeTable(c: PageCtx, o: AlertsPageOpts): Html {
  if (!o.groups.length && o.page === 1) return html`<p>${c.t('console.alerts.none')}</p>`;
  const { status, nav } = pager(c, {
    path: '/console/alerts',
    params: {},
    page: o.page,
    pageSize: o.pageSize,
    shown: o.groups.length,
    total: o.total,
    rangeKey: 'console.alerts.range',
    empty: c.t('console.alerts.none'),
  });
  if (!o.groups.length) return html`${status}${nav}`;
  const rows = o.groups.map(
    (g) => html`<tr data-group="${g.id}" class="${g.severity === 'critical' ? 'breached' : ''}">
<th scope="row">${g.title}${g.ticketId ? html` <span class="muted">(${c.t('console.alerts.ticket', { ticket: g.ticketId })})</span>` : ''}</th>
<td>${g.severity}</td><td>${g.service || '—'}${g.environment ? html` <span class="muted">${g.environment}</span>` : ''}</td><td>${when(c, g.since, o.timeZone)}</td>
<td>${c.t(g.flapping ? 'console.alerts.flapping' : 'console.alerts.steady')}</td><td>${stateOf(c, g, o.timeZone)}</td>${o.canAct ? actions(c, g) : ''}</tr>`,
  );
  return html`${status}<table><caption>${c.t('console.alerts.activeCaption', { count: o.total })}</caption><thead><tr>
<th scope="col">${c.t('console.col.title')}</th><th scope="col">${c.t('console.col.severity')}</th><th scope="col">${c.t('console.alerts.service')}</th>
<th scope="col">${c.t('console.alerts.since')}</th><th scope="col">${c.t('console.alerts.flappingCol')}</th><th scope="col">${c.t('console.col.state')}</th>
${o.canAct ? html`<th scope="col">${c.t('console.ticket.actions')}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table>${nav}`;
}

function historyTable(c: PageCtx, o: AlertsPageOpts): Html {
  if (!o.history.length) return html`<p>${c.t('console.alerts.noHistory')}</p>`;
  const rows = o.history.map(
    (a) => html`<tr data-alert="${a.id}"><td>${when(c, a.receivedAt, o.timeZone)}</td><td>${c.t(`alerts.status.${a.status === 'resolved' ? 'resolved' : 'firing'}`)}</td>
<td>${a.severity}</td><td>${a.service || '—'}</td><td>${a.title}</td></tr>`,
  );
  return html`<table class="history"><caption>${c.t('console.alerts.historyCaption', { count: o.history.length })}</caption><thead><tr>
<th scope="col">${c.t('console.col.when')}</th><th scope="col">${c.t('console.col.state')}</th><th scope="col">${c.t('console.col.severity')}</th>
<th scope="col">${c.t('console.alerts.service')}</th><th scope="col">${c.t('console.col.title')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The alerts page. */
export function alertsPage(c: PageCtx, o: AlertsPageOpts): string {
  return page(c, {
    title: c.t('console.alerts.title'),
    section: 'alerts',
    body: html`${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<h2>${c.t('console.alerts.active')}</h2>${activeTable(c, o)}
<h2>${c.t('console.alerts.history')}</h2>${historyTable(c, o)}`,
  });
}
