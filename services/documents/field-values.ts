/**
 * Typed values in text: dates in the usual written forms (numeric day-first, ISO, "17 May
 * 2024", "17th of May 2024", "May 17, 2024", "«17» мая 2024 г.", "17.05.24") as ISO, and amounts with a currency sign or code
 * and either decimal separator as "1234.50 EUR".
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  янв: 1, фев: 2, мар: 3, апр: 4, мая: 5, май: 5, июн: 6, июл: 7, авг: 8, сен: 9, окт: 10, ноя: 11, дек: 12,
};

const MONTH_WORD = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?|(?:янв|фев|мар|апр|ма[яй]|июн|июл|авг|сен|окт|ноя|дек)[а-яё]*\\.?';
const DATE_RE = new RegExp(
  [
    '(?<![\\d.])(\\d{1,2})[./](\\d{1,2})[./](\\d{4})(?![\\d])',
    '(?<!\\d)(\\d{4})-(\\d{2})-(\\d{2})(?!\\d)',
    `(?<!\\d)[«"“]?(\\d{1,2})(?:st|nd|rd|th)?[»"”]?\\s+(?:of\\s+)?(${MONTH_WORD})\\s+(\\d{4})(?:\\s*(?:г\\.|года))?`,
    `(?<![\\p{L}])(${MONTH_WORD})\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})`,
    // A two-digit year only zero-padded with dots ("02.02.25", as Russian forms write it), read as 20yy.
    '(?<![\\p{L}\\d.])(\\d{2})\\.(\\d{2})\\.(\\d{2})(?![\\d.])',
  ].join('|'),
  'giu',
);

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

function monthOf(word: string): number {
  return MONTHS[word.toLowerCase().replace('ё', 'е').slice(0, 3)] ?? 0;
}

/** A value found in the text: as written, normalised, and where. */
export interface Span {
  value: string;
  normalized: string;
  start: number;
  end: number;
}

/** All dates in the text, day-first for numeric forms (a swap when the month would exceed 12). */
export function findDates(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(DATE_RE)) {
    let iso: string | null = null;
    if (m[1]) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      iso = isoDate(Number(m[3]), b, a) ?? isoDate(Number(m[3]), a, b);
    } else if (m[4]) iso = isoDate(Number(m[4]), Number(m[5]), Number(m[6]));
    else if (m[7]) iso = isoDate(Number(m[9]), monthOf(m[8]!), Number(m[7]));
    else if (m[10]) iso = isoDate(Number(m[12]), monthOf(m[10]), Number(m[11]));
    else if (m[13]) iso = isoDate(2000 + Number(m[15]), Number(m[14]), Number(m[13]));
    if (iso) out.push({ value: m[0], normalized: iso, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

const CUR_AFTER = '(usd|eur|gbp|rub|chf|cny|руб\\.?|рублей|рубля|рубль|₽|\\$|€|£)';
const CUR_BEFORE = '(usd|eur|gbp|rub|\\$|€|£)';
const NUM = '(\\d{1,3}(?:[ \\u00a0\\u202f,.]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)';
// The amount in words in brackets between the number and the currency ("2 500 000 (два миллиона) рублей") is skipped.
const WORDS = '(?:\\s*\\([^()\\d]{3,80}\\)\\s*|\\s?)';
const AMOUNT_RE = new RegExp(`${CUR_BEFORE}\\s?${NUM}|${NUM}${WORDS}${CUR_AFTER}(?![\\p{L}])`, 'giu');

function currencyCode(c: string): string {
  const s = c.toLowerCase();
  if (s === '$' || s === 'usd') return 'USD';
  if (s === '€' || s === 'eur') return 'EUR';
  if (s === '£' || s === 'gbp') return 'GBP';
  if (s === 'chf') return 'CHF';
  if (s === 'cny') return 'CNY';
  return 'RUB';
}

/** Parses "1,200.50", "1 200,50", "1.200,50" into a number. */
export function parseNumber(raw: string): number {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let norm: string;
  if (lastComma >= 0 && lastDot >= 0) {
    norm = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    norm = /,\d{1,2}$/.test(s) ? s.replace(/,(?=\d{3}(?:\D|$))/g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastDot >= 0) {
    norm = /\.\d{3}$/.test(s) && s.split('.').length > 1 && !/\.\d{1,2}$/.test(s) ? s.replace(/\./g, '') : s;
  } else norm = s;
  return Number(norm);
}

/** Amounts that carry a currency. */
export function findAmounts(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(AMOUNT_RE)) {
    const cur = m[1] ?? m[4]!;
    const num = m[2] ?? m[3]!;
    const n = parseNumber(num);
    if (!Number.isFinite(n)) continue;
    out.push({ value: m[0].trim(), normalized: `${n.toFixed(2)} ${currencyCode(cur)}`, start: m.index!, end: m.index! + m[0].trimEnd().length });
  }
  return out;
}

