/**
 * DOCX: the body of word/document.xml, read through the guarded zip reader and the XML
 * parser. Paragraphs keep tabs and line breaks; a table row becomes one line with its cells
 * joined by " | ", so a label and the value beside it stay together.
 */
import { openZip, type ZipLimits } from '../zip.ts';
import { DocumentInputError } from '../errors.ts';
import { joinParts, type Extracted } from './types.ts';
import { trimCells } from './text.extract.ts';
import { child, ownText, parseXml, type XmlNode } from './xml.ts';

// Never text: properties, deleted or moved-away runs, field codes, and the legacy copy of a
// drawing that sits next to its modern form (reading both would double a text box).
const SKIP = new Set(['pPr', 'rPr', 'tblPr', 'trPr', 'tcPr', 'tblGrid', 'sectPr', 'del', 'moveFrom', 'delText', 'instrText', 'Fallback', 'fldData']);

/** Text of the inline content of a paragraph; a text box inside it follows on its own line. */
function inlineText(node: XmlNode): string {
  let s = '';
  for (const c of node.children) {
    if (c.name === '#text' || SKIP.has(c.name)) continue;
    if (c.name === 't') s += ownText(c);
    else if (c.name === 'tab' || c.name === 'ptab') s += '\t';
    else if (c.name === 'br' || c.name === 'cr') s += '\n';
    else if (c.name === 'noBreakHyphen') s += '-';
    else if (c.name === 'txbxContent') {
      const inner = blockLines(c).join('\n');
      if (inner) s += `\n${inner}`;
    } else s += inlineText(c);
  }
  return s;
}

/** One line per table row; nested tables and multi-paragraph cells are flattened into the cell. */
function tableRows(tbl: XmlNode): string[] {
  const rows: string[] = [];
  for (const tr of containers(tbl, 'tr')) {
    const cells = containers(tr, 'tc').map((tc) => blockLines(tc).join(' ').replace(/\s+/g, ' ').trim());
    rows.push(trimCells(cells).join(' | '));
  }
  return rows;
}

// Rows and cells may be wrapped in content controls or custom XML: look through those wrappers.
function containers(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of node.children) {
    if (c.name === name) out.push(c);
    else if (c.name === 'sdt' || c.name === 'sdtContent' || c.name === 'customXml') out.push(...containers(c, name));
  }
  return out;
}

/** Lines of block content (body, cell, text box): one per paragraph and per table row. */
function blockLines(node: XmlNode): string[] {
  const out: string[] = [];
  for (const c of node.children) {
    if (c.name === 'p') out.push(inlineText(c));
    else if (c.name === 'tbl') out.push(...tableRows(c));
    else if (c.name !== '#text' && !SKIP.has(c.name)) out.push(...blockLines(c));
  }
  return out;
}

/**
 * Paragraphs and table rows of word/document.xml, each a 'paragraph' location.
 * Throws DocumentInputError for a package without a readable document body.
 */
export function extractDocx(buf: Buffer, limits: ZipLimits): Extracted {
  const zip = openZip(buf, limits);
  const root = parseXml(zip.text('word/document.xml'), 'word/document.xml');
  const body = child(root, 'body');
  if (!body) throw new DocumentInputError('corrupt', {}, 'no document body');
  const parts = blockLines(body).map((text, i) => ({ text, loc: { kind: 'paragraph' as const, n: i + 1 } }));
  return { ...joinParts(parts), ocr: false, units: 1 };
}
