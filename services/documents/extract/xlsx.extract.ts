/**
 * XLSX: every sheet in tab order, found through xl/workbook.xml and its relationships (the
 * part names say nothing about the order or the name). A row becomes one line with its cells
 * joined by " | "; each sheet's name heads its first row. Numbers in a date style come out
 * as ISO dates, numbers in a currency format with the currency ("1250 USD"), formulas as
 * their cached values.
 */
import { openZip, type ZipArchive, type ZipLimits } from '../zip.ts';
import { joinParts, type Extracted } from './types.ts';
import { trimCells } from './text.extract.ts';
import { child, childrenNamed, ownText, parseXml, type XmlNode } from './xml.ts';
import { currencyStyles, dateStyles, serialToIso, tidyIsoDate, type DateKind } from './xlsx-dates.ts';

interface SheetRef {
  name: string;
  part: string;
}

interface Workbook {
  sheets: SheetRef[];
  date1904: boolean;
  sharedStrings: string | undefined;
  styles: string | undefined;
}

/** Resolves a relationship target against the folder of the part that owns it. */
function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const segments = base.split('/').slice(0, -1);
  for (const s of target.split('/')) {
    if (s === '..') segments.pop();
    else if (s && s !== '.') segments.push(s);
  }
  return segments.join('/');
}

function readPart(zip: ZipArchive, part: string | undefined): XmlNode | undefined {
  return part && zip.has(part) ? parseXml(zip.text(part), part) : undefined;
}

function readWorkbook(zip: ZipArchive): Workbook {
  const book = parseXml(zip.text('xl/workbook.xml'), 'xl/workbook.xml');
  const rels = readPart(zip, 'xl/_rels/workbook.xml.rels');
  const byId = new Map<string, { type: string; part: string }>();
  for (const r of childrenNamed(rels, 'Relationship')) {
    if (r.attrs.TargetMode === 'External' || !r.attrs.Id || !r.attrs.Target) continue;
    byId.set(r.attrs.Id, { type: r.attrs.Type ?? '', part: resolvePart('xl/workbook.xml', r.attrs.Target) });
  }
  const ofType = (suffix: string) => [...byId.values()].find((r) => r.type.endsWith(`/${suffix}`))?.part;
  const sheets: SheetRef[] = [];
  childrenNamed(child(book, 'sheets'), 'sheet').forEach((s, i) => {
    const rel = s.attrs.id ? byId.get(s.attrs.id) : undefined;
    // Chart and dialog sheets hold no cells.
    if (rel && !rel.type.endsWith('/worksheet')) return;
    // Without relationships, fall back to the conventional part names in tab order.
    sheets.push({ name: s.attrs.name ?? `Sheet${i + 1}`, part: rel?.part ?? `xl/worksheets/sheet${i + 1}.xml` });
  });
  const pr = child(book, 'workbookPr');
  return {
    sheets,
    date1904: pr?.attrs.date1904 === '1' || pr?.attrs.date1904 === 'true',
    sharedStrings: ofType('sharedStrings') ?? 'xl/sharedStrings.xml',
    styles: ofType('styles') ?? 'xl/styles.xml',
  };
}

/** Text of a string item: plain `<t>` or rich-text runs `<r><t>`; phonetic guides are left out. */
function stringItem(si: XmlNode): string {
  let s = '';
  for (const c of si.children) {
    if (c.name === 't') s += ownText(c);
    else if (c.name === 'r') s += ownText(child(c, 't'));
  }
  return s;
}

/** Zero-based column and one-based row of a reference like "AB12". */
function cellRef(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/i.exec(ref);
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]!.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col: col - 1, row: Number(m[2]) };
}

interface CellContext {
  shared: string[];
  styles: DateKind[];
  /** The currency each style's number format shows (a number comes out as "1250 USD"). */
  currencies: (string | null)[];
  date1904: boolean;
}

