/**
 * Held-out set 2 (scripts/doc-corpus2.ts): reports and manuals, each written by hand as one
 * person would write that one document, in layouts and wordings of its own.
 */
import { page, type Doc } from './doc-corpus2-kit.ts';

export const REPORTS: Doc[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'report',
    body: page('en', 'Monthly Warehouse KPI Review - March 2025', `
<h1>Monthly Warehouse KPI Review - March 2025</h1>
<p>Prepared for: Operations Board<br>Owner: Daniel Okoye<br>Issued 2 April 2025</p>
<h2>Summary</h2><p>Pick accuracy reached 99.2% and dock-to-stock time fell to 5.4 hours. Overtime remained above target.</p>
<table border="1"><tr><th>KPI</th><th>Target</th><th>March</th></tr><tr><td>Pick accuracy</td><td>99.0%</td><td>99.2%</td></tr><tr><td>Dock to stock (h)</td><td>6.0</td><td>5.4</td></tr></table>
<h2>Actions</h2><p>Recruit two seasonal staff before the Easter peak.</p>`),
    fields: { title: 'Monthly Warehouse KPI Review - March 2025', date: '2025-04-02', author: 'Daniel Okoye' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'report',
    body: page('ru', 'Отчёт об энергосбережении', `
<p align="right">УТВЕРЖДАЮ<br>Генеральный директор АО «Тулаприбор»<br>____________ И. И. Игнатьев</p>
<h2 align="center">Отчёт об исполнении плана мероприятий по энергосбережению за 2024 год</h2>
<p align="center">г. Тула, 20.01.2025</p>
<p>1. Потребление электроэнергии снижено на 7,8 % к уровню 2023 года.</p>
<p>2. Заменено 412 светильников на светодиодные, установлены частотные преобразователи на насосах.</p>
<p>3. План на 2025 год предусматривает утепление кровли корпуса № 3.</p>
<p>Ответственный исполнитель: инженер-энергетик Ковалёв С. А.</p>`),
    fields: { title: 'Отчёт об исполнении плана мероприятий по энергосбережению за 2024 год', date: '2025-01-20', author: 'Ковалёв С. А.' },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'report',
    body: page('en', 'Site Audit Report', `
<h1 align="center">Site Audit Report</h1>
<p align="center">Riverside Plant, Unit 4</p>
<p>Audit carried out by: Helen Marsh, Lead Auditor<br>Report issued: 19/05/2025<br>Distribution: Plant Manager, EHS Director</p>
<h2>1. Scope</h2><p>Fire safety, machine guarding and chemical storage in Unit 4.</p>
<h2>2. Findings</h2><p>Three minor non-conformities were raised; no major findings.</p>
<h2>3. Conclusion</h2><p>The site is compliant subject to closing the minor findings within 30 days.</p>`),
    fields: { title: 'Site Audit Report', date: '2025-05-19', author: 'Helen Marsh' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'report',
    body: page('ru', 'Отчёт о командировке', `
<h2>Отчёт о командировке</h2>
<table border="1" cellpadding="4">
<tr><td>Сотрудник</td><td>Петров Алексей Николаевич</td></tr>
<tr><td>Подразделение</td><td>Отдел продаж</td></tr>
<tr><td>Место командировки</td><td>г. Екатеринбург, выставка «Иннопром»</td></tr>
<tr><td>Период командировки</td><td>03.03.2025 – 07.03.2025</td></tr>
<tr><td>Дата отчёта</td><td>11.03.2025</td></tr></table>
<p>Проведено 14 встреч с потенциальными клиентами, подписано два соглашения о намерениях.</p>
<p>Расходы подтверждены авансовым отчётом.</p>`),
    fields: { title: 'Отчёт о командировке', date: '2025-03-11', author: 'Петров Алексей Николаевич' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'report',
    body: `# Project Falcon - Weekly Status Report

Week ending: Friday 14 February 2025
Reported by: Ana Lima, PMO

## Overall status: AMBER

## Progress this week
* Data migration dry run completed (2 days late).
* User acceptance testing started with the finance team.

## Risks
* Vendor API rate limits may delay the cut-over.
`,
    fields: { title: 'Project Falcon - Weekly Status Report', date: '2025-02-14', author: 'Ana Lima' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'report',
    body: ['Отчёт по продажам филиала «Юг» за май 2025;;;', 'Сформирован;02.06.2025 09:14;;', 'Ответственный;Гусева М. В.;;', ';;;',
      'Менеджер;Сделок;Выручка, руб.;План, %', 'Аксёнов П.;18;2 340 000;104', 'Белкина Т.;11;1 120 000;87', 'Итого;29;3 460 000;97', ''].join('\r\n'),
    fields: { title: 'Отчёт по продажам филиала «Юг» за май 2025', date: '2025-06-02', author: 'Гусева М. В.' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'report',
    body: ['Quarterly Budget Variance Report,,,', 'Period,Q1 2025,,', 'Report prepared,2025-04-09,,', 'Analyst,Jordan Pike,,', ',,,',
      'Department,Budget,Actual,Variance', 'Marketing,120000,131500,-11500', 'IT,340000,322800,17200', 'HR,80000,79100,900', ''].join('\r\n'),
    fields: { title: 'Quarterly Budget Variance Report', date: '2025-04-09', author: 'Jordan Pike' },
  },
];

export const MANUALS: Doc[] = [
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'manual',
    body: page('ru', 'Инструкция по охране труда', `
<p align="right">ИОТ-012-2025</p>
<h2 align="center">Инструкция по охране труда для водителя погрузчика</h2>
<p>Разработал: инженер по охране труда Белова Т. Н.<br>Введена в действие с 01.03.2025</p>
<h3>1. Общие требования</h3><p>1.1. К управлению погрузчиком допускаются лица не моложе 18 лет, прошедшие обучение.</p>
<h3>2. Требования перед началом работы</h3><p>2.1. Проверить исправность тормозов, рулевого управления и звукового сигнала.</p>
<h3>3. Порядок действий в аварийных ситуациях</h3><p>3.1. При возгорании остановить погрузчик и воспользоваться огнетушителем.</p>`),
    fields: { title: 'Инструкция по охране труда для водителя погрузчика', date: '2025-03-01', author: 'Белова Т. Н.' },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'manual',
    body: page('en', 'Quick Start Guide', `
<h1>Quick Start Guide — HomeHub Mini</h1>
<p><i>Document version 2.3, last updated 8 January 2025. Technical writer: Oliver Grant.</i></p>
<h2>In the box</h2><ul><li>HomeHub Mini</li><li>USB-C power adapter</li><li>Ethernet cable</li></ul>
<h2>Setting up</h2><ol><li>Plug the hub into your router with the Ethernet cable.</li><li>Connect the power adapter; the ring light turns blue.</li><li>Open the companion app and tap Add device.</li></ol>
<h2>Troubleshooting</h2><p>If the ring light flashes amber, hold the reset button for ten seconds.</p>`),
    fields: { title: 'Quick Start Guide — HomeHub Mini', date: '2025-01-08', author: 'Oliver Grant' },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'manual',
    body: `Руководство оператора системы учёта заявок «Сфера»

Версия 4.1
Дата редакции: 14 апреля 2025 г.
Разработчик документа: Зайцева И. А.

1. Назначение системы
Система предназначена для регистрации и отслеживания заявок пользователей.

2. Вход в систему
Откройте адрес портала в браузере и введите учётные данные.

3. Регистрация заявки
Нажмите «Новая заявка», заполните поля и нажмите «Сохранить».
`,
    fields: { title: 'Руководство оператора системы учёта заявок «Сфера»', date: '2025-04-14', author: 'Зайцева И. А.' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'manual',
    body: page('en', 'CoolAir CX-9 service manual', `
<h1>Service Manual: CoolAir CX-9 Split Air Conditioner</h1>
<h3>Revision history</h3>
<table border="1" cellpadding="3"><tr><th>Rev</th><th>Date</th><th>Author</th><th>Changes</th></tr>
<tr><td>A</td><td>2024-06-01</td><td>K. Yamada</td><td>Initial release</td></tr>
<tr><td>B</td><td>2025-02-17</td><td>K. Yamada</td><td>Added error codes E7 to E9</td></tr></table>
<h2>1. Safety precautions</h2><p>Disconnect the mains supply before removing any cover.</p>
<h2>2. Refrigerant recovery</h2><p>Use a recovery unit rated for R32 and record the recovered mass.</p>
<h2>3. Error codes</h2><p>E7: outdoor fan motor fault. E8: high discharge temperature. E9: communication fault.</p>`),
    fields: { title: 'Service Manual: CoolAir CX-9 Split Air Conditioner', date: '2025-02-17', author: 'K. Yamada' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'manual',
    body: `Памятка пользователя: как подключиться к корпоративному VPN

Составитель: Соколов П. Р. (отдел ИТ)
Обновлено 5 февраля 2025

1) Установите клиент VPN из корпоративного портала.
2) Запустите клиент и укажите адрес сервера vpn.example.ru.
3) Войдите под своей доменной учётной записью.
4) Если подключение не устанавливается, обратитесь в поддержку по тел. 1234.
`,
    fields: { title: 'Памятка пользователя: как подключиться к корпоративному VPN', date: '2025-02-05', author: 'Соколов П. Р.' },
  },
  {
    lang: 'en', format: 'csv', src: 'csv', category: 'manual',
    body: ['Title,Operating Procedure: Forklift Battery Charging,', 'Document owner,Liam Carter,', 'Effective date,2025-03-20,', ',,',
      'Step,Action,Caution', '1,Park the truck in the charging bay and switch it off,Apply the parking brake', '2,Open the battery cover and check the electrolyte level,Wear goggles and gloves',
      '3,Connect the charger plug and start charging,Never smoke near the bay', '4,When charging ends disconnect and close the cover,', ''].join('\r\n'),
    fields: { title: 'Operating Procedure: Forklift Battery Charging', date: '2025-03-20', author: 'Liam Carter' },
  },
  {
    lang: 'ru', format: 'xlsx', src: 'csv', category: 'manual',
    body: ['Инструкция по работе в системе электронного документооборота;', 'Версия;1.2', 'Дата утверждения;2025-05-12', 'Ответственный за документ;Никитина Ольга Павловна', ';',
      '№ шага;Действие', '1;Войдите в систему по ссылке из письма', '2;Откройте раздел «Входящие» и выберите документ', '3;Проверьте документ и нажмите «Подписать»', ''].join('\r\n'),
    fields: { title: 'Инструкция по работе в системе электронного документооборота', date: '2025-05-12', author: 'Никитина Ольга Павловна' },
  },
];
