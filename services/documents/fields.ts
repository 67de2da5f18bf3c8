/**
 * Field extraction: per-category fields (invoice and contract in fields-trade.ts; certificate,
 * passport, report and manual in fields-docs.ts; labelled values by structure in
 * field-layout.ts; typed values in field-values.ts) plus
 * dates, amounts with currency, emails and company identifiers found anywhere. Every field
 * keeps the span of text it came from and a normalised value (ISO dates, "1234.50 USD").
 */
import type { Category } from './classify.ts';
import type { ExtractedField } from './field-kit.ts';
import { findAmounts, findDates } from './field-values.ts';
import { contractFields, invoiceFields } from './fields-trade.ts';
import { certificateFields, paperFields, passportFields } from './fields-docs.ts';

export type { ExtractedField } from './field-kit.ts';
export { findAmounts, findDates, parseNumber, type Span } from './field-values.ts';

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
  else if (category === 'report' || category === 'manual') own = paperFields(text, dates);
  return [...own, ...gen];
}

/** The date after which the document stops being valid (certificate/passport expiry, contract end). */
export function expiryOf(fields: ExtractedField[]): string | null {
  const f = fields.find((x) => x.primary && (x.name === 'expiryDate' || x.name === 'endDate'));
  return f?.normalized ?? null;
}
