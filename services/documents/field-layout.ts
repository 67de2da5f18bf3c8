/**
 * Labelled values by the structure of the text: the extractors write table and spreadsheet
 * rows as cells joined by " | ", and plain text lines up labels and values with tabs, dot
 * leaders or runs of spaces. A label's value is the rest of its cell ("Label: value", several
 * such pairs in one cell end at the next label), else the next cell of its row, else the
 * cell below it when its row is a row of labels, else the next line when the label stands
 * alone on its line. A value is never a label cell.
 */
import type { Span } from './field-values.ts';

export interface Cell {
  text: string;
  start: number;
  end: number;
}

export type Row = Cell[];

// Cell boundaries: the " | " of table rows, a spaced middle dot or bullet ("Week ending ... · Submitted by ..."), tabs, dot (also spaced) or underscore leaders, two or more spaces.
const BOUNDARY = /\s*\|\s*|\s+[·•]\s+|\t+|\s*(?:\.{3,}|(?:\. ){3,}\.?|…+|_{3,})\s*| {2,}/g;

/** The text's lines split into trimmed cells with their offsets (empty cells kept, for columns). */
export function layout(text: string): Row[] {
  const rows: Row[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const row: Row = [];
    let from = 0;
    const push = (to: number) => {
      const raw = line.slice(from, to);
      const lead = raw.length - raw.trimStart().length;
      const t = raw.trim();
      row.push({ text: t, start: offset + from + lead, end: offset + from + lead + t.length });
    };
    for (const m of line.matchAll(BOUNDARY)) {
      push(m.index);
      from = m.index + m[0].length;
    }
    push(line.length);
    // A row written as "| a | b" starts with an empty cell that is no column.
    if (row.length > 1 && !row[0]!.text && /^\s*\|/.test(line)) row.shift();
    rows.push(row);
    offset += line.length + 1;
  }
  return rows;
}

/** Label alternatives (regex source, no anchors) compiled for use at a cell start or after a pair. */
export interface Labels {
  /** At the start of a cell, with an optional colon and numbering before it. */
  head: RegExp;
  /** Anywhere in a cell after a space, only when a colon follows. */
  inner: RegExp;
  /** The whole cell is the label, or the cell starts with it and a colon. */
  whole: RegExp;
  lead: RegExp;
}

const END = '(?![\\p{L}\\p{N}])';

// A bilingual label's other half ("Authority / Autorité", "Date of expiry / Действителен до").
const ALT = '(?:\\s*/\\s*[^:：;|\\n]*?(?=\\s*[:：]|$))?';

// A short note in brackets after a label ("Balance (EUR)", "Поставщик (исполнитель)"), or its currency ("Цена, руб.").
const NOTE = '(?:\\s*\\([^()]{1,24}\\)|,\\s*(?:руб\\.?|rub|usd|eur|gbp|[$€£₽])(?![\\p{L}]))?';

export function labels(src: string): Labels {
  const num = '(?:\\d{1,2}[.)]\\s*)?';
  return {
    // A label at a cell start may be followed by the ";" or "," of a CSV row read as text, or a dash ("Bill number - 2211").
    head: new RegExp(`^${num}(?:${src})${END}\\.?${ALT}\\.?${NOTE}(?:\\s*[:：;,]|\\s+[—–-](?=\\s))?\\s*`, 'iu'),
    inner: new RegExp(`(?<=^|[\\s,;.])(?:${src})${END}\\.?${ALT}\\.?\\s*[:：]\\s*`, 'giu'),
    whole: new RegExp(`^${num}(?:${src})${END}\\.?${ALT}\\.?${NOTE}\\s*[:：]?$`, 'iu'),
    lead: new RegExp(`^${num}(?:${src})${END}\\.?${ALT}\\.?\\s*[:：]`, 'iu'),
  };
}

// Any "Word word:" that starts another pair inside a cell ("... 17.05.2024 Author: ...").
const NEXT_PAIR = /(?<=\s)[\p{Lu}][\p{Ll}]*(?:[ /]+[\p{Ll}]+){0,3}\s*:(?=\s)/gu;

/** Cuts a value at the start of the next pair in its cell. */
function cutAtNextPair(text: string, from: number, to: number, stops: Labels[]): number {
  let end = to;
  const part = text.slice(from, to);
  for (const m of part.matchAll(NEXT_PAIR)) if (m.index > 0) end = Math.min(end, from + m.index);
  for (const l of stops) {
    l.inner.lastIndex = 0;
    for (const m of part.matchAll(l.inner)) if (m.index > 0) end = Math.min(end, from + m.index);
  }
  return end;
}

function span(text: string, start: number, end: number): Span | undefined {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const value = raw.trim().replace(/[\s,;:]+$/, '');
  if (!value) return undefined;
  return { value, normalized: value, start: start + lead, end: start + lead + value.length };
}

/** The structured text: rows of cells and every label of the category, for "is this a label cell". */
export interface Doc {
  text: string;
  rows: Row[];
  all: Labels[];
}

export function doc(text: string, all: string[]): Doc {
  return { text, rows: layout(text), all: all.map(labels) };
}

export const isLabelCell = (d: Doc, c: Cell | undefined) => !!c && d.all.some((l) => l.whole.test(c.text) || l.lead.test(c.text));

