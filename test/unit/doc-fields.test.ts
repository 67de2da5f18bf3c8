/**
 * Field and summary regressions seen with files from a real office suite: a value cut out of
 * its own label ("Invoice number" gave "umber"), a label and its value in adjacent table or
 * spreadsheet cells, and initials that split a sentence in the summary; then the fields by
 * structure (cells, rows of labels over values, dot leaders, tabs), typed dates, contract
 * parties and periods, passports, report and manual fields, and CSV sniffing, on small
 * strings written here and the office fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFields } from '../../services/documents/fields.ts';
import { sentences, summarize } from '../../services/documents/summary.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sniff } from '../../services/documents/sniff.ts';
import { extract } from '../../services/documents/extract/extract.service.ts';
import { DEFAULT_ZIP_LIMITS } from '../../services/documents/zip.ts';

const opts = { maxPages: 50, zip: DEFAULT_ZIP_LIMITS, ocrLanguages: new Map<string, string>() };

const num = (text: string, category: Parameters<typeof extractFields>[1]) =>
  extractFields(text, category).find((f) => f.primary && f.name === 'number')?.normalized;

test('a value never comes from inside its own label', () => {
  assert.equal(num('Invoice number: INV-2024-117\nDate: 17.05.2024', 'invoice'), 'INV-2024-117');
  assert.equal(num('Invoice No. 5521', 'invoice'), '5521');
  assert.equal(num('Contract number 77/2024 between', 'contract'), '77/2024');
  assert.equal(num('Certificate number: C-901', 'certificate'), 'C-901');
  assert.equal(num('Passport number: 753912345', 'passport'), '753912345');
  // Nothing after the label: no field rather than a piece of the label.
  assert.equal(num('Invoice number', 'invoice'), undefined);
});

test('a label and its value in adjacent cells (one row joined with " | ")', () => {
  assert.equal(num('Invoice\nInvoice number | INV-88\nInvoice date | 2024-05-17', 'invoice'), 'INV-88');
  assert.equal(num('Счёт № | 145\nДата | 17.05.2024', 'invoice'), '145');
  assert.equal(num('Номер счёта | 2024/15', 'invoice'), '2024/15');
});

test('the summary keeps initials inside their sentence', () => {
  const text = 'Договор поставки заключён между сторонами. Ответственный исполнитель Петрова П. П. подписала акт приёмки товара.';
  const s = sentences(text).map((x) => x.text);
  assert.deepEqual(s, ['Договор поставки заключён между сторонами.', 'Ответственный исполнитель Петрова П. П. подписала акт приёмки товара.']);
  assert.equal(text.slice(sentences(text)[1]!.start, sentences(text)[1]!.start + 10), 'Ответствен');
  const summary = summarize(text);
  assert.ok(summary.includes('Петрова П. П. подписала'), summary);
  assert.ok(!/П\. ,/.test(summary), summary);
  assert.deepEqual(sentences('Reviewed by J. R. Smith on site. The pumps were replaced.').map((x) => x.text), ['Reviewed by J. R. Smith on site.', 'The pumps were replaced.']);
});

const fieldsOf = (text: string, category: Parameters<typeof extractFields>[1]) =>
  Object.fromEntries(
    extractFields(text, category)
      .filter((f) => f.primary && f.name !== 'party' && f.name !== 'item')
      .reverse()
      .map((f) => [f.name, f.normalized]),
  );
const partiesOf = (text: string) => extractFields(text, 'contract').filter((f) => f.primary && f.name === 'party').map((f) => f.value);

test('date cells: written forms become ISO, next to their label or under it', () => {
  const cert = (text: string) => fieldsOf(text, 'certificate');
  assert.equal(cert('Certificate\nIssue date | 17.05.2024\nValid until | 2026-05-16').issueDate, '2024-05-17');
  assert.equal(cert('Certificate\nIssue date | 2026-05-16').issueDate, '2026-05-16');
  assert.equal(cert('Сертификат\nДата выдачи | «3» марта 2025 г.\nДействителен до | 3 марта 2027 г.').expiryDate, '2027-03-03');
  assert.equal(cert('Certificate\nDate of issue | May 7, 2024').issueDate, '2024-05-07');
  assert.equal(cert('Certificate\nDate of issue | 7 May 2024').issueDate, '2024-05-07');
  // A row of labels over a row of values.
  const grid = cert('Certificate of conformity\nCertificate No. | Date of issue | Valid until\nC-17 | 03.02.2024 | 03.02.2026');
  assert.deepEqual([grid.number, grid.issueDate, grid.expiryDate], ['C-17', '2024-02-03', '2026-02-03']);
  // A date label whose cell holds no date gives nothing rather than another date.
  assert.equal(cert('Certificate\nIssue date | pending\nNote: 2024-01-01 is the request date').issueDate, undefined);
});

test('multi-sheet workbook: fields come from any sheet, items only from the rows under their header', async () => {
  const ex = await extract(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'office', 'workbook.xlsx')), 'xlsx', opts);
  assert.ok(ex.units >= 3);
  const contract = fieldsOf(ex.text, 'contract');
  assert.equal(contract.number, '47/2024');
  // No start date of its own: the contract starts on its signing date (first sheet).
  assert.equal(contract.startDate, '2024-05-17');
  const items = extractFields(ex.text, 'invoice').filter((f) => f.primary && f.name === 'item');
  // The goods sheet: two rows under "Наименование | Количество | Цена | Сумма"; the narrower warehouse rows are no items.
  assert.deepEqual(items.map((f) => f.value), ['Стол письменный | 10 | 12500 | 125000', 'Стул офисный | 20 | 4300 | 86000']);
});

test('adjacent-cell labels, dot leaders and tabs; a label cell is never a value', () => {
  const inv = (text: string) => fieldsOf(text, 'invoice');
  assert.deepEqual(inv('Invoice\nSupplier | Acme Ltd | Buyer | Beta LLC\nInvoice number | 4471').vendor, 'Acme Ltd');
  assert.equal(inv('Invoice\nInvoice number ........ 4471\nInvoice date\t17.05.2024').number, '4471');
  assert.equal(inv('Invoice\nInvoice number ........ 4471\nInvoice date\t17.05.2024').date, '2024-05-17');
  assert.equal(inv('Invoice\nInvoice number      A-19/5\nTotal due           1 250,50 EUR').total, '1250.50 EUR');
  assert.equal(inv('Invoice\nInvoice number . . . . . 4471\nSupplier . . . . . Acme Ltd').vendor, 'Acme Ltd');
  assert.equal(fieldsOf('Паспорт\nКем выдан — ОВД района Хамовники\nДата выдачи — 12.03.2015', 'passport').issuer, 'ОВД района Хамовники');
  // "Invoice number" next to the label "Date": no number, not "Date".
  assert.equal(inv('Invoice\nInvoice number | Date | 17.05.2024').number, undefined);
  // Labels over values, with the value row under the label row.
  const grid = inv('Invoice\nInvoice No. | Date | Total\nINV-9 | 2024-05-17 | $1,200.00');
  assert.deepEqual([grid.number, grid.date, grid.total], ['INV-9', '2024-05-17', '1200.00 USD']);
  // Several pairs in one cell end at the next label.
  const card = fieldsOf('Report\nAcme Ltd | Date: 2 June 2024 Author: Jane Q. Doe', 'report');
  assert.deepEqual([card.date, card.author], ['2024-06-02', 'Jane Q. Doe']);
  // Prose that mentions a label gives no value.
  assert.equal(inv('Invoice\nPlease quote the invoice number with your payment.').number, undefined);
});

test('Russian contract: parties from "именуемое в дальнейшем", periods "с ... по ..." and "действует до"', () => {
  const text = [
    'ДОГОВОР ОКАЗАНИЯ УСЛУГ № 12-У',
    'г. Казань\t10 января 2025 г.',
    'ООО «Альфа-Сервис», именуемое в дальнейшем «Исполнитель», и ИП Сидоров А. Б., именуемый в дальнейшем «Заказчик», заключили настоящий договор.',
    'Договор действует с 1 июня 2025 г. по 31 мая 2026 г.',
    'Стоимость услуг составляет 150 000,00 руб.',
  ].join('\n');
  assert.deepEqual(partiesOf(text), ['ООО «Альфа-Сервис»', 'ИП Сидоров А. Б.']);
  const f = fieldsOf(text, 'contract');
  assert.deepEqual([f.number, f.startDate, f.endDate, f.value], ['12-У', '2025-06-01', '2026-05-31', '150000.00 RUB']);
  // Only an end date: the start is the signing date.
  const open = fieldsOf('Договор № 5\nДата заключения: 15.02.2025\nНастоящий договор действует до 14.02.2026.', 'contract');
  assert.deepEqual([open.startDate, open.endDate], ['2025-02-15', '2026-02-14']);
  const en = 'Service Agreement No. SA-7\nThis Agreement is made between Northwind plc (hereinafter referred to as "the Client") and Acme Ltd (hereinafter referred to as "the Contractor").\nThe Agreement is valid from 1 July 2025 until 30 June 2026.';
  assert.deepEqual(partiesOf(en), ['Northwind plc', 'Acme Ltd']);
  assert.deepEqual([fieldsOf(en, 'contract').startDate, fieldsOf(en, 'contract').endDate], ['2025-07-01', '2026-06-30']);
});

test('passport number, issue date, issuer; an internal passport has no expiry', () => {
  const ru = fieldsOf('Паспорт гражданина Российской Федерации\nСерия и номер: 45 06 123456\nКем выдан: ОВД района Хамовники г. Москвы\nДата выдачи: 12.03.2015\nКод подразделения: 772-001', 'passport');
  assert.deepEqual([ru.number, ru.issuer, ru.issueDate, ru.expiryDate], ['45 06 123456', 'ОВД района Хамовники г. Москвы', '2015-03-12', undefined]);
  const en = fieldsOf('PASSPORT\nPassport No.\tK1234567\nDate of issue\t2 March 2019\nDate of expiry\t1 March 2029\nIssuing authority / Autorité\tPassport Office', 'passport');
  assert.deepEqual([en.number, en.issueDate, en.expiryDate, en.issuer], ['K1234567', '2019-03-02', '2029-03-01', 'Passport Office']);
});

test('report and manual: title is the first heading-like line, author after "Prepared by" / "Подготовил"', () => {
  const en = fieldsOf('Acme Ltd\nAnnual Safety Report 2024\nPrepared by: Jane Doe\nDate: 1 March 2024\nFindings. All clear.', 'report');
  assert.deepEqual([en.title, en.author, en.date], ['Annual Safety Report 2024', 'Jane Doe', '2024-03-01']);
  const ru = fieldsOf('Руководство пользователя КС-5\nПодготовил: Орлов Пётр Ильич\nДата: 05.04.2024', 'manual');
  assert.deepEqual([ru.title, ru.author, ru.date], ['Руководство пользователя КС-5', 'Орлов Пётр Ильич', '2024-04-05']);
});

test('CSV with title and prose lines is sniffed and read as CSV; prose with commas stays text', () => {
  const csv = Buffer.from('Invoice\nAcme Ltd\nInvoice number;77\nDate;17.05.2024\nTotal;100,00 EUR\n');
  assert.equal(sniff(csv), 'csv');
  const prose = Buffer.from('Dear Jane,\nthe parts arrived today, as planned.\nThe invoice follows next week.\nBest regards\n');
  assert.equal(sniff(prose), 'text');
  // A file without a table is CSV only when its name and its type both say so.
  const pair = Buffer.from('Report\nAuthor;Jane Doe\nA short note follows.\nAnd another one.\n');
  assert.equal(sniff(pair), 'text');
  assert.equal(sniff(pair, { name: 'report.csv', mime: 'text/csv' }), 'csv');
  assert.equal(sniff(pair, { name: 'report.csv' }), 'text');
});
