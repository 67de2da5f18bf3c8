/**
 * Held-out set 2 (scripts/doc-corpus2.ts): certificates and passports, each written by hand as
 * one person would write that one document, in layouts and wordings of its own.
 */
import { page, type Doc } from './doc-corpus2-kit.ts';

export const CERTIFICATES: Doc[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'certificate',
    body: page('en', 'Certificate of Registration', `
<p align="center">Northgate Assessment Services</p>
<h1 align="center">Certificate of Registration</h1>
<p align="center">This is to certify that the environmental management system of</p>
<p align="center"><b>Hollis &amp; Grant Engineering Ltd</b><br>Unit 7, Ferry Lane Industrial Estate, Hull HU9 1TT</p>
<p align="center">has been assessed and found to conform to the requirements of ISO 14001:2015 for the design and manufacture of steel pressure vessels.</p>
<table><tr><td>Certificate no.:</td><td>EMS 733190</td></tr>
<tr><td>Initial registration:</td><td>14 March 2024</td></tr>
<tr><td>Date of expiry:</td><td>13 March 2027</td></tr></table>
<p>Managing Director, Northgate Assessment Services</p>`),
    fields: { number: 'EMS 733190', issueDate: '2024-03-14', expiryDate: '2027-03-13', holder: 'Hollis & Grant Engineering Ltd' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'certificate',
    body: page('ru', 'Удостоверение 0417', `
<p align="center">АНО ДПО «Учебный центр «Профбезопасность»</p>
<h2 align="center">УДОСТОВЕРЕНИЕ № 0417<br>о проверке знаний требований охраны труда</h2>
<p>Ф.И.О.: Смирнова Елена Петровна</p>
<p>Место работы: ООО «Горизонт», должность: начальник склада</p>
<p>Проведена проверка знаний требований охраны труда по программе «Охрана труда для руководителей и специалистов» в объёме 40 часов.</p>
<p>Протокол заседания комиссии № 58 от 12.09.2024.</p>
<p>Удостоверение выдано 12 сентября 2024 г.</p>
<p>Действительно до 12.09.2027</p>
<p>Председатель комиссии ____________ Рябов В. К.</p>`),
    fields: { number: '0417', issueDate: '2024-09-12', expiryDate: '2027-09-12', holder: 'Смирнова Елена Петровна' },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'certificate',
    body: page('en', 'Certificate of Attendance', `
<h1 align="center">Certificate of Attendance</h1>
<p align="center">awarded to</p>
<h2 align="center">Priya Raman</h2>
<p align="center">for completing <i>Workplace Manual Handling</i> (4 hours, classroom)</p>
<p align="center">Date: 22 November 2024</p>
<p align="center">Valid for 3 years — renewal due 22 November 2027</p>
<p>Certificate reference: MH-24-3391</p>
<p>Trainer: Gareth Lowe, Safe Lifting Training Co.</p>`),
    fields: { number: 'MH-24-3391', issueDate: '2024-11-22', expiryDate: '2027-11-22', holder: 'Priya Raman' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'certificate',
    body: page('ru', 'Сертификат соответствия', `
<p align="center">ЕВРАЗИЙСКИЙ ЭКОНОМИЧЕСКИЙ СОЮЗ</p>
<h2 align="center">СЕРТИФИКАТ СООТВЕТСТВИЯ</h2>
<p align="center">№ ЕАЭС RU С-RU.АЯ46.В.01234</p>
<p align="center">Серия RU № 0398112</p>
<table border="1" cellpadding="4">
<tr><td>ОРГАН ПО СЕРТИФИКАЦИИ</td><td>ООО «Центр сертификации пищевой продукции», г. Москва</td></tr>
<tr><td>ЗАЯВИТЕЛЬ</td><td>ООО «Пекарня Хлебница», ОГРН 1167746000000, г. Тверь</td></tr>
<tr><td>ИЗГОТОВИТЕЛЬ</td><td>ООО «Пекарня Хлебница»</td></tr>
<tr><td>ПРОДУКЦИЯ</td><td>Изделия хлебобулочные, серийный выпуск</td></tr>
<tr><td>СООТВЕТСТВУЕТ ТРЕБОВАНИЯМ</td><td>ТР ТС 021/2011 «О безопасности пищевой продукции»</td></tr></table>
<p>СРОК ДЕЙСТВИЯ С 05.02.2025 ПО 04.02.2030 ВКЛЮЧИТЕЛЬНО</p>`),
    fields: { number: 'ЕАЭС RU С-RU.АЯ46.В.01234', issueDate: '2025-02-05', expiryDate: '2030-02-04', holder: 'ООО «Пекарня Хлебница»' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'certificate',
    body: `FIRST AID AT WORK - CERTIFICATE

Name of candidate: Thomas Reilly
Certificate no. FAW/2025/0193

The above named has attended an approved three-day First Aid at Work course
and has been assessed as competent.

Course completed: 4 Apr 2025
This certificate is valid for three years and expires on 3 Apr 2028.

Instructor: M. Doyle      Training provider: Lifeline First Aid Ltd
`,
    fields: { number: 'FAW/2025/0193', issueDate: '2025-04-04', expiryDate: '2028-04-03', holder: 'Thomas Reilly' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'certificate',
    body: ['Параметр;Значение', 'Вид документа;Сертификат о повышении квалификации', 'Рег. номер;ПК-2025-0088', 'Слушатель;Орлов Дмитрий Игоревич',
      'Программа;Промышленная безопасность опасных производственных объектов', 'Объём;72 ч', 'Выдан;17.01.2025', 'Окончание срока действия;17.01.2030', ''].join('\r\n'),
    fields: { number: 'ПК-2025-0088', issueDate: '2025-01-17', expiryDate: '2030-01-17', holder: 'Орлов Дмитрий Игоревич' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'certificate',
    body: ['Certificate of Insurance,', 'Certificate #,COI-558120', 'Insured,Marston Building Supplies Ltd', 'Policy,Public liability',
      'Effective,2025-04-01', 'Expires,2026-03-31', 'Insurer,Crown Mutual Insurance', 'Limit of indemnity,"GBP 5,000,000"', ''].join('\r\n'),
    fields: { number: 'COI-558120', issueDate: '2025-04-01', expiryDate: '2026-03-31', holder: 'Marston Building Supplies Ltd' },
  },
];

export const PASSPORTS: Doc[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'passport',
    body: page('en', 'Passport data page', `
<p>UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND</p>
<h2>PASSPORT</h2>
<table border="1" cellpadding="3">
<tr><td>Type / Type</td><td>P</td><td>Code / Code</td><td>GBR</td></tr>
<tr><td>Passport No. / Passeport N°</td><td>533401288</td><td></td><td></td></tr>
<tr><td>Surname / Nom</td><td>OKAFOR</td><td>Given names / Prénoms</td><td>CHIDI EMEKA</td></tr>
<tr><td>Date of birth / Date de naissance</td><td>02 OCT 1988</td><td>Sex / Sexe</td><td>M</td></tr>
<tr><td>Date of issue / Date de délivrance</td><td>09 MAY 2019</td><td>Authority / Autorité</td><td>HMPO</td></tr>
<tr><td>Date of expiry / Date d'expiration</td><td>09 MAY 2029</td><td></td><td></td></tr></table>`),
    fields: { number: '533401288', issueDate: '2019-05-09', expiryDate: '2029-05-09', issuer: 'HMPO' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'passport',
    body: page('ru', 'Копия паспорта', `
<p>РОССИЙСКАЯ ФЕДЕРАЦИЯ</p>
<p>Паспорт выдан Отделом УФМС России по Республике Татарстан в Приволжском районе г. Казани</p>
<p>Дата выдачи 22.08.2016&nbsp;&nbsp;&nbsp;Код подразделения 160-004</p>
<p>Серия 92 14 № 558201</p>
<p>Фамилия Хасанов<br>Имя Рустем<br>Отчество Маратович<br>Пол муж.<br>Дата рождения 11.06.1996<br>Место рождения гор. Казань</p>
<p>Копия верна. Специалист по кадрам Липатова Н. А.</p>`),
    fields: { number: '92 14 558201', issueDate: '2016-08-22', expiryDate: null, issuer: 'Отделом УФМС России по Республике Татарстан в Приволжском районе г. Казани' },
  },
  {
    lang: 'en', format: 'pdf', src: 'txt', category: 'passport',
    body: `Employee passport details (for travel booking)

Full name        Sarah Louise BENNETT
Nationality      Irish
Passport #       PA4418207
Issuing authority   Passport Office, Dublin
Issued           2021-11-03
Valid to         2031-11-02

Please keep a scan of the photo page on file with HR.
`,
    fields: { number: 'PA4418207', issueDate: '2021-11-03', expiryDate: '2031-11-02', issuer: 'Passport Office, Dublin' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'passport',
    body: page('ru', 'Заграничный паспорт', `
<h3>ПАСПОРТ / PASSPORT — Российская Федерация / Russian Federation</h3>
<table border="1" cellpadding="3">
<tr><td>Тип / Type</td><td>P</td></tr>
<tr><td>№ паспорта / Passport No.</td><td>75 4410932</td></tr>
<tr><td>Фамилия / Surname</td><td>ВОЛКОВА / VOLKOVA</td></tr>
<tr><td>Имя / Given names</td><td>МАРИНА / MARINA</td></tr>
<tr><td>Дата выдачи / Date of issue</td><td>14.03.2022</td></tr>
<tr><td>Дата окончания срока действия / Date of expiry</td><td>14.03.2032</td></tr>
<tr><td>Орган выдачи / Authority</td><td>МВД 77001</td></tr></table>`),
    fields: { number: '75 4410932', issueDate: '2022-03-14', expiryDate: '2032-03-14', issuer: 'МВД 77001' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'passport',
    body: `Visa application - supporting details

Section 3. Passport information
3.1 Passport serial number: X7730215
3.2 Country of issue: Canada
3.3 Issuing office: Immigration, Refugees and Citizenship Canada
3.4 Date issued: 12 January 2020
3.5 Expiry: 12 January 2030

Section 4. Travel plans
4.1 Intended arrival: 2 June 2025
`,
    fields: { number: 'X7730215', issueDate: '2020-01-12', expiryDate: '2030-01-12', issuer: 'Immigration, Refugees and Citizenship Canada' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'passport',
    body: ['Сотрудник;Документ;Серия;Номер;Кем выдан;Дата выдачи;Код подразделения', 'Лебедева Анна Сергеевна;паспорт РФ;45 19;302281;ГУ МВД России по г. Москве;15.07.2019;770-091', ''].join('\r\n'),
    fields: { number: '45 19 302281', issueDate: '2019-07-15', expiryDate: null, issuer: 'ГУ МВД России по г. Москве' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'passport',
    body: ['Traveller,Marcus J. Holloway', 'Document type,Passport', 'Document number,567118902', 'Issuing country,United States',
      'Issued by,United States Department of State', 'Date of issue,2018-05-22', 'Date of expiry,2028-05-21', ''].join('\r\n'),
    fields: { number: '567118902', issueDate: '2018-05-22', expiryDate: '2028-05-21', issuer: 'United States Department of State' },
  },
];
