/**
 * The office readers on real files: DOCX, ODT and XLSX written by LibreOffice (sources and the
 * script that regenerates them: test/fixtures/office/src, scripts/office-fixtures.sh), plus
 * small hand-made packages for what that suite never writes (inline strings, ISO date cells,
 * the 1904 date system) and HTML entity decoding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeZip } from '../helpers/docgen.ts';
import { extract } from '../../services/documents/extract/extract.service.ts';
import { formatKind, serialToIso } from '../../services/documents/extract/xlsx-dates.ts';
import { DocumentInputError } from '../../services/documents/errors.ts';
import { extractFields } from '../../services/documents/fields.ts';
import { DEFAULT_ZIP_LIMITS } from '../../services/documents/zip.ts';
import { sniff } from '../../services/documents/sniff.ts';
import type { Extracted } from '../../services/documents/extract/types.ts';

const opts = { maxPages: 50, zip: DEFAULT_ZIP_LIMITS, ocrLanguages: new Map<string, string>() };
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'office', name));
const lines = (ex: Extracted) => ex.text.split('\n');

/** The sheet of the row location that holds a line of text. */
function sheetOf(ex: Extracted, line: string): string | undefined {
  const at = ex.text.indexOf(line);
  assert.ok(at >= 0, `missing line ${line}`);
  return ex.locations.find((l) => at >= l.start && at < l.end)?.sheet;
}

test('Russian DOCX contract: paragraphs, tab, line break, table rows on one line, Cyrillic intact', async () => {
  const ex = await extract(fixture('contract-ru.docx'), 'docx', opts);
  assert.deepEqual(lines(ex), [
    'ДОГОВОР ПОСТАВКИ № 47/2024',
    'г. Москва\t17 мая 2024 г.',
    'ООО «Ромашка» (ИНН 7707083893), именуемое в дальнейшем «Поставщик», и АО «Василёк», именуемое в дальнейшем «Покупатель», заключили настоящий договор о нижеследующем.',
    '1. Предмет договора',
    'Поставщик обязуется поставить товар, указанный в спецификации, а Покупатель — принять и оплатить его.',
    'Срок действия договора: до 31.12.2025.',
    'Наименование | Количество | Цена, руб.',
    'Стол письменный | 10 | 12 500,00',
    'Стул офисный | 20 | 4 300,00',
    'Итого: 211 000,00 руб. (двести одиннадцать тысяч рублей), в том числе НДС.',
    'Поставщик\tПокупатель',
  ]);
  assert.equal(ex.units, 1);
  assert.ok(ex.locations.every((l) => l.kind === 'paragraph'));
  // The line break stays inside its paragraph: both lines share one location.
  const broken = ex.locations.filter((l) => ex.text.slice(l.start, l.end).includes('Срок действия'));
  assert.equal(broken.length, 1);
  assert.ok(ex.text.slice(broken[0]!.start, broken[0]!.end).startsWith('Поставщик обязуется'));
  const fields = extractFields(ex.text, 'contract');
  assert.ok(fields.some((f) => f.name === 'inn' && f.normalized === '7707083893'));
  assert.ok(fields.some((f) => f.normalized === '2025-12-31'));
});

