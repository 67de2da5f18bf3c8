/**
 * One builder per category for the document corpus: the parts of a document (scripts/
 * doc-corpus-data.ts, Rec) and its labels, with label wording, field placement (a labelled
 * pair or a sentence) and spellings drawn per document.
 */
import {
  addDays, addYears, any, company, currency, DATE_STYLES, initials, int, isoDate, items, money, person, pick, spellAmount, spellDate, city,
  type Ctx, type Lang, type Rec,
} from './doc-corpus-data.ts';

const num = (c: Ctx, shapes: string[]) =>
  any(c, shapes).replace(/9/g, () => String(int(c, 0, 9))).replace(/Y/g, () => String(int(c, 2023, 2026)).slice(-1));

function invoice(c: Ctx, lang: Lang): Rec {
  const ds = any(c, DATE_STYLES[lang]);
  const cur = currency(c, lang);
  const number = num(c, lang === 'en' ? ['INV-202Y-0999', '99999', 'NW/999/2Y', 'A-9999'] : ['999', '99-99', 'СФ-9999', '202Y/99']);
  const date = isoDate(c);
  const vendor = company(c, lang);
  let buyer = company(c, lang);
  while (buyer === vendor) buyer = company(c, lang);
  const names = [...items(c, lang)].sort(() => c.r() - 0.5).slice(0, int(c, 1, 5));
  const rows = names.map((n) => ({ n, q: int(c, 1, 12), p: money(c, 5, lang === 'ru' && cur === 'RUB' ? 20_000 : 900) }));
  const subtotal = Math.round(rows.reduce((s, x) => s + x.q * x.p, 0) * 100) / 100;
  const vat = any(c, [0, 0.2, 0.2]);
  const total = Math.round(subtotal * (1 + vat) * 100) / 100;
  const head = lang === 'en' ? ['Qty', 'Description', 'Unit price', 'Amount'] : ['Кол-во', 'Наименование', 'Цена', 'Сумма'];
  const table = [head, ...rows.map((x) => [String(x.q), x.n, spellAmount(c, x.p, cur, lang), spellAmount(c, Math.round(x.q * x.p * 100) / 100, cur, lang)])];
  const en = lang === 'en';
  const numLabel = pick(c, en ? ['Invoice No.', 'Invoice number', 'Invoice #', 'Invoice Nr'] : ['Счёт №', 'Номер счёта', 'Счет №', 'Номер документа']);
  const dateLabel = pick(c, en ? ['Invoice date', 'Date of issue', 'Issue date', 'Dated'] : ['Дата счёта', 'Дата', 'Дата выставления', 'Дата документа']);
  const vendorLabel = pick(c, en ? ['Supplier', 'From', 'Seller', 'Vendor'] : ['Поставщик', 'Продавец', 'Исполнитель', 'Поставщик (исполнитель)']);
  const totalLabel = pick(c, en ? ['Total due', 'Amount due', 'Grand total', 'Balance due'] : ['Итого к оплате', 'Всего к оплате', 'К оплате', 'Итого с НДС']);
  const title = en ? any(c, ['INVOICE', 'Tax Invoice', 'Invoice']) : any(c, ['Счёт на оплату', 'СЧЁТ', 'Счёт-фактура']);
  const footer = [
    `${en ? 'Subtotal' : 'Сумма без НДС'}: ${spellAmount(c, subtotal, cur, lang)}`,
    vat ? `${en ? 'VAT 20%' : 'НДС 20%'}: ${spellAmount(c, Math.round(subtotal * vat * 100) / 100, cur, lang)}` : en ? 'VAT: not applicable' : 'Без НДС',
    `${totalLabel}: ${spellAmount(c, total, cur, lang)}`,
  ];
  const pairs: [string, string][] = [[numLabel, number], [dateLabel, spellDate(date, ds)], [vendorLabel, vendor], [en ? 'Bill to' : 'Покупатель', buyer]];
  const prose = [en ? `Payment terms: ${any(c, ['14', '30', '45'])} days. Please quote the invoice number with your payment.` : `Оплата в течение ${any(c, ['5', '10', '14'])} банковских дней. В назначении платежа указывайте номер счёта.`];
  return { category: 'invoice', lang, title, head: [vendor, city(c, lang)], pairs, prose, table, footer, fields: { number, date, total: { amount: total, currency: cur }, vendor, items: rows.length } };
}

