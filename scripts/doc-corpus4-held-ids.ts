/**
 * Held-out set 3 (scripts/doc-corpus4.ts heldout3), certificates and passports: written by hand
 * before any rule was tuned for them (insurance, calibration, registration and software
 * certificates, an удостоверение, a three-column CSV with notes, an attendance scan; passport
 * details in a sentence of an application, labels stacked over their values, an HR note, a
 * passport register sheet, an internal passport scan). Never to be tuned on.
 */
import { page, type Doc4 } from './doc-corpus4-kit.ts';

const CERTIFICATES: Doc4[] = [
  {
    lang: 'en', format: 'docx', src: 'html', category: 'certificate',
    body: page('en', 'Certificate of Insurance', `<h2>Certificate of Insurance</h2><p>Public and Products Liability</p>
<p>We confirm that the policy described below is in force.</p>
<p>Insured: Brookfield Events Ltd<br>Policy number: PL-448201<br>Limit of indemnity: £5,000,000 any one occurrence</p>
<p>Period of cover: 01/06/2025 to 31/05/2026</p><p>Date issued: 28 May 2025</p><p>Signed for and on behalf of Castlegate Insurance plc</p>`),
    fields: { number: 'PL-448201', issueDate: '2025-05-28', expiryDate: '2026-05-31', holder: 'Brookfield Events Ltd' },
  },
  {
    lang: 'ru', format: 'odt', src: 'html', category: 'certificate',
    body: page('ru', 'Удостоверение', `<p align="center">АНО ДПО «Учебный центр «Профи»</p><h2 align="center">УДОСТОВЕРЕНИЕ О ПОВЫШЕНИИ КВАЛИФИКАЦИИ</h2>
<p>Регистрационный номер 0457</p><p>Настоящее удостоверение свидетельствует о том, что Лебедева Ольга Викторовна прошла повышение квалификации по программе «Бухгалтерский учёт в бюджетных учреждениях» в объёме 72 часов.</p>
<p>Дата выдачи 20 июня 2025 года</p><p>Директор __________ Соколов И. А.</p>`),
    fields: { number: '0457', issueDate: '2025-06-20', expiryDate: null, holder: 'Лебедева Ольга Викторовна' },
  },
  {
    lang: 'en', format: 'pdf', src: 'html', category: 'certificate',
    body: page('en', 'Calibration Certificate', `<h2>Calibration Certificate</h2><p>Certificate No.: CAL-25-0912</p>
<p>Customer: Ashworth Instruments Ltd, 3 Foundry Way, Sheffield</p><p>Instrument: Digital pressure gauge DPG-200, serial 77120</p>
<p>Date of calibration: 2025-02-17</p><p>Recommended recalibration date: 2026-02-17</p><p>The results relate only to the item calibrated.</p>`),
    fields: { number: 'CAL-25-0912', issueDate: '2025-02-17', expiryDate: '2026-02-17', holder: 'Ashworth Instruments Ltd' },
  },
  {
    lang: 'ru', format: 'html', src: 'html', category: 'certificate',
    body: page('ru', 'Свидетельство о регистрации программы для ЭВМ', `<h2>СВИДЕТЕЛЬСТВО о государственной регистрации программы для ЭВМ № 2025612345</h2>
<p>Программа для ЭВМ: «Учёт заявок ServiceDesk Lite»</p><p>Правообладатель: ООО «Софт-Лаб»</p><p>Авторы: Голубев Павел Андреевич</p>
<p>Дата государственной регистрации в Реестре программ для ЭВМ 14 марта 2025 г.</p>`),
    fields: { number: '2025612345', issueDate: '2025-03-14', expiryDate: null, holder: 'ООО «Софт-Лаб»' },
  },
  {
    lang: 'en', format: 'txt', src: 'txt', category: 'certificate',
    body: `ISO 9001:2015 CERTIFICATE OF REGISTRATION\n\nThis is to certify that the Quality Management System of\n\n    Norbridge Castings Ltd\n    Unit 4, Ferry Industrial Estate, Hull\n\nhas been assessed and registered against ISO 9001:2015.\n\nCertificate Number: QMS-70315\nOriginal approval: 3 April 2019\nCurrent certificate: 3 April 2025\nCertificate expiry: 2 April 2028\n`,
    fields: { number: 'QMS-70315', issueDate: '2025-04-03', expiryDate: '2028-04-02', holder: 'Norbridge Castings Ltd' },
  },
  {
    lang: 'ru', format: 'csv', src: 'csv', category: 'certificate',
    body: ['Реквизит;Значение;Комментарий', 'Документ;Удостоверение о проверке знаний по электробезопасности;', 'Работник;Гусев Антон Петрович;электромонтёр', 'Номер;ЭБ-1123;', 'Группа;III;до 1000 В', 'Дата проверки;15.01.2025;', 'Дата следующей проверки;15.01.2026;ежегодно', ''].join('\r\n'),
    fields: { number: 'ЭБ-1123', issueDate: '2025-01-15', expiryDate: '2026-01-15', holder: 'Гусев Антон Петрович' },
  },
  {
    lang: 'en', format: 'scan-jpg', src: 'scan', category: 'certificate',
    body: ['CERTIFICATE OF ATTENDANCE', 'awarded to', 'Tomasz Zielinski', 'for attending Cloud Security Fundamentals (2 days)', 'Certificate ID: CSF-5528', 'Issued 11 November 2025', 'This certificate does not expire.'].join('\n'),
    fields: { number: 'CSF-5528', issueDate: '2025-11-11', expiryDate: null, holder: 'Tomasz Zielinski' },
  },
];

