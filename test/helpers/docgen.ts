/**
 * Generates test documents from scratch (no fixtures on disk): PDF with a real text layer
 * (English and Russian, via a ToUnicode map), DOCX and XLSX (a minimal zip writer), CSV,
 * HTML, plain text, plus broken inputs (encrypted/corrupt PDF, zip bombs) and a labelled
 * corpus of EN+RU documents with their expected category and fields.
 */
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';

// ---------------------------------------------------------------- PDF

/** Options for {@link makePdf}. */
export interface PdfOptions {
  /** Adds an /Encrypt dictionary whose empty user password does not open it. */
  encrypted?: boolean;
  /** Lines per page before a page break. */
  linesPerPage?: number;
  /** Pages with no text at all (a "scan": only a drawn box). */
  imageOnly?: boolean;
}

/**
 * A valid PDF whose text layer holds `text` (lines split on \n, long lines wrapped).
 * Non-ASCII characters get single-byte codes 128..255 with a ToUnicode CMap, so any
 * extractor recovers Cyrillic exactly.
 */
export function makePdf(text: string, opts: PdfOptions = {}): Buffer {
  const codes = new Map<string, number>();
  let next = 128;
  const encode = (line: string): string => {
    let hex = '';
    for (const ch of line) {
      let code: number;
      const cp = ch.codePointAt(0)!;
      if (cp >= 32 && cp < 127) code = cp;
      else {
        let c = codes.get(ch);
        if (c === undefined) {
          if (next > 255) throw new Error('too many distinct non-ASCII characters for one PDF font');
          c = next++;
          codes.set(ch, c);
        }
        code = c;
      }
      hex += code.toString(16).padStart(2, '0');
    }
    return hex;
  };
  const wrapped: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw;
    while (line.length > 95) {
      const cut = line.lastIndexOf(' ', 95);
      const at = cut > 20 ? cut : 95;
      wrapped.push(line.slice(0, at));
      line = line.slice(at).trimStart();
    }
    wrapped.push(line);
  }
  const perPage = opts.linesPerPage ?? 50;
  const pages: string[][] = [];
  for (let i = 0; i < wrapped.length; i += perPage) pages.push(wrapped.slice(i, i + perPage));
  if (pages.length === 0) pages.push([]);

  const contents = pages.map((lines) => {
    // A "scan": no text operators at all (the text only varies the bytes, as a comment).
    if (opts.imageOnly) return `% ${Buffer.from(text).toString('hex')}\n0.5 g 50 500 300 200 re f\n`;
    const body = lines.map((l) => `<${encode(l)}> Tj T*`).join('\n');
    return `BT /F1 11 Tf 14 TL 50 800 Td\n${body}\nET\n`;
  });

  let cmap = '/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /A2D2 def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n';
  const pairs: [number, number][] = [];
  for (let c = 32; c < 127; c++) pairs.push([c, c]);
  for (const [ch, c] of codes) pairs.push([c, ch.codePointAt(0)!]);
  for (let i = 0; i < pairs.length; i += 100) {
    const chunk = pairs.slice(i, i + 100);
    cmap += `${chunk.length} beginbfchar\n`;
    for (const [c, u] of chunk) cmap += `<${c.toString(16).padStart(2, '0')}> <${u.toString(16).padStart(4, '0')}>\n`;
    cmap += 'endbfchar\n';
  }
  cmap += 'endcmap CMapName currentdict /CMap defineresource pop end end\n';

  // Objects: 1 catalog, 2 pages, 3 font, 4 cmap, then (page, content) pairs.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 4 0 R >>';
  objects[4] = `<< /Length ${Buffer.byteLength(cmap, 'latin1')} >>\nstream\n${cmap}endstream`;
  contents.forEach((c, i) => {
    const pageId = pageIds[i]!;
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(c, 'latin1')} >>\nstream\n${c}endstream`;
  });
  let encryptId = 0;
  if (opts.encrypted) {
    encryptId = objects.length;
    const o = 'a'.repeat(64);
    const u = 'b'.repeat(64);
    objects[encryptId] = `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${o}> /U <${u}> >>`;
  }
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  const idHex = '0123456789abcdef0123456789abcdef';
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encryptId ? ` /Encrypt ${encryptId} 0 R /ID [<${idHex}> <${idHex}>]` : ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Bytes that start like a PDF and then fall apart. */
export function makeCorruptPdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R'), Buffer.alloc(300, 0x07), Buffer.from('\n%%EO')]);
}

// ---------------------------------------------------------------- ZIP

/** One zip entry; `declaredSize` lies about the uncompressed size (bomb tests). */
export interface ZipEntry {
  name: string;
  data: Buffer;
  declaredSize?: number;
}

/** A minimal zip writer (deflate), enough for OOXML packages. */
export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const comp = deflateRawSync(e.data);
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, comp);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CT_DOCX = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS_DOCX = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** A DOCX with one paragraph per line. */
export function makeDocx(text: string, opts: { bombBytes?: number; lieAboutSize?: boolean } = {}): Buffer {
  const paras = text
    .split('\n')
    .map((l) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(l)}</w:t></w:r></w:p>`)
    .join('');
  let body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paras}</w:body></w:document>`;
  const entries: ZipEntry[] = [
    { name: '[Content_Types].xml', data: Buffer.from(CT_DOCX) },
    { name: '_rels/.rels', data: Buffer.from(RELS_DOCX) },
  ];
  if (opts.bombBytes) {
    // Highly compressible padding inside the main part: a few KB on the wire, many MB inflated.
    body = body.replace('<w:body>', `<w:body><!--${' '.repeat(opts.bombBytes)}-->`);
    const data = Buffer.from(body);
    entries.push({ name: 'word/document.xml', data, ...(opts.lieAboutSize ? { declaredSize: 4096 } : {}) });
  } else entries.push({ name: 'word/document.xml', data: Buffer.from(body) });
  return makeZip(entries);
}

const CT_XLSX = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const RELS_XLSX = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const colName = (i: number) => String.fromCharCode(65 + i);

/** An XLSX with one sheet; strings go through sharedStrings, numbers stay numeric. */
export function makeXlsx(rows: (string | number)[][], opts: { bombBytes?: number; sheetName?: string } = {}): Buffer {
  const shared: string[] = [];
  const index = new Map<string, number>();
  const rowXml = rows
    .map((row, r) => {
      const cells = row
        .map((v, c) => {
          const ref = `${colName(c)}${r + 1}`;
          if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
          let i = index.get(v);
          if (i === undefined) {
            i = shared.length;
            shared.push(v);
            index.set(v, i);
          }
          return `<c r="${ref}" t="s"><v>${i}</v></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${cells}</row>`;
    })
    .join('');
  const pad = opts.bombBytes ? `<!--${' '.repeat(opts.bombBytes)}-->` : '';
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${pad}<sheetData>${rowXml}</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('')}</sst>`;
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlEscape(opts.sheetName ?? 'Sheet1')}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const wbRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  return makeZip([
    { name: '[Content_Types].xml', data: Buffer.from(CT_XLSX) },
    { name: '_rels/.rels', data: Buffer.from(RELS_XLSX) },
    { name: 'xl/workbook.xml', data: Buffer.from(workbook) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(wbRels) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) },
    { name: 'xl/sharedStrings.xml', data: Buffer.from(sst) },
  ]);
}