function contract(c: Ctx, lang: Lang): Rec {
  const ds = any(c, DATE_STYLES[lang]);
  const en = lang === 'en';
  const cur = currency(c, lang);
  const number = num(c, en ? ['SA-202Y-099', '99/202Y', 'MSA-9999', 'C-99-99'] : ['99/202Y', '99-У', '999-П/2Y', 'Д-9999']);
  const a = company(c, lang);
  let b = company(c, lang);
  while (b === a) b = company(c, lang);
  const start = isoDate(c);
  const end = addDays(addYears(start, int(c, 1, 3)), -1);
  const value = Math.round(money(c, 2_000, en ? 250_000 : 3_000_000));
  const [kind, ...roles] = en
    ? any(c, [['Service Agreement', 'the Contractor', 'the Client'], ['Supply Contract', 'the Supplier', 'the Customer'], ['Consulting Agreement', 'the Consultant', 'the Client'], ['Lease Agreement', 'the Landlord', 'the Tenant']])
    : any(c, [['Договор поставки', 'Поставщик', 'Покупатель'], ['Договор оказания услуг', 'Исполнитель', 'Заказчик'], ['Договор аренды', 'Арендодатель', 'Арендатор'], ['Договор подряда', 'Подрядчик', 'Заказчик']]);
  const parties = en
    ? `This ${kind} is made between ${a} (hereinafter referred to as "${roles[0]}") and ${b} (hereinafter referred to as "${roles[1]}"), together the Parties.`
    : `${a}, именуемое в дальнейшем «${roles[0]}», в лице генерального директора ${initials(person(c, lang))}, действующего на основании Устава, с одной стороны, и ${b}, именуемое в дальнейшем «${roles[1]}», с другой стороны, заключили настоящий договор о нижеследующем.`;
  const period = pick(c, en
    ? [`This Agreement is effective from ${spellDate(start, ds)} until ${spellDate(end, ds)}.`, `Term: the Agreement enters into force on signature and is valid until ${spellDate(end, ds)}.`, `The term of this Agreement runs from ${spellDate(start, ds)} through ${spellDate(end, ds)}.`, `This Agreement remains in force until ${spellDate(end, ds)} unless terminated earlier.`]
    : [`Договор действует с ${spellDate(start, ds)} по ${spellDate(end, ds)}.`, `Договор вступает в силу с момента подписания и действует до ${spellDate(end, ds)}.`, `Срок действия договора: с ${spellDate(start, ds)} до ${spellDate(end, ds)} включительно.`, `Настоящий договор действует до ${spellDate(end, ds)}.`]);
  const signedLabel = en ? pick(c, ['Date', 'Signed on', 'Effective date', 'Date of agreement']) : pick(c, ['Дата', 'Дата заключения', 'Дата подписания', 'Дата договора']);
  const priceSentence = en
    ? `${pick(c, ['The total contract value is', 'The price of the services is', 'Contract value:', 'The Customer shall pay a total of'])} ${spellAmount(c, value, cur, lang)}.`
    : `${pick(c, ['Стоимость услуг по договору составляет', 'Цена договора составляет', 'Общая сумма договора:', 'Сумма договора составляет'])} ${spellAmount(c, value, cur, lang)}, в том числе НДС.`;
  const title = en ? `${kind} No. ${number}` : `${kind.toUpperCase()} № ${number}`;
  const body = en
    ? ['1. Subject. ' + `${roles[0]} shall provide the services described in Annex 1.`, '2. Price. ' + priceSentence, '3. Term. ' + period, '4. Governing law. This Agreement is governed by the laws of England and Wales.']
    : ['1. Предмет договора. ' + `${roles[0]} обязуется выполнить работы согласно Приложению 1.`, '2. Цена договора. ' + priceSentence, '3. Срок действия. ' + period, '4. Споры разрешаются в арбитражном суде по месту нахождения ответчика.'];
  return {
    category: 'contract', lang, title, head: [city(c, lang)], pairs: [[signedLabel, spellDate(start, ds)]], prose: [parties, ...body],
    footer: en ? [`For ${a}: ______`, `For ${b}: ______`] : [`${roles[0]}: ${a}`, `${roles[1]}: ${b}`],
    fields: { number, parties: [a, b], startDate: start, endDate: end, value: { amount: value, currency: cur } },
  };
}

