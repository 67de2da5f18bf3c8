/**
 * The charts page's markup: SLA compliance per severity and week (first response and
 * resolution in time) and tickets opened and closed per week, each drawn as SVG by the one
 * chart renderer (services/charts, the same the `sla` picture is drawn with) and followed by
 * a table of the same figures for screen readers and for copying. No script: the SVG is in
 * the page.
 */
import { renderBarChartSvg, type BarChartSpec } from '../../services/charts/bar-chart-svg.ts';
import { SEVERITIES } from '../../services/tickets/tickets.config.ts';
import type { WeeklySla } from '../../services/tickets/ticket.service.ts';
import { escapeHtml, html, Html } from './html.ts';
import { href, page, type PageCtx } from './layout.ts';

/** Tickets opened and closed in one week (Monday, YYYY-MM-DD). */
export interface WeekFlow {
  week: string;
  opened: number;
  closed: number;
}

export interface ChartsPageOpts {
  weeks: string[];
  sla: WeeklySla[];
  flow: WeekFlow[];
  span: number;
  timeZone: string;
}

/** The spans (weeks) the page offers. */
export const SPANS = ['4', '8', '12', '26'] as const;

const COLORS = { P0: '#b71c1c', P1: '#e65100', P2: '#0d47a1', P3: '#546e7a' } as const;
const share = (met: number, missed: number) => (met + missed ? (met / (met + missed)) * 100 : null);
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v)}%`);

function label(c: PageCtx, week: string): string {
  return new Intl.DateTimeFormat(c.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${week}T00:00:00Z`));
}

/** The SVG of a spec, named for assistive technology (its figures are in the table after it). */
function figure(id: string, spec: BarChartSpec, caption: string): Html {
  const svg = renderBarChartSvg(spec).svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(caption)}" `);
  return html`<figure class="chart" data-chart="${id}">${new Html(svg)}<figcaption>${caption}</figcaption></figure>`;
}

function slaSpec(c: PageCtx, o: ChartsPageOpts): BarChartSpec {
  const byKey = new Map(o.sla.map((r) => [`${r.weekStart}|${r.severity}`, r]));
  const band = (title: string, pick: (r: WeeklySla) => number | null) => ({
    title,
    max: 100,
    unit: '%',
    series: SEVERITIES.map((sev) => ({ name: sev, color: COLORS[sev], values: o.weeks.map((w) => { const r = byKey.get(`${w}|${sev}`); return r ? pick(r) : null; }) })),
  });
  return {
    title: c.t('console.charts.sla.title', { weeks: o.span }),
    subtitle: c.t('tickets.sla.chart.subtitle', { tz: o.timeZone }),
    categories: o.weeks.map((w) => label(c, w)),
    panels: [
      band(c.t('tickets.sla.chart.response'), (r) => share(r.responseMet, r.responseMissed)),
      band(c.t('tickets.sla.chart.resolution'), (r) => share(r.resolutionMet, r.resolutionMissed)),
    ],
    noData: c.t('tickets.sla.chart.noData'),
  };
}

/** A round top for a count scale: 5, 10, 20, 50, 100, 200, ... */
export function scaleTop(max: number): number {
  for (let p = 1; ; p *= 10) for (const m of [5, 10, 20]) if (max <= m * p) return m * p;
}

