/**
 * What `sla` and the weekly SLA report answer: the figures per severity as text, and a chart
 * of the share of each week's tickets that met their clocks (first response and resolution,
 * per severity), drawn as SVG by services/charts and sent as a PNG. Without a font, or when
 * drawing fails, the answer is the figures alone (the renderer says why in the log, once).
 */
import type { Logger } from '../../services/logger.ts';
import type { Translate, Locale } from '../../services/i18n/i18n.ts';
import type { Reply } from '../../services/messaging/types.ts';
import type { PngRenderer } from '../../services/charts/png-renderer.ts';
import { renderBarChartSvg, type BarChartSpec } from '../../services/charts/bar-chart-svg.ts';
import { SEVERITIES } from '../../services/tickets/tickets.config.ts';
import { formatDuration } from '../../services/i18n/duration-format.ts';
import type { SlaStats, TicketService, WeeklySla } from '../../services/tickets/ticket.service.ts';
import { weeksBetween } from '../../services/tickets/sla-weekly.ts';

/** Bar colours per severity, most urgent warmest. */
const COLORS = { P0: '#c62828', P1: '#ef6c00', P2: '#1565c0', P3: '#78909c' } as const;

/** What the views need. */
export interface SlaViewDeps {
  service: Pick<TicketService, 'stats' | 'weekly'>;
  png: PngRenderer;
  logger: Logger;
  now: () => Date;
  timeZone: string;
}

/** Who reads it and over which window. */
export interface SlaRequest {
  t: Translate;
  locale: Locale;
  days: number;
  /** Draw the chart too (false for a model's tool call: it reads text only). */
  chart: boolean;
  /** Heading of the figures (default: the `sla` title). */
  title?: string;
}

/** The figures per severity as one reply. */
export function renderSlaNumbers(t: Translate, title: string, stats: SlaStats[]): Reply {
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  const dur = (v: number | null) => (v === null ? '—' : formatDuration(t, v * 1000));
  return {
    title,
    text: t('tickets.sla.legend'),
    fields: stats.map((s) => ({
      label: `${s.severity} (${s.total})`,
      value: t('tickets.sla.row', {
        response: pct(s.responseCompliance),
        resolution: pct(s.resolutionCompliance),
        mtta: dur(s.mttaSeconds),
        mttr: dur(s.mttrSeconds),
        open: s.open,
        atRisk: s.atRisk,
        breached: s.breachedOpen,
      }),
    })),
  };
}

/** The chart's content: one band per clock, a group of bars (P0..P3) per week. */
export function slaChartSpec(t: Translate, locale: Locale, days: number, weeks: string[], rows: WeeklySla[], tz: string): BarChartSpec {
  const byKey = new Map(rows.map((r) => [`${r.weekStart}|${r.severity}`, r]));
  const share = (met: number, missed: number) => (met + missed ? (met / (met + missed)) * 100 : null);
  const fmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const band = (title: string, pick: (r: WeeklySla) => number | null) => ({
    title,
    max: 100,
    unit: '%',
    series: SEVERITIES.map((sev) => ({ name: sev, color: COLORS[sev], values: weeks.map((w) => { const r = byKey.get(`${w}|${sev}`); return r ? pick(r) : null; }) })),
  });
  return {
    title: t('tickets.sla.chart.title', { days }),
    subtitle: t('tickets.sla.chart.subtitle', { tz }),
    categories: weeks.map((w) => fmt.format(new Date(`${w}T00:00:00Z`))),
    panels: [
      band(t('tickets.sla.chart.response'), (r) => share(r.responseMet, r.responseMissed)),
      band(t('tickets.sla.chart.resolution'), (r) => share(r.resolutionMet, r.resolutionMissed)),
    ],
    noData: t('tickets.sla.chart.noData'),
  };
}

/** Builds the views over the tickets service and the PNG renderer. */
export function createSlaViews(deps: SlaViewDeps) {
  /** The chart as a reply with a picture, or null when it cannot be drawn. */
  async function chart(req: SlaRequest, since: Date): Promise<Reply | null> {
    try {
      const weeks = weeksBetween(since, deps.now(), deps.timeZone);
      const spec = slaChartSpec(req.t, req.locale, req.days, weeks, await deps.service.weekly(since), deps.timeZone);
      const png = await deps.png.render(renderBarChartSvg(spec).svg);
      if (!png) return null;
      return {
        text: req.t('tickets.sla.chart.caption', { days: req.days }),
        image: { name: 'sla.png', alt: req.t('tickets.sla.chart.alt', { days: req.days }), mimeType: 'image/png', dataBase64: png.toString('base64') },
      };
    } catch (err) {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'sla chart not drawn; answering with the figures only');
      return null;
    }
  }

  /** The figures, then the chart when there is one. */
  async function replies(req: SlaRequest): Promise<Reply[]> {
    const since = new Date(deps.now().getTime() - req.days * 86_400_000);
    const numbers = renderSlaNumbers(req.t, req.title ?? req.t('tickets.sla.title', { days: req.days }), await deps.service.stats(since));
    const picture = req.chart ? await chart(req, since) : null;
    return picture ? [numbers, picture] : [numbers];
  }

  return { replies };
}

/** The views' type. */
export type SlaViews = ReturnType<typeof createSlaViews>;
