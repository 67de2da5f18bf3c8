/**
 * Tuning set 3, second batch (w035 on): twelve more hand-written documents, written after the
 * first rules had been fitted to the first 34, in other layouts and wordings (tax invoices with
 * label cells, numbered party lists, registers with counterparty columns, retrospectives,
 * getting-started notes, регламенты). Rules may be fitted to these; never to heldout2.
 */
import { page, type Doc } from './doc-corpus2-kit.ts';

export const TUNING3_MORE: Doc[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'invoice',
    body: page('en', 'Tax invoice', `<h2>TAX INVOICE</h2><table border="1"><tr><td>Invoice Number</td><td>INV/24/0917</td><td>Invoice Date</td><td>30 September 2024</td></tr>
<tr><td>Supplier</td><td>Harrow &amp; Finch LLP</td><td>Customer</td><td>Tarn Valley Council</td></tr></table><p></p>
<table border="1"><tr><th>Service</th><th>Hours</th><th>Rate</th><th>Amount</th></tr><tr><td>Legal review</td><td>8</td><td>180.00</td><td>1,440.00</td></tr>
<tr><td>Drafting</td><td>6</td><td>170.00</td><td>1,020.00</td></tr></table><p>Amount payable: £2,460.00</p>`),
    fields: { number: 'INV/24/0917', date: '2024-09-30', total: { amount: 2460, currency: 'GBP' }, vendor: 'Harrow & Finch LLP', items: 2 },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'invoice',
    body: `Исполнитель: ИП Кравец Мария Олеговна\nЗаказчик: ООО «Сфера»\n\nСчёт № 2025-031 от 3 июня 2025 года\n\nНаименование работ           Кол-во     Сумма, руб.\nРазработка макета               1        12 000,00\nВёрстка страниц                 5         6 750,00\n\nВсего: 18 750,00 руб.\nНДС не облагается.\n`,
    fields: { number: '2025-031', date: '2025-06-03', total: { amount: 18750, currency: 'RUB' }, vendor: 'ИП Кравец Мария Олеговна', items: 2 },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'invoice',
    body: `Subject: Invoice INV-7781 for May\n\nHello accounts team,\n\nPlease find our invoice for May below.\n\nBilled by: Kite Studio GmbH\nInvoice date: 31/05/2025\nAmount: €1,200.00 (animation, 3 days)\n\nBank: DE00 1234 5678 9000 0000 00\n\nBest,\nJonas\n`,
    fields: { number: 'INV-7781', date: '2025-05-31', total: { amount: 1200, currency: 'EUR' }, vendor: 'Kite Studio GmbH', items: 0 },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'contract',
    body: page('en', 'Consultancy Agreement', `<h1>CONSULTANCY AGREEMENT</h1><p>Reference: CA-2025-044</p><p>Date: 3 March 2025</p>
<p>Parties: (1) Holloway Consulting Ltd ("Consultant"); (2) Mercer Foods plc ("Client").</p>
<p>Commencement Date: 10 March 2025. The engagement shall terminate on 9 September 2025 unless extended in writing.</p><p>Fees: USD 42,500 in total.</p>`),
    fields: { number: 'CA-2025-044', parties: ['Holloway Consulting Ltd', 'Mercer Foods plc'], startDate: '2025-03-10', endDate: '2025-09-09', value: { amount: 42500, currency: 'USD' } },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'contract',
    body: page('ru', 'Договор', `<h3>Договор на оказание услуг № 15/2025</h3><p>г. Казань &nbsp; 01 апреля 2025 г.</p>
<p>ИП Захаров Олег Игоревич, именуемый в дальнейшем «Исполнитель», и ООО «Каскад», именуемое в дальнейшем «Заказчик», заключили настоящий договор.</p>
<p>Срок действия договора — до 31.12.2025.</p><p>Цена договора: 96 000 (девяносто шесть тысяч) рублей.</p>`),
    fields: { number: '15/2025', parties: ['ИП Захаров Олег Игоревич', 'ООО «Каскад»'], startDate: '2025-04-01', endDate: '2025-12-31', value: { amount: 96000, currency: 'RUB' } },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'contract',
    body: ['Contracts register,,,,,', 'Agreement No,Counterparty,Our entity,Signed,Expires,Annual value', 'SUP-210,Gallo Coffee Roasters,Brew & Co Ltd,2025-01-15,2026-01-14,"$18,000"', ''].join('\r\n'),
    fields: { number: 'SUP-210', parties: ['Gallo Coffee Roasters', 'Brew & Co Ltd'], startDate: '2025-01-15', endDate: '2026-01-14', value: { amount: 18000, currency: 'USD' } },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'report',
    body: page('en', 'Annual Safety Report', `<h1>Annual Safety Report 2024</h1><table><tr><td>Report author</td><td>Mark Osei</td></tr><tr><td>Report date</td><td>15 January 2025</td></tr></table>
<p>Lost-time incidents fell from 4 to 1. Near-miss reporting doubled after the new app.</p>`),
    fields: { title: 'Annual Safety Report 2024', date: '2025-01-15', author: 'Mark Osei' },
  },
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'report',
    body: page('ru', 'Отчёт о командировке', `<h2>Отчёт о командировке в г. Новосибирск</h2><p>Автор отчёта: Зайцев И. П.</p><p>Дата: 12.05.2025</p>
<p>Цель поездки: приёмка оборудования на складе поставщика. Оборудование принято без замечаний.</p>`),
    fields: { title: 'Отчёт о командировке в г. Новосибирск', date: '2025-05-12', author: 'Зайцев И. П.' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'report',
    body: `Sprint 14 Retrospective Summary\n\nNotes by: Dana Kim\nDate: 2025-06-06\n\nWhat went well\n- Releases every day.\nWhat to improve\n- Fewer late scope changes.\n`,
    fields: { title: 'Sprint 14 Retrospective Summary', date: '2025-06-06', author: 'Dana Kim' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'manual',
    body: page('en', 'Getting Started', `<h1>Getting Started with Tally POS</h1><p>Last updated on June 2, 2025 · By Kevin Ortiz</p>
<h2>Step 1. Sign in</h2><p>Use the e-mail address your manager registered.</p><h2>Step 2. Open the till</h2><p>Count the float and enter it.</p>`),
    fields: { title: 'Getting Started with Tally POS', date: '2025-06-02', author: 'Kevin Ortiz' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'manual',
    body: `ПАМЯТКА для новых сотрудников\n\nРедакция от 01.02.2025\nПодготовила: Белова С. Н. (отдел кадров)\n\n1. Получите пропуск на ресепшене.\n2. Подпишите документы в отделе кадров.\n`,
    fields: { title: 'ПАМЯТКА для новых сотрудников', date: '2025-02-01', author: 'Белова С. Н.' },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'manual',
    body: ['Регламент резервного копирования;', 'Версия;2.0', 'Дата утверждения;14.04.2025', 'Владелец документа;Сидоров А. А.', ';', 'Система;Периодичность', 'Почта;ежедневно', ''].join('\r\n'),
    fields: { title: 'Регламент резервного копирования', date: '2025-04-14', author: 'Сидоров А. А.' },
  },
];
