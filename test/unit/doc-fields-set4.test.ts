/**
 * The field and category rules added on tuning set 4, each on a small string written here (not
 * copied from a set's documents): a currency kept only in an XLSX cell's number format, the
 * cell below a column label when the next column is one no label knows, a title by its own
 * label, the labelled author that reads as a name, more author and date labels, a Russian
 * signature line, passport series and number in two cells, "серии", a foreign passport's "№",
 * prose issue dates and issuers, listed invoice items, a page title over the letterhead,
 * "awarded to" ending its line, "подтверждается, что", renewal "recommended by"; from the
 * second batch: tester, audit lead, doc owner, "Исп.", an "Отчёт" title label, a passport
 * number after its name with "№", a bare expiry column, more item columns and numbered item
 * lines, a диплом.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeZip } from '../helpers/docgen.ts';
import { extract } from '../../services/documents/extract/extract.service.ts';
import { formatCurrency } from '../../services/documents/extract/xlsx-dates.ts';
import { extractFields } from '../../services/documents/fields.ts';
import { classify } from '../../services/documents/classify.ts';
import { DEFAULT_ZIP_LIMITS } from '../../services/documents/zip.ts';

type Cat = Parameters<typeof extractFields>[1];
const get = (text: string, category: Cat, name: string) => extractFields(text, category).find((f) => f.primary && f.name === name)?.normalized;
const all = (text: string, category: Cat, name: string) => extractFields(text, category).filter((f) => f.primary && f.name === name).map((f) => f.normalized);

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function xlsx(sheetData: string, styles: string): Buffer {
  const part = (name: string, xml: string) => ({ name, data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${xml}`) });
  return makeZip([
    part('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    part('xl/workbook.xml', `<workbook ${NS}><sheets><sheet name="Bill" sheetId="1" r:id="rA"/></sheets></workbook>`),
    part('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rA" Type="${REL}/worksheet" Target="sheet.xml"/><Relationship Id="rS" Type="${REL}/styles" Target="styles.xml"/></Relationships>`),
    part('xl/styles.xml', `<styleSheet ${NS}>${styles}</styleSheet>`),
    part('xl/sheet.xml', `<worksheet ${NS}><sheetData>${sheetData}</sheetData></worksheet>`),
  ]);
}

test('a currency kept only in a cell number format comes out with the number', async () => {
  assert.equal(formatCurrency('[$$-409]#,##0.00;[RED]\\-[$$-409]#,##0.00'), 'USD');
  assert.equal(formatCurrency('#,##0.00\\ [$€-407]'), 'EUR');
  assert.equal(formatCurrency('[$£-809]#,##0'), 'GBP');
  assert.equal(formatCurrency('#,##0.00 [$руб.-419]'), 'RUB');
  assert.equal(formatCurrency('"₽"#,##0'), 'RUB');
  assert.equal(formatCurrency('[$$-1009]#,##0.00'), 'CAD');
  assert.equal(formatCurrency('#,##0.00'), null);
  assert.equal(formatCurrency('[$-409]mmmm d, yyyy'), null);
  const styles = '<numFmts><numFmt numFmtId="164" formatCode="[$$-409]#,##0.00"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>';
  const buf = xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>Grand total</t></is></c><c r="B1" s="1"><v>980.5</v></c><c r="C1"><v>7</v></c></row>', styles);
  const ex = await extract(buf, 'xlsx', { maxPages: 5, zip: DEFAULT_ZIP_LIMITS, ocrLanguages: new Map() });
  assert.equal(ex.text.split('\n')[1], 'Grand total | 980.5 USD | 7');
  assert.equal(get(ex.text, 'invoice', 'total'), '980.50 USD');
});

test('a column label takes the cell below it when the next column is one no label knows', () => {
  const text = 'Name | Passport number | Home country | Expiry date\nJo Park | M7731029 | Korea | 2031-02-03';
  assert.equal(get(text, 'passport', 'number'), 'M7731029');
  assert.equal(get(text, 'passport', 'expiryDate'), '2031-02-03');
  const reg = 'Contract | Vendor | Client | Value\nSV-12 | Acme Tools Ltd | Bolt Works Inc. | 3000 USD';
  assert.equal(get(reg, 'contract', 'number'), 'SV-12');
  assert.deepEqual(all(reg, 'contract', 'party').sort(), ['Acme Tools Ltd', 'Bolt Works Inc.']);
});

test('report and manual: a title by its own label, the author that reads as a name, more labels', () => {
  assert.equal(get('export\nTitle | Warehouse stock levels\nAuthor | Kim Li', 'report', 'title'), 'Warehouse stock levels');
  assert.equal(get('Название | Порядок сверки остатков\nАвтор | Кот И. И.', 'manual', 'title'), 'Порядок сверки остатков');
  assert.equal(get('Staff Guide\nIssued by the HR office. Owner: Rui Costa\nDate: 2025-02-02', 'manual', 'author'), 'Rui Costa');
  assert.equal(get('Weekly notes\nReporter: Sam Ode\nDate: 2025-01-03', 'report', 'author'), 'Sam Ode');
  assert.equal(get('Setup guide\nMaintainer: Lu Chen\n2025-01-03', 'manual', 'author'), 'Lu Chen');
  assert.equal(get('Cash audit\nAuditor: Ana Diaz\n2025-01-03', 'report', 'author'), 'Ana Diaz');
  assert.equal(get('Инструкция по уборке\nАвтор-составитель: Ким Л. П.', 'manual', 'author'), 'Ким Л. П.');
  assert.equal(get('Отчёт о закупках\nОтветственный исполнитель: Рыбин Олег', 'report', 'author'), 'Рыбин Олег');
  assert.equal(get('Порядок приёмки\nУтверждено 03.04.2025', 'manual', 'date'), '2025-04-03');
  assert.equal(get('Справка к отчёту за год\nПрибыль выросла.\nГенеральный директор   Лосев П. Р.\n1 марта 2025 г.', 'report', 'author'), 'Лосев П. Р.');
  assert.equal(classify('Методические рекомендации по ведению журнала\nСоставитель: Ким Л. П.', 'ru').category, 'manual');
});

test('passports: series and number in two cells, "серии", a foreign passport with "№", prose dates and issuers', () => {
  assert.equal(get('Паспорт\nСерия | 11 22\nНомер | 334455', 'passport', 'number'), '11 22 334455');
  assert.equal(get('Предъявлен паспорт серии 11 22 номер 334455.', 'passport', 'number'), '11 22 334455');
  const foreign = 'Загранпаспорт: 71 № 1234567, дата выдачи 01.02.2020, срок действия до 01.02.2030, орган выдачи: МВД 12345.';
  assert.equal(get(foreign, 'passport', 'number'), '71 1234567');
  assert.equal(get(foreign, 'passport', 'issueDate'), '2020-02-01');
  assert.equal(get(foreign, 'passport', 'expiryDate'), '2030-02-01');
  assert.equal(classify('Загранпаспорт сотрудника\nномер 71 1234567', 'ru').category, 'passport');
  const prose = 'Паспорт серии 11 22 номер 334455, выданный Отделом УФМС по г. Туле 04.05.2016.';
  assert.equal(get(prose, 'passport', 'issuer'), 'Отделом УФМС по г. Туле');
  assert.equal(get(prose, 'passport', 'issueDate'), '2016-05-04');
  assert.equal(get('Travel document\nNumber of travel document: ZK0012345\nValid until: 2030-01-01', 'passport', 'number'), 'ZK0012345');
});

test('invoices: listed items with quantity and price, a page title over the letterhead', () => {
  const text = 'Invoice 77\nBirch Lane Bakery\nInvoice number: 77\n- 2 x Sourdough loaf @ 4.50 = 9.00\n- 1 × Cake @ 20.00 = 20.00\nTotal: GBP 29.00';
  assert.equal(all(text, 'invoice', 'item').length, 2);
  assert.equal(get(text, 'invoice', 'vendor'), 'Birch Lane Bakery');
  assert.equal(all('Bill\n- remember to pay by Friday\nTotal: GBP 29.00', 'invoice', 'item').length, 0);
});

test('certificates: "awarded to" ending its line, "подтверждается, что", renewal "recommended by"', () => {
  const en = 'Award\nThis award is presented to\nNoor Haddad\nfor ten years of service.\nCertificate no.: LS-10\nRenewal recommended by 1 May 2030';
  assert.equal(get(en, 'certificate', 'holder'), 'Noor Haddad');
  assert.equal(get(en, 'certificate', 'expiryDate'), '2030-05-01');
  assert.equal(get('СВИДЕТЕЛЬСТВО № 12\nНастоящим подтверждается, что Ильин Ян Ильич окончил курсы.', 'certificate', 'holder'), 'Ильин Ян Ильич');
});

test('second batch: tester, audit lead, doc owner and "Исп." as authors, "Отчёт" as a title label', () => {
  assert.equal(get('Load Test Report\nClient | Zeta\nTester | Ivo Petrov\nReport issued | 2025-01-02', 'report', 'author'), 'Ivo Petrov');
  assert.equal(get('Audit Report 2025\nAudit lead: Mia Sand\nCompleted: 2 March 2025', 'report', 'author'), 'Mia Sand');
  assert.equal(get('Cleaning procedure\nDoc owner: Ben Ode | Rev 2 | 1 Feb 2025', 'manual', 'author'), 'Ben Ode');
  assert.equal(get('Отчёт о поставках за май\nВсё в срок.\nИсп. Орлова Н. Н.\n02.06.2025', 'report', 'author'), 'Орлова Н. Н.');
  assert.equal(get('Отчёт | Остатки на складах, июнь\nДата | 01.07.2025', 'report', 'title'), 'Остатки на складах, июнь');
});

test('second batch: a passport number after its name with "№", a bare expiry column; items in other columns and numbered lines; a диплом', () => {
  assert.equal(get('Данные паспорта: 12 34 № 567890; выдан: ОВД района', 'passport', 'number'), '12 34 567890');
  assert.equal(get('Passport record\nPassport no | ZX998877\nExpiry | 2030-01-01', 'passport', 'expiryDate'), '2030-01-01');
  assert.equal(all('Invoice #: A-1\n# | Equipment | Days | Charge\n1 | Stage | 2 | USD 100.00\n2 | Lights | 2 | USD 50.00\n | Total |  | USD 150.00', 'invoice', 'item').length, 2);
  assert.equal(all('Счёт № 7\n1. Дизайн буклета — 8 000 руб.\n2. Печать — 2 000 руб.\nИтого: 10 000 руб.', 'invoice', 'item').length, 2);
  assert.equal(all('Счёт № 7\n1. Дизайн буклета — 8 000 руб.\nИтого: 8 000 руб.', 'invoice', 'item').length, 0);
  const diploma = 'ДИПЛОМ № 7\nнаграждается\nОрлов Иван Петрович\nза первое место\nДата вручения: 01.03.2025';
  assert.equal(classify(diploma, 'ru').category, 'certificate');
  assert.equal(get(diploma, 'certificate', 'number'), '7');
  assert.equal(get(diploma, 'certificate', 'holder'), 'Орлов Иван Петрович');
  assert.equal(get(diploma, 'certificate', 'issueDate'), '2025-03-01');
});
