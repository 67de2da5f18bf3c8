/**
 * Tuning set 4 (scripts/doc-corpus4.ts tuning4), passports, invoices, certificates and a
 * contract: hand-written after held-out set 3 was committed, aimed at passport numbers and
 * issuers, invoice items, certificate holders, and amounts whose currency a spreadsheet keeps
 * only in the cell's number format. For tuning: never mixed with the held-out sets.
 */
import { page, type Doc4 } from './doc-corpus4-kit.ts';

const PASSPORTS: Doc4[] = [
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'passport',
    body: page('ru', 'Копия паспорта', `<h3>Паспортные данные заявителя</h3><p>Гражданин Ефимов Артём Валерьевич, паспорт серии 45 03 номер 123456, выданный ОВД Тверского района г. Москвы 12.12.2003.</p>`),
    fields: { number: '45 03 123456', issueDate: '2003-12-12', expiryDate: null, issuer: 'ОВД Тверского района г. Москвы' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'passport',
    body: page('ru', 'Паспорт РФ', `<h3>Паспорт гражданина РФ</h3><table border="1"><tr><td>Серия</td><td>60 10</td></tr><tr><td>Номер</td><td>778899</td></tr>
<tr><td>Выдан</td><td>Отделом УФМС России по Ростовской обл. в г. Шахты</td></tr><tr><td>Дата выдачи</td><td>05.04.2010</td></tr></table>`),
    fields: { number: '60 10 778899', issueDate: '2010-04-05', expiryDate: null, issuer: 'Отделом УФМС России по Ростовской обл. в г. Шахты' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'passport',
    body: `Загранпаспорт сотрудника\n\nЗагранпаспорт: 72 № 5566778, дата выдачи 03.03.2023, срок действия до 03.03.2033, орган выдачи: МВД 61001.\n`,
    fields: { number: '72 5566778', issueDate: '2023-03-03', expiryDate: '2033-03-03', issuer: 'МВД 61001' },
  },
  {
    lang: 'en', format: 'docx', src: 'html', category: 'passport',
    body: page('en', 'Passport copy', `<h3>Passport copy — data page</h3><table border="1"><tr><td>Surname</td><td>Okoro</td></tr><tr><td>Passport No.</td><td>A07731452</td></tr>
<tr><td>Authority</td><td>Nigeria Immigration Service</td></tr><tr><td>Date of issue</td><td>14 Jan 2022</td></tr><tr><td>Date of expiry</td><td>13 Jan 2032</td></tr></table>`),
    fields: { number: 'A07731452', issueDate: '2022-01-14', expiryDate: '2032-01-13', issuer: 'Nigeria Immigration Service' },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'passport',
    body: ['Name,Passport number,Issuing country,Issuing authority,Issue date,Expiry date', 'Ana Ribeiro,CB482913,Portugal,SEF Lisboa,2021-09-02,2026-09-02', ''].join('\r\n'),
    fields: { number: 'CB482913', issueDate: '2021-09-02', expiryDate: '2026-09-02', issuer: 'SEF Lisboa' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'passport',
    body: `Visa application - section B (travel document)\n\nType of travel document: ordinary passport\nNumber of travel document: FX2203918\nIssued by: Passport Office Lisbon\nDate of issue: 2 February 2020\nValid until: 1 February 2030\n`,
    fields: { number: 'FX2203918', issueDate: '2020-02-02', expiryDate: '2030-02-01', issuer: 'Passport Office Lisbon' },
  },
  {
    lang: 'ru', format: 'scan-pdf', src: 'scan', category: 'passport',
    body: ['ПАСПОРТ', 'Выдан: ГУ МВД РОССИИ ПО НОВОСИБИРСКОЙ ОБЛАСТИ', 'Дата выдачи: 19.11.2019', 'Серия и номер: 50 19 620114'].join('\n'),
    fields: { number: '50 19 620114', issueDate: '2019-11-19', expiryDate: null, issuer: 'ГУ МВД РОССИИ ПО НОВОСИБИРСКОЙ ОБЛАСТИ' },
  },
];

const INVOICES: Doc4[] = [
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'invoice',
    body: ['Bluebird Catering,,,', 'Invoice,INV-3001,,', 'Date,2025-05-10,,', 'Item,Qty,Price,Amount', 'Lunch buffet,40,$12.50,$500.00', 'Coffee service,40,$3.75,$150.00', 'Room hire,1,$600.00,$600.00', 'Total,,,"$1,250.00"', ''].join('\r\n'),
    fields: { number: 'INV-3001', date: '2025-05-10', total: { amount: 1250, currency: 'USD' }, vendor: 'Bluebird Catering', items: 3 },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'invoice',
    body: ['Seller,Cedar Print Works', 'Invoice no.,CP-778', 'Invoice date,2025-09-22', 'Description,Amount', 'Business cards (500),$85.00', 'Flyers A5 (1000),$140.00', 'Amount due,$225.00', ''].join('\r\n'),
    fields: { number: 'CP-778', date: '2025-09-22', total: { amount: 225, currency: 'USD' }, vendor: 'Cedar Print Works', items: 2 },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'invoice',
    body: page('en', 'Invoice 5521', `<p><b>Northfield Garden Services</b></p><p>Invoice number: 5521<br>Invoice date: 8 August 2025</p>
<table border="1"><tr><th>Service</th><th>Qty</th><th>Price</th><th>Total</th></tr><tr><td>Lawn mowing</td><td>4</td><td>£30.00</td><td>£120.00</td></tr>
<tr><td>Hedge trimming</td><td>1</td><td>£75.00</td><td>£75.00</td></tr><tr><td colspan="3">Subtotal</td><td>£195.00</td></tr><tr><td colspan="3">VAT 20%</td><td>£39.00</td></tr>
<tr><td colspan="3">Total</td><td>£234.00</td></tr></table>`),
    fields: { number: '5521', date: '2025-08-08', total: { amount: 234, currency: 'GBP' }, vendor: 'Northfield Garden Services', items: 2 },
  },
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'invoice',
    body: page('ru', 'Счёт', `<p>Продавец: ООО «ТехноМир»</p><h3>Счёт № 2207 от 22.07.2025</h3><table border="1"><tr><th>Товар</th><th>Кол-во</th><th>Цена</th><th>Сумма</th></tr>
<tr><td>Монитор 27"</td><td>2</td><td>21 500,00</td><td>43 000,00</td></tr><tr><td>Клавиатура</td><td>2</td><td>1 800,00</td><td>3 600,00</td></tr><tr><td>Мышь</td><td>2</td><td>900,00</td><td>1 800,00</td></tr>
<tr><td colspan="3">Итого</td><td>48 400,00</td></tr><tr><td colspan="3">В том числе НДС</td><td>8 066,67</td></tr><tr><td colspan="3">Всего к оплате</td><td>48 400,00</td></tr></table>`),
    fields: { number: '2207', date: '2025-07-22', total: { amount: 48400, currency: 'RUB' }, vendor: 'ООО «ТехноМир»', items: 3 },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'invoice',
    body: `Quill & Ink Stationers\nInvoice Q-1904, 19 April 2025\n\n- 3 x Fountain pen @ 24.00 = 72.00\n- 6 x Notebook A5 @ 5.50 = 33.00\n- 1 x Ink set @ 15.00 = 15.00\n\nTotal: EUR 120.00\n`,
    fields: { number: 'Q-1904', date: '2025-04-19', total: { amount: 120, currency: 'EUR' }, vendor: 'Quill & Ink Stationers', items: 3 },
  },
];

