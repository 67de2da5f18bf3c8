/**
 * Held-out set 3 (scripts/doc-corpus4.ts heldout3), invoices and contracts: written by hand
 * before any rule was tuned for them, in layouts and wordings of their own (a number and date in
 * the heading, a vendor only in the footer, pipe-separated reference lines, a plain-text table
 * with rules, "Всего наименований ..., на сумму", a 1C-style merged heading cell, a letter of
 * engagement, an order form with licensor/licensee columns, a register with a currency column,
 * and scans). Never to be tuned on.
 */
import { page, type Doc4 } from './doc-corpus4-kit.ts';

const INVOICES: Doc4[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'invoice',
    body: page('en', 'Invoice 2025/117', `<h1>Invoice 2025/117 &mdash; 3 March 2025</h1><p>To: The Old Mill Brewery, 2 Quay Lane, Leith</p>
<table border="1"><tr><th>Description</th><th>Hours</th><th>Rate</th><th>Line total</th></tr>
<tr><td>Hand-painted fascia sign</td><td>14</td><td>£55.00</td><td>£770.00</td></tr>
<tr><td>Gold leaf lettering</td><td>6</td><td>£60.00</td><td>£360.00</td></tr>
<tr><td>Installation</td><td>2</td><td>£55.00</td><td>£110.00</td></tr></table>
<p><b>Balance payable: £1,240.00</b></p><p>Payment within 14 days by bank transfer, please quote the invoice number.</p>
<p><small>Issued by Harbour Sign Co. Ltd, 14 Dock Road, Leith EH6 7LX. Company no. SC551230.</small></p>`),
    fields: { number: '2025/117', date: '2025-03-03', total: { amount: 1240, currency: 'GBP' }, vendor: 'Harbour Sign Co. Ltd', items: 3 },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'invoice',
    body: page('ru', 'Счёт-оферта', `<p>Поставщик: ИП Кравцов Олег Игоревич, ИНН 771234567890, р/с 40802810900000012345</p>
<h2>Счёт-оферта № 31-К от 5 апреля 2025 г.</h2><p>Покупатель: ООО «Лесная поляна»</p>
<table border="1"><tr><th>№</th><th>Наименование</th><th>Ед.</th><th>Кол-во</th><th>Цена</th><th>Сумма</th></tr>
<tr><td>1</td><td>Доска обрезная 50×150</td><td>м³</td><td>3</td><td>8 100,00</td><td>24 300,00</td></tr>
<tr><td>2</td><td>Доставка</td><td>рейс</td><td>1</td><td>3 000,00</td><td>3 000,00</td></tr></table>
<p>Всего наименований 2, на сумму 27 300,00 руб. Без НДС.</p><p>Оплата настоящего счёта означает согласие с условиями поставки.</p>`),
    fields: { number: '31-К', date: '2025-04-05', total: { amount: 27300, currency: 'RUB' }, vendor: 'ИП Кравцов Олег Игоревич', items: 2 },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'invoice',
    body: page('en', 'Invoice', `<p>From: Pine Ridge Software LLC, 800 Alder Ave, Boise ID</p><h2>INVOICE</h2>
<p>Invoice ref: QX-5531 | Issued: 2025-06-18 | Terms: Net 30</p><p>Customer: Tallis Dental Group</p>
<table><tr><td>Item</td><td>Qty</td><td>Unit price</td><td>Amount</td></tr>
<tr><td>Scheduler licence (seat)</td><td>12</td><td>$250.00</td><td>$3,000.00</td></tr>
<tr><td>Onboarding workshop</td><td>1</td><td>$900.00</td><td>$900.00</td></tr>
<tr><td>SMS reminders bundle</td><td>2</td><td>$180.00</td><td>$360.00</td></tr>
<tr><td>Priority support (month)</td><td>1</td><td>$120.00</td><td>$120.00</td></tr></table>
<p>TOTAL DUE&nbsp;&nbsp; USD 4,380.00</p>`),
    fields: { number: 'QX-5531', date: '2025-06-18', total: { amount: 4380, currency: 'USD' }, vendor: 'Pine Ridge Software LLC', items: 4 },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'invoice',
    body: page('ru', 'Счёт № ЭК-00917', `<h2>Счёт № ЭК-00917 от 12.05.2025</h2>
<table><tr><th align="left">Исполнитель</th><td>ООО «Эко-Клининг»</td></tr><tr><th align="left">Заказчик</th><td>АО «Северсталь-Сервис»</td></tr><tr><th align="left">Основание</th><td>Договор № 14/К от 10.01.2025</td></tr></table>
<table border="1"><tr><th>Услуга</th><th>Период</th><th>Стоимость</th></tr><tr><td>Уборка офиса</td><td>апрель 2025</td><td>48 000 ₽</td></tr>
<tr><td>Мойка окон</td><td>апрель 2025</td><td>12 300 ₽</td></tr><tr><td>Расходные материалы</td><td>апрель 2025</td><td>4 500 ₽</td></tr></table>
<p>Сумма к оплате: 64 800 ₽ (НДС не облагается)</p>`),
    fields: { number: 'ЭК-00917', date: '2025-05-12', total: { amount: 64800, currency: 'RUB' }, vendor: 'ООО «Эко-Клининг»', items: 3 },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'invoice',
    body: `Lakeside Plumbing & Heating
--------------------------------
INVOICE

No.     LPH-0349
Dated   21/07/2025
For     Mrs J. Okafor, 9 Mere View

| Job                        | Amount |
|----------------------------|--------|
| Replace boiler valve       |  85.00 |
| Call-out (weekend)         |  60.00 |
| Parts                      |  42.50 |

Total (GBP): 187.50
Thank you for your custom.
`,
    fields: { number: 'LPH-0349', date: '2025-07-21', total: { amount: 187.5, currency: 'GBP' }, vendor: 'Lakeside Plumbing & Heating', items: 3 },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'invoice',
    body: ['Счёт на оплату № 0056 от 14.08.2025;;;', 'Поставщик;ООО «ГрадСтрой»;;', 'Плательщик;ТСЖ «Берёзка»;;', ';;;', 'Работы;Кол-во;Цена, руб.;Сумма, руб.', 'Ремонт кровли, м2;120;1150;138000', 'Вывоз мусора;2;10000;20000', ';;Итого к оплате;158000', ''].join('\r\n'),
    fields: { number: '0056', date: '2025-08-14', total: { amount: 158000, currency: 'RUB' }, vendor: 'ООО «ГрадСтрой»', items: 2 },
  },
  {
    lang: 'en', format: 'scan-png', src: 'scan', category: 'invoice',
    body: ['GREENLEAF OFFICE SUPPLIES', 'Tax Invoice TI-2231', 'Invoice date: 9 September 2025', 'Customer: Hollis & Reed Solicitors', '2 x Toner cartridge 118.00', '5 x Copy paper A4 box 62.50', 'Total payable: EUR 180.50'].join('\n'),
    fields: { number: 'TI-2231', date: '2025-09-09', total: { amount: 180.5, currency: 'EUR' }, vendor: 'GREENLEAF OFFICE SUPPLIES', items: 2 },
  },
];