test('ODT from LibreOffice: sniffed from its mimetype entry, read like the DOCX of the same source', async () => {
  const odt = fixture('contract-ru.odt');
  assert.equal(sniff(odt), 'odt');
  const ex = await extract(odt, 'odt', opts);
  const docx = await extract(fixture('contract-ru.docx'), 'docx', opts);
  // Headings, the tab, the line break inside a paragraph and the table rows come out as in DOCX.
  assert.deepEqual(lines(ex), lines(docx));
  assert.ok(lines(ex).includes('Стол письменный | 10 | 12 500,00'));
  assert.ok(ex.locations.every((l) => l.kind === 'paragraph'));
  const fields = extractFields(ex.text, 'contract');
  assert.ok(fields.some((f) => f.primary && f.name === 'number' && f.normalized === '47/2024'));
  // A zip that is neither OOXML nor OpenDocument text stays refused.
  assert.throws(() => sniff(makeZip([{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet') }, { name: 'content.xml', data: Buffer.from('<a/>') }])), DocumentInputError);
});

test('English DOCX with a table', async () => {
  const ex = await extract(fixture('report-en.docx'), 'docx', opts);
  assert.deepEqual(lines(ex), [
    'Quarterly Report Q1 2024',
    'Prepared by the finance team on March 28, 2024.',
    'Revenue grew by 12% against the previous quarter; costs stayed flat.',
    'Metric | Value',
    'Revenue | 1,250,000 USD',
    'Headcount | 42',
    'Next review:\tJune 30, 2024',
  ]);
  assert.deepEqual(ex.locations.map((l) => l.n), [1, 2, 3, 4, 5, 6, 7]);
});

const SUMMARY_SHEET = [
  'Итоги',
  'Сводка по договору № 47/2024 | Отчёт',
  'Дата подписания | 2024-05-17',
  'Отгрузка | 2024-06-03T14:30',
  'Итого к оплате | 211000',
  'Оплачено | FALSE',
  'Примечание | Оплата в течение 10 дней после поставки',
];
const GOODS_SHEET = [
  'Товары',
  'Наименование | Количество | Цена | Сумма',
  'Стол письменный | 10 | 12500 | 125000',
  'Стул офисный | 20 | 4300 | 86000',
  'Склад | Москва | 0.5',
  'Склад | Казань | -3.25',
];
const NOTES_SHEET = ['Q1 Notes', 'Owner | Jane & John', 'Due | 2025-01-31'];

test('XLSX from LibreOffice: sheet names as headings, ISO dates, merged cells, cached formula values, booleans, rich text', async () => {
  const ex = await extract(fixture('workbook.xlsx'), 'xlsx', opts);
  assert.deepEqual(lines(ex), [...SUMMARY_SHEET, ...GOODS_SHEET, ...NOTES_SHEET]);
  assert.equal(ex.units, 3);
  assert.deepEqual([...new Set(ex.locations.map((l) => l.sheet))], ['Итоги', 'Товары', 'Q1 Notes']);
  assert.equal(sheetOf(ex, 'Дата подписания | 2024-05-17'), 'Итоги');
  assert.equal(sheetOf(ex, 'Склад | Казань | -3.25'), 'Товары');
  const due = ex.locations.find((l) => ex.text.slice(l.start, l.end) === 'Due | 2025-01-31');
  assert.deepEqual(due && { kind: due.kind, n: due.n, sheet: due.sheet }, { kind: 'row', n: 2, sheet: 'Q1 Notes' });
  // Dates come out ISO, so the generic date field finds them as they are.
  const dates = extractFields(ex.text, 'other').filter((f) => f.name === 'date').map((f) => f.normalized);
  assert.ok(['2024-05-17', '2024-06-03', '2025-01-31'].every((d) => dates.includes(d)), dates.join(','));
});

test('XLSX whose tab order differs from its part names: names and rows follow the workbook relationships', async () => {
  const ex = await extract(fixture('workbook-moved.xlsx'), 'xlsx', opts);
  assert.deepEqual(lines(ex), [...GOODS_SHEET, ...NOTES_SHEET, ...SUMMARY_SHEET]);
  assert.equal(sheetOf(ex, 'Дата подписания | 2024-05-17'), 'Итоги');
  assert.equal(sheetOf(ex, 'Стол письменный | 10 | 12500 | 125000'), 'Товары');
  assert.equal(sheetOf(ex, 'Owner | Jane & John'), 'Q1 Notes');
});

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function handMadeXlsx(sheetData: string, opts: { date1904?: boolean; styles?: string } = {}): Buffer {
  const part = (name: string, xml: string) => ({ name, data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${xml}`) });
  return makeZip([
    part('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    part('xl/workbook.xml', `<workbook ${NS}>${opts.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets><sheet name="Лист &amp; данные" sheetId="7" r:id="rIdX"/></sheets></workbook>`),
    part('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdX" Type="${REL}/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rS" Type="${REL}/styles" Target="styles.xml"/></Relationships>`),
    part('xl/styles.xml', `<styleSheet ${NS}>${opts.styles ?? '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="20"/></cellXfs>'}</styleSheet>`),
    part('xl/worksheets/data.xml', `<worksheet ${NS}><sheetData>${sheetData}</sheetData></worksheet>`),
  ]);
}

test('XLSX details a suite may write: inline strings, ISO date cells, built-in date and time styles, the 1904 system', async () => {
  const ex = await extract(
    handMadeXlsx(
      '<row r="1"><c r="A1" t="inlineStr"><is><r><t>Срок</t></r><r><t xml:space="preserve"> оплаты</t></r></is></c><c r="B1" s="1"><v>45429</v></c><c r="D1" s="2"><v>0.75</v></c></row>' +
        '<row r="3"><c r="A3" t="inlineStr"><is><t>Start</t></is></c><c r="B3" t="d"><v>2024-05-17T00:00:00Z</v></c><c r="C3" t="e"><v>#DIV/0!</v></c></row>',
    ),
    'xlsx',
    opts,
  );
  assert.deepEqual(lines(ex), ['Лист & данные', 'Срок оплаты | 2024-05-17 |  | 18:00', 'Start | 2024-05-17 | #DIV/0!']);
  assert.deepEqual(ex.locations.map((l) => [l.n, l.sheet]), [[1, 'Лист & данные'], [3, 'Лист & данные']]);
  const mac = await extract(handMadeXlsx('<row r="1"><c r="A1" s="1"><v>43967</v></c></row>', { date1904: true }), 'xlsx', opts);
  assert.equal(lines(mac)[1], '2024-05-17');
});

test('date formats and serials', () => {
  assert.equal(formatKind('dd\\.mm\\.yyyy'), 'date');
  assert.equal(formatKind('[$-409]mmmm d, yyyy;@'), 'date');
  assert.equal(formatKind('mm/dd/yy hh:mm'), 'date');
  assert.equal(formatKind('h:mm AM/PM'), 'time');
  assert.equal(formatKind('[h]:mm:ss'), 'time');
  assert.equal(formatKind('General'), null);
  assert.equal(formatKind('#,##0.00 "days"'), null);
  assert.equal(formatKind('"TRUE";"TRUE";"FALSE"'), null);
  assert.equal(formatKind('0.00E+00'), null);
  assert.equal(serialToIso(45429, 'date', false), '2024-05-17');
  assert.equal(serialToIso(45446.6041666667, 'date', false), '2024-06-03T14:30');
  assert.equal(serialToIso(45446.60417824, 'date', false), '2024-06-03T14:30:01');
  assert.equal(serialToIso(1, 'date', false), '1900-01-01');
  assert.equal(serialToIso(61, 'date', false), '1900-03-01');
  assert.equal(serialToIso(0.5, 'time', false), '12:00');
});

test('broken or odd XML in an office package is refused as corrupt', async () => {
  const code = async (buf: Buffer) => {
    try {
      await extract(buf, 'xlsx', opts);
    } catch (err) {
      assert.ok(err instanceof DocumentInputError);
      return err.code;
    }
    return 'accepted';
  };
  assert.equal(await code(handMadeXlsx('<row r="1"><c r="A1"><v>1</v></row>')), 'corrupt');
  const fine = handMadeXlsx('<row r="1"><c r="A1"><v>1</v></c></row>', { styles: '<cellXfs/>' });
  assert.equal(await code(fine), 'accepted');
  const entity = makeZip([
    { name: 'xl/workbook.xml', data: Buffer.from(`<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><workbook ${NS}><sheets/></workbook>`) },
  ]);
  assert.equal(await code(entity), 'corrupt');
});

test('HTML: named and numeric entities decoded, scripts and styles dropped, blocks, lists and table rows on lines', async () => {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>Отчёт &laquo;Q1&raquo;</title><style>p{color:red}</style><script>var secret = "do not index";</script></head><body>' +
    '<h1>Итоги&nbsp;квартала</h1><p>Рост 12&nbsp;% &mdash; выше плана &#x2014; и &#8212; &copy; 2024&hellip;</p>' +
    '<ul><li>first</li><li>second</li></ul>' +
    '<table><tr><th>Label</th><th>Value</th></tr><tr><td>Total:</td><td><p>1 200</p><p>USD</p></td></tr></table>' +
    '<noscript>enable scripts</noscript></body></html>';
  const ex = await extract(Buffer.from(html), 'html', opts);
  assert.deepEqual(lines(ex), [
    'Отчёт «Q1»',
    'Итоги квартала',
    'Рост 12 % — выше плана — и — © 2024…',
    '* first',
    '* second',
    'Label | Value',
    'Total: | 1 200 USD',
  ]);
  assert.ok(!ex.text.includes('secret') && !ex.text.includes('color') && !ex.text.includes('&'));
  assert.ok(ex.locations.every((l) => l.kind === 'line'));
});
