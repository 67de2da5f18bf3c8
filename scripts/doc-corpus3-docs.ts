/**
 * Tuning set 3 (scripts/doc-corpus2.ts tuning3), certificates, passports, reports and manuals:
 * hand-written like doc-corpus3-trade.ts (training records, traveller forms, status reports,
 * post-mortems, how-to notes, handbooks), in English and Russian. Never to be mixed with heldout2.
 */
import { page, type Doc } from './doc-corpus2-kit.ts';

const IDS: Doc[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'certificate',
    body: page('en', 'Certificate of Completion', `<h1 align="center">Certificate of Completion</h1><p align="center">This is to certify that</p><p align="center"><b>Aisha Khan</b></p>
<p align="center">has successfully completed the course First Aid at Work (18 hours).</p><p>Certificate number: FA-20931</p><p>Date of completion: 22 May 2025</p><p>This certificate is valid for three years, until 21 May 2028.</p>`),
    fields: { number: 'FA-20931', issueDate: '2025-05-22', expiryDate: '2028-05-21', holder: 'Aisha Khan' },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'certificate',
    body: `СЕРТИФИКАТ СООТВЕТСТВИЯ\n\n№ РОСС RU.АБ12.Н00345\n\nЗаявитель: ООО «ТеплоПром»\nПродукция: котлы отопительные водогрейные\nДата регистрации: 10.02.2025\nСрок действия: до 09.02.2028\n\nРуководитель органа по сертификации ________ Мельников В. И.\n`,
    fields: { number: 'РОСС RU.АБ12.Н00345', issueDate: '2025-02-10', expiryDate: '2028-02-09', holder: 'ООО «ТеплоПром»' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'certificate',
    body: ['Training certificate record,,,,', 'Employee,Course,Certificate ID,Issued,Expires', 'Marek Nowak,Forklift operator (counterbalance),FLT-7730,12/09/2024,12/09/2027', ''].join('\r\n'),
    // LibreOffice's CSV import reads 12/09/2024 month first (en-US): the spreadsheet holds 9 December.
    fields: { number: 'FLT-7730', issueDate: '2024-12-09', expiryDate: '2027-12-09', holder: 'Marek Nowak' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'passport',
    body: `Traveller details for booking ref QX7Z2\n\nSurname: Patel\nGiven names: Ravi Kumar\nPassport number: 533190871\nIssuing authority: HM Passport Office\nIssue date: 04/11/2019\nExpiry date: 04/11/2029\nNationality: British\n`,
    fields: { number: '533190871', issueDate: '2019-11-04', expiryDate: '2029-11-04', issuer: 'HM Passport Office' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'passport',
    body: page('ru', 'Паспортные данные', `<p>Паспорт гражданина Российской Федерации</p><ul><li>Серия и номер: 45 12 345678</li>
<li>Кем выдан: ОВД района Хамовники г. Москвы</li><li>Когда выдан: 15 марта 2013 г.</li><li>Код подразделения: 772-045</li></ul>`),
    fields: { number: '45 12 345678', issueDate: '2013-03-15', expiryDate: null, issuer: 'ОВД района Хамовники г. Москвы' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'passport',
    body: ['Заграничный паспорт;', 'Фамилия;Орлова', 'Номер паспорта;75 1234567', 'Дата выдачи;21.08.2021', 'Действителен до;21.08.2031', 'Орган, выдавший документ;МВД 77810', ''].join('\r\n'),
    fields: { number: '75 1234567', issueDate: '2021-08-21', expiryDate: '2031-08-21', issuer: 'МВД 77810' },
  },
];

const REPORTS: Doc[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'report',
    body: page('en', 'Quarterly Sales Review', `<h1>Quarterly Sales Review Q1 2025</h1><p><i>Prepared by: Daniel Brooks, Head of Sales</i></p><p>Date: 8 April 2025</p>
<h2>Summary</h2><p>Revenue grew 6% on the previous quarter. Two new distributors signed in March.</p>`),
    fields: { title: 'Quarterly Sales Review Q1 2025', date: '2025-04-08', author: 'Daniel Brooks' },
  },
  {
    lang: 'ru', format: 'pdf', src: 'html', category: 'report',
    body: page('ru', 'Отчёт', `<h2>Отчёт о работе отдела ИТ за март 2025 года</h2><p>Дата составления: 02.04.2025</p>
<p>За месяц закрыто 184 заявки, среднее время решения — 5 часов.</p><p>Составил: Петров П. П.</p>`),
    fields: { title: 'Отчёт о работе отдела ИТ за март 2025 года', date: '2025-04-02', author: 'Петров П. П.' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'report',
    body: `Incident Report: Payment API outage\n\nAuthor: Sam Lee\nDate: 2025-05-14\nSeverity: SEV-2\n\nSummary\nBetween 09:12 and 09:47 UTC card payments failed because a certificate expired.\n\nActions\n- Renew certificates automatically.\n`,
    fields: { title: 'Incident Report: Payment API outage', date: '2025-05-14', author: 'Sam Lee' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'report',
    body: page('ru', 'Отчёт по аудиту', `<p>Москва, 20 января 2025 г.</p><h2>Отчёт по результатам внутреннего аудита склада</h2>
<p>Исполнитель: Смирнова А. В., ведущий аудитор</p><p>Выявлено три несоответствия, подробности в приложении.</p>`),
    fields: { title: 'Отчёт по результатам внутреннего аудита склада', date: '2025-01-20', author: 'Смирнова А. В.' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'report',
    body: page('en', 'Weekly Status Report', `<h2>Project Falcon – Weekly Status Report</h2><p>Week ending 14 March 2025 · Submitted by Priya Nair</p>
<table border="1"><tr><th>Workstream</th><th>Status</th></tr><tr><td>Backend</td><td>On track</td></tr><tr><td>Mobile app</td><td>At risk</td></tr></table>`),
    fields: { title: 'Project Falcon – Weekly Status Report', date: '2025-03-14', author: 'Priya Nair' },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'report',
    body: ['Отчёт о продажах за 1 квартал 2025;;', 'Дата отчёта;31.03.2025;', 'Ответственный;Кузнецова М. Ю.;', ';;', 'Регион;Выручка, руб.;Рост', 'Север;4 200 000;+4%', 'Юг;3 100 000;-2%', ''].join('\r\n'),
    fields: { title: 'Отчёт о продажах за 1 квартал 2025', date: '2025-03-31', author: 'Кузнецова М. Ю.' },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'report',
    body: ['Monthly Uptime Report - April 2025,,', 'Report date,2025-05-02,', 'Prepared by,Omar Haddad,', ',,', 'Service,Uptime,Incidents', 'Web,99.95%,1', 'API,99.80%,3', ''].join('\r\n'),
    fields: { title: 'Monthly Uptime Report - April 2025', date: '2025-05-02', author: 'Omar Haddad' },
  },
];

const MANUALS: Doc[] = [
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'manual',
    body: page('en', 'User Manual', `<h1>User Manual: SmartThermo T3</h1><p>Version 2.1 · Published 12 January 2025</p><p>Author: Elena Rossi</p>
<h2>1. Getting started</h2><p>Mount the thermostat on an inside wall, away from direct sunlight.</p>`),
    fields: { title: 'User Manual: SmartThermo T3', date: '2025-01-12', author: 'Elena Rossi' },
  },
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'manual',
    body: page('ru', 'Руководство пользователя', `<h1>Руководство пользователя системы «Склад-Онлайн»</h1><p>Версия 1.4 от 03.03.2025</p><p>Автор: Григорьев Д. С.</p>
<h2>1. Вход в систему</h2><p>Откройте браузер и введите адрес портала.</p>`),
    fields: { title: 'Руководство пользователя системы «Склад-Онлайн»', date: '2025-03-03', author: 'Григорьев Д. С.' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'manual',
    body: `HOW TO: Reset your VPN token\n\nUpdated: 21 Feb 2025\nWritten by Tom Becker (IT Service Desk)\n\nStep 1. Open the self-service portal.\nStep 2. Choose "Reset token" and follow the prompts.\n`,
    fields: { title: 'HOW TO: Reset your VPN token', date: '2025-02-21', author: 'Tom Becker' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'manual',
    body: page('ru', 'Инструкция', `<h2>Инструкция по охране труда для оператора ПК</h2><p>Утверждено: 10.01.2025</p><p>Разработал: Лебедева Н. А.</p>
<ol><li>Перед началом работы проверьте исправность оборудования.</li><li>Делайте перерыв каждые 2 часа.</li></ol>`),
    fields: { title: 'Инструкция по охране труда для оператора ПК', date: '2025-01-10', author: 'Лебедева Н. А.' },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'manual',
    body: page('en', 'Installation Guide', `<h1>Installation Guide — Model X200 Router</h1><p>Issued: 30 March 2025</p><p>Author: K. Oduya</p>
<p>Before you begin, check that the box contains the router, the power adapter and a network cable.</p>`),
    fields: { title: 'Installation Guide — Model X200 Router', date: '2025-03-30', author: 'K. Oduya' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'manual',
    body: ['Инструкция по эксплуатации кофемашины;', 'Дата выпуска;15.04.2025', 'Составитель;Орлова Т. В.', ';', '№;Действие', '1;Залейте воду', '2;Нажмите кнопку', ''].join('\r\n'),
    fields: { title: 'Инструкция по эксплуатации кофемашины', date: '2025-04-15', author: 'Орлова Т. В.' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'manual',
    body: ['Employee Onboarding Handbook,', 'Document owner,Julia Meyer', 'Revision date,2025-02-01', ',', 'Day,What happens', '1,Laptop and accounts', '2,Team introductions', ''].join('\r\n'),
    fields: { title: 'Employee Onboarding Handbook', date: '2025-02-01', author: 'Julia Meyer' },
  },
];

export const TUNING3_DOCS: Doc[] = [...IDS, ...REPORTS, ...MANUALS];