function flowSpec(c: PageCtx, o: ChartsPageOpts): BarChartSpec {
  const byWeek = new Map(o.flow.map((f) => [f.week, f]));
  const values = (pick: (f: WeekFlow) => number) => o.weeks.map((w) => { const f = byWeek.get(w); return f ? pick(f) : 0; });
  const opened = values((f) => f.opened);
  const closed = values((f) => f.closed);
  const any = opened.some((v) => v > 0) || closed.some((v) => v > 0);
  return {
    title: c.t('console.charts.flow.title', { weeks: o.span }),
    subtitle: c.t('console.charts.flow.subtitle', { tz: o.timeZone }),
    categories: o.weeks.map((w) => label(c, w)),
    panels: [{
      title: c.t('console.charts.flow.panel'),
      max: scaleTop(Math.max(1, ...opened, ...closed)),
      unit: '',
      series: [
        { name: c.t('console.charts.opened'), color: '#0d47a1', values: any ? opened : opened.map(() => null) },
        { name: c.t('console.charts.closed'), color: '#2e7d32', values: any ? closed : closed.map(() => null) },
      ],
    }],
    noData: c.t('console.charts.flow.noData'),
  };
}

function slaTable(c: PageCtx, o: ChartsPageOpts): Html {
  const rows = o.sla.map(
    (r) => html`<tr data-week="${r.weekStart}" data-severity="${r.severity}"><th scope="row">${label(c, r.weekStart)}</th><td>${r.severity}</td>
<td>${pct(share(r.responseMet, r.responseMissed))} <span class="muted">(${r.responseMet}/${r.responseMet + r.responseMissed})</span></td>
<td>${pct(share(r.resolutionMet, r.resolutionMissed))} <span class="muted">(${r.resolutionMet}/${r.resolutionMet + r.resolutionMissed})</span></td></tr>`,
  );
  if (!rows.length) return html`<p>${c.t('tickets.sla.chart.noData')}</p>`;
  return html`<table class="figures" data-table="sla"><caption>${c.t('console.charts.sla.caption')}</caption><thead><tr>
<th scope="col">${c.t('console.charts.week')}</th><th scope="col">${c.t('console.col.severity')}</th>
<th scope="col">${c.t('tickets.sla.chart.response')}</th><th scope="col">${c.t('tickets.sla.chart.resolution')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function flowTable(c: PageCtx, o: ChartsPageOpts): Html {
  const byWeek = new Map(o.flow.map((f) => [f.week, f]));
  const rows = o.weeks.map((w) => {
    const f = byWeek.get(w);
    return html`<tr data-week="${w}"><th scope="row">${label(c, w)}</th><td>${f?.opened ?? 0}</td><td>${f?.closed ?? 0}</td></tr>`;
  });
  return html`<table class="figures" data-table="flow"><caption>${c.t('console.charts.flow.caption')}</caption><thead><tr>
<th scope="col">${c.t('console.charts.week')}</th><th scope="col">${c.t('console.charts.opened')}</th><th scope="col">${c.t('console.charts.closed')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function spanForm(c: PageCtx, span: number): Html {
  const options = SPANS.map((s) => html`<option value="${s}"${Number(s) === span ? html` selected` : ''}>${c.t('console.charts.weeks', { weeks: s })}</option>`);
  return html`<form class="filters" method="get" action="/console/charts" aria-label="${c.t('console.charts.span')}">
${c.explicitLang ? html`<input type="hidden" name="lang" value="${c.explicitLang}">` : ''}
<div><label for="f-weeks">${c.t('console.charts.span')}</label><select id="f-weeks" name="weeks">${options}</select></div>
<div><button type="submit">${c.t('console.tickets.apply')}</button> <a href="${href(c, '/console/charts')}">${c.t('console.tickets.reset')}</a></div></form>`;
}

/** The charts page. */
export function chartsPage(c: PageCtx, o: ChartsPageOpts): string {
  return page(c, {
    title: c.t('console.charts.title'),
    section: 'charts',
    body: html`${spanForm(c, o.span)}
<h2>${c.t('console.charts.sla.heading')}</h2>${figure('sla', slaSpec(c, o), c.t('console.charts.sla.alt', { weeks: o.span }))}${slaTable(c, o)}
<h2>${c.t('console.charts.flow.heading')}</h2>${figure('flow', flowSpec(c, o), c.t('console.charts.flow.alt', { weeks: o.span }))}${flowTable(c, o)}`,
  });
}
