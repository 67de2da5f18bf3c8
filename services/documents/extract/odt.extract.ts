/**
 * ODT: the body of content.xml (OpenDocument text), read through the same guarded zip
 * reader and XML parser as DOCX. Paragraphs and headings keep tabs, line breaks and runs of
 * spaces; a table row becomes one line with its cells joined by " | ", the way DOCX rows do.
 */
import { openZip, type ZipArchive, type ZipLimits } from '../zip.ts';
import { DocumentInputError } from '../errors.ts';
import { joinParts, type Extracted } from './types.ts';
import { trimCells } from './text.extract.ts';
import { child, parseXml, type XmlNode } from './xml.ts';

// Never body text: comments, footnote bodies and their marks, change-tracking records,
// drawing descriptions, and the cells hidden under a merged one.
const SKIP = new Set(['annotation', 'annotation-end', 'note', 'tracked-changes', 'change', 'title', 'desc', 'covered-table-cell', 'table-columns', 'table-column', 'sequence-decls', 'variable-decls', 'user-field-decls', 'forms', 'bookmark', 'bookmark-start', 'bookmark-end', 'soft-page-break']);

/** Text of the inline content of a paragraph or heading. */
function inlineText(node: XmlNode): string {
  let s = '';
  for (const c of node.children) {
    if (c.name === '#text') s += c.text ?? '';
    else if (SKIP.has(c.name)) continue;
    else if (c.name === 's') s += ' '.repeat(Math.max(1, Number(c.attrs.c ?? 1) || 1));
    else if (c.name === 'tab') s += '\t';
    else if (c.name === 'line-break') s += '\n';
    else if (c.name === 'frame' || c.name === 'text-box') {
      const inner = blockLines(c).join('\n');
      if (inner) s += `\n${inner}`;
    } else s += inlineText(c);
  }
  return s;
}

/** One line per table row (header rows and row groups included; repeated rows read once). */
function tableRows(tbl: XmlNode): string[] {
  const rows: string[] = [];
  for (const c of tbl.children) {
    if (c.name === 'table-row') {
      const cells = c.children.filter((x) => x.name === 'table-cell').map((tc) => blockLines(tc).join(' ').replace(/\s+/g, ' ').trim());
      const line = trimCells(cells).join(' | ');
      if (line) rows.push(line);
    } else if (c.name === 'table-header-rows' || c.name === 'table-rows' || c.name === 'table-row-group') rows.push(...tableRows(c));
  }
  return rows;
}

/** Lines of block content (body, section, list item, cell): one per paragraph, heading and table row. */
function blockLines(node: XmlNode): string[] {
  const out: string[] = [];
  for (const c of node.children) {
    if (c.name === 'p' || c.name === 'h') out.push(inlineText(c));
    else if (c.name === 'table') out.push(...tableRows(c));
    else if (c.name !== '#text' && !SKIP.has(c.name)) out.push(...blockLines(c));
  }
  return out;
}

/** True when a zip package is an OpenDocument text (its mimetype entry says so). */
export function isOdt(zip: ZipArchive): boolean {
  return zip.has('content.xml') && zip.has('mimetype') && zip.text('mimetype').trim() === 'application/vnd.oasis.opendocument.text';
}

/**
 * Paragraphs, headings and table rows of content.xml, each a 'paragraph' location.
 * Throws DocumentInputError for a package without a readable text body.
 */
export function extractOdt(buf: Buffer, limits: ZipLimits): Extracted {
  const zip = openZip(buf, limits);
  if (!zip.has('content.xml')) throw new DocumentInputError('corrupt', {}, 'no content.xml');
  const root = parseXml(zip.text('content.xml'), 'content.xml');
  const body = child(child(root, 'body'), 'text');
  if (!body) throw new DocumentInputError('corrupt', {}, 'no text body');
  const parts = blockLines(body).map((text, i) => ({ text, loc: { kind: 'paragraph' as const, n: i + 1 } }));
  return { ...joinParts(parts), ocr: false, units: 1 };
}
