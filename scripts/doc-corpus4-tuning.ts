/**
 * Tuning set 4 (scripts/doc-corpus4.ts tuning4), reports and manuals: hand-written after
 * held-out set 3 was committed, aimed at the weak fields (authors, titles and dates of reports
 * and manuals) in wordings of their own. For tuning: never mixed with the held-out sets.
 */
import { page, type Doc4 } from './doc-corpus4-kit.ts';

const REPORTS: Doc4[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'report',
    body: page('en', 'Monthly Operations Report', `<h1>Monthly Operations Report — June 2025</h1><p>Compiled by: Oliver Grant</p><p>Report date: 4 July 2025</p>
<h2>Highlights</h2><p>On-time dispatch reached 97.2%. Two forklifts were replaced.</p>`),
    fields: { title: 'Monthly Operations Report — June 2025', date: '2025-07-04', author: 'Oliver Grant' },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'report',
    body: page('en', 'Customer Churn Analysis', `<h1>Customer Churn Analysis</h1><p>Prepared for the Board of Directors</p><p>Prepared by Nadia Rahman (Data Team)</p><p>Published 15 July 2025</p>
<h2>Findings</h2><p>Churn fell to 3.1% a month after the loyalty programme started.</p>`),
    fields: { title: 'Customer Churn Analysis', date: '2025-07-15', author: 'Nadia Rahman' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'report',
    body: `Weekly status report - Project Atlas\n\nReporter: Chris Young\nWeek ending 11 April 2025\n\nDone: data migration rehearsal.\nNext: cut-over plan sign-off.\nRisks: vendor API rate limits.\n`,
    fields: { title: 'Weekly status report - Project Atlas', date: '2025-04-11', author: 'Chris Young' },
  },
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'report',
    body: page('ru', 'Отчёт об инвентаризации', `<h2>Отчёт о проведении инвентаризации склада № 2</h2><p>Ответственный исполнитель: Карпов Денис Олегович</p><p>Дата отчёта: 30.06.2025</p>
<p>Недостача по 3 позициям на сумму 12 400 руб., излишки не выявлены.</p>`),
    fields: { title: 'Отчёт о проведении инвентаризации склада № 2', date: '2025-06-30', author: 'Карпов Денис Олегович' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'report',
    body: page('ru', 'Пояснительная записка', `<h2>Пояснительная записка к годовому отчёту за 2024 год</h2><p>Выручка общества выросла на 14%, чистая прибыль — на 6%.</p>
<p>Главный бухгалтер&nbsp;&nbsp;&nbsp;Яковлева С. Н.</p><p>15 марта 2025 г.</p>`),
    fields: { title: 'Пояснительная записка к годовому отчёту за 2024 год', date: '2025-03-15', author: 'Яковлева С. Н.' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'report',
    body: `Отчёт о результатах мониторинга серверов за июль 2025 г.\n\nОтветственный: Шубин А. В.\nДата: 01.08.2025\n\nДоступность сервисов 99,93%. Три инцидента, все закрыты в течение часа.\n`,
    fields: { title: 'Отчёт о результатах мониторинга серверов за июль 2025 г.', date: '2025-08-01', author: 'Шубин А. В.' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'report',
    body: ['Report,Regional sales Q2 2025,', 'Author,Tom Becker,', 'Generated,2025-07-03,', ',,', 'Region,Target,Actual', 'North,120000,131500', 'South,90000,84200', ''].join('\r\n'),
    fields: { title: 'Regional sales Q2 2025', date: '2025-07-03', author: 'Tom Becker' },
  },
  {
    lang: 'en', format: 'scan-png', src: 'scan', category: 'report',
    body: ['QUARTERLY AUDIT REPORT', 'Auditor: Helen Marsh', 'Date: 2 October 2025', 'Scope: purchase ledger and supplier payments.', 'Two exceptions were found and corrected.'].join('\n'),
    fields: { title: 'QUARTERLY AUDIT REPORT', date: '2025-10-02', author: 'Helen Marsh' },
  },
];

const MANUALS: Doc4[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'manual',
    body: page('en', 'Employee Handbook', `<h1>Employee Handbook 2025</h1><p>Issued by the People Team. Owner: Anna Lopez</p><p>Effective date: 1 January 2025</p>
<h2>Working hours</h2><p>Core hours are 10:00 to 16:00.</p>`),
    fields: { title: 'Employee Handbook 2025', date: '2025-01-01', author: 'Anna Lopez' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'manual',
    body: page('en', 'VPN setup', `<h1>How to set up the VPN on macOS</h1><ol><li>Install the client from the portal.</li><li>Sign in with your work account.</li></ol>
<p>Maintainer: Ben Carter<br>Reviewed 12 May 2025</p>`),
    fields: { title: 'How to set up the VPN on macOS', date: '2025-05-12', author: 'Ben Carter' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'manual',
    body: `README - Invoice Importer user guide\n\nVersion 1.4 (2025-03-30)\nMaintainer: Julia Stone\n\nUsage\n  importer --from ./inbox --to ledger\n`,
    fields: { title: 'README - Invoice Importer user guide', date: '2025-03-30', author: 'Julia Stone' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'manual',
    body: page('ru', 'Руководство пользователя', `<h1>Руководство пользователя мобильного приложения «Мой банк»</h1><p>Дата выпуска: 17.02.2025</p><p>Автор-составитель: Михайлова Е. Р.</p>
<h2>1. Вход</h2><p>Введите номер телефона и код из СМС.</p>`),
    fields: { title: 'Руководство пользователя мобильного приложения «Мой банк»', date: '2025-02-17', author: 'Михайлова Е. Р.' },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'manual',
    body: `Методические указания по заполнению табеля учёта рабочего времени\n\nУтверждено 05.05.2025\nСоставитель: Орлов В. П.\n\n1. Табель заполняется ежедневно.\n2. Неявки отмечаются буквенным кодом.\n`,
    fields: { title: 'Методические указания по заполнению табеля учёта рабочего времени', date: '2025-05-05', author: 'Орлов В. П.' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'manual',
    body: ['Название;Регламент резервного копирования', 'Версия;2.0', 'Дата;01.04.2025', 'Автор;Зуева Ирина', 'Шаг;Действие', '1;Проверить свободное место', '2;Запустить задание backup-nightly', ''].join('\r\n'),
    fields: { title: 'Регламент резервного копирования', date: '2025-04-01', author: 'Зуева Ирина' },
  },
  {
    lang: 'ru', format: 'scan-jpg', src: 'scan', category: 'manual',
    body: ['Инструкция по эксплуатации кофемашины КМ-5', 'Дата: 20.08.2025', 'Составил: Тихонов Б. Г.', '1. Залейте воду в резервуар.', '2. Нажмите кнопку «Старт».'].join('\n'),
    fields: { title: 'Инструкция по эксплуатации кофемашины КМ-5', date: '2025-08-20', author: 'Тихонов Б. Г.' },
  },
];

export const TUNING4_A: Doc4[] = [...REPORTS, ...MANUALS];
