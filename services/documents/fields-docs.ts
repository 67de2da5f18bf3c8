/**
 * Certificate, passport, report and manual fields: labelled values by the text's structure
 * (field-layout.ts), then the prose forms ("This is to certify that ... has", "удостоверяет,
 * что ..."). A report's or manual's title is its first heading-like line.
 */
import type { Span } from './field-values.ts';
import { dateAt, doc, first, inside, isLabelCell, labelled, nameAt, numberAt, type Doc } from './field-layout.ts';
import { captured, field, personName, proseNumber, type ExtractedField } from './field-kit.ts';

const NO = '(?:no|nr|num|number|n|#|№|id)';
const L = (src: string) => new RegExp(src, 'iu');

const ISSUED = `date\\s+of\\s+(?:issue|issuance|award|inspection|examination|assessment|registration)|initial\\s+registration|(?:course\\s+)?completed(?:\\s+on)?|(?:issue|issuance|award)\\s+date|awarded(?:\\s+on)?|granted(?:\\s+on)?|date\\s+issued|issued(?:\\s+on)?|дата\\s+(?:выдачи|оформления|регистрации|издания|вручения)|когда\\s+выдан[оа]?|выдан[оа]?`;
const EXPIRES = `date\\s+of\\s+expiry|expiry\\s+date|expiration\\s+date|expires?(?:\\s+on)?|valid\\s+(?:until|till|through|to)|действител[а-яё]*\\s+до|действует\\s+до|годен\\s+до|дата\\s+окончания(?:\\s+срока)?(?:\\s+действия)?|срок\\s+действия(?:\\s+до)?|(?:renewal|next\\s+(?:inspection|examination|review|renewal))\\s+due(?:\\s+on)?|renewal\\s+(?:recommended|required)\\s+(?:by|before)|срок\\s+окончания|окончание\\s+срока(?:\\s+действия)?|expiry`;

export const CERTIFICATE = {
  number: `(?:certificate|cert\\.?)\\s*${NO}|(?:registration|reg\\.?)\\s*${NO}|(?:регистрационный\\s+)?номер(?:\\s+(?:сертификата|удостоверения|свидетельства))?|рег\\.?\\s*№|(?:сертификат|удостоверение|свидетельство|диплом)(?:\\s+[\\p{L}]+){0,2}\\s*№|(?:certificate\\s+)?ref(?:erence)?\\.?|№`,
  issued: ISSUED,
  expires: EXPIRES,
  holder: `holder|employee|staff\\s+member|trainee|learner|student|сотрудник|работник|обучающийся|awarded\\s+to|issued\\s+to|presented\\s+to|recipient|participant|(?:name\\s+of\\s+)?candidate|owner(?:\\s+of\\s+(?:the\\s+)?equipment)?|insured|name|организация|ф\\.?\\s?и\\.?\\s?о\\.?|владелец|получатель|заявитель|выдан[оа]?|участник|слушатель`,
  // Column and field names that are no holder ("Employee | Course | ...").
  other: `course(?:\\s+name)?|programme|program|qualification|subject|курс|программа(?:\\s+обучения)?|квалификация|продукция`,
};

function certificateHolder(d: Doc, text: string, dates: Span[]): Span | undefined {
  return (
    captured(text, L('certif(?:y|ies)\\s+that\\s+(.+?)\\s+(?:has|have|is)\\b')) ??
    captured(text, L('(?:удостоверя|подтвержда)[а-яё]*,?\\s+что\\s+(?:продукция\\s+изготовителя\\s+)?(.+?)\\s+(?:прош[её]л|успешно|окончил|является|соответствует)')) ??
    // "This certificate is awarded to" ending its line, the name on the next one.
    captured(text, L('(?:(?:awarded|presented|issued|granted)\\s+to:?|награжда[а-яё]*|вручается)[ \\t]*\\n\\s*([^\\n]{3,80})')) ??
    nameAt(d, CERTIFICATE.holder, dates)
  );
}

const VALID_RANGE = /(?:срок\s+действия|valid(?:ity)?|действ[а-яё]*)\s+(?:с|from)\s+/giu;
const PROSE_EXPIRY = /(?:expires?|expiring|renewal\s+due|valid(?:\s+for\s+[^.\d\n]{1,30}?,?)?\s+(?:until|till|through|to))\s+(?:on\s+)?|действител[а-яё]*(?:\s+в\s+течение\s+[^.\d\n]{1,30}?,?)?\s+до\s+|действует\s+до\s+/giu;

