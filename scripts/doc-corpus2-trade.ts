/**
 * Held-out set 2 (scripts/doc-corpus2.ts): invoices and contracts, each written by hand as one
 * person would write that one document, in layouts and wordings of its own.
 */
import { page, type Doc } from './doc-corpus2-kit.ts';

export const INVOICES: Doc[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'invoice',
    body: page('en', 'Invoice BWD-0412', `
<p><b>Brightwater Design Studio Ltd</b><br>4 Canal Wharf, Bristol BS1 6QE<br>hello@brightwater.example</p>
<h1>INVOICE</h1>
<dl><dt>Invoice reference</dt><dd>BWD-0412</dd><dt>Date</dt><dd>12th February 2025</dd><dt>Billed to</dt><dd>Marlow Events Ltd, 9 High Street, Marlow</dd></dl>
<table border="1"><tr><th>Description</th><th>Hours</th><th>Rate</th><th>Line total</th></tr>
<tr><td>Brand identity workshop</td><td>6</td><td>£90.00</td><td>£540.00</td></tr>
<tr><td>Logo design, three concepts</td><td>30</td><td>£90.00</td><td>£2,700.00</td></tr>
<tr><td>Print-ready artwork</td><td>18</td><td>£90.00</td><td>£1,620.00</td></tr></table>
<p>Total payable (GBP): 4,860.00</p>
<p>We are not VAT registered. Thank you for your business.</p>`),
    fields: { number: 'BWD-0412', date: '2025-02-12', total: { amount: 4860, currency: 'GBP' }, vendor: 'Brightwater Design Studio Ltd', items: 3 },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'invoice',
    body: page('ru', 'Счёт 118', `
<table border="1"><tr><td>Получатель: ООО «Северный ветер»</td><td>Сч. № 40702810900000012345</td></tr>
<tr><td>Банк получателя: ПАО «Надёжный банк», г. Москва</td><td>БИК 044525999</td></tr></table>
<h2>Счёт на оплату № 118 от 3 марта 2025 г.</h2>
<p>Поставщик: ООО «Северный ветер», ИНН 7701234567, КПП 770101001, 125009, г. Москва, ул. Лесная, д. 5</p>
<p>Покупатель: ООО «Меридиан», ИНН 7812345678, г. Санкт-Петербург</p>
<table border="1"><tr><th>№</th><th>Товары (работы, услуги)</th><th>Кол-во</th><th>Ед.</th><th>Цена</th><th>Сумма</th></tr>
<tr><td>1</td><td>Бумага офисная А4, 500 л.</td><td>40</td><td>пач.</td><td>320,00</td><td>12 800,00</td></tr>
<tr><td>2</td><td>Картридж лазерный</td><td>8</td><td>шт.</td><td>4 100,00</td><td>32 800,00</td></tr></table>
<p>Итого: 45 600,00<br>В том числе НДС (20%): 7 600,00<br>Всего к оплате: 45 600,00</p>
<p>Всего наименований 2, на сумму 45 600,00 руб.<br>Сорок пять тысяч шестьсот рублей 00 копеек</p>
<p>Руководитель ____________ Ефимов А. Г.   Бухгалтер ____________ Ильина О. В.</p>`),
    fields: { number: '118', date: '2025-03-03', total: { amount: 45600, currency: 'RUB' }, vendor: 'ООО «Северный ветер»', items: 2 },
  },
  {
    lang: 'en', format: 'pdf', src: 'txt', category: 'invoice',
    body: `NORTHLINE FREIGHT SERVICES
12 Dock Road, Leith, Edinburgh EH6 7RT

                         INVOICE

Invoice no - NFS-22871
Invoice date - 2025-01-28
Customer - Halden Outdoor AS
Due - 2025-02-27

Item                              Qty     Price      Total
Container haulage Leith-Glasgow     2    640.00    1280.00
Customs documentation               1     85.00      85.00

Net                                                1365.00
VAT @ 20%                                           273.00
TOTAL EUR                                          1638.00

Please pay by bank transfer to IBAN GB00 NLFS 0000 1234 5678 90.
`,
    fields: { number: 'NFS-22871', date: '2025-01-28', total: { amount: 1638, currency: 'EUR' }, vendor: 'Northline Freight Services', items: 2 },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'invoice',
    body: page('ru', 'Счёт 2025/044', `
<p>ИП Кузнецов Андрей Викторович · ремонт и обслуживание оргтехники</p>
<table border="1" cellpadding="4">
<tr><td>Номер счёта</td><td>2025/044</td><td>Дата</td><td>14.04.2025</td></tr>
<tr><td>Продавец</td><td>ИП Кузнецов Андрей Викторович</td><td>ИНН</td><td>502900112233</td></tr>
<tr><td>Плательщик</td><td>МБОУ «Школа № 12»</td><td>ИНН</td><td>5029011122</td></tr></table>
<h3>Работы</h3>
<table border="1" cellpadding="4"><tr><th>Наименование</th><th>Кол-во</th><th>Цена, ₽</th><th>Стоимость, ₽</th></tr>
<tr><td>Заправка картриджа</td><td>20</td><td>900</td><td>18 000</td></tr>
<tr><td>Ремонт МФУ</td><td>6</td><td>15 400</td><td>92 400</td></tr>
<tr><td>Профилактика принтера</td><td>12</td><td>1 500</td><td>18 000</td></tr></table>
<p><b>Итого по счёту: 128 400 ₽</b> (НДС не облагается, УСН)</p>`),
    fields: { number: '2025/044', date: '2025-04-14', total: { amount: 128400, currency: 'RUB' }, vendor: 'ИП Кузнецов Андрей Викторович', items: 3 },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'invoice',
    body: `Invoice from: Pixel & Frame Photography
To: Marlow Events Ltd

Invoice 2025-031
Issued 5 March 2025
Payment due within 14 days

Services
- Event photography (6 hours) - £900.00
- Photo editing, 120 images - £240.00
- Travel - £45.00

Amount owed: £1,185.00

Bank: Northern Savings, sort code 00-11-22, account 12345678
Thanks!
Jess
`,
    fields: { number: '2025-031', date: '2025-03-05', total: { amount: 1185, currency: 'GBP' }, vendor: 'Pixel & Frame Photography', items: 3 },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'invoice',
    body: ['Счёт;№ 77-К;;', 'Дата составления;21.05.2025;;', 'Исполнитель;ООО «Кварц-Сервис»;;', 'Заказчик;АО «Промтехника»;;', ';;;',
      '№;Наименование работ;Кол-во;Сумма, руб.', '1;Диагностика оборудования;1;12 000,00', '2;Замена уплотнителей;4;6 800,00', '3;Выезд специалиста;1;3 500,00',
      ';;Итого;22 300,00', ''].join('\r\n'),
    fields: { number: '77-К', date: '2025-05-21', total: { amount: 22300, currency: 'RUB' }, vendor: 'ООО «Кварц-Сервис»', items: 3 },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'invoice',
    body: ['Harbor Lane Software Inc.,,,', 'Invoice,,,', 'Number,HLS-7731,,', 'Date issued,2025-06-30,,', 'Customer,Greenfield Dental Group,,', ',,,',
      'Product,Seats,Price per seat,Subtotal', 'Team plan (annual),25,96.00,2400.00', 'Onboarding session,1,350.00,350.00', ',,Total (USD),2750.00', ''].join('\r\n'),
    fields: { number: 'HLS-7731', date: '2025-06-30', total: { amount: 2750, currency: 'USD' }, vendor: 'Harbor Lane Software Inc.', items: 2 },
  },
];

