/**
 * Tuning set 4 (scripts/doc-corpus4.ts tuning4), second batch: thirteen more hand-written
 * documents, written after the first rules were fitted to the first batch and committed before
 * any rule was fitted to them (reports and manuals with other author and date wordings,
 * passports in inline pairs and a field/value table, numbered and tabled invoice items, a
 * diploma, a certificate register sheet). For tuning: never mixed with the held-out sets.
 */
import { page, type Doc4 } from './doc-corpus4-kit.ts';

export const TUNING4_C: Doc4[] = [
  {
    lang: 'en', format: 'html', src: 'html', category: 'report',
    body: page('en', 'Penetration Test Report', `<h1>Penetration Test Report</h1><table border="1"><tr><td>Client</td><td>Acme Freight Ltd</td></tr><tr><td>Tester</td><td>Omar Farouk</td></tr><tr><td>Report issued</td><td>2025-06-30</td></tr></table>
<h2>Summary</h2><p>Two high and five medium findings. The VPN gateway accepted weak ciphers.</p>`),
    fields: { title: 'Penetration Test Report', date: '2025-06-30', author: 'Omar Farouk' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'report',
    body: `Отчёт о выполнении плана ремонтов за 2 квартал 2025 г.\n\nВыполнено 46 ремонтов из 50 запланированных. Четыре перенесены на июль из-за поставки запчастей.\n\nИсп. Ковалёва М. Н.\nтел. 22-33\n05.07.2025\n`,
    fields: { title: 'Отчёт о выполнении плана ремонтов за 2 квартал 2025 г.', date: '2025-07-05', author: 'Ковалёва М. Н.' },
  },
  {
    lang: 'en', format: 'pdf', src: 'txt', category: 'report',
    body: `Annual Accessibility Audit Report 2025\n\nAudit lead: Grace Obi\nCompleted: 21 March 2025\n\nThe public website meets 41 of 50 checkpoints. Forms lack labels on three pages.\n`,
    fields: { title: 'Annual Accessibility Audit Report 2025', date: '2025-03-21', author: 'Grace Obi' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'report',
    body: ['Отчёт;Продажи по филиалам, май 2025', 'Подготовил;Исаев Р. Т.', 'Дата формирования;02.06.2025', 'Филиал;Выручка, тыс. руб.', 'Казань;12 400', 'Уфа;9 850', ''].join('\r\n'),
    fields: { title: 'Продажи по филиалам, май 2025', date: '2025-06-02', author: 'Исаев Р. Т.' },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'manual',
    body: page('en', 'Forklift Daily Check Procedure', `<h1>Forklift Daily Check Procedure</h1><p>Doc owner: Sarah Winters | Rev 4 | 10 Feb 2025</p>
<ol><li>Check the tyres and forks for damage.</li><li>Test the horn, lights and brakes.</li><li>Record the check in the log book.</li></ol>`),
    fields: { title: 'Forklift Daily Check Procedure', date: '2025-02-10', author: 'Sarah Winters' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'manual',
    body: page('ru', 'Регламент', `<h1>Регламент обработки обращений клиентов</h1><p>Версия 1.3 от 11.06.2025</p><p>Автор: Жукова Полина</p>
<h2>1. Приём обращения</h2><p>Обращение регистрируется в течение 15 минут.</p>`),
    fields: { title: 'Регламент обработки обращений клиентов', date: '2025-06-11', author: 'Жукова Полина' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'manual',
    body: ['Operating instructions - Dishwasher DW-9,,', 'Prepared by,Leo Martin,', 'Issue date,2025-08-01,', 'Step,Action,', '1,Scrape plates before loading,', '2,Select the 60 degree programme,', ''].join('\r\n'),
    fields: { title: 'Operating instructions - Dishwasher DW-9', date: '2025-08-01', author: 'Leo Martin' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'passport',
    body: page('ru', 'Паспорт', `<h3>Паспортные данные покупателя</h3><p>Данные паспорта: 45 11 № 223344; выдан: ОУФМС России по гор. Москве по району Южное Бутово; дата выдачи: 20.09.2011</p>`),
    fields: { number: '45 11 223344', issueDate: '2011-09-20', expiryDate: null, issuer: 'ОУФМС России по гор. Москве по району Южное Бутово' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'passport',
    body: page('en', 'Passport record', `<h3>Passport record</h3><table border="1"><tr><th>Field</th><th>Value</th></tr><tr><td>Passport no</td><td>HK1122334</td></tr><tr><td>Issuing state</td><td>Canada</td></tr>
<tr><td>Authority</td><td>Passport Canada</td></tr><tr><td>Issue date</td><td>2019-05-05</td></tr><tr><td>Expiry</td><td>2029-05-05</td></tr></table>`),
    fields: { number: 'HK1122334', issueDate: '2019-05-05', expiryDate: '2029-05-05', issuer: 'Passport Canada' },
  },
  {
    lang: 'en', format: 'docx', src: 'html', category: 'invoice',
    body: page('en', 'Invoice', `<p><b>Summit Audio Rentals Inc.</b><br>55 Ridge Rd, Denver CO</p><p>Invoice #: SAR-2291<br>Date: June 27, 2025</p>
<table border="1"><tr><th>#</th><th>Equipment</th><th>Days</th><th>Charge</th></tr><tr><td>1</td><td>PA system</td><td>2</td><td>USD 480.00</td></tr><tr><td>2</td><td>Wireless mics (4)</td><td>2</td><td>USD 160.00</td></tr>
<tr><td>3</td><td>Delivery</td><td>1</td><td>USD 60.00</td></tr><tr><td></td><td>Total</td><td></td><td>USD 700.00</td></tr></table>`),
    fields: { number: 'SAR-2291', date: '2025-06-27', total: { amount: 700, currency: 'USD' }, vendor: 'Summit Audio Rentals Inc.', items: 3 },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'invoice',
    body: `Счёт № 45 от 3 июня 2025 г.\n\nИсполнитель: ИП Белова Анна Викторовна\nЗаказчик: ООО «Луч»\n\n1. Разработка логотипа — 15 000 руб.\n2. Фирменный стиль — 25 000 руб.\n\nИтого: 40 000 руб.\n`,
    fields: { number: '45', date: '2025-06-03', total: { amount: 40000, currency: 'RUB' }, vendor: 'ИП Белова Анна Викторовна', items: 2 },
  },
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'certificate',
    body: page('ru', 'Диплом', `<h1 align="center">ДИПЛОМ № 118</h1><p align="center">награждается</p><p align="center">Смирнов Кирилл Андреевич</p><p align="center">победитель конкурса «Лучший по профессии — 2025»</p>
<p>Дата вручения: 25.04.2025</p>`),
    fields: { number: '118', issueDate: '2025-04-25', expiryDate: null, holder: 'Смирнов Кирилл Андреевич' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'certificate',
    body: ['Certificate register,,,,', 'Certificate No,Issued To,Issue Date,Expiry Date,Course', 'WAH-2207,Peter Novak,2025-03-03,2028-03-03,Work at height', ''].join('\r\n'),
    fields: { number: 'WAH-2207', issueDate: '2025-03-03', expiryDate: '2028-03-03', holder: 'Peter Novak' },
  },
];
