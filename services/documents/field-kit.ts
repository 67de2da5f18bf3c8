/** The field record every extractor returns, and small helpers shared by the per-category files. */
import type { Span } from './field-values.ts';

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

/** A primary field from a span, or nothing. */
export function field(name: string, s: Span | undefined): ExtractedField[] {
  return s ? [{ name, value: s.value, normalized: s.normalized, start: s.start, end: s.end, primary: true }] : [];
}

/** The largest amount (a total when no label names one). */
export function byLargest(amounts: Span[]): Span | undefined {
  return [...amounts].sort((a, b) => parseFloat(b.normalized) - parseFloat(a.normalized))[0];
}

/** A regex's capture group as a span, trailing punctuation dropped. */
export function captured(text: string, re: RegExp, group = 1): Span | undefined {
  const m = re.exec(text);
  if (!m || m[group] === undefined) return undefined;
  const raw = m[group]!;
  const value = raw.replace(/[\s,.;:]+$/, '');
  const start = m.index + m[0].indexOf(raw);
  return value ? { value, normalized: value, start, end: start + value.length } : undefined;
}

/** An identifier right after a label anywhere in prose ("... по договору № 47/2024 ..."): a token with a digit. */
export function proseNumber(text: string, labelSrc: string): Span | undefined {
  return captured(text, new RegExp(`(?<![\\p{L}])(?:${labelSrc})(?![\\p{L}])\\.?\\s*[:|]?\\s*([\\p{L}\\p{N}][\\p{L}\\p{N}\\-/.]*\\d[\\p{L}\\p{N}\\-/]*)`, 'iu'));
}

/** A span cut to its first `len` characters, trailing spaces and punctuation dropped. */
function cut(s: Span, len: number): Span {
  const value = s.value.slice(0, len).replace(/[\s,;:–—-]+$/u, '');
  return value ? { value, normalized: value, start: s.start, end: s.start + value.length } : s;
}

/**
 * A person written with a role or note after it ("Смирнова А. В., ведущий аудитор", "Daniel
 * Brooks, Head of Sales", "Tom Becker (IT Service Desk)"): the name before the comma or bracket.
 * Initials keep their dots.
 */
export function personName(s: Span | undefined): Span | undefined {
  if (!s) return undefined;
  const m = /,\s|\s\(/u.exec(s.value);
  return m && m.index >= 3 ? cut(s, m.index) : s;
}

/** An organisation followed by its address or tax numbers ("Brightline Print Ltd, 4 Mill Lane"): the name. */
export function orgName(s: Span | undefined): Span | undefined {
  if (!s) return undefined;
  const m = /,\s*(?=\d|(?:ул|г|пр|д|инн|кпп|огрн|тел)\.?\s|(?:inn|vat|tel|phone)\b)/iu.exec(s.value);
  return m && m.index >= 3 ? cut(s, m.index) : s;
}