/** A row of labels over a row of values: two or more cells, most of them labels. */
function isHeaderRow(d: Doc, row: Row): boolean {
  const full = row.filter((c) => c.text);
  return full.length >= 2 && full.filter((c) => isLabelCell(d, c)).length * 2 > full.length;
}

/** Where a label's value sits: see the file comment. */
function valueOf(d: Doc, r: number, i: number, after: number): Span | undefined {
  const row = d.rows[r]!;
  const cell = row[i]!;
  if (after < cell.end) return span(d.text, after, cutAtNextPair(d.text, after, cell.end, d.all));
  const next = row.slice(i + 1).find((c) => c.text);
  // In a row of labels the value is the cell below, also when the next cell is a column name no label knows.
  const header = isHeaderRow(d, row);
  if (next && header) return below(d, r, i) ?? (isLabelCell(d, next) ? undefined : span(d.text, next.start, next.end));
  if (next) return isLabelCell(d, next) ? undefined : span(d.text, next.start, next.end);
  if (row.length > 1 || header) return below(d, r, i);
  // A label alone on its line: the value is the next non-empty line, unless that is a label too.
  const line = d.rows.slice(r + 1).find((x) => x.some((c) => c.text));
  const first = line?.find((c) => c.text);
  return first && !isLabelCell(d, first) && line!.length === 1 ? span(d.text, first.start, first.end) : undefined;
}

function below(d: Doc, r: number, i: number): Span | undefined {
  const row = d.rows[r + 1];
  const c = row?.[i];
  return c && c.text && !isLabelCell(d, c) ? span(d.text, c.start, c.end) : undefined;
}

/**
 * Every value of a label (regex source of alternatives), in text order. `accept` filters
 * values (a date field wants a date in it): a rejected one lets the search go on.
 */
export function labelled(d: Doc, src: string, accept: (s: Span) => boolean = () => true): Span[] {
  const l = labels(src);
  const out: Span[] = [];
  d.rows.forEach((row, r) => {
    row.forEach((cell, i) => {
      if (!cell.text) return;
      const at: number[] = [];
      const head = l.head.exec(cell.text);
      if (head) at.push(cell.start + head[0].length);
      l.inner.lastIndex = 0;
      for (const m of cell.text.matchAll(l.inner)) if (m.index > 0) at.push(cell.start + m.index + m[0].length);
      for (const a of at) {
        const v = valueOf(d, r, i, a);
        if (v && accept(v)) out.push(v);
      }
    });
  });
  return out;
}

/** The first value of a label that `accept` takes. */
export function first(d: Doc, src: string, accept?: (s: Span) => boolean): Span | undefined {
  return labelled(d, src, accept)[0];
}

/** The first of `spans` (dates, amounts) that lies inside `s`. */
export function inside(spans: Span[], s: Span | undefined): Span | undefined {
  return s ? spans.find((x) => x.start >= s.start && x.start < s.end) : undefined;
}

/** A date field: the first value of the label that holds a date, as that date. */
export function dateAt(d: Doc, src: string, dates: Span[]): Span | undefined {
  return inside(dates, first(d, src, (s) => !!inside(dates, s)));
}

/** An amount field: the last value of the label that holds an amount (totals follow subtotals). */
export function amountAt(d: Doc, src: string, amounts: Span[], last = false): Span | undefined {
  const all = labelled(d, src, (s) => !!inside(amounts, s));
  return inside(amounts, last ? all[all.length - 1] : all[0]);
}

/** A name field (vendor, holder, issuer, author): a value with letters and no date in it. */
export function nameAt(d: Doc, src: string, dates: Span[]): Span | undefined {
  return first(d, src, (s) => /\p{L}{2}/u.test(s.value) && !inside(dates, s) && s.value.length <= 120);
}

const ID_WORD = /^(?:[\p{L}\p{N}\-/.№]*\d[\p{L}\p{N}\-/.]*|[\p{Lu}]{2,5})[.,;:]?$/u;

/**
 * An identifier field: a value with a digit, cut before a date that follows it; the
 * identifier is the run of words around its first digit that hold digits or are upper-case
 * codes ("77/2024 between" gives "77/2024", "ЕАЭС RU С-RU.006.3" stays whole).
 */
export function numberAt(d: Doc, src: string, dates: Span[]): Span | undefined {
  const s = first(d, src, (x) => /\d/.test(x.value.split(/\s+(?:dated|of|from|issued|от|выдан)\s/iu)[0]!));
  if (!s) return undefined;
  let value = s.value.replace(/^(?:№|#|no\.|(?:no|n)(?=\s))\s*(?=\S*\d)/iu, '');
  let start = s.start + (s.value.length - value.length);
  const date = inside(dates, s);
  if (date) value = value.slice(0, Math.max(0, date.start - start));
  // The identifier's words: each holds a digit or is an upper-case code ("РОСС RU.0623.40417").
  const words = [...value.matchAll(/\S+/gu)];
  const from = words.findIndex((w) => /\d/.test(w[0]));
  if (from < 0) return undefined;
  let to = from;
  while (to > 0 && ID_WORD.test(words[to - 1]![0])) to--;
  let last = from;
  while (last + 1 < words.length && ID_WORD.test(words[last + 1]![0])) last++;
  start += words[to]!.index;
  value = value.slice(words[to]!.index, words[last]!.index + words[last]![0].length).replace(/[.,;:]+$/, '');
  return value && /\d/.test(value) ? { value, normalized: value, start, end: start + value.length } : undefined;
}
