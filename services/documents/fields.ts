/**
 * Field extraction: per-category fields (invoice, contract, certificate, passport) plus
 * dates, amounts with currency, emails and company identifiers found anywhere. Every field
 * keeps the span of text it came from and a normalised value (ISO dates, "1234.50 USD").
 */
import type { Category } from './classify.ts';

/** One extracted field. */
export interface ExtractedField {
  /** 'number', 'date', 'total', ... or a generic 'date' | 'amount' | 'email' | 'inn' | 'ogrn' | 'vat'. */
  name: string;
  /** The text as written. */
  value: string;
  /** Normalised value (ISO date, "1234.50 EUR", lower-cased email, digits). */
  normalized: string;
  start: number;
  end: number;
  /** True for the category's own fields, false for the generic ones. */
  primary: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  янв: 1, фев: 2, мар: 3, апр: 4, мая: 5, май: 5, июн: 6, июл: 7, авг: 8, сен: 9, окт: 10, ноя: 11, дек: 12,
};

const MONTH_WORD = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?|(?:янв|фев|мар|апр|ма[яй]|июн|июл|авг|сен|окт|ноя|дек)[а-яё]*\\.?';
const DATE_RE = new RegExp(
  [
    '(?<![\\d.])(\\d{1,2})[./](\\d{1,2})[./](\\d{4})(?![\\d])',
    '(?<!\\d)(\\d{4})-(\\d{2})-(\\d{2})(?!\\d)',
    `(?<!\\d)(\\d{1,2})\\s+(${MONTH_WORD})\\s+(\\d{4})(?:\\s*(?:г\\.|года))?`,
    `(?<![\\p{L}])(${MONTH_WORD})\\s+(\\d{1,2}),?\\s+(\\d{4})`,
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

interface Span {
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
    if (iso) out.push({ value: m[0], normalized: iso, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

const CUR_AFTER = '(usd|eur|gbp|rub|chf|cny|руб\\.?|рублей|рубля|рубль|₽|\\$|€|£)';
const CUR_BEFORE = '(usd|eur|gbp|rub|\\$|€|£)';
const NUM = '(\\d{1,3}(?:[ \\u00a0\\u202f,.]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)';
const AMOUNT_RE = new RegExp(`${CUR_BEFORE}\\s?${NUM}|${NUM}\\s?${CUR_AFTER}(?![\\p{L}])`, 'giu');

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

function innValid(d: string): boolean {
  const n = d.split('').map(Number);
  const check = (coef: number[]) => (coef.reduce((s, c, i) => s + c * n[i]!, 0) % 11) % 10;
  if (n.length === 10) return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) === n[9];
  if (n.length === 12) return check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === n[10] && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === n[11];
  return false;
}

function ogrnValid(d: string): boolean {
  if (d.length === 13) return Number(BigInt(d.slice(0, 12)) % 11n % 10n) === Number(d[12]);
  if (d.length === 15) return Number(BigInt(d.slice(0, 14)) % 13n % 10n) === Number(d[14]);
  return false;
}

function generic(text: string): ExtractedField[] {
  const out: ExtractedField[] = [];
  for (const d of findDates(text)) out.push({ name: 'date', ...d, primary: false });
  for (const a of findAmounts(text)) out.push({ name: 'amount', ...a, primary: false });
  for (const m of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) {
    out.push({ name: 'email', value: m[0], normalized: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length, primary: false });
  }
  for (const m of text.matchAll(/(?:ИНН|INN)\s*:?\s*(\d{12}|\d{10})(?!\d)/giu)) {
    if (!innValid(m[1]!)) continue;
    const start = m.index! + m[0].lastIndexOf(m[1]!);
    out.push({ name: 'inn', value: m[1]!, normalized: m[1]!, start, end: start + m[1]!.length, primary: false });
  }
  for (const m of text.matchAll(/(?:ОГРНИП|ОГРН|OGRN)\s*:?\s*(\d{15}|\d{13})(?!\d)/giu)) {
    if (!ogrnValid(m[1]!)) continue;
    const start = m.index! + m[0].lastIndexOf(m[1]!);
    out.push({ name: 'ogrn', value: m[1]!, normalized: m[1]!, start, end: start + m[1]!.length, primary: false });
  }
  for (const m of text.matchAll(/(?:VAT|USt-IdNr\.?|TVA|IVA)(?:\s*(?:no\.?|number|id|reg(?:istration)?\.?\s*no\.?))?\s*:?\s*([A-Z]{2}\s?[0-9A-Z]{8,12})(?![0-9A-Z])/g)) {
    const start = m.index! + m[0].lastIndexOf(m[1]!);
    out.push({ name: 'vat', value: m[1]!, normalized: m[1]!.replace(/\s/g, ''), start, end: start + m[1]!.length, primary: false });
  }
  return out;
}

/** A labelled value: the first `find` match that starts within `window` characters after a label. */
function afterLabel(text: string, label: RegExp, spans: Span[], window = 40): Span | undefined {
  for (const m of text.matchAll(new RegExp(label.source, label.flags.includes('g') ? label.flags : label.flags + 'g'))) {
    const end = m.index! + m[0].length;
    const hit = spans.find((s) => s.start >= end && s.start - end <= window);
    if (hit) return hit;
  }
  return undefined;
}

/** A regex's capture group as a span. */
function captured(text: string, re: RegExp, group = 1): Span | undefined {
  const m = re.exec(text);
  if (!m || m[group] === undefined) return undefined;
  const raw = m[group]!;
  const value = raw.replace(/[\s,.;:]+$/, '');
  const start = m.index + m[0].indexOf(raw);
  return { value, normalized: value, start, end: start + value.length };
}

function field(name: string, s: Span | undefined): ExtractedField[] {
  return s ? [{ name, value: s.value, normalized: s.normalized, start: s.start, end: s.end, primary: true }] : [];
}

const L = (src: string) => new RegExp(src, 'iu');

// "No.", "number", "N" only as whole words (the "n" of "number" is not a label of its own, so
// "Invoice number: INV-7" never yields "umber"), or the signs # and №.
const NO = '(?:(?:no|number|nr|n)(?![\\p{L}])\\.?|#|№)';
// Between a label and its value: spaces, a colon, or the cell boundary " | " of a table row.
const SEP = '\\s*[:|]?\\s*';

function invoiceFields(text: string, dates: Span[], amounts: Span[]): ExtractedField[] {
  const number = captured(text, L(`(?:invoice|сч[её]т(?:-фактура)?(?:\\s+на\\s+оплату)?)\\s*${NO}${SEP}([\\p{L}\\p{N}][\\p{L}\\p{N}\\-/]*)`)) ??
    captured(text, L(`номер\\s+сч[её]та${SEP}([\\p{L}\\p{N}][\\p{L}\\p{N}\\-/]*)`));
  const date =
    afterLabel(text, L('(?:invoice date|date of issue|issue date|date|дата(?: сч[её]та)?)\\s*:?'), dates) ??
    (number ? dates.find((d) => d.start > number.end && d.start - number.end < 12) : undefined) ??
    dates[0];
  // The last "total" line wins: subtotals come first.
  let total: Span | undefined;
  for (const m of text.matchAll(/(?:total(?: due| amount)?|amount due|balance due|итого(?: к оплате)?|всего к оплате|к оплате)\s*:?/giu)) {
    const end = m.index + m[0].length;
    const hit = amounts.find((a) => a.start >= end && a.start - end <= 40);
    if (hit) total = hit;
  }
  total ??= [...amounts].sort((a, b) => parseFloat(b.normalized) - parseFloat(a.normalized))[0];
  const vendor = captured(text, L('(?:vendor|supplier|seller|from|поставщик|продавец|исполнитель)\\s*:\\s*([^,\\n]+)'));
  const items: ExtractedField[] = [];
  const lines = text.split('\n');
  let offset = 0;
  for (const line of lines) {
    const isTotal = /total|итого|к оплате|всего/iu.test(line);
    const looksLikeItem = /\|/.test(line) && /\d/.test(line) && !isTotal && !/\b(qty|amount)\b|кол-во|сумма/iu.test(line);
    if (looksLikeItem) items.push({ name: 'item', value: line.trim(), normalized: line.replace(/\s*\|\s*/g, ' | ').trim(), start: offset, end: offset + line.length, primary: true });
    offset += line.length + 1;
  }
  return [...field('number', number), ...field('date', date), ...field('total', total), ...field('vendor', vendor), ...items.slice(0, 50)];
}

function contractFields(text: string, dates: Span[], amounts: Span[]): ExtractedField[] {
  const number = captured(text, L(`(?:agreement|contract|договор(?:\\s+[\\p{L}]+){0,3})\\s*${NO}${SEP}([\\p{L}\\p{N}][\\p{L}\\p{N}\\-/]*)`));
  const out: ExtractedField[] = [...field('number', number)];
  const between = /between\s+(.+?)\s*\(.*?\)\s*and\s+(.+?)\s*\(/iu.exec(text);
  if (between) {
    for (const g of [1, 2]) {
      const raw = between[g]!;
      const start = between.index + between[0].indexOf(raw);
      out.push({ name: 'party', value: raw, normalized: raw, start, end: start + raw.length, primary: true });
    }
  } else {
    for (const m of text.matchAll(/(?:^|[,.]\s+|\n|и\s+)((?:ООО|АО|ПАО|ЗАО|ИП|ОАО)\s+«[^»]+»)[^.]{0,20}?,?\s*именуем/gu)) {
      const raw = m[1]!;
      const start = m.index + m[0].indexOf(raw);
      out.push({ name: 'party', value: raw, normalized: raw, start, end: start + raw.length, primary: true });
    }
  }
  const range = /(?:effective from|from|с)\s+(.{6,25}?)\s+(?:and remains in force until|until|till|to|through|по|до)\s+(.{6,25}?)(?=[.,;\n]|$)/giu;
  let start: Span | undefined;
  let end: Span | undefined;
  for (const m of text.matchAll(range)) {
    const s = dates.find((d) => d.start >= m.index && d.start < m.index + m[0].length);
    const e = s ? dates.find((d) => d.start > s.end && d.start < m.index + m[0].length + 2) : undefined;
    if (s && e) {
      start = s;
      end = e;
      break;
    }
  }
  start ??= afterLabel(text, L('(?:start date|commencement date|effective date|дата начала)\\s*:?'), dates);
  end ??= afterLabel(text, L('(?:end date|expiry date|expiration date|valid until|дата окончания|действует до)\\s*:?'), dates);
  const value =
    afterLabel(text, L('(?:contract value|total value|value|price|amount|стоимость[\\p{L}\\s]*?составляет|стоимость|цена договора|сумма договора)\\s*(?:is|of|составляет)?\\s*:?'), amounts, 60) ??
    [...amounts].sort((a, b) => parseFloat(b.normalized) - parseFloat(a.normalized))[0];
  return [...out, ...field('startDate', start), ...field('endDate', end), ...field('value', value)];
}

function certificateFields(text: string, dates: Span[]): ExtractedField[] {
  const number = captured(text, L(`(?:certificate|сертификат|удостоверение|свидетельство)\\s*${NO}${SEP}([\\p{L}\\p{N}][\\p{L}\\p{N}\\-/.]*)`));
  const issue = afterLabel(text, L('(?:date of issue|issue date|issued on|issued|date|дата выдачи|выдан[оа]?)\\s*:?'), dates);
  const expiry = afterLabel(text, L('(?:valid until|valid till|valid through|expires?(?: on)?|expiry date|date of expiry|действител[а-яё]* до|действует до|срок действия до)\\s*:?'), dates);
  const holder =
    captured(text, L('certif(?:y|ies) that\\s+(.+?)\\s+(?:has|have|is)\\b')) ??
    captured(text, L('удостоверяется,?\\s+что\\s+(.+?)\\s+(?:прош[её]л|успешно|окончил|является)')) ??
    captured(text, L('(?:holder|awarded to|владелец|выдан[оа]?)\\s*:\\s*([^\\n,]+)'));
  return [...field('number', number), ...field('issueDate', issue), ...field('expiryDate', expiry !== issue ? expiry : undefined), ...field('holder', holder)];
}

function passportFields(text: string, dates: Span[]): ExtractedField[] {
  const number =
    captured(text, L(`passport\\s*${NO}${SEP}([A-Z0-9]{6,12})`)) ??
    captured(text, L('серия\\s+и\\s+номер\\s*:?\\s*(\\d{2}\\s?\\d{2}\\s?№?\\s?\\d{6})')) ??
    captured(text, L('серия\\s*(\\d{2}\\s?\\d{2}\\s*№\\s*\\d{6})'));
  const issue = afterLabel(text, L('(?:date of issue|issue date|issued on|дата выдачи)\\s*:?'), dates);
  const expiry = afterLabel(text, L('(?:date of expiry|expiry date|expires?(?: on)?|valid until|действителен до)\\s*:?'), dates);
  const issuer = captured(text, L('(?:authority|issuing authority|issued by|паспорт выдан|кем выдан|выдан)\\s*:\\s*([^\\n]+?)\\s*$'.replace('$', '(?:\\n|$)')));
  return [...field('number', number), ...field('issueDate', issue), ...field('expiryDate', expiry), ...field('issuer', issuer)];
}

/** Extracts the category's fields and the generic ones from text. */
export function extractFields(text: string, category: Category): ExtractedField[] {
  const gen = generic(text);
  const dates = gen.filter((f) => f.name === 'date');
  const amounts = gen.filter((f) => f.name === 'amount');
  let own: ExtractedField[] = [];
  if (category === 'invoice') own = invoiceFields(text, dates, amounts);
  else if (category === 'contract') own = contractFields(text, dates, amounts);
  else if (category === 'certificate') own = certificateFields(text, dates);
  else if (category === 'passport') own = passportFields(text, dates);
  return [...own, ...gen];
}

/** The date after which the document stops being valid (certificate/passport expiry, contract end). */
export function expiryOf(fields: ExtractedField[]): string | null {
  const f = fields.find((x) => x.primary && (x.name === 'expiryDate' || x.name === 'endDate'));
  return f?.normalized ?? null;
}