function certificate(c: Ctx, lang: Lang): Rec {
  const ds = any(c, DATE_STYLES[lang]);
  const en = lang === 'en';
  const issue = isoDate(c);
  const expiry = addYears(issue, int(c, 1, 5));
  const conformity = c.r() < 0.35;
  const holder = conformity ? company(c, lang) : person(c, lang);
  const number = num(c, conformity ? (en ? ['CE-99999', 'QMS-202Y-999'] : ['РОСС RU.9999.99999', 'ЕАЭС RU С-RU.999.9']) : en ? ['C-99999', 'TRN/202Y/999', '999-9999'] : ['99-9999', 'УД-999', '9999/2Y']);
  const course = en ? any(c, ['Fire Safety for Managers', 'Advanced Project Management', 'First Aid at Work', 'Data Protection Essentials']) : any(c, ['Охрана труда для руководителей', 'Пожарно-технический минимум', 'Управление проектами', 'Первая помощь пострадавшим']);
  const numLabel = pick(c, en ? ['Certificate No.', 'Certificate number', 'Reg. No.', 'Certificate ID'] : ['Сертификат №', 'Регистрационный номер', 'Удостоверение №', 'Номер сертификата']);
  const issueLabel = pick(c, en ? ['Date of issue', 'Issued', 'Issue date', 'Awarded on'] : ['Дата выдачи', 'Выдано', 'Дата регистрации', 'Дата оформления']);
  const expLabel = pick(c, en ? ['Valid until', 'Expiry date', 'Valid through', 'Expires'] : ['Действителен до', 'Срок действия до', 'Действует до', 'Срок действия']);
  const statement = conformity
    ? en ? `This certifies that the quality management system of ${holder} conforms to ISO 9001:2015.` : `Настоящий сертификат удостоверяет, что продукция изготовителя ${holder} соответствует требованиям ТР ТС 004/2011.`
    : en ? `This is to certify that ${holder} has successfully completed the course "${course}".` : `Настоящим удостоверяется, что ${holder} прошёл(а) обучение по программе «${course}».`;
  const pairs: [string, string][] = [[numLabel, number], [issueLabel, spellDate(issue, ds)], [expLabel, spellDate(expiry, ds)]];
  if (conformity || c.r() < 0.5) pairs.push([pick(c, en ? ['Holder', 'Awarded to', 'Issued to', 'Certificate holder'] : ['Владелец', 'Выдан', 'Заявитель', 'Получатель']), holder]);
  const title = conformity ? (en ? 'Certificate of Conformity' : 'СЕРТИФИКАТ СООТВЕТСТВИЯ') : en ? any(c, ['Certificate of Completion', 'Training Certificate']) : any(c, ['СЕРТИФИКАТ', 'УДОСТОВЕРЕНИЕ о повышении квалификации']);
  const issuer = company(c, lang);
  return { category: 'certificate', lang, title, head: [issuer], pairs, prose: [statement], footer: [en ? `Signed for ${issuer}` : `Руководитель ${initials(person(c, lang))}`], fields: { number, issueDate: issue, expiryDate: expiry, holder } };
}

const EN_AUTH = ['HM Passport Office', 'Department of Foreign Affairs', 'Passport Canada', 'U.S. Department of State'];
const RU_AUTH = ['ГУ МВД России по г. Москве', 'МВД 77810', 'ОУФМС России по Санкт-Петербургу и Ленинградской обл.', 'ГУ МВД России по Свердловской области'];

function passport(c: Ctx, lang: Lang): Rec {
  const ds = any(c, DATE_STYLES[lang].filter((s) => s !== 'ruq'));
  const en = lang === 'en';
  const issue = isoDate(c, '2014-01-01', 3600);
  const internal = !en && c.r() < 0.4;
  const expiry = internal ? null : addDays(addYears(issue, en ? 10 : any(c, [5, 10])), -1);
  const number = internal ? num(c, ['99 99 999999']) : en ? num(c, ['999999999', 'X9999999']) : num(c, ['99 9999999']);
  const issuer = en ? any(c, EN_AUTH) : internal ? any(c, RU_AUTH) : any(c, ['МВД 77810', 'МВД 78001', 'МВД 66002']);
  const [sur, given] = en ? person(c, lang).split(' ').reverse() : person(c, lang).split(' ');
  const birth = isoDate(c, '1965-01-01', 12000);
  const pairs: [string, string][] = en
    ? [[pick(c, ['Passport No.', 'Passport number', 'Document No.', 'Passport No']), number], ['Surname', sur!.toUpperCase()], ['Given names', given!.toUpperCase()], ['Nationality', any(c, ['BRITISH CITIZEN', 'IRISH', 'CANADIAN', 'USA'])], ['Date of birth', spellDate(birth, ds)], [pick(c, ['Date of issue', 'Issue date', 'Issued on', 'Date of issuance']), spellDate(issue, ds)], [pick(c, ['Date of expiry', 'Expiry date', 'Expires on', 'Valid until']), spellDate(expiry!, ds)], [pick(c, ['Authority', 'Issuing authority', 'Issued by', 'Authority / Autorité']), issuer]]
    : internal
      ? [[pick(c, ['Серия и номер', 'Серия, номер', 'Паспорт серия и номер', 'Номер паспорта']), number], ['Фамилия', sur!], ['Имя', given!], ['Дата рождения', spellDate(birth, ds)], [pick(c, ['Паспорт выдан', 'Кем выдан', 'Выдан', 'Орган, выдавший документ']), issuer], [pick(c, ['Дата выдачи', 'Дата выдачи', 'Выдан (дата)', 'Когда выдан']), spellDate(issue, ds)], ['Код подразделения', `${int(c, 100, 999)}-00${int(c, 1, 9)}`]]
      : [[pick(c, ['Паспорт №', 'Номер паспорта', 'Паспорт № / Passport No.', 'Серия и номер']), number], ['Фамилия / Surname', sur!], ['Дата рождения', spellDate(birth, ds)], [pick(c, ['Дата выдачи', 'Дата выдачи / Date of issue', 'Выдан (дата)', 'Когда выдан']), spellDate(issue, ds)], [pick(c, ['Действителен до', 'Дата окончания срока действия', 'Срок действия до', 'Date of expiry / Действителен до']), spellDate(expiry!, ds)], [pick(c, ['Орган, выдавший документ', 'Кем выдан', 'Орган выдачи', 'Authority / Орган']), issuer]];
  const title = en ? any(c, ['PASSPORT', 'Passport — data page', 'Passport copy']) : internal ? 'Паспорт гражданина Российской Федерации' : 'Заграничный паспорт гражданина РФ';
  const prose = [en ? 'Copy certified for HR records. Holder signature on file.' : 'Копия верна. Предоставлена в отдел кадров.'];
  return { category: 'passport', lang, title, head: [], pairs, prose, footer: [], fields: { number, issueDate: issue, expiryDate: expiry, issuer } };
}