/** A validity period in prose: "срок действия с A по B", "valid from A to B": the two dates. */
function validity(text: string, dates: Span[]): { issue?: Span; expiry?: Span } {
  for (const m of text.matchAll(VALID_RANGE)) {
    const at = m.index + m[0].length;
    const a = dates.find((x) => x.start >= at && x.start - at <= 2);
    const b = a && dates.find((x) => x.start > a.end && x.start - a.end <= 6);
    if (a && b) return { issue: a, expiry: b };
  }
  return {};
}

/** The date right after an expiry phrase anywhere in prose ("... and expires on 3 Apr 2028"). */
function proseExpiry(text: string, dates: Span[]): Span | undefined {
  for (const m of text.matchAll(PROSE_EXPIRY)) {
    const at = m.index + m[0].length;
    const x = dates.find((y) => y.start >= at && y.start - at <= 2);
    if (x) return x;
  }
  return undefined;
}

export function certificateFields(text: string, dates: Span[]): ExtractedField[] {
  const d = doc(text, Object.values(CERTIFICATE));
  const number = numberAt(d, CERTIFICATE.number, dates) ?? proseNumber(text, CERTIFICATE.number);
  const range = validity(text, dates);
  const issue = dateAt(d, CERTIFICATE.issued, dates) ?? range.issue ?? dateAt(d, 'date|дата', dates);
  // A written period ("срок действия с A по B") decides the end over a label that would give its first date.
  const expiry = range.expiry ?? dateAt(d, CERTIFICATE.expires, dates) ?? proseExpiry(text, dates);
  const holder = certificateHolder(d, text, dates);
  return [...field('number', number), ...field('issueDate', issue), ...field('expiryDate', expiry !== issue ? expiry : undefined), ...field('holder', holder)];
}

export const PASSPORT = {
  number: `number\\s+of\\s+(?:the\\s+)?(?:travel\\s+)?document|passport(?:\\s*${NO})?|(?:document|doc\\.?)\\s*${NO}|номер\\s+(?:паспорта|документа)|серия\\s*(?:,|и)?\\s*номер(?:\\s+паспорта)?|серия`,
  issued: ISSUED.replace('|выдан[оа]?', ''),
  expires: EXPIRES,
  issuer: `(?:issuing\\s+)?authority|issued\\s+by|issuing\\s+office|place\\s+of\\s+issue|кем\\s+выдан|паспорт\\s+выдан|выдан|орган\\s+выдачи|орган,?\\s+выдавший(?:\\s+(?:паспорт|документ))?`,
  other: `surname|given\\s+names?|name|nationality|date\\s+of\\s+birth|place\\s+of\\s+birth|sex|фамилия(?:\\s*/\\s*surname)?|имя|отчество|дата\\s+рождения|место\\s+рождения|пол|код\\s+подразделения`,
};

// A Russian passport's series and number: "серия 40 08 номер 771245", "Серия 92 14 № 558201", "паспорт серии 45 03 номер 123456".
const SERIES = /сери[яи]\s*(\d{2})\s?(\d{2})\s*,?\s*(?:№|номер|n)?\s*(\d{6})(?!\d)/iu;
// A passport's number after its name, a "№" between the parts dropped: "Загранпаспорт: 72 № 5566778", "Данные паспорта: 45 11 № 223344".
const FOREIGN = /(?<![\p{L}])(?:загран)?паспорт\p{L}*\s*[:：]?\s*(?:№\s*)?(\d{2})\s?(?:№\s*)?(\d{7})(?!\d)/iu;
const INTERNAL = /(?<![\p{L}])паспорт\p{L}*\s*[:：]?\s*(?:№\s*)?(\d{2})\s?(\d{2})\s*(?:№\s*)?(\d{6})(?!\d)/iu;

function seriesNumber(text: string): Span | undefined {
  const m = SERIES.exec(text) ?? INTERNAL.exec(text);
  const f = m ? undefined : FOREIGN.exec(text);
  if (!m && !f) return undefined;
  const value = m ? `${m[1]} ${m[2]} ${m[3]}` : `${f![1]} ${f![2]}`;
  const at = (m ?? f)!;
  return { value, normalized: value, start: at.index, end: at.index + at[0].length };
}

/** A series and a number in cells of their own ("Серия | 60 10", "Номер | 778899"): the two as one. */
function seriesCells(d: Doc): Span | undefined {
  const series = first(d, 'серия', (s) => /^\d{2}\s?\d{2}$/u.test(s.value));
  const no = series && first(d, 'номер(?:\\s+паспорта)?|№', (s) => /^\d{6}$/u.test(s.value));
  if (!series || !no) return undefined;
  const value = `${series.value.replace(/\s/g, '').replace(/^(\d\d)/, '$1 ')} ${no.value}`;
  return { value, normalized: value, start: series.start, end: no.end };
}