const CERTIFICATES: Doc4[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'certificate',
    body: page('en', 'Certificate of Achievement', `<h1 align="center">Certificate of Achievement</h1><p align="center">presented to</p><p align="center"><b>Maria Gonzales</b></p>
<p align="center">for completing Advanced Excel</p><p>Certificate no. AE-3392</p><p>Date: 14 March 2025</p>`),
    fields: { number: 'AE-3392', issueDate: '2025-03-14', expiryDate: null, holder: 'Maria Gonzales' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'certificate',
    body: page('en', 'Certificate', `<h2>Certificate</h2><p>This certificate is awarded to</p><p><b>Liam O'Connor</b></p><p>in recognition of passing the Food Safety Level 2 examination.</p>
<p>Certificate no.: FS2-10482<br>Awarded: 3 June 2025<br>Renewal recommended by 3 June 2028</p>`),
    fields: { number: 'FS2-10482', issueDate: '2025-06-03', expiryDate: '2028-06-03', holder: "Liam O'Connor" },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'certificate',
    body: page('ru', 'Сертификат', `<h2 align="center">СЕРТИФИКАТ</h2><p align="center">выдан</p><p align="center">Петровой Анне Сергеевне</p><p>в том, что она прошла курс «Деловая переписка».</p>
<p>Регистрационный № С-0915</p><p>Дата выдачи: 28.02.2025</p>`),
    fields: { number: 'С-0915', issueDate: '2025-02-28', expiryDate: null, holder: 'Петровой Анне Сергеевне' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'certificate',
    body: `СВИДЕТЕЛЬСТВО № 0012345\n\nНастоящим подтверждается, что Сидоров Пётр Ильич окончил курсы водителей погрузчика.\n\nДата выдачи: 11.11.2024\nДействительно до: 11.11.2029\n`,
    fields: { number: '0012345', issueDate: '2024-11-11', expiryDate: '2029-11-11', holder: 'Сидоров Пётр Ильич' },
  },
  {
    lang: 'en', format: 'pdf', src: 'txt', category: 'certificate',
    body: `Certificate of Competence\n\nRecipient: Chen Wei\nCertificate reference: CC-55012\nIssue date: 9 January 2025\nExpiry date: 8 January 2027\n`,
    fields: { number: 'CC-55012', issueDate: '2025-01-09', expiryDate: '2027-01-08', holder: 'Chen Wei' },
  },
];

const CONTRACTS: Doc4[] = [
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'contract',
    body: ['Contract,Vendor,Client,Start,End,Value', 'SLA-2025-04,Brightwave IT Ltd,Harbor Foods Inc.,2025-04-01,2026-03-31,"$45,000.00"', ''].join('\r\n'),
    fields: { number: 'SLA-2025-04', parties: ['Brightwave IT Ltd', 'Harbor Foods Inc.'], startDate: '2025-04-01', endDate: '2026-03-31', value: { amount: 45000, currency: 'USD' } },
  },
];

export const TUNING4_B: Doc4[] = [...PASSPORTS, ...INVOICES, ...CERTIFICATES, ...CONTRACTS];