function textDoc(c: Ctx, lang: Lang, category: 'report' | 'manual'): Rec {
  const ds = any(c, DATE_STYLES[lang].filter((s) => s !== 'ruq'));
  const en = lang === 'en';
  const date = isoDate(c);
  const author = en ? person(c, lang) : c.r() < 0.5 ? initials(person(c, lang)) : person(c, lang);
  const product = any(c, ['XR-200', 'Aqua Pro 3', 'NetBox 12', 'TermoLine T5', 'ScanMate S2']);
  const q = int(c, 1, 4);
  const title = category === 'report'
    ? en ? any(c, [`Quarterly Operations Report Q${q} ${date.slice(0, 4)}`, 'Annual Safety Inspection Report', `Incident Analysis Report: ${product} outage`, 'Customer Support Performance Report'])
      : any(c, [`Отчёт о работе отдела за ${['I', 'II', 'III', 'IV'][q - 1]} квартал ${date.slice(0, 4)} г.`, 'Отчёт о результатах инвентаризации', `Аналитический отчёт по продажам ${date.slice(0, 4)}`, 'Отчёт о проверке пожарной безопасности'])
    : en ? any(c, [`${product} User Manual`, `Installation Guide and User Manual: ${product}`, `Operating Instructions for ${product}`])
      : any(c, [`Руководство пользователя ${product}`, `Инструкция по эксплуатации ${product}`, `Руководство по установке и настройке ${product}`]);
  const authorLabel = pick(c, en ? ['Prepared by', 'Author', 'Written by', 'Compiled by'] : ['Составил', 'Автор', 'Подготовил', 'Исполнитель']);
  const dateLabel = pick(c, en ? ['Date', 'Report date', 'Revision date', 'Published'] : ['Дата', 'Дата составления', 'Редакция от', 'Дата выпуска']);
  const prose = category === 'report'
    ? en ? ['Executive summary. Ticket volume grew by 12% while the median response time fell to 3.1 hours.', 'Findings. Two recurring faults account for most of the downtime.', 'Recommendations. Replace the ageing pumps and review the on-call rota.']
      : ['Итоги. Количество обращений выросло на 12 %, среднее время ответа сократилось до 3,1 часа.', 'Анализ показал, что большая часть простоев связана с двумя повторяющимися неисправностями.', 'Выводы и рекомендации: заменить насосы и пересмотреть график дежурств.']
    : en ? ['Safety: read all instructions before installation.', 'Step 1. Unpack the unit and check the contents.', 'Step 2. Connect the power cable and press the power button.', 'Troubleshooting: if the indicator blinks red, restart the unit.']
      : ['Меры безопасности: перед установкой прочитайте инструкцию.', 'Шаг 1. Распакуйте устройство и проверьте комплектность.', 'Шаг 2. Подключите кабель питания и нажмите кнопку включения.', 'Устранение неисправностей: если индикатор мигает красным, перезапустите устройство.'];
  const pairs: [string, string][] = [[authorLabel, author], [dateLabel, spellDate(date, ds)]];
  if (c.r() < 0.5) pairs.reverse();
  return { category, lang, title, head: [company(c, lang)], pairs, prose, footer: [], fields: { title, date, author } };
}

export const BUILDERS: Record<string, (c: Ctx, lang: Lang) => Rec> = {
  invoice, contract, certificate, passport, report: (c, l) => textDoc(c, l, 'report'), manual: (c, l) => textDoc(c, l, 'manual'),
};
