/**
 * Tuning set 3 (scripts/doc-corpus2.ts tuning3), invoices and contracts: documents written by
 * hand in layouts and wordings of the kind people send (e-mailed bills, freelancer invoices,
 * spreadsheet registers, tenancy and supply contracts), none taken from another set. Rules may
 * be fitted to these; never to heldout2.
 */
import { page, type Doc } from './doc-corpus2-kit.ts';

const INVOICES: Doc[] = [
  {
    lang: 'en', format: 'html', src: 'html', category: 'invoice',
    body: page('en', 'Your invoice from Brightline Print', `<p>Hi Tom,</p><p>Thanks for your order. Your invoice is below.</p>
<p><b>From:</b> Brightline Print Ltd, 4 Mill Lane, Leeds</p><p><b>Invoice #:</b> BP-2025-0412<br><b>Issue date:</b> 14/03/2025<br><b>Due:</b> 28/03/2025</p>
<table border="1"><tr><th>Description</th><th>Qty</th><th>Price</th></tr><tr><td>Business cards (500)</td><td>2</td><td>$45.00</td></tr>
<tr><td>A1 poster</td><td>10</td><td>$12.50</td></tr><tr><td>Design work (hours)</td><td>3</td><td>$60.00</td></tr></table>
<p><b>Amount due: $395.00</b></p><p>Kind regards,<br>Brightline accounts</p>`),
    fields: { number: 'BP-2025-0412', date: '2025-03-14', total: { amount: 395, currency: 'USD' }, vendor: 'Brightline Print Ltd', items: 3 },
  },
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'invoice',
    body: page('ru', 'Счёт-фактура', `<h3>СЧЁТ-ФАКТУРА № 118 от 21 января 2025 г.</h3>
<p>Продавец: ООО «Ромашка»<br>Адрес: 620014, г. Екатеринбург, ул. Ленина, д. 5<br>ИНН/КПП продавца: 6671000000/667101001<br>Покупатель: АО «Уралмет»</p>
<table border="1"><tr><th>№</th><th>Наименование товара</th><th>Кол-во</th><th>Стоимость, руб.</th></tr>
<tr><td>1</td><td>Перчатки рабочие</td><td>200</td><td>18 000,00</td></tr><tr><td>2</td><td>Каска защитная</td><td>40</td><td>27 600,00</td></tr></table>
<p>Всего к оплате: 45 600,00 руб.</p><p>Главный бухгалтер ________ Соколова Е. В.</p>`),
    fields: { number: '118', date: '2025-01-21', total: { amount: 45600, currency: 'RUB' }, vendor: 'ООО «Ромашка»', items: 2 },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'invoice',
    body: ['Northwind Traders,,,', 'INVOICE,,,', 'No.,NW-7781,,', 'Date,2025-06-02,,', 'Bill to,Contoso Cafe,,', ',,,', 'Product,Qty,Unit price,Line total',
      'Arabica beans 1kg,12,18.00,216.00', 'Oat milk 1L,24,2.10,50.40', 'Paper cups (box),5,9.00,45.00', ',,,', ',,Grand total (EUR),311.40', ''].join('\r\n'),
    fields: { number: 'NW-7781', date: '2025-06-02', total: { amount: 311.4, currency: 'EUR' }, vendor: 'Northwind Traders', items: 3 },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'invoice',
    body: `ИП Белов Андрей Викторович\nИНН 772800000000\n\nСчет на оплату N 77 от 05.05.2025\n\nПоставщик: ИП Белов А. В.\nПокупатель: ООО «Вектор»\n\n1\tРемонт ноутбука\t1\t7 500,00\n2\tЗамена клавиатуры\t1\t4 500,00\n\nИтого к оплате: 12 000 руб.\nБез НДС.\n`,
    fields: { number: '77', date: '2025-05-05', total: { amount: 12000, currency: 'RUB' }, vendor: 'ИП Белов А. В.', items: 2 },
  },
  {
    lang: 'en', format: 'pdf', src: 'txt', category: 'invoice',
    body: `Maria Lopez Design\nmaria@lopez.design\n\nINVOICE 0042\nDate: March 3, 2025\n\nBill to:\nGreenleaf Organics\n\nLogo design ........................ 1,800.00\nBrand guidelines ................... 1,350.00\n\nTotal due: USD 3,150.00\nPayment within 14 days, thank you!\n`,
    fields: { number: '0042', date: '2025-03-03', total: { amount: 3150, currency: 'USD' }, vendor: 'Maria Lopez Design', items: 2 },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'invoice',
    body: page('ru', 'Счёт', `<p>Исполнитель: ООО «Альфа-Сервис»</p><p>Заказчик: ООО «Берёзка»</p><h2>Счёт № А-559</h2><p>Дата счёта: 17 апреля 2025 г.</p>
<table border="1"><tr><td>Услуга</td><td>Сумма</td></tr><tr><td>Абонентское обслуживание за апрель</td><td>6 000 ₽</td></tr><tr><td>Выезд специалиста</td><td>2 900 ₽</td></tr></table>
<p>Итого: 8 900 ₽</p>`),
    fields: { number: 'А-559', date: '2025-04-17', total: { amount: 8900, currency: 'RUB' }, vendor: 'ООО «Альфа-Сервис»', items: 2 },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'invoice',
    body: ['Seller,Invoice,Invoice date,Currency', 'Pinecrest Tools Inc.,PT-55120,07 Jan 2025,USD', ',,,', 'SKU,Description,Qty,Amount', 'DR-18,Cordless drill,2,258.00', 'BT-02,Battery pack,4,196.00', ',,Total,454.00', ''].join('\r\n'),
    fields: { number: 'PT-55120', date: '2025-01-07', total: { amount: 454, currency: 'USD' }, vendor: 'Pinecrest Tools Inc.', items: 2 },
  },
];