export const CONTRACTS: Doc[] = [
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'contract',
    body: page('ru', 'Договор 15/03-25', `
<h2 align="center">ДОГОВОР № 15/03-25<br>на оказание транспортных услуг</h2>
<p>г. Казань&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;«15» марта 2025 г.</p>
<p>ООО «ТрансЛайн», именуемое в дальнейшем «Перевозчик», в лице директора Сафина Р. Р., действующего на основании Устава, и АО «Волжский хлеб», именуемое в дальнейшем «Заказчик», в лице генерального директора Гарипова И. Ф., действующего на основании Устава, заключили настоящий Договор о нижеследующем:</p>
<h3>1. Предмет договора</h3><p>1.1. Перевозчик обязуется доставлять вверенный ему Заказчиком груз в пункт назначения.</p>
<h3>2. Стоимость услуг</h3><p>2.1. Общая стоимость услуг по Договору не может превышать 2 400 000 (два миллиона четыреста тысяч) рублей 00 копеек, включая НДС.</p>
<h3>5. Срок действия договора</h3><p>5.1. Договор вступает в силу 01.04.2025 и действует по 31.03.2026.</p>
<table border="1"><tr><td>Перевозчик<br>ООО «ТрансЛайн»<br>ИНН 1655000001</td><td>Заказчик<br>АО «Волжский хлеб»<br>ИНН 1655000002</td></tr></table>`),
    fields: { number: '15/03-25', parties: ['ООО «ТрансЛайн»', 'АО «Волжский хлеб»'], startDate: '2025-04-01', endDate: '2026-03-31', value: { amount: 2400000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'contract',
    body: page('en', 'Master Services Agreement', `
<h1>MASTER SERVICES AGREEMENT</h1>
<p>Agreement number: MSA/2025/117</p>
<p>This Master Services Agreement (the "Agreement") is entered into as of 1 July 2025 (the "Effective Date") by and between Corvid Data Labs Ltd, a company registered in England under number 09876543 ("Provider"), and Saltmarsh Retail plc ("Customer").</p>
<h2>1. Services</h2><p>Provider shall deliver the data engineering services set out in each Statement of Work.</p>
<h2>2. Term</h2><p>The initial term commences on the Effective Date and continues until 30 June 2027, unless terminated earlier under clause 9.</p>
<h2>3. Fees</h2><p>Fees payable under this Agreement shall not exceed GBP 180,000 in total, excluding VAT.</p>
<p>Signed for Provider: ____________ Signed for Customer: ____________</p>`),
    fields: { number: 'MSA/2025/117', parties: ['Corvid Data Labs Ltd', 'Saltmarsh Retail plc'], startDate: '2025-07-01', endDate: '2027-06-30', value: { amount: 180000, currency: 'GBP' } },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'contract',
    body: `ДОГОВОР АРЕНДЫ НЕЖИЛОГО ПОМЕЩЕНИЯ № А-208

г. Новосибирск                                   01 февраля 2025 года

Индивидуальный предприниматель Мельникова Ольга Сергеевна, именуемая в
дальнейшем «Арендодатель», с одной стороны, и ООО «Сибирские окна»,
именуемое в дальнейшем «Арендатор», с другой стороны, заключили
настоящий договор о нижеследующем.

1. Арендодатель передаёт, а Арендатор принимает во временное пользование
помещение площадью 54 кв. м по адресу: ул. Фрунзе, д. 12.
2. Арендная плата составляет 85 000 (восемьдесят пять тысяч) рублей в месяц.
Общая сумма договора за весь срок аренды составляет 935 000 рублей.
3. Срок аренды — с 01.02.2025 по 31.12.2025.

Арендодатель ______ О. С. Мельникова     Арендатор ______ К. Л. Воронин
`,
    fields: { number: 'А-208', parties: ['Индивидуальный предприниматель Мельникова Ольга Сергеевна', 'ООО «Сибирские окна»'], startDate: '2025-02-01', endDate: '2025-12-31', value: { amount: 935000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'contract',
    body: page('en', 'Supply contract PO-CN-5521', `
<h2>Contract for the Supply of Medical Consumables</h2>
<table border="1" cellpadding="4">
<tr><th align="left">Contract Ref.</th><td>PO-CN-5521</td></tr>
<tr><th align="left">Buyer</th><td>Ridgeway Hospital Trust</td></tr>
<tr><th align="left">Seller</th><td>MedSupply Europe B.V.</td></tr>
<tr><th align="left">Contract period</th><td>1 September 2025 – 31 August 2026</td></tr>
<tr><th align="left">Contract sum</th><td>€312,400.00 excl. VAT</td></tr></table>
<h3>Conditions</h3>
<ol><li>The Seller shall deliver the goods listed in Schedule 2 to the Buyer's central stores.</li>
<li>Invoices are payable within 30 days of receipt.</li>
<li>Either party may terminate on 90 days' written notice.</li></ol>`),
    fields: { number: 'PO-CN-5521', parties: ['MedSupply Europe B.V.', 'Ridgeway Hospital Trust'], startDate: '2025-09-01', endDate: '2026-08-31', value: { amount: 312400, currency: 'EUR' } },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'contract',
    body: `ДОГОВОР ПОДРЯДА № 2025-17
Москва, 10 июня 2025 г.

ООО «СтройМонтаж» (далее — «Подрядчик») и ООО «Вектор-Девелопмент» (далее — «Заказчик») заключили договор о следующем.

1. Подрядчик выполняет монтаж вентиляции на объекте Заказчика по адресу: Москва, Варшавское ш., 118.
2. Сроки выполнения работ: начало — 16.06.2025, окончание — 30.09.2025.
3. Цена работ: 4 750 000,00 руб. (с НДС).
4. Оплата: аванс 30 % в течение 5 дней после подписания, остаток — по акту.

Подрядчик: ООО «СтройМонтаж»            Заказчик: ООО «Вектор-Девелопмент»
`,
    fields: { number: '2025-17', parties: ['ООО «СтройМонтаж»', 'ООО «Вектор-Девелопмент»'], startDate: '2025-06-16', endDate: '2025-09-30', value: { amount: 4750000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'contract',
    body: ['Field,Details', 'Agreement,Consultancy Agreement', 'Ref,CA-0925-04', 'Consultant,Fenwick Advisory LLP', 'Client,Orchard Valley Foods Ltd',
      'Commencement,1 October 2025', 'Expiry,31 March 2026', 'Fee,"GBP 48,000"', 'Scope,Review of the cold-chain logistics and a written recommendation', ''].join('\r\n'),
    fields: { number: 'CA-0925-04', parties: ['Fenwick Advisory LLP', 'Orchard Valley Foods Ltd'], startDate: '2025-10-01', endDate: '2026-03-31', value: { amount: 48000, currency: 'GBP' } },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'contract',
    body: ['Карточка договора;', 'Номер договора;Д-0457/25', 'Контрагент 1 (Поставщик);АО «УралМеталл»', 'Контрагент 2 (Покупатель);ООО «Техноресурс»',
      'Дата начала;2025-01-20', 'Дата окончания;2025-12-31', 'Сумма договора, руб.;15600000', 'Предмет;поставка металлопроката по спецификациям', ''].join('\r\n'),
    fields: { number: 'Д-0457/25', parties: ['АО «УралМеталл»', 'ООО «Техноресурс»'], startDate: '2025-01-20', endDate: '2025-12-31', value: { amount: 15600000, currency: 'RUB' } },
  },
];
