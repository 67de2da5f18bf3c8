/**
 * A small SVG bar chart renderer: one or more panels that share the categories (weeks, say),
 * each with a group of bars per category (one per series) on a fixed scale (0..max). Text is
 * whatever the caller passes, already translated; every piece of it is escaped here. A chart
 * without a single value says so in the middle instead of drawing empty axes.
 */
import { cleanText, truncate } from '../text/sanitize.ts';

/** One bar per category; null draws no bar (nothing was measured there). */
export interface ChartSeries {
  name: string;
  /** A CSS colour, e.g. '#d62728'. */
  color: string;
  values: ReadonlyArray<number | null>;
}

/** A band of the chart with its own heading and scale. */
export interface ChartPanel {
  title: string;
  series: ChartSeries[];
  /** Top of the scale (100 for percentages). */
  max: number;
  /** Suffix of the scale's labels and of the values ('%'). */
  unit: string;
}

/** What to draw. */
export interface BarChartSpec {
  title: string;
  subtitle?: string;
  /** Labels of the x axis, one per group of bars. */
  categories: string[];
  panels: ChartPanel[];
  /** Shown instead of the panels when no series has a value. */
  noData: string;
}

/** The SVG text and its size in pixels. */
export interface RenderedSvg {
  svg: string;
  width: number;
  height: number;
}

const LEFT = 56;
const RIGHT = 20;
const TOP = 64;
const PANEL_H = 200;
const PANEL_GAP = 56;
const FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

/** Escapes text for SVG (XML 1.0): markup characters, and drops what XML cannot carry at all. */
export function escapeXml(text: string): string {
  // cleanText drops the C0 controls XML 1.0 refuses and mends lone surrogates.
  return cleanText(text)
    .replace(/[\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Long labels are cut (a title is one line). */
const clip = (text: string, max: number): string => truncate(text, max, '…');

function textEl(x: number, y: number, text: string, attrs: string): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(text)}</text>`;
}

/** True when at least one bar would be drawn. */
export function hasValues(spec: BarChartSpec): boolean {
  return spec.categories.length > 0 && spec.panels.some((p) => p.series.some((s) => s.values.some((v) => v !== null && Number.isFinite(v))));
}

/** Renders the chart (see the file comment). */
export function renderBarChartSvg(spec: BarChartSpec): RenderedSvg {
  const n = spec.categories.length;
  const seriesCount = Math.max(1, ...spec.panels.map((p) => p.series.length));
  const empty = !hasValues(spec);
  const width = empty ? 720 : Math.round(Math.min(1600, Math.max(720, LEFT + RIGHT + n * (seriesCount * 10 + 10))));
  const panels = empty ? 1 : spec.panels.length;
  const height = TOP + 28 + panels * (PANEL_H + PANEL_GAP);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    textEl(LEFT, 28, clip(spec.title, 90), 'font-size="18" font-weight="bold" fill="#222"'),
  ];
  if (spec.subtitle) out.push(textEl(LEFT, 48, clip(spec.subtitle, 120), 'font-size="12" fill="#555"'));
  if (empty) {
    out.push(`<rect x="${LEFT}" y="${TOP + 28}" width="${width - LEFT - RIGHT}" height="${PANEL_H}" fill="#f6f6f6" stroke="#ddd"/>`);
    out.push(textEl(width / 2, TOP + 28 + PANEL_H / 2, clip(spec.noData, 80), 'font-size="16" fill="#666" text-anchor="middle"'));
  } else {
    out.push(legend(spec.panels[0]!.series, width));
    spec.panels.forEach((p, i) => out.push(panel(p, spec.categories, TOP + 28 + i * (PANEL_H + PANEL_GAP), width)));
  }
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}

/** The series' colours and names, in one row under the title. */
function legend(series: ChartSeries[], width: number): string {
  const parts: string[] = [];
  let x = width - RIGHT;
  for (const s of [...series].reverse()) {
    const label = clip(s.name, 24);
    x -= 22 + label.length * 7.5;
    parts.push(`<rect x="${x.toFixed(1)}" y="18" width="12" height="12" fill="${escapeXml(s.color)}"/>`);
    parts.push(textEl(x + 16, 28, label, 'font-size="12" fill="#333"'));
  }
  return parts.join('\n');
}

/** One band: its heading, the scale, the bars and the category labels under it. */
function panel(p: ChartPanel, categories: string[], top: number, width: number): string {
  const plotW = width - LEFT - RIGHT;
  const y0 = top + PANEL_H;
  const scale = (v: number) => (Math.min(Math.max(v, 0), p.max) / p.max) * (PANEL_H - 16);
  const parts: string[] = [textEl(LEFT, top - 8, clip(p.title, 100), 'font-size="14" font-weight="bold" fill="#333"')];
  for (let k = 0; k <= 4; k++) {
    const v = (p.max * k) / 4;
    const y = y0 - scale(v);
    parts.push(`<line x1="${LEFT}" y1="${y.toFixed(1)}" x2="${width - RIGHT}" y2="${y.toFixed(1)}" stroke="${k === 0 ? '#999' : '#e5e5e5'}"/>`);
    parts.push(textEl(LEFT - 6, y + 4, `${Math.round(v)}${p.unit}`, 'font-size="10" fill="#666" text-anchor="end"'));
  }
  const groupW = plotW / categories.length;
  const barW = Math.max(2, Math.min(22, (groupW - 6) / Math.max(1, p.series.length)));
  const showValues = barW >= 16;
  // Every label when they fit, else every k-th.
  const every = Math.max(1, Math.ceil(46 / groupW));
  categories.forEach((label, c) => {
    const gx = LEFT + c * groupW + (groupW - barW * p.series.length) / 2;
    p.series.forEach((s, i) => {
      const v = s.values[c];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const h = Math.max(1, scale(v));
      const x = gx + i * barW;
      parts.push(`<rect class="bar" x="${x.toFixed(1)}" y="${(y0 - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${escapeXml(s.color)}"/>`);
      if (showValues) parts.push(textEl(x + barW / 2, y0 - h - 3, `${Math.round(v)}`, 'font-size="9" fill="#444" text-anchor="middle"'));
    });
    if (c % every === 0) parts.push(textEl(LEFT + c * groupW + groupW / 2, y0 + 16, clip(label, 12), 'font-size="11" fill="#444" text-anchor="middle"'));
  });
  return parts.join('\n');
}
