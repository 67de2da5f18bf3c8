/**
 * The field rules added on tuning set 2 (hand-written documents), each on a small string
 * written here: ordinal and two-digit-year dates, a bilingual label whose first half ends with
 * a dot, a bracketed note after a label, bare totals in the currency their label names, the
 * letterhead as vendor, "(далее — ...)" parties, validity in prose, Russian series and number,
 * new certificate, report and manual labels, and titles that name their kind before a colon.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFields, findDates } from '../../services/documents/fields.ts';
import { classify } from '../../services/documents/classify.ts';

type Cat = Parameters<typeof extractFields>[1];
const get = (text: string, category: Cat, name: string) => extractFields(text, category).find((f) => f.primary && f.name === name)?.normalized;
const all = (text: string, category: Cat, name: string) => extractFields(text, category).filter((f) => f.primary && f.name === name).map((f) => f.normalized);

test('dates: ordinals, "of", and a zero-padded two-digit year; no version numbers', () => {
  assert.deepEqual(findDates('1st April 2025, 3rd of March 2028, May 2nd, 2024').map((d) => d.normalized), ['2025-04-01', '2028-03-03', '2024-05-02']);
  assert.deepEqual(findDates('СЧЁТ № 5 от 02.02.25').map((d) => d.normalized), ['2025-02-02']);
  assert.deepEqual(findDates('version v1.2.10, step 3.4.25, build 01.02.2.3').map((d) => d.normalized), []);
});

test('a bilingual label with a dot before the slash takes the next cell, not its other half', () => {
  assert.equal(get('Passport no. / No. du passeport | 123987456\nAuthority / Autorité | IPS', 'passport', 'number'), '123987456');
  assert.equal(get('Passport no. / No. du passeport | 123987456\nAuthority / Autorité | IPS', 'passport', 'issuer'), 'IPS');
});

test('a total as a bare number takes the currency from its label, the document, or the language', () => {
  assert.equal(get('Invoice ref | AGS-3310\nItem | Qty | Amount\nHose | 2 | 68.00\n |  | Balance (EUR) | 133.00', 'invoice', 'total'), '133.00 EUR');
  assert.equal(get('СЧЁТ № 5-ЗЛ от 02.02.25\nИтого 6 600,00', 'invoice', 'total'), '6600.00 RUB');
  // An English total with no currency anywhere is not given one.
  assert.notEqual(get('Invoice ref | A-1\nBalance | 133.00', 'invoice', 'total'), '133.00 RUB');
  assert.equal(get('Invoice ref | AGS-3310\nBalance | 1', 'invoice', 'number'), 'AGS-3310');
});

test('the vendor is the letterhead when no label names it; a title line is no letterhead', () => {
  assert.equal(get('Acme Garden Supplies\nInvoice ref | AGS-3310', 'invoice', 'vendor'), 'Acme Garden Supplies');
  assert.equal(get('ООО «Зелёный луг»\nСЧЁТ № 5-ЗЛ от 02.02.25', 'invoice', 'vendor'), 'ООО «Зелёный луг»');
  assert.equal(get('Invoice 2025 Ltd\nInvoice ref | A-1', 'invoice', 'vendor'), undefined);
});

test('contract parties written "(далее — ...)"', () => {
  const text = 'ООО «Чистый дом» (далее — Исполнитель) и ООО «Бизнес-центр Волга» (далее — Заказчик) заключили договор.';
  assert.deepEqual(all(text, 'contract', 'party'), ['ООО «Чистый дом»', 'ООО «Бизнес-центр Волга»']);
});

test('certificate validity in prose and as a period; reference numbers; holders by other labels', () => {
  const a = 'FIRST AID CERTIFICATE\nCourse completed: 4 Apr 2025\nThis certificate is valid for three years and expires on 3 Apr 2028.\nReference: FA-77';
  assert.equal(get(a, 'certificate', 'issueDate'), '2025-04-04');
  assert.equal(get(a, 'certificate', 'expiryDate'), '2028-04-03');
  assert.equal(get(a, 'certificate', 'number'), 'FA-77');
  const b = 'СЕРТИФИКАТ\nСрок действия с 05.02.2025 по 04.02.2030 включительно';
  assert.equal(get(b, 'certificate', 'issueDate'), '2025-02-05');
  assert.equal(get(b, 'certificate', 'expiryDate'), '2030-02-04');
  assert.equal(get('Certificate\nOwner of equipment: Blackrock Quarries Ltd\nNext inspection due: 14 Oct 2025', 'certificate', 'holder'), 'Blackrock Quarries Ltd');
  assert.equal(get('Certificate\nOwner of equipment: Blackrock Quarries Ltd\nNext inspection due: 14 Oct 2025', 'certificate', 'expiryDate'), '2025-10-14');
  assert.equal(get('Поле | Значение\nОрганизация | ООО «Тест»\nСрок окончания | 31.05.2029', 'certificate', 'holder'), 'ООО «Тест»');
});

test('a Russian passport series and number in one, with "номер" or "№" between', () => {
  assert.equal(get('Паспорт: серия 40 08 номер 771245\nВыдан: ТП № 12 отдела УФМС', 'passport', 'number'), '40 08 771245');
  assert.equal(get('Паспорт: серия 40 08 номер 771245\nВыдан: ТП № 12 отдела УФМС', 'passport', 'issuer'), 'ТП № 12 отдела УФМС');
  assert.equal(get('Серия 92 14 № 558201', 'passport', 'number'), '92 14 558201');
  assert.equal(get('Name | Passport | Issued\nLena Fischer | C01X00T47 | 2020-08-14', 'passport', 'number'), 'C01X00T47');
});

test('report and manual: owner, maintainer, commission chair; generated, revised, put in force; kind before a colon', () => {
  const a = 'Energy Consumption Report 2024\nGenerated | 2025-01-05 08:30\nOwner | Rita Gomez';
  assert.equal(get(a, 'report', 'author'), 'Rita Gomez');
  assert.equal(get(a, 'report', 'date'), '2025-01-05');
  const b = 'Quick Reference Guide: Label Printer LP-40\nLast revised 9 Sep 2024\nMaintained by: Chris Ng';
  assert.equal(get(b, 'manual', 'title'), 'Quick Reference Guide: Label Printer LP-40');
  assert.equal(get(b, 'manual', 'date'), '2024-09-09');
  assert.equal(get(b, 'manual', 'author'), 'Chris Ng');
  assert.equal(get('Отчёт о проверке\nПредседатель комиссии: Корнилова Е. Д.', 'report', 'author'), 'Корнилова Е. Д.');
  assert.equal(get('Памятка по работе с кассой\nДата ввода | 10.02.2025\nРазработчик | Тихонова Л. М.', 'manual', 'author'), 'Тихонова Л. М.');
  assert.equal(get('Памятка по работе с кассой\nДата ввода | 10.02.2025\nРазработчик | Тихонова Л. М.', 'manual', 'title'), 'Памятка по работе с кассой');
});

test('classifier: guides, procedures and памятки are manuals; "Счёт;№" is an invoice', () => {
  assert.equal(classify('Quick Reference Guide: Label Printer LP-40\n1. Load the roll.', 'en').category, 'manual');
  assert.equal(classify('Памятка по работе с кассой\nШаг | Действие', 'ru').category, 'manual');
  assert.equal(classify('Счёт | № 77-К\nИсполнитель | ООО «Кварц»', 'ru').category, 'invoice');
});

test('contract: a term as a range in its cell, parties by role labels, "continues until", a bare price in roubles', () => {
  const a = 'Contract summary sheet\nContract no. CS-118\nSupplier Keel Marine Ltd\nPurchaser Port of Ayr Authority\nTerm 1 March 2025 - 28 February 2026\nValue £52,000';
  assert.deepEqual(all(a, 'contract', 'party'), ['Keel Marine Ltd', 'Port of Ayr Authority']);
  assert.equal(get(a, 'contract', 'startDate'), '2025-03-01');
  assert.equal(get(a, 'contract', 'endDate'), '2026-02-28');
  const b = 'Договор | № 12-С/25\nИсполнитель | ООО «Сервис Плюс»\nЗаказчик | ПАО «Энергосбыт»\nСрок действия | 01.04.2025 – 31.03.2026\nЦена, руб. | 870000';
  assert.equal(get(b, 'contract', 'number'), '12-С/25');
  assert.equal(get(b, 'contract', 'value'), '870000.00 RUB');
  assert.equal(get(b, 'contract', 'endDate'), '2026-03-31');
  assert.equal(get('Agreement No. L-1 made on 5 May 2025.\nTerm. This Agreement continues until 4 May 2026.', 'contract', 'endDate'), '2026-05-04');
  // Parties named in the prose win over role labels.
  const c = 'ООО «Альфа», именуемое в дальнейшем «Поставщик», и ООО «Бета», именуемое в дальнейшем «Покупатель».\nПоставщик | ООО «Альфа» (ИНН 1)';
  assert.deepEqual(all(c, 'contract', 'party'), ['ООО «Альфа»', 'ООО «Бета»']);
});

test('invoice: "Label - value" lines, bill number and date, item rows whose columns a PDF lost', () => {
  const a = 'Otter Cleaning Co\n\nBill number - 2211\nBill date - 9 March 2025\nCustomer - Riverside Dental\n\nTOTAL GBP 420.00';
  assert.equal(classify(a, 'en').category, 'invoice');
  assert.equal(get(a, 'invoice', 'number'), '2211');
  assert.equal(get(a, 'invoice', 'date'), '2025-03-09');
  assert.equal(get(a, 'invoice', 'total'), '420.00 GBP');
  // A hyphen inside a value is no label dash.
  assert.equal(get('Invoice No. A-17 - 2', 'invoice', 'number'), 'A-17');
  const b = 'СЧЁТ № 5-ЗЛ от 02.02.25\nТовар Кол. Сумма\nСемена газонные 5 4 500,00\nУдобрение 3 2 100,00\nИтого 6 600,00';
  assert.equal(all(b, 'invoice', 'item').length, 2);
});
