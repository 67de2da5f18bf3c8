/**
 * Invoice and contract fields: labelled values by the text's structure (field-layout.ts)
 * first, then the prose forms ("hereinafter referred to as", "именуемое в дальнейшем",
 * "from ... until", "с ... по ...").
 */
import type { Span } from './field-values.ts';
import { amountAt, dateAt, doc, isLabelCell, labelled, nameAt, numberAt, type Doc, type Row } from './field-layout.ts';
import { parseNumber } from './field-values.ts';
import { byLargest, field, orgName, proseNumber, type ExtractedField } from './field-kit.ts';

const NO = '(?:no|nr|num|number|n|#|№|id)';

export const INVOICE = {
  number: `(?:tax\\s+|proforma\\s+|commercial\\s+)?invoice\\s*(?:${NO}|ref(?:erence)?\\.?)|inv\\.?\\s*${NO}|bill\\s*${NO}|номер\\s+(?:сч[её]та|документа)|сч[её]т(?:-фактура|\\s+на\\s+оплату)?\\s*(?:№|n|номер)|№\\s*сч[её]та|invoice(?=\\s*$|\\s+[#№]?[\\p{L}\\p{N}/-]*\\d)`,
  date: `(?:invoice|issue|billing|bill)\\s+date|date\\s+of\\s+(?:issue|invoice)|date\\s+issued|issued(?:\\s+on)?|dated|date|дата(?:\\s+(?:сч[её]та|документа|выставления|составления|выписки))?`,
  total: `(?:grand\\s+)?total(?:\\s+(?:due|amount|payable|to\\s+pay|incl\\.?\\s+vat))?|amount\\s+(?:due|payable|owed)|balance(?:\\s+due)?|итого(?:\\s+к\\s+оплате)?|всего(?:\\s+к\\s+оплате)?|(?:сумма\\s+)?к\\s+оплате`,
  vendor: `vendor|supplier|seller|from|billed\\s+by|issued\\s+by|поставщик(?:\\s*\\([^)]*\\))?|продавец|исполнитель|получатель\\s+платежа`,
  buyer: `bill(?:ed)?\\s+to|buyer|customer|client|покупатель|заказчик|плательщик`,
};

const INVOICE_LABELS = Object.values(INVOICE);
const ITEM_HEAD = /(?<![\p{L}])(?:qty|quantity|description|item|equipment|products?|charges?|hours|days|rate|services?|услуг[аи]?|работ[аы]?|unit\s+price|price|amount|кол-?во|кол\.|количество|наименование|товар\p{L}*|цена|сумма|ед\.)(?![\p{L}])/giu;
const NOT_ITEM = /(?<![\p{L}])(?:sub-?total|total|vat|tax|balance|due|paid|deposit|discount|итого|всего|ндс|к оплате|оплачено|аванс|скидка|сумма без)(?![\p{L}])/iu;
// A price at a row's end: "1,800.00", "7 500,00", "$45.00", "6 000 ₽".
const ROW_PRICE = /^(?:[$€£]\s?)?\d{1,3}(?:[ \u00a0,.]\d{3})*(?:[.,]\d{2})?(?:\s?(?:₽|руб\.?|[$€£]|usd|eur|gbp|rub))?$/iu;

/**
 * Item rows without a header row ("Logo design ....... 1,800.00", "1<tab>Ремонт<tab>1<tab>7 500,00"):
 * the first run of two or more rows of the same width (two cells or more) that end in a price
 * with decimals or a currency and hold a word, none a total or a label.
 */
function bareItems(d: Doc): ExtractedField[] {
  const isItem = (row: Row) => {
    const full = row.filter((c) => c.text);
    const last = full[full.length - 1]?.text ?? '';
    const line = full.map((c) => c.text).join(' | ');
    return full.length >= 2 && ROW_PRICE.test(last) && /[.,]\d{2}$|\D$/u.test(last) && full.slice(0, -1).some((c) => /\p{L}{3}/u.test(c.text)) && !NOT_ITEM.test(line) && !isLabelCell(d, full[0]);
  };
  for (let r = 0; r < d.rows.length; r++) {
    let n = r;
    const width = d.rows[r]!.filter((c) => c.text).length;
    while (n < d.rows.length && isItem(d.rows[n]!) && d.rows[n]!.filter((c) => c.text).length === width) n++;
    if (n - r >= 2) {
      return d.rows.slice(r, n).map((row) => {
        const full = row.filter((c) => c.text);
        const line = full.map((c) => c.text).join(' | ');
        return { name: 'item', value: line, normalized: line, start: full[0]!.start, end: full[full.length - 1]!.end, primary: true };
      });
    }
  }
  return [];
}