/** CSV with quoting where needed. */
export function makeCsv(rows: string[][]): Buffer {
  const q = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from(rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** An HTML page with a script and style that must not leak into the text. */
export function makeHtml(text: string, title = 'Document'): Buffer {
  const body = text
    .split('\n')
    .map((l) => `<p>${xmlEscape(l)}</p>`)
    .join('\n');
  return Buffer.from(
    `<!doctype html><html><head><meta charset="utf-8"><title>${xmlEscape(title)}</title><style>p{color:red}</style><script>var secret = "do not index";</script></head><body>${body}</body></html>`,
    'utf8',
  );
}

// ---------------------------------------------------------------- images

const FONT_5X7: Record<string, string[]> = {
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
  C: ['01110', '10001', '10000', '10000', '10000', '10001', '01110'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  F: ['11111', '10000', '10000', '11110', '10000', '10000', '10000'],
  G: ['01110', '10001', '10000', '10111', '10001', '10001', '01111'],
  H: ['10001', '10001', '10001', '11111', '10001', '10001', '10001'],
  I: ['01110', '00100', '00100', '00100', '00100', '00100', '01110'],
  L: ['10000', '10000', '10000', '10000', '10000', '10000', '11111'],
  M: ['10001', '11011', '10101', '10101', '10001', '10001', '10001'],
  N: ['10001', '11001', '10101', '10011', '10001', '10001', '10001'],
  O: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
  R: ['11110', '10001', '10001', '11110', '10100', '10010', '10001'],
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
  T: ['11111', '00100', '00100', '00100', '00100', '00100', '00100'],
  U: ['10001', '10001', '10001', '10001', '10001', '10001', '01110'],
  V: ['10001', '10001', '10001', '01010', '01010', '00100', '00100'],
  Y: ['10001', '10001', '01010', '00100', '00100', '00100', '00100'],
  '0': ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
};

/**
 * A grayscale PNG with `lines` drawn in a 5x7 pixel font scaled up (black on white), for OCR.
 * Only the characters in the built-in font are drawn.
 */
export function makeTextPng(lines: string[], scale = 4): Buffer {
  const charW = 6 * scale;
  const lineH = 10 * scale;
  const margin = 4 * scale;
  const width = margin * 2 + Math.max(...lines.map((l) => l.length)) * charW;
  const height = margin * 2 + lines.length * lineH;
  const px = Buffer.alloc(width * height, 255);
  lines.forEach((line, li) => {
    [...line.toUpperCase()].forEach((ch, ci) => {
      const glyph = FONT_5X7[ch] ?? FONT_5X7[' ']!;
      for (let gy = 0; gy < 7; gy++)
        for (let gx = 0; gx < 5; gx++) {
          if (glyph[gy]![gx] !== '1') continue;
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++) {
              const x = margin + ci * charW + gx * scale + dx;
              const y = margin + li * lineH + gy * scale + dy;
              px[y * width + x] = 0;
            }
        }
    });
  });
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) px.copy(raw, y * (width + 1) + 1, y * width, (y + 1) * width);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- labelled corpus

export type Category = 'passport' | 'certificate' | 'manual' | 'report' | 'contract' | 'invoice' | 'other';
export type Format = 'pdf' | 'docx' | 'xlsx' | 'csv' | 'html' | 'txt';

/** One generated document with what a correct pipeline must find in it. */
export interface LabelledDoc {
  name: string;
  format: Format;
  language: 'en' | 'ru';
  category: Category;
  bytes: Buffer;
  /** Phrases that must appear in the extracted text. */
  expectText: string[];
  /** Expected normalised field values (dates ISO, amounts "1234.50 USD"). */
  fields: Record<string, string>;
}

interface Template {
  language: 'en' | 'ru';
  category: Category;
  lines: (v: number) => string[];
  fields: (v: number) => Record<string, string>;
  expect: (v: number) => string[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const vendorsEn = ['Acme Supplies Ltd', 'Northwind Traders Inc', 'Contoso Hardware LLC'];
const vendorsRu = ['ООО «Ромашка»', 'АО «Вектор»', 'ООО «Северный ветер»'];
const holdersEn = ['Jane Smith', 'Robert Brown', 'Alice Green'];
const holdersRu = ['Петров Пётр Петрович', 'Смирнова Анна Сергеевна', 'Кузнецов Олег Иванович'];
// Valid 10-digit INNs (check digit holds).
const innsRu = ['7707083893', '7736207543', '5001012486'];

const fmtEn = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fmtRu = (n: number) => n.toLocaleString('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/\u00a0|\u202f/g, ' ');

const templates: Template[] = [
  {
    language: 'en',
    category: 'invoice',
    lines: (v) => {
      const qty = v + 1;
      const total = qty * 1200 + 450;
      return [
        `INVOICE No. INV-2024-${100 + v}`,
        `Invoice date: ${10 + v} ${EN_MONTHS[v % 12]} 2024`,
        `Vendor: ${vendorsEn[v % 3]}`,
        'Bill to: Globex Corporation, 12 Main Street, Springfield',
        `VAT number: GB12345678${v}`,
        'Description | Qty | Unit price | Amount',
        `Server rack | ${qty} | 1,200.00 | ${fmtEn(qty * 1200)}`,
        'Network switch | 1 | 450.00 | 450.00',
        `Total due: ${fmtEn(total)} USD`,
        `Payment terms: net 30 days. Questions: billing${v}@acme.example`,
      ];
    },
    fields: (v) => ({
      number: `INV-2024-${100 + v}`,
      date: `2024-${pad2((v % 12) + 1)}-${pad2(10 + v)}`,
      total: `${((v + 1) * 1200 + 450).toFixed(2)} USD`,
      vendor: vendorsEn[v % 3]!,
    }),
    expect: (v) => [`INV-2024-${100 + v}`, 'Network switch'],
  },
  {
    language: 'ru',
    category: 'invoice',
    lines: (v) => {
      const total = (v + 2) * 55000;
      return [
        `СЧЁТ НА ОПЛАТУ № СЧ-${200 + v} от ${pad2(5 + v)}.0${(v % 9) + 1}.2024`,
        `Поставщик: ${vendorsRu[v % 3]}, ИНН ${innsRu[v % 3]}`,
        'Покупатель: АО «Глобус», ИНН 7736207543',
        'Наименование | Кол-во | Цена | Сумма',
        `Ноутбук | ${v + 2} шт. | 55 000,00 | ${fmtRu(total)}`,
        `Итого к оплате: ${fmtRu(total)} руб.`,
        'В том числе НДС 20%.',
        `Контакт бухгалтерии: buh${v}@romashka.example`,
      ];
    },
    fields: (v) => ({
      number: `СЧ-${200 + v}`,
      date: `2024-0${(v % 9) + 1}-${pad2(5 + v)}`,
      total: `${((v + 2) * 55000).toFixed(2)} RUB`,
      vendor: vendorsRu[v % 3]!,
    }),
    expect: (v) => [`СЧ-${200 + v}`, 'Итого к оплате'],
  },
  {
    language: 'en',
    category: 'contract',
    lines: (v) => [
      `SERVICE AGREEMENT No. SA-${17 + v}/2024`,
      `This Agreement is made on ${v + 1} February 2024 between ${vendorsEn[v % 3]} (the "Provider") and Globex Corporation (the "Client").`,
      '1. Subject of the Agreement. The Provider shall deliver maintenance services to the Client.',
      `2. Term. This Agreement is effective from ${v + 1} March 2024 and remains in force until ${v + 1} March 2025.`,
      `3. Price. The total contract value is ${fmtEn(120000 + v * 1000)} EUR, payable monthly.`,
      '4. Termination. Either party may terminate this Agreement with 30 days written notice.',
      '5. Governing law. The parties agree that the laws of England apply.',
      'Signatures of the parties follow.',
    ],
    fields: (v) => ({
      number: `SA-${17 + v}/2024`,
      startDate: `2024-03-${pad2(v + 1)}`,
      endDate: `2025-03-${pad2(v + 1)}`,
      value: `${(120000 + v * 1000).toFixed(2)} EUR`,
    }),
    expect: () => ['SERVICE AGREEMENT', 'Termination'],
  },
  {
    language: 'ru',
    category: 'contract',
    lines: (v) => [
      `ДОГОВОР ОКАЗАНИЯ УСЛУГ № ${45 + v}/2024`,
      `г. Москва                                        ${pad2(v + 1)}.02.2024`,
      `${vendorsRu[v % 3]}, именуемое в дальнейшем «Исполнитель», с одной стороны, и АО «Глобус», именуемое в дальнейшем «Заказчик», с другой стороны, заключили настоящий договор о нижеследующем.`,
      '1. Предмет договора. Исполнитель обязуется оказать услуги по сопровождению, а Заказчик обязуется оплатить их.',
      `2. Срок действия договора: с ${pad2(v + 1)}.03.2024 по ${pad2(v + 1)}.03.2025.`,
      `3. Стоимость услуг по договору составляет ${fmtRu(1200000 + v * 10000)} руб.`,
      '4. Стороны несут ответственность в соответствии с законодательством Российской Федерации.',
      'Подписи сторон.',
    ],
    fields: (v) => ({
      number: `${45 + v}/2024`,
      startDate: `2024-03-${pad2(v + 1)}`,
      endDate: `2025-03-${pad2(v + 1)}`,
      value: `${(1200000 + v * 10000).toFixed(2)} RUB`,
    }),
    expect: () => ['ДОГОВОР ОКАЗАНИЯ УСЛУГ', 'Предмет договора'],
  },
  {
    language: 'en',
    category: 'certificate',
    lines: (v) => [
      'CERTIFICATE OF COMPLETION',
      `Certificate No. CC-${88120 + v}`,
      `This is to certify that ${holdersEn[v % 3]} has successfully completed the course "Network Security Fundamentals".`,
      `Date of issue: ${pad2(v + 3)}/05/2023`,
      `Valid until: ${pad2(v + 3)}/05/2026`,
      'Issued by the Training Centre of Excellence.',
    ],
    fields: (v) => ({
      number: `CC-${88120 + v}`,
      issueDate: `2023-05-${pad2(v + 3)}`,
      expiryDate: `2026-05-${pad2(v + 3)}`,
      holder: holdersEn[v % 3]!,
    }),
    expect: () => ['CERTIFICATE OF COMPLETION', 'Network Security Fundamentals'],
  },
  {
    language: 'ru',
    category: 'certificate',
    lines: (v) => [
      'СЕРТИФИКАТ',
      `Сертификат № СТ-${5500 + v}`,
      `Настоящим удостоверяется, что ${holdersRu[v % 3]} прошёл(а) обучение по программе «Основы информационной безопасности».`,
      `Дата выдачи: ${pad2(v + 10)}.10.2023`,
      `Действителен до: ${pad2(v + 10)}.10.2026`,
      'Учебный центр «Профи».',
    ],
    fields: (v) => ({
      number: `СТ-${5500 + v}`,
      issueDate: `2023-10-${pad2(v + 10)}`,
      expiryDate: `2026-10-${pad2(v + 10)}`,
      holder: holdersRu[v % 3]!,
    }),
    expect: () => ['Настоящим удостоверяется', 'информационной безопасности'],
  },
  {
    language: 'en',
    category: 'passport',
    lines: (v) => [
      'PASSPORT',
      'Type: P    Country code: GBR',
      `Passport No.: ${533380000 + v}`,
      `Surname: ${['DOE', 'ROE', 'POE'][v % 3]}`,
      'Given names: JOHN',
      'Nationality: BRITISH CITIZEN',
      `Date of birth: 0${v + 1}.01.1985`,
      `Date of issue: ${pad2(14 + v)}.01.2020`,
      `Date of expiry: ${pad2(14 + v)}.01.2030`,
      'Authority: HM Passport Office',
    ],
    fields: (v) => ({
      number: `${533380000 + v}`,
      issueDate: `2020-01-${pad2(14 + v)}`,
      expiryDate: `2030-01-${pad2(14 + v)}`,
      issuer: 'HM Passport Office',
    }),
    expect: () => ['Passport No.', 'HM Passport Office'],
  },
  {
    language: 'ru',
    category: 'passport',
    lines: (v) => [
      'ПАСПОРТ ГРАЖДАНИНА РОССИЙСКОЙ ФЕДЕРАЦИИ',
      `Серия и номер: 45 1${v} ${123450 + v}`,
      'Паспорт выдан: ОВД района Хамовники города Москвы',
      `Дата выдачи: ${pad2(12 + v)}.05.2015`,
      'Код подразделения: 770-001',
      'Фамилия: Иванов  Имя: Иван  Отчество: Иванович',
      `Дата рождения: ${pad2(3 + v)}.04.1990`,
    ],
    fields: (v) => ({
      number: `45 1${v} ${123450 + v}`,
      issueDate: `2015-05-${pad2(12 + v)}`,
      issuer: 'ОВД района Хамовники города Москвы',
    }),
    expect: () => ['Код подразделения', 'Хамовники'],
  },
  {
    language: 'en',
    category: 'manual',
    lines: (v) => [
      `User Manual: X${200 + v} Wireless Router`,
      'Chapter 1. Installation',
      'Step 1: Unpack the device and connect the power adapter.',
      'Step 2: Connect the WAN port to your modem with the supplied cable.',
      'Chapter 2. Configuration',
      'Open the web interface and follow the setup wizard. Press the reset button for 10 seconds to restore factory settings.',
      'Troubleshooting: if the power LED does not light up, check the adapter.',
      'Safety instructions: do not expose the device to water. Warning: use only the supplied adapter.',
    ],
    fields: () => ({}),
    expect: (v) => [`X${200 + v} Wireless Router`, 'Troubleshooting'],
  },
  {
    language: 'ru',
    category: 'manual',
    lines: (v) => [
      `Руководство пользователя. Маршрутизатор Р-${300 + v}`,
      'Глава 1. Установка',
      'Шаг 1. Распакуйте устройство и подключите адаптер питания.',
      'Шаг 2. Подключите порт WAN к модему кабелем из комплекта.',
      'Глава 2. Настройка',
      'Откройте веб-интерфейс и следуйте указаниям мастера настройки. Для сброса к заводским настройкам нажмите кнопку на 10 секунд.',
      'Устранение неисправностей: если индикатор питания не горит, проверьте адаптер.',
      'Меры безопасности: не допускайте попадания воды. Внимание: используйте только адаптер из комплекта.',
    ],
    fields: () => ({}),
    expect: (v) => [`Маршрутизатор Р-${300 + v}`, 'Устранение неисправностей'],
  },
  {
    language: 'en',
    category: 'report',
    lines: (v) => [
      `Quarterly Report: Q${(v % 4) + 1} 2024`,
      'Executive summary',
      `Revenue grew by ${10 + v}% compared with the previous quarter, driven by enterprise sales.`,
      'Key findings: customer churn decreased; support response times improved by 20%.',
      'Analysis of the results shows that the infrastructure costs remained stable.',
      'Recommendations: expand the support team and continue the migration programme.',
      'Conclusion: the quarter met its targets.',
      `Prepared by the analytics team, contact: analytics${v}@globex.example`,
    ],
    fields: () => ({}),
    expect: () => ['Executive summary', 'Recommendations'],
  },
  {
    language: 'ru',
    category: 'report',
    lines: (v) => [
      `Отчёт о работе отдела за ${(v % 4) + 1} квартал 2024 года`,
      'Краткие итоги',
      `Выручка выросла на ${10 + v}% по сравнению с предыдущим кварталом.`,
      'Основные результаты: снизился отток клиентов, время ответа поддержки сократилось на 20%.',
      'Анализ показателей показывает, что расходы на инфраструктуру остались на прежнем уровне.',
      'Рекомендации: расширить службу поддержки и продолжить программу миграции.',
      'Выводы: план квартала выполнен.',
    ],
    fields: () => ({}),
    expect: () => ['Краткие итоги', 'Рекомендации'],
  },
  {
    language: 'en',
    category: 'other',
    lines: (v) => [
      `Team lunch menu for Friday ${v + 1}`,
      'Starters: tomato soup, green salad.',
      'Main course: grilled chicken with vegetables, or pasta with mushrooms.',
      'Dessert: apple pie and ice cream.',
      'Please tell the office manager about allergies before Thursday noon.',
    ],
    fields: () => ({}),
    expect: () => ['tomato soup', 'apple pie'],
  },
  {
    language: 'ru',
    category: 'other',
    lines: (v) => [
      `Меню праздничного обеда, пятница ${v + 1}`,
      'Закуски: салат оливье, сырная тарелка.',
      'Горячее: запечённая курица с овощами или паста с грибами.',
      'Десерт: яблочный пирог и мороженое.',
      'Сообщите офис-менеджеру об аллергиях до четверга.',
    ],
    fields: () => ({}),
    expect: () => ['салат оливье', 'яблочный пирог'],
  },
];

/** Renders lines in one format. */
export function render(lines: string[], format: Format, title: string): Buffer {
  const text = lines.join('\n');
  switch (format) {
    case 'pdf':
      return makePdf(text);
    case 'docx':
      return makeDocx(text);
    case 'xlsx':
      return makeXlsx(lines.map((l) => l.split(' | ')));
    case 'csv': {
      // Exports pad every row to the same number of columns.
      let rows = lines.map((l) => l.split(' | '));
      // A one-column table is just text: number the lines as a second column.
      if (rows.every((r) => r.length === 1)) rows = rows.map((r, i) => [String(i + 1), r[0]!]);
      const width = Math.max(...rows.map((r) => r.length));
      return makeCsv(rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]));
    }
    case 'html':
      return makeHtml(text, title);
    case 'txt':
      return Buffer.from(text + '\n', 'utf8');
  }
}

const FORMATS: Format[] = ['pdf', 'docx', 'xlsx', 'html', 'csv', 'txt'];

/**
 * The labelled corpus: every template in three variants and three formats
 * (14 templates x 3 = 42 documents), formats rotating so each appears for both languages.
 */
export function labelledCorpus(): LabelledDoc[] {
  const out: LabelledDoc[] = [];
  templates.forEach((t, ti) => {
    for (let v = 0; v < 3; v++) {
      const format = FORMATS[(ti + v * 2) % FORMATS.length]!;
      const lines = t.lines(v);
      const name = `${t.category}-${t.language}-${v}.${format}`;
      out.push({
        name,
        format,
        language: t.language,
        category: t.category,
        bytes: render(lines, format, name),
        expectText: t.expect(v),
        fields: t.fields(v),
      });
    }
  });
  return out;
}

/** Lines of one template variant (for flows that want a specific document). */
export function sampleLines(category: Category, language: 'en' | 'ru', variant = 0): string[] {
  const t = templates.find((x) => x.category === category && x.language === language);
  if (!t) throw new Error(`no template ${category}/${language}`);
  return t.lines(variant);
}

/** Expected fields of one template variant. */
export function sampleFields(category: Category, language: 'en' | 'ru', variant = 0): Record<string, string> {
  const t = templates.find((x) => x.category === category && x.language === language)!;
  return t.fields(variant);
}