/** The date right after a label anywhere in prose ("..., дата выдачи 03.03.2023, ..."). */
function proseDate(text: string, src: string, dates: Span[]): Span | undefined {
  for (const m of text.matchAll(new RegExp(`(?<![\\p{L}])(?:${src})(?![\\p{L}])\\s*[:：—–-]?\\s*`, 'giu'))) {
    const x = dates.find((y) => y.start === m.index + m[0].length);
    if (x) return x;
  }
  return undefined;
}

/** The issuer and date in a sentence: "паспорт ..., выданный ОВД Тверского района г. Москвы 12.12.2003". */
function proseIssuer(text: string, dates: Span[]): { issuer?: Span; issue?: Span } {
  for (const m of text.matchAll(/(?<![\p{L}])выданн?(?:ый|ая|ое)?\s+(?=[\p{Lu}])/gu)) {
    const at = m.index + m[0].length;
    const date = dates.find((x) => x.start > at && x.start - at <= 100);
    const raw = date && text.slice(at, date.start);
    if (!raw || /[,;\n]/u.test(raw.trim())) continue;
    const value = raw.trim();
    return { issuer: { value, normalized: value, start: at, end: at + value.length }, issue: date };
  }
  return {};
}

export function passportFields(text: string, dates: Span[]): ExtractedField[] {
  const d = doc(text, Object.values(PASSPORT));
  const number = seriesNumber(text) ?? seriesCells(d) ?? numberAt(d, PASSPORT.number, dates);
  const prose = proseIssuer(text, dates);
  const issue = dateAt(d, PASSPORT.issued, dates) ?? proseDate(text, PASSPORT.issued, dates) ?? prose.issue;
  const expiry = dateAt(d, PASSPORT.expires, dates) ?? proseDate(text, PASSPORT.expires, dates);
  const issuer = nameAt(d, PASSPORT.issuer, dates) ?? prose.issuer;
  return [...field('number', number), ...field('issueDate', issue), ...field('expiryDate', expiry), ...field('issuer', issuer)];
}

export const PAPER = {
  date: `(?:report|publication|release|issue|document)\\s+date|date\\s+of\\s+(?:report|publication|issue)|published(?:\\s+on)?|issued(?:\\s+on)?|released|revision\\s+date|(?:last\\s+)?(?:revised|updated)(?:\\s+on)?|generated(?:\\s+on)?|effective\\s+(?:date|from)|week\\s+ending|dated|date|дата(?:\\s+(?:выпуска|отч[её]та|составления|публикации|издания|документа))?|издано|опубликовано|редакция\\s+от|дата\\s+(?:ввода|утверждения|редакции)|обновлено|сформирован[оа]?|введен[аоы]?\\s+в\\s+действие(?:\\s+с)?|утвержд[её]н[аоы]?`,
  author: `автор-составитель|ответственный\\s+исполнитель|(?:report|document|paper)\\s+authors?|автор\\s+(?:отч[её]та|документа)|владелец(?:\\s+документа)?|(?:notes|minutes|recorded)\\s+by|authors?|submitted\\s+by|presented\\s+by|prepared\\s+by|compiled\\s+by|written\\s+by|drafted\\s+by|issued\\s+by|reported\\s+by|maintained\\s+by|(?:document\\s+)?owner|analyst|technical\\s+writer|responsible|reporter|maintainer|auditor|audit\\s+lead|lead\\s+auditor|tester|doc\\.?\\s+owner|разработчик(?:\\s+документа)?|разработал[аи]?|председатель\\s+комиссии|автор(?:ы)?|подготовил[аи]?|составил[аи]?|составител[ьи]|исполнитель|исп|ответственный`,
};

const KIND_WORD = /(?<![\p{L}])(?:how[ -]to|report|manual|guide|instructions?|handbook|procedure|отч[её]т\p{L}*|руководство|инструкци\p{L}*|памятк\p{L}*|регламент\p{L}*|справочник|пособие)(?![\p{L}])/iu;
const ORG_LINE = /(?<![\p{L}])(?:ООО|АО|ПАО|ЗАО|ОАО|ИП|Inc|Ltd|LLC|plc|GmbH|Co|Corp|Company)(?![\p{L}])/u;

