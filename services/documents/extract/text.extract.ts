/**
 * Text-like formats: plain text / Markdown, CSV (rows joined with " | "), HTML (scripts and
 * styles dropped, blocks become lines).
 */
import { convert, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import { joinParts, type Extracted } from './types.ts';

function decode(buf: Buffer): string {
  // UTF-8 first; legacy Russian files are often Windows-1251.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1251').decode(buf);
  }
}

/** Plain text and Markdown: one location per line. */
export function extractText(buf: Buffer): Extracted {
  const lines = decode(buf).split(/\r?\n/);
  return { ...joinParts(lines.map((text, i) => ({ text, loc: { kind: 'line' as const, n: i + 1 } }))), ocr: false, units: 1 };
}

const SEPARATORS = [';', '\t', ','] as const;

/** Separators in a line outside double-quoted cells. */
function separatorCount(line: string, sep: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === sep && !quoted) n++;
  }
  return n;
}

/**
 * The separator of a table in text, or undefined. A separator qualifies when most (more than
 * half) of the non-empty lines hold it and the lines that hold it mostly agree on how many times
 * (the most common count covers at least two lines and half of them): title and prose lines
 * around the table, and a table of label/value pairs beside a wider one of items, still read
 * as CSV, while prose with the odd comma does not.
 */
export function csvSeparator(text: string, maxLines = 40): string | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim()).slice(0, maxLines);
  let best: { sep: string; rows: number } | undefined;
  for (const sep of SEPARATORS) {
    const freq = new Map<number, number>();
    let holding = 0;
    for (const l of lines) {
      const c = separatorCount(l, sep);
      if (c === 0) continue;
      holding++;
      freq.set(c, (freq.get(c) ?? 0) + 1);
    }
    const mode = Math.max(0, ...freq.values());
    const ok = holding * 2 > lines.length && mode >= 2 && mode * 2 >= holding;
    if (ok && (!best || holding > best.rows)) best = { sep, rows: holding };
  }
  return best?.sep;
}

/** Splits CSV honouring quotes; the separator is the table's ({@link csvSeparator}), else the first line's most frequent. */
export function parseCsv(src: string): string[][] {
  const first = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = csvSeparator(src) ?? [',', ';', '\t'].map((s) => [s, first.split(s).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Drops empty trailing cells (exports pad rows to the widest one). */
export function trimCells(cells: string[]): string[] {
  let n = cells.length;
  while (n > 0 && !cells[n - 1]!.trim()) n--;
  return cells.slice(0, n);
}

/** CSV rows as lines, cells joined with " | ". */
export function extractCsv(buf: Buffer): Extracted {
  const rows = parseCsv(decode(buf));
  return {
    ...joinParts(rows.map((r, i) => ({ text: trimCells(r).join(' | '), loc: { kind: 'row' as const, n: i + 1 } }))),
    ocr: false,
    units: 1,
  };
}

interface DomLike {
  type?: string;
  name?: string;
  data?: string;
  prev?: DomLike | null;
  children?: DomLike[];
}

const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'svg']);

// The text of a cell's subtree; every element boundary is a word boundary.
function cellText(node: DomLike): string {
  if (node.type === 'text') return node.data ?? '';
  if (HIDDEN.has(node.name ?? '') || node.type === 'comment') return '';
  return (node.children ?? []).map((c) => ` ${cellText(c)} `).join('');
}

// Tables are read row by row: cells inline with " | " between them, so a label and its value
// share a line (paragraphs and breaks inside a cell become spaces for the same reason).
const cellFormatter: FormatCallback = (elem, _walk, builder) => {
  const dom = elem as unknown as DomLike;
  let sibling = dom.prev;
  while (sibling && sibling.type !== 'tag') sibling = sibling.prev;
  if (sibling && (sibling.name === 'td' || sibling.name === 'th')) builder.addLiteral(' | ');
  builder.addLiteral(cellText(dom).replace(/\s+/g, ' ').trim());
};

const rowFormatter: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
};

const HTML_OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  // The title is part of what the document says; body content follows it.
  baseElements: { selectors: ['title', 'body'], returnDomByDefault: true },
  formatters: { cell: cellFormatter, row: rowFormatter },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    { selector: 'title', format: 'block' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => ({ selector: h, options: { uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1 } })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'row' },
    { selector: 'td', format: 'cell' },
    { selector: 'th', format: 'cell' },
  ],
};

/** HTML as lines of text: entities decoded, scripts and styles dropped, blocks and table rows on lines of their own. */
export function extractHtml(buf: Buffer): Extracted {
  const lines = convert(decode(buf), HTML_OPTIONS)
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return { ...joinParts(lines.map((text, i) => ({ text, loc: { kind: 'line' as const, n: i + 1 } }))), ocr: false, units: 1 };
}