const CONTRACTS: Doc[] = [
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'contract',
    body: page('en', 'Service Agreement', `<h1>SERVICE AGREEMENT</h1><p>Agreement number: SA-2025-17</p>
<p>This Service Agreement (the "Agreement") is made on 1 February 2025 between Northgate Logistics Ltd (the "Provider") and Elm Street Bakery Ltd (the "Client").</p>
<p>1. Term. The Agreement commences on 1 February 2025 and expires on 31 January 2026.</p><p>2. Fees. The Client shall pay the Provider a total fee of €18,000, invoiced monthly.</p>`),
    fields: { number: 'SA-2025-17', parties: ['Northgate Logistics Ltd', 'Elm Street Bakery Ltd'], startDate: '2025-02-01', endDate: '2026-01-31', value: { amount: 18000, currency: 'EUR' } },
  },
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'contract',
    body: page('ru', 'Договор поставки', `<h2 align="center">ДОГОВОР ПОСТАВКИ № 45/П</h2><p>г. Москва &nbsp;&nbsp;&nbsp; «12» февраля 2025 г.</p>
<p>ООО «Техснаб», именуемое в дальнейшем «Поставщик», в лице генерального директора Рябова К. Н., с одной стороны, и АО «Завод Прогресс», именуемое в дальнейшем «Покупатель», с другой стороны, заключили настоящий договор о нижеследующем.</p>
<p>7.1. Договор вступает в силу с момента подписания и действует до 31 декабря 2025 г.</p><p>3.1. Общая сумма договора составляет 2 500 000 (два миллиона пятьсот тысяч) рублей 00 копеек.</p>`),
    fields: { number: '45/П', parties: ['ООО «Техснаб»', 'АО «Завод Прогресс»'], startDate: '2025-02-12', endDate: '2025-12-31', value: { amount: 2500000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'contract',
    body: `ASSURED SHORTHOLD TENANCY AGREEMENT\nRef: TA/884\n\nLandlord: John Carter\nTenant: Priya Shah\nProperty: Flat 2, 19 Queen Street, Bristol\n\nThe tenancy starts on 1 July 2025 and ends on 30 June 2026.\nRent: GBP 1,150 per calendar month, payable in advance.\n\nSigned by the landlord and the tenant on 20 June 2025.\n`,
    fields: { number: 'TA/884', parties: ['John Carter', 'Priya Shah'], startDate: '2025-07-01', endDate: '2026-06-30', value: { amount: 1150, currency: 'GBP' } },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'contract',
    body: ['Договор аренды;№ 7-А', 'Арендодатель;ООО «Дом на Неве»', 'Арендатор;ИП Смирнова О. П.', 'Начало аренды;01.03.2025', 'Окончание аренды;28.02.2026', 'Сумма договора;360 000 руб.', 'Примечание;оплата ежемесячно', ''].join('\r\n'),
    fields: { number: '7-А', parties: ['ООО «Дом на Неве»', 'ИП Смирнова О. П.'], startDate: '2025-03-01', endDate: '2026-02-28', value: { amount: 360000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'contract',
    body: page('en', 'Mutual NDA', `<h2>Mutual Non-Disclosure Agreement</h2><p>Contract ID: NDA-0917</p><p>Effective date: 10 April 2025</p>
<p>This agreement is between Vega Analytics Inc. and Harbor Health LLC (each a "Party").</p>
<p>The obligations of confidentiality remain in force until April 9, 2027.</p><p>No fee is payable under this agreement.</p>`),
    fields: { number: 'NDA-0917', parties: ['Vega Analytics Inc.', 'Harbor Health LLC'], startDate: '2025-04-10', endDate: '2027-04-09', value: null },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'contract',
    body: page('ru', 'Договор подряда', `<h3>Договор подряда № 3/25-П от 14.03.2025</h3><table><tr><td>Подрядчик:</td><td>ООО «СтройМастер»</td></tr><tr><td>Заказчик:</td><td>Иванов Иван Иванович</td></tr></table>
<p>Сроки выполнения работ: с 17.03.2025 по 30.04.2025.</p><p>Стоимость работ: 640 000,00 руб., НДС не облагается.</p>`),
    fields: { number: '3/25-П', parties: ['ООО «СтройМастер»', 'Иванов Иван Иванович'], startDate: '2025-03-17', endDate: '2025-04-30', value: { amount: 640000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'contract',
    body: ['Contract,Party A,Party B,Start,End,Value', 'MSA-3301,Quartz Cloud Ltd,Fenwick Retail plc,2025-05-01,2027-04-30,"£96,000"', ''].join('\r\n'),
    fields: { number: 'MSA-3301', parties: ['Quartz Cloud Ltd', 'Fenwick Retail plc'], startDate: '2025-05-01', endDate: '2027-04-30', value: { amount: 96000, currency: 'GBP' } },
  },
];

export const TUNING3_TRADE: Doc[] = [...INVOICES, ...CONTRACTS];