/** The title: among the first lines, the first that names the kind of paper, else the first plain line. */
function title(d: Doc): Span | undefined {
  const lines = d.rows.slice(0, 8).map((row) => row.filter((c) => c.text)).filter((r) => r.length);
  // A "Label: value" line is no title, unless what stands before the colon names the kind ("Quick Reference Guide: ...").
  const pairLike = (t: string) => { const m = /^([^:]{1,30}):\s/u.exec(t); return !!m && !KIND_WORD.test(m[1]!); };
  const candidates = lines.filter((r) => r.length === 1 && /\p{L}{2,}\s+\p{L}/u.test(r[0]!.text) && !pairLike(r[0]!.text));
  const pick = candidates.find((r) => KIND_WORD.test(r[0]!.text)) ?? candidates.find((r) => !ORG_LINE.test(r[0]!.text)) ?? candidates[0];
  // A short page title repeated inside the full heading ("Weekly Status Report", then "Project Falcon – Weekly Status Report"): the heading.
  const full = pick && candidates.find((r) => r[0]!.text.length > pick[0]!.text.length && r[0]!.text.toLowerCase().includes(pick[0]!.text.toLowerCase()));
  const c = (full ?? pick)?.[0];
  return c ? { value: c.text, normalized: c.text, start: c.start, end: c.end } : undefined;
}

// A cell that is "By" and a capitalised name ("Last updated ... · By Kevin Ortiz"), case as written.
const BY_NAME = /^By\s+([\p{Lu}][\p{Ll}'-]+(?:\s+[\p{Lu}][\p{L}.'-]*){1,2})$/u;

function byLine(d: Doc): Span | undefined {
  for (const c of d.rows.flat()) {
    const m = BY_NAME.exec(c.text);
    if (m) return { value: m[1]!, normalized: m[1]!, start: c.end - m[1]!.length, end: c.end };
  }
  return undefined;
}

// A title given by a label of its own in the first rows ("Report | Regional sales Q2 2025", "Название;Регламент ...").
const TITLE_LABEL = /^(?:title|report(?:\s+name)?|отч[её]т|document(?:\s+(?:title|name))?|название(?:\s+документа)?|наименование(?:\s+документа)?|тема)\s*[:：]?$/iu;

function labelledTitle(d: Doc): Span | undefined {
  for (const row of d.rows.slice(0, 8)) {
    const full = row.filter((c) => c.text);
    const at = full.findIndex((c) => TITLE_LABEL.test(c.text));
    const v = at >= 0 ? full[at + 1] : undefined;
    if (v && /\p{L}{2,}\s+\p{L}/u.test(v.text) && !isLabelCell(d, v)) return { value: v.text, normalized: v.text, start: v.start, end: v.end };
  }
  return undefined;
}

// A person's name as written: capitalised words or initials ("Anna Lopez", "Смирнова А. В."), not "the People Team".
const PERSON = /^[\p{Lu}][\p{L}'’-]*\.?(?:\s+[\p{Lu}][\p{L}'’-]*\.?){1,3}$/u;

// A signature line: a Russian role, then a surname with initials ("Главный бухгалтер Яковлева С. Н.").
const SIGNATURE = /^[ \t]*(?:[Гг]лавный\s+(?:бухгалтер|инженер|специалист)|(?:[Гг]енеральный\s+|[Ии]сполнительный\s+|[Фф]инансовый\s+)?[Дд]иректор|[Рр]уководитель(?:\s+\p{Ll}+){0,3}|[Нн]ачальник(?:\s+\p{Ll}+){0,3})[\s_]+([\p{Lu}]\p{Ll}+(?:-[\p{Lu}]\p{Ll}+)?\s+[\p{Lu}]\.\s?[\p{Lu}]\.)[ \t]*$/gmu;

function signature(text: string): Span | undefined {
  const m = [...text.matchAll(SIGNATURE)].pop();
  if (!m) return undefined;
  const start = m.index + m[0].lastIndexOf(m[1]!);
  return { value: m[1]!, normalized: m[1]!, start, end: start + m[1]!.length };
}

/** The author: the first labelled value that reads as a person's name, else the first labelled value, a "By Name" cell, a signature. */
function paperAuthor(d: Doc, text: string, dates: Span[]): Span | undefined {
  const all = labelled(d, PAPER.author, (s) => /\p{L}{2}/u.test(s.value) && !inside(dates, s) && s.value.length <= 120).map((s) => personName(s)!);
  return all.find((s) => PERSON.test(s.value)) ?? all[0] ?? byLine(d) ?? signature(text);
}

/** Report and manual fields: title, date, author. */
export function paperFields(text: string, dates: Span[]): ExtractedField[] {
  const d = doc(text, Object.values(PAPER));
  const author = paperAuthor(d, text, dates);
  return [...field('title', labelledTitle(d) ?? title(d)), ...field('date', dateAt(d, PAPER.date, dates) ?? dates[0]), ...field('author', author)];
}
