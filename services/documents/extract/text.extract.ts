/**
 * Text-like formats: plain text / Markdown, CSV (rows joined with " | "), HTML (scripts and
 * styles dropped, blocks become lines).
 */
import { decodeXml } from './ooxml.extract.ts';
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

/** Splits CSV honouring quotes; the separator is guessed from the first line. */
export function parseCsv(src: string): string[][] {
  const first = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = [',', ';', '\t'].map((s) => [s, first.split(s).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
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

export function extractCsv(buf: Buffer): Extracted {
  const rows = parseCsv(decode(buf));
  return {
    ...joinParts(rows.map((r, i) => ({ text: trimCells(r).join(' | '), loc: { kind: 'row' as const, n: i + 1 } }))),
    ocr: false,
    units: 1,
  };
}

const BLOCK = /<\/?(p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|header|footer|blockquote|pre|title)\b[^>]*>/gi;

export function extractHtml(buf: Buffer): Extracted {
  const html = decode(buf)
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<td\b[^>]*>/gi, ' | ')
    .replace(BLOCK, '\n')
    .replace(/<[^>]+>/g, ' ');
  const lines = decodeXml(html.replace(/&nbsp;/g, ' '))
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return { ...joinParts(lines.map((text, i) => ({ text, loc: { kind: 'line' as const, n: i + 1 } }))), ocr: false, units: 1 };
}