function cellValue(c: XmlNode, ctx: CellContext): string {
  const type = c.attrs.t ?? 'n';
  const v = ownText(child(c, 'v'));
  if (type === 'inlineStr') return stringItem(child(c, 'is') ?? c);
  if (type === 's') return ctx.shared[Number(v)] ?? '';
  if (type === 'b') return v === '1' || v === 'true' ? 'TRUE' : v ? 'FALSE' : '';
  if (type === 'd') return tidyIsoDate(v);
  if (type !== 'n' || !v) return v;
  const kind = ctx.styles[Number(c.attrs.s ?? 0)] ?? null;
  if (kind) return serialToIso(Number(v), kind, ctx.date1904);
  const cur = ctx.currencies[Number(c.attrs.s ?? 0)];
  return cur && Number.isFinite(Number(v)) ? `${v} ${cur}` : v;
}

type Grid = Map<number, Map<number, string>>;

/** Non-empty cell values by row and column; rows and cells without a reference follow the previous one. */
function readGrid(sheet: XmlNode, ctx: CellContext): Grid {
  const grid: Grid = new Map();
  let rowNo = 0;
  for (const row of childrenNamed(child(sheet, 'sheetData'), 'row')) {
    rowNo = Number(row.attrs.r) || rowNo + 1;
    let col = -1;
    for (const c of childrenNamed(row, 'c')) {
      const ref = c.attrs.r ? cellRef(c.attrs.r) : null;
      col = ref ? ref.col : col + 1;
      // A line break inside a cell would split the row: it reads as a space.
      const value = cellValue(c, ctx).replace(/\s*[\r\n]+\s*/g, ' ');
      if (!value.trim()) continue;
      if (!grid.has(rowNo)) grid.set(rowNo, new Map());
      grid.get(rowNo)!.set(col, value);
    }
  }
  return grid;
}

/**
 * Merged areas: the value stays in the first cell and the other columns of the area are
 * dropped (no run of empty separators). Rows further down the area repeat the value in the
 * first column, so each of those rows still reads with its label.
 */
function applyMerges(sheet: XmlNode, grid: Grid): Map<number, [number, number][]> {
  const covered = new Map<number, [number, number][]>();
  const rows = [...grid.keys()].sort((a, b) => a - b);
  for (const m of childrenNamed(child(sheet, 'mergeCells'), 'mergeCell')) {
    const [from, to] = (m.attrs.ref ?? '').split(':').map(cellRef);
    if (!from || !to) continue;
    const value = grid.get(from.row)?.get(from.col);
    // Only rows that hold something are visited: an area may span a million empty rows.
    for (const r of rows) {
      if (r < from.row || r > to.row) continue;
      if (r > from.row && value !== undefined) grid.get(r)!.set(from.col, value);
      const skip = covered.get(r) ?? [];
      skip.push([from.col + 1, to.col]);
      covered.set(r, skip);
    }
  }
  return covered;
}

function rowLine(cells: Map<number, string>, skip: [number, number][]): string {
  const last = Math.max(...cells.keys());
  const out: string[] = [];
  for (let col = 0; col <= last; col++) {
    if (skip.some(([a, b]) => col >= a && col <= b)) continue;
    out.push(cells.get(col) ?? '');
  }
  return trimCells(out).join(' | ');
}

/**
 * Rows of every worksheet in tab order, each a 'row' location with its sheet's name; the
 * name also heads the sheet's first row in the text.
 */
export function extractXlsx(buf: Buffer, limits: ZipLimits): Extracted {
  const zip = openZip(buf, limits);
  const book = readWorkbook(zip);
  const sst = readPart(zip, book.sharedStrings);
  const stylesPart = readPart(zip, book.styles);
  const ctx: CellContext = {
    shared: childrenNamed(sst, 'si').map(stringItem),
    styles: dateStyles(stylesPart),
    currencies: currencyStyles(stylesPart),
    date1904: book.date1904,
  };
  const parts: { text: string; loc: { kind: 'row'; n: number; sheet: string } }[] = [];
  let units = 0;
  for (const ref of book.sheets) {
    const sheet = readPart(zip, ref.part);
    if (!sheet) continue;
    units++;
    const grid = readGrid(sheet, ctx);
    const covered = applyMerges(sheet, grid);
    let first = true;
    for (const n of [...grid.keys()].sort((a, b) => a - b)) {
      const line = rowLine(grid.get(n)!, covered.get(n) ?? []);
      if (!line.trim()) continue;
      parts.push({ text: first ? `${ref.name}\n${line}` : line, loc: { kind: 'row', n, sheet: ref.name } });
      first = false;
    }
  }
  return { ...joinParts(parts), ocr: false, units: Math.max(1, units) };
}