const PASSPORTS: Doc4[] = [
  {
    lang: 'ru', format: 'docx', src: 'html', category: 'passport',
    body: page('ru', 'Заявление', `<p>В отдел кадров ООО «Меридиан»</p><h3>Сведения о паспорте работника</h3>
<p>Я, Захаров Илья Сергеевич, сообщаю новые паспортные данные в связи с заменой паспорта.</p>
<p>Паспорт гражданина РФ: серия 46 19 № 512378, выдан ГУ МВД России по Московской области 03.09.2019, код подразделения 500-112.</p><p>Дата заявления: 10.09.2019</p>`),
    fields: { number: '46 19 512378', issueDate: '2019-09-03', expiryDate: null, issuer: 'ГУ МВД России по Московской области' },
  },
  {
    lang: 'en', format: 'odt', src: 'html', category: 'passport',
    body: page('en', 'Passport details', `<h3>Passport details (copy for the relocation file)</h3><p>Holder<br>Lena Hoffmann</p><p>Document number<br>C4X9J2LM7</p>
<p>Authority<br>Stadt Köln</p><p>Date of issue<br>12.03.2021</p><p>Date of expiry<br>11.03.2031</p><p>Nationality<br>German</p>`),
    fields: { number: 'C4X9J2LM7', issueDate: '2021-03-12', expiryDate: '2031-03-11', issuer: 'Stadt Köln' },
  },
  {
    lang: 'ru', format: 'pdf', src: 'txt', category: 'passport',
    body: `Данные заграничного паспорта сотрудника\n\nДля оформления визы в командировку сообщаю данные заграничного паспорта инженера Морозова Д. А.: паспорт № 76 1203345, выдан 14.02.2022 органом МВД 77001, действителен до 14.02.2032.\n\nНачальник отдела кадров Рябова Е. К.\n`,
    fields: { number: '76 1203345', issueDate: '2022-02-14', expiryDate: '2032-02-14', issuer: 'МВД 77001' },
  },
  {
    lang: 'en', format: 'html', src: 'html', category: 'passport',
    body: page('en', 'Passport issued', `<h2>Your passport has been issued</h2><p>Dear Mr Alvarez, your new passport is on its way.</p>
<ul><li>Passport number — 567823901</li><li>Issuing office — U.S. Department of State</li><li>Issued on — March 4, 2024</li><li>Expires on — March 3, 2034</li></ul><p>Keep this notice for your records.</p>`),
    fields: { number: '567823901', issueDate: '2024-03-04', expiryDate: '2034-03-03', issuer: 'U.S. Department of State' },
  },
  {
    lang: 'ru', format: 'txt', src: 'txt', category: 'passport',
    body: `АНКЕТА СОТРУДНИКА (раздел «Документ, удостоверяющий личность»)\n\nФИО: ВОЛКОВА НАТАЛЬЯ ЮРЬЕВНА\nПАСПОРТ: 40 21 №098765\nВЫДАН: ГУ МВД России по г. Санкт-Петербургу и Ленинградской области\nДАТА ВЫДАЧИ: 27.10.2021\nКОД ПОДРАЗДЕЛЕНИЯ: 780-004\n`,
    fields: { number: '40 21 098765', issueDate: '2021-10-27', expiryDate: null, issuer: 'ГУ МВД России по г. Санкт-Петербургу и Ленинградской области' },
  },
  {
    lang: 'en', format: 'xlsx', src: 'csv', category: 'passport',
    body: ['Employee,Nationality,Passport No,Issued by,Date of issue,Valid to', 'Irena Kovac,Slovenian,PB1234567,Upravna enota Ljubljana,2020-06-15,2030-06-15', ''].join('\r\n'),
    fields: { number: 'PB1234567', issueDate: '2020-06-15', expiryDate: '2030-06-15', issuer: 'Upravna enota Ljubljana' },
  },
  {
    lang: 'ru', format: 'scan-png', src: 'scan', category: 'passport',
    body: ['ПАСПОРТ ГРАЖДАНИНА РОССИЙСКОЙ ФЕДЕРАЦИИ', 'Паспорт выдан', 'ОТДЕЛОМ УФМС РОССИИ ПО РЕСП. ТАТАРСТАН В Г. КАЗАНИ', 'Дата выдачи 22.05.2014', 'Код подразделения 160-005', 'Серия 92 14 Номер 334455', 'Фамилия ГАРИПОВ'].join('\n'),
    fields: { number: '92 14 334455', issueDate: '2014-05-22', expiryDate: null, issuer: 'ОТДЕЛОМ УФМС РОССИИ ПО РЕСП. ТАТАРСТАН В Г. КАЗАНИ' },
  },
];

export const HELD_IDS: Doc4[] = [...CERTIFICATES, ...PASSPORTS];
