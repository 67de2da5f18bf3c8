/**
 * Held-out set 3 (scripts/doc-corpus4.ts heldout3), reports and manuals: written by hand before
 * any rule was tuned for them (a byline without labels, an аналитическая записка, a technical
 * report, a support desk's monthly report, a Markdown-style load test report, a KPI sheet, an
 * inspection scan; an охрана труда instruction, installation instructions with a technical
 * writer, an administrator's guide, a runbook "last edited by", a quick start sheet, a scanned
 * руководство). Never to be tuned on.
 */
import { page, type Doc4 } from './doc-corpus4-kit.ts';

const REPORTS: Doc4[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'report',
    body: page('en', 'Annual Health and Safety Report 2024', `<h1>Annual Health and Safety Report 2024</h1><p>Fiona Walsh · Health &amp; Safety Manager · 19 February 2025</p>
<h2>1. Overview</h2><p>Reportable incidents fell from nine to four. Near-miss reporting rose by 40% after the new app was introduced.</p>
<h2>2. Recommendations</h2><p>Extend manual handling refresher training to the night shift.</p>`),
    fields: { title: 'Annual Health and Safety Report 2024', date: '2025-02-19', author: 'Fiona Walsh' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'report',
    body: page('ru', 'Аналитическая записка', `<p>Москва, 07.07.2025</p><h2>Аналитическая записка: итоги продаж за I полугодие 2025 г.</h2>
<p>Выручка за полугодие составила 412 млн руб., что на 9% выше плана. Доля онлайн-канала выросла до 31%.</p><p>Выводы: сохранить бюджет на продвижение в маркетплейсах.</p>
<p>Исполнитель: Фомина Е. А., аналитик коммерческого отдела</p>`),
    fields: { title: 'Аналитическая записка: итоги продаж за I полугодие 2025 г.', date: '2025-07-07', author: 'Фомина Е. А.' },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'report',
    body: page('en', 'Technical Report TR-2025-03', `<p>Technical Report TR-2025-03</p><h1>Fatigue Testing of Welded Aluminium Joints</h1><p>Written by Kwame Mensah, Materials Laboratory</p><p>Issued: 2025-03-28</p>
<h2>Abstract</h2><p>Forty specimens were cycled at three stress ranges. Joints with post-weld peening lasted 2.3 times longer.</p>`),
    fields: { title: 'Fatigue Testing of Welded Aluminium Joints', date: '2025-03-28', author: 'Kwame Mensah' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'report',
    body: page('ru', 'Ежемесячный отчёт', `<h1>Ежемесячный отчёт службы поддержки — май 2025</h1><ul><li>Обращений: 1 274</li><li>Решено в первой линии: 68%</li><li>Средняя оценка: 4,7</li></ul>
<p>Основная причина обращений — смена паролей после обновления портала.</p><hr><p>Отчёт подготовила: Сорокина Мария</p><p>Сформирован 03.06.2025 10:30</p>`),
    fields: { title: 'Ежемесячный отчёт службы поддержки — май 2025', date: '2025-06-03', author: 'Сорокина Мария' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'report',
    body: `# Load test report: checkout service v2.4\n\n_Run by Priya Nair on 2025-08-12_\n\n## Setup\n\n- 3 pods, 2 vCPU each\n- 500 virtual users, ramp 10 min\n\n## Results\n\np95 latency 310 ms at 420 rps; errors below 0.1%.\n`,
    fields: { title: 'Load test report: checkout service v2.4', date: '2025-08-12', author: 'Priya Nair' },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'report',
    body: ['Отчёт по KPI отдела закупок, III квартал 2025;;', 'Составитель;Белов Игорь Сергеевич;', 'Дата;10.10.2025;', ';;', 'Показатель;План;Факт', 'Экономия, %;5;6,2', 'Поставки в срок, %;95;91', 'Новые поставщики;4;6', ''].join('\r\n'),
    fields: { title: 'Отчёт по KPI отдела закупок, III квартал 2025', date: '2025-10-10', author: 'Белов Игорь Сергеевич' },
  },
  {
    lang: 'en', format: 'scan-pdf', src: 'scan', category: 'report',
    body: ['SITE INSPECTION REPORT', 'Site: Riverside Phase 2, Block C', 'Inspected by: Mark Devlin', 'Date of inspection: 30 October 2025', 'Findings: scaffold ties missing on level 4;', 'fire exit on level 2 obstructed by pallets.', 'Action required within 48 hours.'].join('\n'),
    fields: { title: 'SITE INSPECTION REPORT', date: '2025-10-30', author: 'Mark Devlin' },
  },
];

const MANUALS: Doc4[] = [
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'manual',
    body: page('ru', 'Инструкция по охране труда', `<p>ИОТ-012-2025</p><h2>Инструкция по охране труда для оператора ПК</h2>
<p>1. Общие требования. К работе допускаются лица, прошедшие вводный инструктаж.</p><p>2. Через каждые два часа работы делайте перерыв на 15 минут.</p>
<p>Введено в действие приказом от 15.01.2025 № 7.</p><p>Разработал: инженер по охране труда Никитина Л. В.</p>`),
    fields: { title: 'Инструкция по охране труда для оператора ПК', date: '2025-01-15', author: 'Никитина Л. В.' },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'manual',
    body: page('en', 'VentoAir 300', `<h1>VentoAir 300 Installation and Operating Instructions</h1><p>Document 4471-EN, revision C, published 5 May 2025</p><p>Technical writer: Hannah Becker</p>
<h2>Safety</h2><p>Disconnect the mains supply before opening the unit.</p><h2>Mounting</h2><p>Fix the bracket to a load-bearing wall with the four screws supplied.</p>`),
    fields: { title: 'VentoAir 300 Installation and Operating Instructions', date: '2025-05-05', author: 'Hannah Becker' },
  },
  {
    lang: 'ru', format: 'pdf', src: 'html', category: 'manual',
    body: page('ru', 'Руководство администратора', `<h1>Руководство администратора системы «Портал закупок»</h1><p>Версия документа 3.2 (21.04.2025). Ответственный: Кузнецов А. А.</p>
<h2>1. Назначение</h2><p>Документ описывает установку, настройку ролей и резервное копирование портала.</p><h2>2. Установка</h2><p>Запустите мастер установки от имени администратора.</p>`),
    fields: { title: 'Руководство администратора системы «Портал закупок»', date: '2025-04-21', author: 'Кузнецов А. А.' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'manual',
    body: page('en', 'Runbook', `<h1>Runbook: Rotating database credentials</h1><ol><li>Create the new user in the vault.</li><li>Deploy the services with the new secret.</li><li>Revoke the old user after 24 hours.</li></ol>
<p><i>Last edited by Dmitri Kovalenko on 2 June 2025</i></p>`),
    fields: { title: 'Runbook: Rotating database credentials', date: '2025-06-02', author: 'Dmitri Kovalenko' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'manual',
    body: `Инструкция: порядок работы с кассой самообслуживания\n\n1. Отсканируйте штрихкод каждого товара.\n2. Взвесьте фрукты на весах кассы и выберите товар на экране.\n3. Оплатите покупку картой или по QR-коду.\n\nСоставил: ст. администратор Ершова Т. Н., 02.09.2025\n`,
    fields: { title: 'Инструкция: порядок работы с кассой самообслуживания', date: '2025-09-02', author: 'Ершова Т. Н.' },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'manual',
    body: ['Quick start guide: Label printer LP-40,,', 'Owner,Grace Liu,', 'Updated,2025-07-19,', 'Step,Action,Note', '1,Load the label roll,Printed side up', '2,Hold FEED for 3 seconds,Calibrates the gap sensor', '3,Print a test page from the app,', ''].join('\r\n'),
    fields: { title: 'Quick start guide: Label printer LP-40', date: '2025-07-19', author: 'Grace Liu' },
  },
  {
    lang: 'ru', format: 'scan-jpg', src: 'scan', category: 'manual',
    body: ['Руководство по эксплуатации водонагревателя ЭВН-80', 'Редакция от 12.03.2025', 'Составитель: Панов С. Ю.', '1. Перед включением заполните бак водой.', '2. Не включайте прибор без заземления.'].join('\n'),
    fields: { title: 'Руководство по эксплуатации водонагревателя ЭВН-80', date: '2025-03-12', author: 'Панов С. Ю.' },
  },
];

export const HELD_TEXTS: Doc4[] = [...REPORTS, ...MANUALS];