/** Item rows: the rows under a header row of item columns, until a row that is no item. */
// A listed item with its quantity and price: "- 3 x Fountain pen @ 24.00 = 72.00", "• 2 × Toner 118.00".
const LISTED_ITEM = /^[ \t]*[-•*][ \t]+\d+(?:[.,]\d+)?\s*[x×]\s+\S.*?\d[.,]\d{2}[ \t]*$/gmu;

// A numbered line with its price after a dash: "1. Разработка логотипа — 15 000 руб.", two or more of them.
const NUMBERED_ITEM = /^[ \t]*\d{1,2}[.)][ \t]+\p{L}[^\n]*?\s[—–-]\s+(?:[$€£]\s?)?\d[\d \u00a0]*(?:[.,]\d{2})?(?:\s?(?:руб\.?|₽|[$€£]|usd|eur|gbp|rub))?[ \t]*$/gimu;

function listedItems(text: string): ExtractedField[] {
  const numbered = [...text.matchAll(NUMBERED_ITEM)];
  return [...text.matchAll(LISTED_ITEM), ...(numbered.length >= 2 ? numbered : [])].slice(0, 50).map((m) => {
    const value = m[0].trim();
    const start = m.index + m[0].indexOf(value);
    return { name: 'item', value, normalized: value, start, end: start + value.length, primary: true };
  });
}

function items(d: Doc): ExtractedField[] {
  const listed = listedItems(d.text);
  if (listed.length) return listed;
  const out: ExtractedField[] = [];
  const head = d.rows.findIndex((row) => new Set(row.map((c) => c.text).join(' | ').toLowerCase().match(ITEM_HEAD) ?? []).size >= 2);
  if (head < 0) return bareItems(d);
  const width = d.rows[head]!.filter((c) => c.text).length;
  for (const row of d.rows.slice(head + 1)) {
    const full = row.filter((c) => c.text);
    const line = full.map((c) => c.text).join(' | ');
    if (!line) {
      if (out.length) break;
      continue;
    }
    // A row whose columns the text lost (a PDF line) starts with a quantity or ends with an amount.
    const wide = width >= 3 ? full.length === width : (full.length === 2 && ROW_PRICE.test(full[1]!.text)) || /^\d+(?:[.,]\d+)?\s+\S|^\p{L}.*\s\d{1,3}(?:[ \u00a0,]\d{3})*[.,]\d{2}$/u.test(line);
    if (!wide || !/\d/.test(line) || NOT_ITEM.test(line)) break;
    out.push({ name: 'item', value: line, normalized: line, start: full[0]!.start, end: full[full.length - 1]!.end, primary: true });
  }
  return out.slice(0, 50);
}

const CUR_WORD: [RegExp, string][] = [[/(?<![\p{L}])(?:usd|us\$)(?![\p{L}])|\$/iu, 'USD'], [/(?<![\p{L}])eur(?![\p{L}])|€/iu, 'EUR'], [/(?<![\p{L}])gbp(?![\p{L}])|£/iu, 'GBP'], [/(?<![\p{L}])(?:rub|руб\p{L}*)(?![\p{L}])|₽/iu, 'RUB']];

/** The currency a text names ("Balance (EUR)", "Сумма, руб."), if any. */
function currencyIn(text: string): string | undefined {
  return CUR_WORD.find(([re]) => re.test(text))?.[1];
}

/**
 * A total written as a bare number ("Balance (EUR) | 133.00", "Итого 6 600,00"): the last value
 * of a total label that is one number, in the currency its label names, else the one the
 * document names, else roubles for a Russian document.
 */
