/**
 * Tuning set 2 (scripts/doc-corpus2.ts tuning2): documents written by hand, like held-out set 2
 * but other documents with other wordings, for the weak categories (certificate, passport,
 * report, manual) and formats (CSV, PDF, ODT). Rules may be fitted to these; never to heldout2.
 */
import { page, type Doc } from './doc-corpus2-kit.ts';

export const TUNING2: Doc[] = [
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'invoice',
    body: ['Acme Garden Supplies,,,', 'Invoice ref,AGS-3310,,', 'Invoice dated,1st April 2025,,', ',,,', 'Item,Qty,Unit,Amount',
      'Compost 50L,10,6.50,65.00', 'Hose reel,2,34.00,68.00', ',,Balance (EUR),133.00', ''].join('\r\n'),
    fields: { number: 'AGS-3310', date: '2025-04-01', total: { amount: 133, currency: 'EUR' }, vendor: 'Acme Garden Supplies', items: 2 },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'invoice',
    body: `ООО «Зелёный луг»\n\nСЧЁТ № 5-ЗЛ от 02.02.25\n\nПлательщик: ИП Фомин С. С.\n\nТовар                    Кол.    Сумма\nСемена газонные           5     4 500,00\nУдобрение                 3     2 100,00\n\nИтого                           6 600,00\n`,
    fields: { number: '5-ЗЛ', date: '2025-02-02', total: { amount: 6600, currency: 'RUB' }, vendor: 'ООО «Зелёный луг»', items: 2 },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'contract',
    body: page('ru', 'Договор', `<h2>ДОГОВОР ОКАЗАНИЯ УСЛУГ № 88-К</h2><p>г. Самара, 3 марта 2025 года</p>
<p>ООО «Чистый дом» (далее — Исполнитель) и ООО «Бизнес-центр Волга» (далее — Заказчик) заключили договор.</p>
<p>Срок оказания услуг: с 10.03.2025 по 09.03.2026.</p><p>Стоимость услуг за весь срок — 1 200 000 рублей 00 копеек.</p>`),
    fields: { number: '88-К', parties: ['ООО «Чистый дом»', 'ООО «Бизнес-центр Волга»'], startDate: '2025-03-10', endDate: '2026-03-09', value: { amount: 1200000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'certificate',
    body: page('en', 'Certificate', `<h1 align="center">Certificate of Competence</h1><p align="center">presented to</p><h2 align="center">Jonas Weber</h2>
<p align="center">for Confined Space Entry (Medium Risk)</p><p>Date: 3rd March 2025</p><p>Renewal due: 3rd March 2028</p><p>Reference: CSE-9921</p>`),
    fields: { number: 'CSE-9921', issueDate: '2025-03-03', expiryDate: '2028-03-03', holder: 'Jonas Weber' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'certificate',
    body: ['Поле;Значение', 'Документ;Свидетельство об аккредитации', 'Рег. номер;АК-0071', 'Организация;ООО «Лаборатория Тест»', 'Дата;01.06.2024', 'Срок окончания;31.05.2029', ''].join('\r\n'),
    fields: { number: 'АК-0071', issueDate: '2024-06-01', expiryDate: '2029-05-31', holder: 'ООО «Лаборатория Тест»' },
  },
  {
    lang: 'en', format: 'pdf', src: 'txt', category: 'certificate',
    body: `CERTIFICATE OF INSPECTION\n\nCertificate No: INS/2024/551\nOwner of equipment: Blackrock Quarries Ltd\nDate of inspection: 15 Oct 2024\nNext inspection due: 14 Oct 2025\n\nThe lifting equipment listed was thoroughly examined and is safe to operate.\n`,
    fields: { number: 'INS/2024/551', issueDate: '2024-10-15', expiryDate: '2025-10-14', holder: 'Blackrock Quarries Ltd' },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'passport',
    body: `Анкета сотрудника — паспортные данные\n\nПаспорт: серия 40 08 номер 771245\nВыдан: ТП № 12 отдела УФМС России по Санкт-Петербургу\nДата выдачи: 03.04.2009\nКод подразделения: 780-012\n`,
    fields: { number: '40 08 771245', issueDate: '2009-04-03', expiryDate: null, issuer: 'ТП № 12 отдела УФМС России по Санкт-Петербургу' },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'passport',
    body: ['Name,Passport,Issued,Expires,Issuing authority', 'Lena Fischer,C01X00T47,2020-08-14,2030-08-13,Stadt Köln', ''].join('\r\n'),
    fields: { number: 'C01X00T47', issueDate: '2020-08-14', expiryDate: '2030-08-13', issuer: 'Stadt Köln' },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'passport',
    body: page('en', 'Passport', `<p>Passport copy for visa file</p><table border="1"><tr><td>Passport no. / No. du passeport</td><td>123987456</td></tr>
<tr><td>Date of issue / Date de délivrance</td><td>14 FEB 2017</td></tr><tr><td>Date of expiry / Date d'expiration</td><td>14 FEB 2027</td></tr><tr><td>Authority / Autorité</td><td>IPS</td></tr></table>`),
    fields: { number: '123987456', issueDate: '2017-02-14', expiryDate: '2027-02-14', issuer: 'IPS' },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'report',
    body: ['Energy Consumption Report 2024,,', 'Generated,2025-01-05 08:30,', 'Owner,Rita Gomez,', ',,', 'Site,kWh,Change', 'North,120400,-3%', 'South,98200,+1%', ''].join('\r\n'),
    fields: { title: 'Energy Consumption Report 2024', date: '2025-01-05', author: 'Rita Gomez' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'report',
    body: page('ru', 'Отчёт', `<p align="right">УТВЕРЖДАЮ<br>Директор ____ А. А. Орлов</p><h2>Отчёт о проведении инвентаризации склада № 2</h2><p>г. Пермь, 15.12.2024</p>
<p>Недостач не выявлено.</p><p>Председатель комиссии: Корнилова Е. Д.</p>`),
    fields: { title: 'Отчёт о проведении инвентаризации склада № 2', date: '2024-12-15', author: 'Корнилова Е. Д.' },
  },
  {
    lang: 'en', format: 'pdf', src: 'txt', category: 'manual',
    body: `Quick Reference Guide: Label Printer LP-40\n\nLast revised 9 Sep 2024\nMaintained by: Chris Ng\n\n1. Load the label roll.\n2. Press FEED to align.\n3. Print a test label.\n`,
    fields: { title: 'Quick Reference Guide: Label Printer LP-40', date: '2024-09-09', author: 'Chris Ng' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'manual',
    body: ['Памятка по работе с кассой;', 'Редакция;3', 'Дата ввода;2025-02-10', 'Разработчик;Тихонова Л. М.', ';', 'Шаг;Действие', '1;Откройте смену', '2;Пробейте чек', ''].join('\r\n'),
    fields: { title: 'Памятка по работе с кассой', date: '2025-02-10', author: 'Тихонова Л. М.' },
  },
  {
    lang: 'en', format: 'docx', src: 'html', category: 'contract',
    body: page('en', 'Licence Agreement', `<h1>Software Licence Agreement</h1><p>Agreement No. LIC-5530</p>
<p>This Agreement is entered into on 5 May 2025 by and between Alder Systems Ltd ("Licensor") and Brookfield Hotels plc ("Licensee").</p>
<p>Term. This Agreement continues until 4 May 2026.</p><p>Licence fee. The Licensee shall pay USD 24,000.</p>`),
    fields: { number: 'LIC-5530', parties: ['Alder Systems Ltd', 'Brookfield Hotels plc'], startDate: '2025-05-05', endDate: '2026-05-04', value: { amount: 24000, currency: 'USD' } },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'contract',
    body: page('en', 'Contract summary', `<h2>Contract summary sheet</h2><table border="1"><tr><td>Contract no.</td><td>CS-118</td></tr><tr><td>Supplier</td><td>Keel Marine Ltd</td></tr>
<tr><td>Purchaser</td><td>Port of Ayr Authority</td></tr><tr><td>Term</td><td>1 March 2025 - 28 February 2026</td></tr><tr><td>Value</td><td>£52,000</td></tr></table>`),
    fields: { number: 'CS-118', parties: ['Keel Marine Ltd', 'Port of Ayr Authority'], startDate: '2025-03-01', endDate: '2026-02-28', value: { amount: 52000, currency: 'GBP' } },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'contract',
    body: ['Реестр договоров — карточка;', 'Договор;№ 12-С/25', 'Исполнитель;ООО «Сервис Плюс»', 'Заказчик;ПАО «Энергосбыт»', 'Срок действия;01.04.2025 – 31.03.2026', 'Цена, руб.;870000', ''].join('\r\n'),
    fields: { number: '12-С/25', parties: ['ООО «Сервис Плюс»', 'ПАО «Энергосбыт»'], startDate: '2025-04-01', endDate: '2026-03-31', value: { amount: 870000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'invoice',
    body: `Otter Cleaning Co\n\nBill number - 2211\nBill date - 9 March 2025\nCustomer - Riverside Dental\n\nOffice clean (weekly) x4 - £320.00\nWindow clean - £100.00\n\nTOTAL GBP 420.00\n`,
    fields: { number: '2211', date: '2025-03-09', total: { amount: 420, currency: 'GBP' }, vendor: 'Otter Cleaning Co', items: 2 },
  },
];
