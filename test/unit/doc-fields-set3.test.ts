/**
 * The field and category rules added on tuning set 3, each on a small string written here (not
 * copied from a set's documents): the title line weighs in the category, report and manual kind
 * words, person and organisation names cut at their role or address, validity "for N years,
 * until", "Label · Label" lines, a page title repeated in the heading, column names that are no
 * holder, item rows without a header row, an amount in words between number and currency, bare
 * "Invoice"/"Contract" column labels, "ref", start and end column labels, "Party A/B",
 * "ends on", and "between X and Y" parties.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFields, findAmounts } from '../../services/documents/fields.ts';
import { classify, titleLine } from '../../services/documents/classify.ts';

type Cat = Parameters<typeof extractFields>[1];
const get = (text: string, category: Cat, name: string) => extractFields(text, category).find((f) => f.primary && f.name === name)?.normalized;
const all = (text: string, category: Cat, name: string) => extractFields(text, category).filter((f) => f.primary && f.name === name).map((f) => f.normalized);
const cat = (text: string) => classify(text, 'en').category;

test('the title line decides between kinds the body also names', () => {
  assert.equal(cat('Outage Report: mail relay\nAuthor: Kim Ode\nThe TLS certificate on the relay had expired.'), 'report');
  assert.equal(cat('Certificate of Training\nThis report confirms attendance. This is to certify that Ann Lee has completed the course.'), 'certificate');
  assert.equal(titleLine('s01\nAnnual Review 2024\nOwner | Ann'), 'Annual Review 2024');
});

test('reviews, post-mortems, handbooks and how-to notes have a category', () => {
  assert.equal(cat('Annual Performance Review 2024\nPrepared by: Lee Chan\nTargets met in three of four areas.'), 'report');
  assert.equal(cat('Database post-mortem\nWritten by: Ola Berg\nReplication lag grew for two hours.'), 'report');
  assert.equal(cat('Staff Handbook\nRevision date | 2025-01-01\nHolidays and leave'), 'manual');
  assert.equal(cat('How to: change your password\nUpdated: 2 May 2025\nOpen settings and choose Security.'), 'manual');
  assert.equal(classify('Сводка по обращениям за неделю\nСоставил: Ким О. Л.', 'ru').category, 'report');
  assert.equal(cat('Lunch menu for Friday\nSoup and bread'), 'other');
});

test('an author is the name before a role or note; initials keep their dots', () => {
  assert.equal(get('Fleet Usage Report\nPrepared by: Nora Vance, Fleet Manager\nDate: 3 May 2025', 'report', 'author'), 'Nora Vance');
  assert.equal(get('Отчёт о проверке\nСоставил: Волков Д. Е., главный инженер\nДата: 01.02.2025', 'report', 'author'), 'Волков Д. Е.');
  assert.equal(get('Setup Guide\nWritten by Ian Moss (Support)\nUpdated: 5 Jan 2025', 'manual', 'author'), 'Ian Moss');
  assert.equal(get('Setup Guide\nAuthor: J. R. Hale\nUpdated: 5 Jan 2025', 'manual', 'author'), 'J. R. Hale');
});

test('a vendor label value ends before the address; a name with a comma and no address stays whole', () => {
  assert.equal(get('From: Cobalt Signs Ltd, 12 High Road, York\nInvoice #: CS-9\nTotal: £10.00', 'invoice', 'vendor'), 'Cobalt Signs Ltd');
  assert.equal(get('Продавец: ООО «Кедр», ИНН 7700000000\nСчёт № 5\nИтого: 100 руб.', 'invoice', 'vendor'), 'ООО «Кедр»');
  assert.equal(get('Supplier: Smith, Jones and Partners\nInvoice #: SJ-1\nTotal: £10.00', 'invoice', 'vendor'), 'Smith, Jones and Partners');
});

test('a letterhead in capitals without an organisation word, after a spreadsheet sheet name', () => {
  assert.equal(get('Oak Leaf Joinery\njoinery@example.org\nInvoice No: 17\nTotal due: £80.00', 'invoice', 'vendor'), 'Oak Leaf Joinery');
  assert.equal(get('s12\nHarbour Fish Traders\nNo. | H-12\nTotal | 5.00 EUR', 'invoice', 'vendor'), 'Harbour Fish Traders');
  assert.equal(get('thanks for the order\nInvoice No: 17\nTotal due: £80.00', 'invoice', 'vendor'), undefined);
});

test('validity "for N years, until" and "в течение ..., до" give the expiry', () => {
  assert.equal(get('Certificate No: Q-1\nIssued: 2 June 2025\nThe award is valid for two years, until 1 June 2027.', 'certificate', 'expiryDate'), '2027-06-01');
  assert.equal(get('Удостоверение № 5\nДата выдачи: 02.06.2025\nДействительно в течение трёх лет, до 01.06.2028.', 'certificate', 'expiryDate'), '2028-06-01');
});

test('column names are no holder; an employee column is', () => {
  const t = 'Staff member | Course | Cert ID | Issued | Expires\nLi Wei | Ladder safety | LS-4 | 2025-01-10 | 2026-01-10';
  assert.equal(get(t, 'certificate', 'holder'), 'Li Wei');
  assert.equal(get(t, 'certificate', 'number'), 'LS-4');
});

test('"Label · Label" parts are cells, and a page title repeated in the heading gives the heading', () => {
  const t = 'Monthly Status Report\nAtlas Programme – Monthly Status Report\nMonth ending 30 May 2025 · Submitted by Omar Reyes';
  assert.equal(get(t, 'report', 'title'), 'Atlas Programme – Monthly Status Report');
  assert.equal(get(t, 'report', 'author'), 'Omar Reyes');
  assert.equal(get(t, 'report', 'date'), '2025-05-30');
});

test('item rows without a header: a run of rows ending in a price, totals excluded', () => {
  assert.equal(all('Invoice No: 9\nWebsite audit ....... 900.00\nHosting (1 year) ..... 240.00\nTotal due ....... 1,140.00', 'invoice', 'item').length, 2);
  assert.equal(all('Счёт № 9\n1\tДиагностика\t1\t1 500,00\n2\tЧистка\t1\t2 000,00\nИтого: 3 500,00 руб.', 'invoice', 'item').length, 2);
  // One priced line is no item list; nor are label rows.
  assert.equal(all('Invoice No: 9\nConsulting ....... 900.00\nTotal due ....... 900.00', 'invoice', 'item').length, 0);
  assert.equal(all('Работа | Сумма\nМонтаж розеток | 4 000 ₽\nВызов мастера | 500 ₽\nИтого: 4 500 ₽', 'invoice', 'item').length, 2);
});

test('an amount with its words in brackets before the currency', () => {
  assert.deepEqual(findAmounts('составляет 150 000 (сто пятьдесят тысяч) рублей').map((a) => a.normalized), ['150000.00 RUB']);
  assert.deepEqual(findAmounts('пункт 3 (три) шага').map((a) => a.normalized), []);
});

test('bare "Invoice" and "Contract" column labels, "Ref", and Party A/B, Start, End columns', () => {
  assert.equal(get('Seller | Invoice | Date\nDelta Parts Ltd | DP-77 | 2025-02-02', 'invoice', 'number'), 'DP-77');
  assert.equal(get('Seller | Invoice | Date\nDelta Parts Ltd | DP-77 | 2025-02-02', 'invoice', 'vendor'), 'Delta Parts Ltd');
  assert.equal(get('INVOICE 1187\nDate: 2 March 2025\nTotal: $5.00', 'invoice', 'number'), '1187');
  assert.equal(get('Invoice for services\nDate: 2 March 2025\nTotal: $5.00', 'invoice', 'number'), undefined);
  const c = 'Contract | Party A | Party B | Start | End\nK-5 | Rowan Ltd | Birch plc | 2025-01-01 | 2025-12-31';
  assert.equal(get(c, 'contract', 'number'), 'K-5');
  assert.deepEqual(all(c, 'contract', 'party'), ['Rowan Ltd', 'Birch plc']);
  assert.equal(get(c, 'contract', 'endDate'), '2025-12-31');
  assert.equal(get('LEASE\nRef: L/204\nLandlord: A. Bell\nTenant: C. Dunn', 'contract', 'number'), 'L/204');
});

test('Russian start and end labels, a contract title cell before its number, and "ends on"', () => {
  const t = 'Договор подряда | № 19-П\nПодрядчик | ООО «Кирпич»\nЗаказчик | ИП Волков\nНачало работ | 02.06.2025\nОкончание работ | 30.06.2025';
  assert.equal(get(t, 'contract', 'number'), '19-П');
  assert.equal(get(t, 'contract', 'startDate'), '2025-06-02');
  assert.equal(get(t, 'contract', 'endDate'), '2025-06-30');
  assert.equal(get('Hire agreement H-3\nThe hire starts on 1 May 2025 and ends on 31 May 2025.', 'contract', 'endDate'), '2025-05-31');
});

test('parties written "between X and Y" with no roles', () => {
  assert.deepEqual(all('Consulting Agreement C-1\nThis agreement is made between Birch Data Ltd and Cedar Foods Inc. (together the Parties).', 'contract', 'party'), ['Birch Data Ltd', 'Cedar Foods Inc.']);
});

test('second batch: retrospectives and getting-started notes; report-author, notes-by, владелец документа and "By Name" labels', () => {
  assert.equal(cat('Q2 Retrospective\nNotes by: Ann Lowe\nDate: 2025-07-01'), 'report');
  assert.equal(get('Q2 Retrospective\nNotes by: Ann Lowe\nDate: 2025-07-01', 'report', 'author'), 'Ann Lowe');
  assert.equal(cat('Getting started with the help desk\nUpdated 3 June 2025 · By Rosa Diaz'), 'manual');
  assert.equal(get('Getting started with the help desk\nUpdated 3 June 2025 · By Rosa Diaz', 'manual', 'author'), 'Rosa Diaz');
  assert.equal(get('Fleet Report 2024\nReport author | Ivo Petrov\nReport date | 2 Feb 2025', 'report', 'author'), 'Ivo Petrov');
  assert.equal(get('Отчёт о проверке\nАвтор отчёта: Панов Е. Е.\nДата: 01.02.2025', 'report', 'author'), 'Панов Е. Е.');
  assert.equal(get('Регламент доступа\nВладелец документа | Ершов К. К.\nДата утверждения | 01.03.2025', 'manual', 'author'), 'Ершов К. К.');
  // "By" and a sentence is no author.
  assert.equal(get('Network Report\nBy the end of May all sites were moved.', 'report', 'author'), undefined);
});

test('second batch: an ИП written in full, numbered party lists, register columns, a start in prose', () => {
  assert.deepEqual(all('ИП Лосев Пётр Ильич, именуемый в дальнейшем «Исполнитель», и ООО «Ветер», именуемое в дальнейшем «Заказчик»', 'contract', 'party'), ['ИП Лосев Пётр Ильич', 'ООО «Ветер»']);
  assert.deepEqual(all('SERVICES AGREEMENT\nParties: (1) Ash Media Ltd ("Agency"); (2) Pine Hotels plc ("Client").', 'contract', 'party'), ['Ash Media Ltd', 'Pine Hotels plc']);
  const reg = 'Agreement No | Counterparty | Our entity | Signed | Expires | Annual value\nK-9 | Lark Foods | Wren Ltd | 2025-02-01 | 2026-01-31 | $9,000';
  assert.equal(get(reg, 'contract', 'number'), 'K-9');
  assert.deepEqual(all(reg, 'contract', 'party'), ['Lark Foods', 'Wren Ltd']);
  assert.equal(get(reg, 'contract', 'endDate'), '2026-01-31');
  assert.equal(get(reg, 'contract', 'value'), '9000.00 USD');
  // The start the prose names wins over the signing date.
  assert.equal(get('LEASE L-1\nThe lease starts on 1 August 2025 and ends on 31 July 2026.\nSigned by both parties on 20 July 2025.', 'contract', 'startDate'), '2025-08-01');
});