function bareTotal(d: Doc, text: string, src = INVOICE.total): Span | undefined {
  const all = labelled(d, src, (s) => /^\d{1,3}(?:[ \u00a0,.]\d{3})*(?:[.,]\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$/u.test(s.value));
  const s = all[all.length - 1];
  if (!s) return undefined;
  const line = text.slice(text.lastIndexOf('\n', s.start) + 1, s.start);
  const cur = currencyIn(line) ?? currencyIn(text) ?? (/[а-яё]{4,}/iu.test(text) ? 'RUB' : undefined);
  return cur ? { ...s, normalized: `${parseNumber(s.value).toFixed(2)} ${cur}` } : undefined;
}

const ORG_WORD = /(?<![\p{L}])(?:ООО|АО|ПАО|ЗАО|ОАО|ИП|Inc|Ltd|LLC|LLP|plc|GmbH|Co|Corp|Company|Supplies|Services|Studio)(?![\p{L}])/u;

/** The vendor as the letterhead: the first line, when it is one cell that names an organisation. */
function letterhead(d: Doc): Span | undefined {
  // A spreadsheet's first line is its sheet name (one token with no space): the letterhead is the next.
  const lines = d.rows.filter((r) => r.some((c) => c.text));
  // So is a page title that only names the invoice ("Invoice 5521", an HTML page's title over its body).
  const skip = lines[0]?.length === 1 && (/^\S+$/u.test(lines[0][0]!.text) || /^(?:invoice|сч[её]т)\s+[#№]?\s*\S*\d\S*$/iu.test(lines[0][0]!.text)) && /\d/.test(lines[0][0]!.text);
  const row = skip ? lines[1] : lines[0];
  const cells = row?.filter((c) => c.text) ?? [];
  const c = cells[0];
  if (cells.length !== 1 || !c || /\d|invoice|сч[её]т/iu.test(c.text)) return undefined;
  // An organisation word, or a short name in capitals ("Maria Lopez Design", "Northwind Traders").
  if (!ORG_WORD.test(c.text) && !/^[\p{Lu}][\p{L}'&.-]*(?:\s+(?:&\s+)?[\p{Lu}][\p{L}'&.-]*){1,4}$/u.test(c.text)) return undefined;
  return { value: c.text, normalized: c.text, start: c.start, end: c.end };
}

export function invoiceFields(text: string, dates: Span[], amounts: Span[]): ExtractedField[] {
  const d = doc(text, INVOICE_LABELS);
  const number = numberAt(d, INVOICE.number, dates) ?? proseNumber(text, INVOICE.number);
  const date = dateAt(d, INVOICE.date, dates) ?? (number ? dates.find((x) => x.start > number.end && x.start - number.end < 16) : undefined) ?? dates[0];
  const total = amountAt(d, INVOICE.total, amounts, true) ?? bareTotal(d, text) ?? byLargest(amounts);
  const vendor = orgName(nameAt(d, INVOICE.vendor, dates)) ?? letterhead(d);
  return [...field('number', number), ...field('date', date), ...field('total', total), ...field('vendor', vendor), ...items(d)];
}

export const CONTRACT = {
  number: `(?:[\\p{L}]+\\s+){0,2}(?:agreement|contract)\\s*${NO}|договор[а-я]*(?:\\s+[\\p{L}]+){0,3}\\s*(?:№|n)|номер\\s+договора|(?:agreement|contract)(?=\\s*$)|договор[а-я]*(?:\\s+[\\p{L}]+){0,3}(?=\\s*$)|договор|(?:our\\s+|your\\s+)?ref(?:erence)?(?:\\s*${NO})?`,
  signed: `signed(?=\\s*$)|date\\s+of\\s+(?:the\\s+)?(?:agreement|contract|signing|signature|conclusion)|(?:agreement|contract|signing|signature)\\s+date|signed\\s+on|dated|date|дата\\s+(?:договора|заключения|подписания)(?:\\s+договора)?|дата`,
  start: `start\\s+date|commencement\\s+date|effective\\s+(?:date|from)|valid\\s+from|term\\s+start|дата\\s+(?:начала|вступления\\s+в\\s+силу)|начало\\s+действия|действует\\s+с|(?:дата\\s+)?начал[оа](?:\\s+[\\p{L}]+){0,2}|start`,
  end: `end\\s+date|expiry\\s+date|expiration\\s+date|termination\\s+date|valid\\s+(?:until|till|through)|term\\s+end|дата\\s+окончания|окончание\\s+действия|срок\\s+действия(?:\\s+до)?|действует\\s+до|(?:дата\\s+)?окончани[ея](?:\\s+[\\p{L}]+){0,2}|end|expires?(?:\\s+on)?|expiry`,
  value: `(?:(?:total|annual|monthly|yearly)\\s+)?(?:contract\\s+)?(?:value|price|amount|sum)|стоимость(?:\\s+договора)?|цена(?:\\s+договора)?|сумма(?:\\s+договора)?`,
};

// A name in quotes, or a word with initials or up to two more capitalised words ("ИП Захаров Олег Игоревич").
const ORG = '(?:ООО|АО|ПАО|ЗАО|ОАО|НАО|ИП|ГУП|МУП|ФГУП|НКО|АНО)\\s+(?:«[^»]+»|"[^"]+"|[\\p{Lu}][\\p{L}-]+(?:(?:\\s+[\\p{Lu}]\\.){1,2}|(?:\\s+[\\p{Lu}][\\p{Ll}-]+){1,2})?)';
const RU_PARTY = new RegExp(`(${ORG})[^.«]{0,20}?,?\\s*(?:именуем[\\p{L}]*\\s+в\\s+дальнейшем|\\(\\s*далее\\s*[—–-])`, 'gu');
const EN_PARTY = /(?:between|and|,)\s+([\p{Lu}\d][\p{L}\d&.'-]*(?:\s+[\p{L}\d&.'-]+){0,6}?)\s*,?\s*\(?\s*(?:hereinafter|herein\s*after)\s*(?:referred\s+to\s+as|called|the)?/gu;

function parties(text: string): ExtractedField[] {
  const out: ExtractedField[] = [];
  const seen = new Set<string>();
  const push = (raw: string, start: number) => {
    const value = raw.replace(/[\s,]+$/, '');
    const key = value.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name: 'party', value, normalized: value, start, end: start + value.length, primary: true });
  };
  const flat = text.replace(/\s+/g, ' ');
  const re = /[\p{Lu}]/u.test(flat) && /именуем|\(\s*далее\s*[—–-]/u.test(flat) ? RU_PARTY : EN_PARTY;
  // Offsets come from the original text: a match is looked up there (the flattened copy only joins broken lines).
  for (const m of flat.matchAll(re)) {
    const raw = m[1]!;
    const at = text.indexOf(raw);
    push(raw, at >= 0 ? at : 0);
  }
  if (!out.length) {
    const between = /between\s+(.+?)\s*\(.*?\)\s*and\s+(.+?)\s*\(/iu.exec(flat);
    if (between) for (const g of [1, 2]) push(between[g]!, Math.max(0, text.indexOf(between[g]!)));
  }
  // "between Vega Analytics Inc. and Harbor Health LLC (each a Party)": two capitalised names.
  const plain = !out.length && /between\s+([\p{Lu}][^,;()\n]{1,60}?)\s+and\s+([\p{Lu}][^,;()\n]{1,60}?)(?=\s*(?:\(|,|;)|\.?\s*$|\.\s+[\p{Lu}])/u.exec(flat);
  if (plain) for (const g of [1, 2]) push(plain[g]!, Math.max(0, text.indexOf(plain[g]!)));
  // A numbered list of parties with their roles: "(1) Holloway Consulting Ltd ("Consultant"); (2) ...".
  if (!out.length) for (const m of flat.matchAll(/(?:\(\d\)|(?<![\d.])\d\.)\s+([\p{Lu}][^()";\n]{1,60}?)\s*\((?:the\s+)?["“«]/gu)) push(m[1]!, Math.max(0, text.indexOf(m[1]!)));
  return out;
}

const RANGE = /(?:effective\s+from|valid\s+from|from|с)\s+(.{6,30}?)\s+(?:and\s+remains\s+in\s+force\s+until|until|till|to|through|по|до)\s+(.{6,30}?)(?=[.,;\n]|$)/giu;

function period(text: string, dates: Span[]): { start?: Span; end?: Span } {
  for (const m of text.matchAll(RANGE)) {
    const s = dates.find((x) => x.start >= m.index && x.start < m.index + m[0].length);
    const e = s ? dates.find((x) => x.start > s.end && x.start < m.index + m[0].length + 2) : undefined;
    if (s && e) return { start: s, end: e };
  }
  return {};
}

const PROSE_END = /(?:remains?\s+in\s+force|is\s+valid|valid|expires?|terminates?|ends?|continues?(?:\s+in\s+force)?)\s+(?:until|till|through|on)|действует\s+до|действителен\s+до|срок\s+действия[^.\d]{0,30}?до|по\s+(?=\d|«)/giu;

// A start in prose: "The tenancy starts on 1 July 2025", "commences on", "begins on".
const PROSE_START = /(?:starts?|commences?|begins?)\s+on\s+/giu;

const TERM = `term|(?:contract\\s+)?period|duration|срок(?:\\s+действия)?(?:\\s+договора)?|период(?:\\s+действия)?`;
const ROLE = `supplier|vendor|purchaser|buyer|seller|customer|client|consultant|contractor|provider|licensor|licensee|landlord|tenant|исполнитель|заказчик|поставщик|покупатель|подрядчик|арендодатель|арендатор|контрагент(?:\\s*\\d)?|party\\s*(?:[a-d]|\\d)|сторона\\s*\\d|counterparty|our\\s+(?:entity|company)`;

/** A term written as a range in a label's value ("Term | 1 March 2025 - 28 February 2026"). */
function termRange(d: Doc, dates: Span[]): { start?: Span; end?: Span } {
  const inRange = (s: Span) => dates.filter((x) => x.start >= s.start && x.start < s.end);
  const v = labelled(d, TERM, (s) => inRange(s).length === 2)[0];
  if (!v) return {};
  const [start, end] = inRange(v);
  return { start, end };
}

/** Parties by their role labels ("Supplier | Keel Marine Ltd", "Заказчик | ПАО «Энергосбыт»"), when the prose names none. */
function roleParties(d: Doc, dates: Span[]): ExtractedField[] {
  const seen = new Set<string>();
  return labelled(d, ROLE, (s) => /\p{L}{2}/u.test(s.value) && !dates.some((x) => x.start >= s.start && x.start < s.end) && s.value.length <= 120)
    .filter((s) => !seen.has(s.value.toLowerCase()) && !!seen.add(s.value.toLowerCase()))
    .slice(0, 4)
    .map((s) => ({ name: 'party', value: s.value, normalized: s.value, start: s.start, end: s.end, primary: true }));
}

export function contractFields(text: string, dates: Span[], amounts: Span[]): ExtractedField[] {
  const d = doc(text, [...Object.values(CONTRACT), TERM, ROLE]);
  const number = numberAt(d, CONTRACT.number, dates) ?? proseNumber(text, CONTRACT.number);
  let { start, end } = period(text, dates);
  if (!start || !end) ({ start, end } = termRange(d, dates));
  start ??= dateAt(d, CONTRACT.start, dates);
  for (const m of start ? [] : text.matchAll(PROSE_START)) {
    start = dates.find((x) => x.start === m.index + m[0].length);
    if (start) break;
  }
  end ??= dateAt(d, CONTRACT.end, dates);
  if (!end) {
    for (const m of text.matchAll(PROSE_END)) {
      end = dates.find((x) => x.start >= m.index + m[0].length && x.start - (m.index + m[0].length) <= 4);
      if (end) break;
    }
  }
  // A contract without a start date of its own starts when it is signed.
  start ??= dateAt(d, CONTRACT.signed, dates) ?? dates.find((x) => x !== end && (!end || x.start < end.start));
  const value = amountAt(d, CONTRACT.value, amounts) ?? bareTotal(d, text, CONTRACT.value) ?? byLargest(amounts);
  const named = parties(text);
  return [...field('number', number), ...(named.length ? named : roleParties(d, dates)), ...field('startDate', start), ...field('endDate', end), ...field('value', value)];
}
