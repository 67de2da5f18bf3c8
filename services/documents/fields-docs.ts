/**
 * Certificate, passport, report and manual fields: labelled values by the text's structure
 * (field-layout.ts), then the prose forms ("This is to certify that ... has", "удостоверяет,
 * что ..."). A report's or manual's title is its first heading-like line.
 */
import type { Span } from './field-values.ts';
import { dateAt, doc, nameAt, numberAt, type Doc } from './field-layout.ts';
import { captured, field, proseNumber, type ExtractedField } from './field-kit.ts';

const NO = '(?:no|nr|num|number|n|#|№|id)';
const L = (src: string) => new RegExp(src, 'iu');

const ISSUED = `date\\s+of\\s+(?:issue|issuance|award)|(?:issue|issuance|award)\\s+date|awarded(?:\\s+on)?|granted(?:\\s+on)?|date\\s+issued|issued(?:\\s+on)?|дата\\s+(?:выдачи|оформления|регистрации|издания)|когда\\s+выдан[оа]?|выдан[оа]?`;
const EXPIRES = `date\\s+of\\s+expiry|expiry\\s+date|expiration\\s+date|expires?(?:\\s+on)?|valid\\s+(?:until|till|through|to)|действител[а-яё]*\\s+до|действует\\s+до|годен\\s+до|дата\\s+окончания(?:\\s+срока)?(?:\\s+действия)?|срок\\s+действия(?:\\s+до)?`;

export const CERTIFICATE = {
  number: `(?:certificate|cert\\.?)\\s*${NO}|(?:registration|reg\\.?)\\s*${NO}|(?:регистрационный\\s+)?номер(?:\\s+(?:сертификата|удостоверения|свидетельства))?|рег\\.?\\s*№|(?:сертификат|удостоверение|свидетельство)(?:\\s+[\\p{L}]+){0,2}\\s*№|№`,
  issued: ISSUED,
  expires: EXPIRES,
  holder: `holder|awarded\\s+to|issued\\s+to|presented\\s+to|recipient|participant|name|владелец|получатель|заявитель|выдан[оа]?|участник|слушатель`,
};

function certificateHolder(d: Doc, text: string, dates: Span[]): Span | undefined {
  return (
    captured(text, L('certif(?:y|ies)\\s+that\\s+(.+?)\\s+(?:has|have|is)\\b')) ??
    captured(text, L('удостоверя[а-яё]*,?\\s+что\\s+(?:продукция\\s+изготовителя\\s+)?(.+?)\\s+(?:прош[её]л|успешно|окончил|является|соответствует)')) ??
    nameAt(d, CERTIFICATE.holder, dates)
  );
}

export function certificateFields(text: string, dates: Span[]): ExtractedField[] {
  const d = doc(text, Object.values(CERTIFICATE));
  const number = numberAt(d, CERTIFICATE.number, dates) ?? proseNumber(text, CERTIFICATE.number);
  const issue = dateAt(d, CERTIFICATE.issued, dates);
  const expiry = dateAt(d, CERTIFICATE.expires, dates);
  const holder = certificateHolder(d, text, dates);
  return [...field('number', number), ...field('issueDate', issue), ...field('expiryDate', expiry !== issue ? expiry : undefined), ...field('holder', holder)];
}

export const PASSPORT = {
  number: `passport\\s*${NO}|(?:document|doc\\.?)\\s*${NO}|номер\\s+(?:паспорта|документа)|серия\\s*(?:,|и)?\\s*номер(?:\\s+паспорта)?|серия`,
  issued: ISSUED.replace('|выдан[оа]?', ''),
  expires: EXPIRES,
  issuer: `(?:issuing\\s+)?authority|issued\\s+by|place\\s+of\\s+issue|кем\\s+выдан|паспорт\\s+выдан|орган,?\\s+выдавший(?:\\s+(?:паспорт|документ))?`,
  other: `surname|given\\s+names?|name|nationality|date\\s+of\\s+birth|place\\s+of\\s+birth|sex|фамилия(?:\\s*/\\s*surname)?|имя|отчество|дата\\s+рождения|место\\s+рождения|пол|код\\s+подразделения`,
};

export function passportFields(text: string, dates: Span[]): ExtractedField[] {
  const d = doc(text, Object.values(PASSPORT));
  const number = numberAt(d, PASSPORT.number, dates) ?? captured(text, L('серия\\s*(\\d{2}\\s?\\d{2}\\s*№\\s*\\d{6})'));
  const issue = dateAt(d, PASSPORT.issued, dates);
  const expiry = dateAt(d, PASSPORT.expires, dates);
  const issuer = nameAt(d, PASSPORT.issuer, dates);
  return [...field('number', number), ...field('issueDate', issue), ...field('expiryDate', expiry), ...field('issuer', issuer)];
}

export const PAPER = {
  date: `(?:report|publication|release|issue|document)\\s+date|date\\s+of\\s+(?:report|publication|issue)|published(?:\\s+on)?|issued(?:\\s+on)?|released|revision\\s+date|dated|date|дата(?:\\s+(?:выпуска|отч[её]та|составления|публикации|издания|документа))?|издано|опубликовано|редакция\\s+от`,
  author: `authors?|prepared\\s+by|compiled\\s+by|written\\s+by|drafted\\s+by|issued\\s+by|responsible|автор(?:ы)?|подготовил[аи]?|составил[аи]?|составитель|исполнитель|ответственный`,
};

const KIND_WORD = /(?<![\p{L}])(?:report|manual|guide|instructions?|handbook|отч[её]т\p{L}*|руководство|инструкци\p{L}*|справочник|пособие)(?![\p{L}])/iu;
const ORG_LINE = /(?<![\p{L}])(?:ООО|АО|ПАО|ЗАО|ОАО|ИП|Inc|Ltd|LLC|plc|GmbH|Co|Corp|Company)(?![\p{L}])/u;

/** The title: among the first lines, the first that names the kind of paper, else the first plain line. */
function title(d: Doc): Span | undefined {
  const lines = d.rows.slice(0, 8).map((row) => row.filter((c) => c.text)).filter((r) => r.length);
  const candidates = lines.filter((r) => r.length === 1 && /\p{L}{2,}\s+\p{L}/u.test(r[0]!.text) && !/^[^:]{1,30}:\s/u.test(r[0]!.text));
  const pick = candidates.find((r) => KIND_WORD.test(r[0]!.text)) ?? candidates.find((r) => !ORG_LINE.test(r[0]!.text)) ?? candidates[0];
  const c = pick?.[0];
  return c ? { value: c.text, normalized: c.text, start: c.start, end: c.end } : undefined;
}

/** Report and manual fields: title, date, author. */
export function paperFields(text: string, dates: Span[]): ExtractedField[] {
  const d = doc(text, Object.values(PAPER));
  const author = nameAt(d, PAPER.author, dates);
  return [...field('title', title(d)), ...field('date', dateAt(d, PAPER.date, dates) ?? dates[0]), ...field('author', author)];
}