const CONTRACTS: Doc4[] = [
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'contract',
    body: page('ru', 'Договор подряда', `<h2 align="center">ДОГОВОР ПОДРЯДА № 17-ПД</h2><p>г. Казань&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;3 февраля 2025 г.</p>
<p>ООО «Кровля-Сервис» (Подрядчик) и ИП Сафин Руслан Маратович (Заказчик) заключили настоящий договор о нижеследующем.</p>
<p>1. Подрядчик выполняет ремонт кровли склада по адресу: г. Казань, ул. Тихорецкая, 7.</p>
<p>2. Сроки выполнения работ: начало — 10 февраля 2025 г., окончание — 30 апреля 2025 г.</p>
<p>3. Цена работ составляет 840 000 (восемьсот сорок тысяч) рублей 00 копеек, НДС не облагается.</p>`),
    fields: { number: '17-ПД', parties: ['ООО «Кровля-Сервис»', 'ИП Сафин Руслан Маратович'], startDate: '2025-02-10', endDate: '2025-04-30', value: { amount: 840000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'contract',
    body: page('en', 'Letter of Engagement', `<p>Fenwick Advisory LLP<br>22 Bridge Street, Chester</p><p>Our ref. LE/2025/09</p><p>Dear Ms Grant,</p>
<h3>Letter of Engagement</h3><p>This letter sets out the terms of the agreement under which Fenwick Advisory LLP ("we") will act for Grant &amp; Hale Interiors Ltd ("you") as tax advisers.</p>
<p>Our engagement begins on 1 September 2025 and runs for twelve months, ending on 31 August 2026.</p><p>Fixed fee: £9,600 plus VAT, billed quarterly.</p>
<p>Please sign and return a copy to confirm that you accept these terms.</p>`),
    fields: { number: 'LE/2025/09', parties: ['Fenwick Advisory LLP', 'Grant & Hale Interiors Ltd'], startDate: '2025-09-01', endDate: '2026-08-31', value: { amount: 9600, currency: 'GBP' } },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'contract',
    body: `ДОГОВОР АРЕНДЫ НЕЖИЛОГО ПОМЕЩЕНИЯ № А-204\n\nг. Екатеринбург, 20 февраля 2025 г.\n\nАрендодатель: АО «Бизнес-Парк Север»\nАрендатор: ООО «Цифровые решения»\n\n1. Арендодатель передаёт, а Арендатор принимает во временное пользование офис № 204 площадью 56 м².\n2. Договор действует с 1 марта 2025 года и до 31 января 2026 года включительно.\n3. Арендная плата — 120 000 руб. в месяц.\n`,
    fields: { number: 'А-204', parties: ['АО «Бизнес-Парк Север»', 'ООО «Цифровые решения»'], startDate: '2025-03-01', endDate: '2026-01-31', value: { amount: 120000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'contract',
    body: page('en', 'Order Form OF-3318', `<h2>Order Form No. OF-3318</h2><p>This Order Form is governed by the Master Subscription Agreement between the parties.</p>
<table border="1"><tr><th>Licensor</th><th>Licensee</th></tr><tr><td>Cobalt Analytics Inc.</td><td>Meridian Health Partners</td></tr></table>
<p>Subscription term: 15 October 2025 – 14 October 2026</p><p>Annual fee: US$ 24,000, invoiced in advance.</p><p>Authorised signatures below.</p>`),
    fields: { number: 'OF-3318', parties: ['Cobalt Analytics Inc.', 'Meridian Health Partners'], startDate: '2025-10-15', endDate: '2026-10-14', value: { amount: 24000, currency: 'USD' } },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'contract',
    body: `СОГЛАШЕНИЕ О КОНФИДЕНЦИАЛЬНОСТИ № НДА-08/25\n\nСтороны: ООО «Альфа Логистик» и ООО «Вектор».\n\nСтороны обязуются не раскрывать третьим лицам сведения, полученные в ходе переговоров о совместном проекте.\n\nСоглашение вступает в силу с даты подписания — 18.08.2025 и действует три года, до 18.08.2028.\n`,
    fields: { number: 'НДА-08/25', parties: ['ООО «Альфа Логистик»', 'ООО «Вектор»'], startDate: '2025-08-18', endDate: '2028-08-18', value: null },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'contract',
    body: ['Contract ID,Supplier,Customer,Effective,Expiry,Contract value,Currency,Type', 'MSA-0771,Keystone Facilities Ltd,Orbital Media plc,2025-04-01,2027-03-31,56000,GBP,Facilities management agreement', ''].join('\r\n'),
    fields: { number: 'MSA-0771', parties: ['Keystone Facilities Ltd', 'Orbital Media plc'], startDate: '2025-04-01', endDate: '2027-03-31', value: { amount: 56000, currency: 'GBP' } },
  },
  {
    lang: 'ru', format: 'scan-pdf', src: 'scan', category: 'contract',
    body: ['ДОГОВОР ПОСТАВКИ № 88/25', 'г. Самара, 14 июля 2025 г.', 'ООО «Волга-Агро» (Поставщик) и ООО «Хлебозавод № 3» (Покупатель)', 'заключили настоящий договор о поставке муки.', 'Общая сумма договора: 1 250 000 руб.', 'Договор вступает в силу с момента подписания и действует до 31.12.2025.'].join('\n'),
    fields: { number: '88/25', parties: ['ООО «Волга-Агро»', 'ООО «Хлебозавод № 3»'], startDate: '2025-07-14', endDate: '2025-12-31', value: { amount: 1250000, currency: 'RUB' } },
  },
];

export const HELD_TRADE: Doc4[] = [...INVOICES, ...CONTRACTS];
