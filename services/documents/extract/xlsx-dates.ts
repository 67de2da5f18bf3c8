/**
 * Dates in XLSX: a date is a plain number (days since the workbook's epoch) whose cell style
 * has a date number format. These helpers tell which styles are dates and turn serials
 * into ISO text. A currency too may live only in the number format ("[$$-409]#,##0.00"):
 * {@link currencyStyles} names it.
 */
import { child, childrenNamed, type XmlNode } from './xml.ts';

/** How a style shows a number: as a date (with time when there is a fraction), a time, or not at all. */
export type DateKind = 'date' | 'time' | null;

// Built-in formats 14-17 and 22 show a date, 18-21 and 45-47 a time of day or a duration.
const BUILTIN_DATE = new Set([14, 15, 16, 17, 22]);
const BUILTIN_TIME = new Set([18, 19, 20, 21, 45, 46, 47]);

/** Classifies a custom format code: quoted text, escapes and [colour]/[locale] sections are not format letters. */
export function formatKind(code: string): DateKind {
  const letters = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  // Only the first section decides (positive numbers); "General" and text formats have no date letters.
  const first = letters.split(';')[0] ?? '';
  if (/[dy]/i.test(first)) return 'date';
  // "m" alone is a month; next to hours or seconds it is minutes.
  if (/[hs]/i.test(first)) return 'time';
  if (/m/i.test(first)) return 'date';
  return null;
}

function customFormats(styles: XmlNode | undefined): Map<number, string> {
  const custom = new Map<number, string>();
  for (const f of childrenNamed(child(styles, 'numFmts'), 'numFmt')) custom.set(Number(f.attrs.numFmtId), f.attrs.formatCode ?? '');
  return custom;
}

// "[$$-409]", "[$€-407]", "[$руб.-419]", "[$USD]": a currency section; the locale tells a dollar's country.
const DOLLAR_LOCALE: Record<string, string> = { '1009': 'CAD', c09: 'AUD', '1409': 'NZD' };
const SYMBOL: [RegExp, string][] = [[/^(?:\$|us\$|usd)$/iu, 'USD'], [/^(?:€|eur)$/iu, 'EUR'], [/^(?:£|gbp)$/iu, 'GBP'], [/^(?:₽|руб\.?|р\.|rub)$/iu, 'RUB']];

/** The ISO currency a number format shows its numbers in, if any ("[$$-409]#,##0.00" gives USD). */
export function formatCurrency(code: string): string | null {
  const first = code.split(';')[0] ?? '';
  const bracket = /\[\$([^\]-]*)(?:-([0-9a-f]+))?\]/iu.exec(first);
  const quoted = /"([^"]+)"|\\([$€£₽])/u.exec(first);
  const bare = /[$€£₽]/u.exec(first.replace(/"[^"]*"|\[[^\]]*\]/g, ''));
  const sym = (bracket?.[1] || quoted?.[1]?.trim() || quoted?.[2] || bare?.[0] || '').trim();
  const cur = SYMBOL.find(([re]) => re.test(sym))?.[1] ?? null;
  return cur === 'USD' && bracket?.[2] ? (DOLLAR_LOCALE[bracket[2].toLowerCase()] ?? cur) : cur;
}

/** The currency of each cellXfs entry's number format, or null (most styles). */
export function currencyStyles(styles: XmlNode | undefined): (string | null)[] {
  const custom = customFormats(styles);
  return childrenNamed(child(styles, 'cellXfs'), 'xf').map((xf) => {
    const code = custom.get(Number(xf.attrs.numFmtId ?? 0));
    return code === undefined ? null : formatCurrency(code);
  });
}

/** The date kind of each cellXfs entry (the index a cell's `s` attribute refers to). */
export function dateStyles(styles: XmlNode | undefined): DateKind[] {
  const custom = customFormats(styles);
  return childrenNamed(child(styles, 'cellXfs'), 'xf').map((xf) => {
    const id = Number(xf.attrs.numFmtId ?? 0);
    const code = custom.get(id);
    if (code !== undefined) return formatKind(code);
    if (BUILTIN_DATE.has(id)) return 'date';
    if (BUILTIN_TIME.has(id)) return 'time';
    return null;
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return s ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(h)}:${pad(m)}`;
}

/**
 * A serial as ISO text: `2024-05-17`, `2024-06-03T14:30` when it has a time, `14:30` for a
 * time of day. Serials of the 1900 system count the phantom 29 February 1900, as spreadsheets do.
 */
export function serialToIso(serial: number, kind: Exclude<DateKind, null>, date1904: boolean): string {
  if (!Number.isFinite(serial) || serial < 0) return String(serial);
  let days = Math.floor(serial);
  // Rounded to the second: stored fractions carry binary noise (0.6041666667 is 14:30:00).
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds === 86_400) {
    days += 1;
    seconds = 0;
  }
  if (kind === 'time' && days === 0) return clock(seconds);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : days >= 60 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31);
  const date = new Date(epoch + days * 86_400_000).toISOString().slice(0, 10);
  return seconds ? `${date}T${clock(seconds)}` : date;
}

/** A `t="d"` cell (ISO text already) without a midnight time or a trailing zone. */
export function tidyIsoDate(value: string): string {
  return value.replace(/(?:T00:00(?::00(?:\.0+)?)?)?Z?$/, '').replace(/(T\d\d:\d\d):00(?:\.0+)?$/, '$1');
}
