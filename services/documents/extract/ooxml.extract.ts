/**
 * DOCX and XLSX through the guarded zip reader and a few regular expressions over their XML:
 * the parts we need are simple, and this keeps every byte under the bomb limits.
 */
import { openZip, type ZipLimits } from '../zip.ts';
import { DocumentInputError } from '../errors.ts';
import { joinParts, type Extracted } from './types.ts';
import { trimCells } from './text.extract.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML character references and the five named entities. */
export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : '';
    }
    return ENTITIES[e] ?? whole;
  });
}

/** Paragraphs of word/document.xml (tabs and breaks kept). */
export function extractDocx(buf: Buffer, limits: ZipLimits): Extracted {
  const zip = openZip(buf, limits);
  const xml = zip.text('word/document.xml');
  const paras = xml.match(/<w:p[\s>][\s\S]*?<\/w:p>|<w:p\/>/g) ?? [];
  const parts = paras.map((p, i) => {
    let text = '';
    for (const m of p.matchAll(/<w:t(?:\s[^>]*)?>([\s\S]*?)<\/w:t>|<w:tab\/>|<w:br\/>/g)) {
      if (m[1] !== undefined) text += decodeXml(m[1]);
      else text += m[0] === '<w:tab/>' ? '\t' : '\n';
    }
    return { text, loc: { kind: 'paragraph' as const, n: i + 1 } };
  });
  const joined = joinParts(parts);
  if (!joined.text.trim() && paras.length === 0 && !/<w:body/.test(xml)) throw new DocumentInputError('corrupt', {}, 'no document body');
  return { ...joined, ocr: false, units: 1 };
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? 'A';
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Rows of every sheet, cells joined with " | ". */
export function extractXlsx(buf: Buffer, limits: ZipLimits): Extracted {
  const zip = openZip(buf, limits);
  const shared: string[] = [];
  if (zip.has('xl/sharedStrings.xml')) {
    for (const si of zip.text('xl/sharedStrings.xml').match(/<si>[\s\S]*?<\/si>/g) ?? []) {
      shared.push([...si.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decodeXml(m[1]!)).join(''));
    }
  }
  const workbook = zip.text('xl/workbook.xml');
  const sheetNames = [...workbook.matchAll(/<sheet\s[^>]*name="([^"]*)"/g)].map((m) => decodeXml(m[1]!));
  const rels = zip.has('xl/_rels/workbook.xml.rels') ? zip.text('xl/_rels/workbook.xml.rels') : '';
  const sheetFiles = zip
    .names()
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]));
  void rels;
  const parts: { text: string; loc: { kind: 'row'; n: number; sheet: string } }[] = [];
  sheetFiles.forEach((file, si) => {
    const sheet = sheetNames[si] ?? `Sheet${si + 1}`;
    const xml = zip.text(file);
    for (const row of xml.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
      const rn = Number(/\br="(\d+)"/.exec(row[1]!)?.[1] ?? parts.length + 1);
      const cells: string[] = [];
      for (const c of row[2]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = c[1]!;
        const inner = c[2] ?? '';
        const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1] ?? '';
        const type = /\bt="(\w+)"/.exec(attrs)?.[1];
        let value = '';
        if (type === 's') value = shared[Number(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1])] ?? '';
        else if (type === 'inlineStr') value = [...inner.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decodeXml(m[1]!)).join('');
        else value = decodeXml(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '');
        const idx = ref ? columnIndex(ref) : cells.length;
        while (cells.length < idx) cells.push('');
        cells[idx] = value;
      }
      parts.push({ text: trimCells(cells).join(' | '), loc: { kind: 'row', n: rn, sheet } });
    }
  });
  return { ...joinParts(parts), ocr: false, units: Math.max(1, sheetFiles.length) };
}
