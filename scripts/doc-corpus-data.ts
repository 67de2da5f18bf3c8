/**
 * Content of the document corpus (scripts/doc-corpus.ts): name pools, date and amount
 * spellings, and one builder per category that makes a document's parts (title, header lines,
 * label/value pairs, prose, an item table) together with the labels a reader should recover.
 * Label wording comes in variants; a set draws only from its own share of them (see `pick`).
 */

export type Lang = 'en' | 'ru';
export type SetName = 'heldout' | 'tuning';

/** Seeded random numbers (mulberry32): the same seed gives the same corpus. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builder context: the random source and the set whose share of label variants is used. */
export interface Ctx {
  r: () => number;
  set: SetName;
}

export const any = <T>(c: Ctx, xs: readonly T[]): T => xs[Math.floor(c.r() * xs.length)]!;
const int = (c: Ctx, lo: number, hi: number) => lo + Math.floor(c.r() * (hi - lo + 1));

/** A label variant from the set's share: held-out takes the even positions, tuning the odd ones. */
export function pick(c: Ctx, variants: readonly string[]): string {
  const own = variants.filter((_, i) => (i % 2 === 0) === (c.set === 'heldout'));
  return any(c, own.length ? own : variants);
}

/** The parts of one document and its labels. */
export interface Rec {
  category: string;
  lang: Lang;
  title: string;
  head: string[];
  pairs: [string, string][];
  prose: string[];
  table?: string[][];
  footer: string[];
  fields: Record<string, unknown>;
}

const COMPANIES: Record<Lang, string[]> = {
  en: ['Northwind Traders Ltd', 'Blue Harbor Logistics LLC', 'Kestrel Analytics Inc.', 'Greenfield Office Supply Co.', 'Atlas Metalworks GmbH', 'Brightline Software Ltd', 'Pinecrest Facilities Services', 'Harbourview Catering Ltd', 'Orion Data Systems LLC', 'Redwood Engineering plc', 'Silverline Print & Copy', 'Meridian Legal Services LLP', 'Copperleaf Consulting Group', 'Summit Cloud Hosting Inc.'],
  ru: ['ООО «Ромашка»', 'АО «Северный ветер»', 'ООО «ТехноСервис»', 'ООО «Гранит-М»', 'ПАО «Волгаэнерго»', 'ООО «Альфа Логистик»', 'ЗАО «Уральские системы»', 'ООО «Берёзка»', 'АО «СибПромСнаб»', 'ООО «Канцлер»', 'ООО «Невский проект»', 'АО «Дальтранс»', 'ООО «Светлый дом»', 'ООО «Инфосфера»'],
};
const PEOPLE: Record<Lang, string[]> = {
  en: ['Emily Carter', "James O'Neill", 'Priya Raman', 'Thomas Becker', 'Laura Jensen', 'Michael Grant', 'Sofia Alvarez', 'Daniel Whitmore', 'Hannah Okafor', 'Robert Lindqvist', 'Chloe Martin', 'Arjun Mehta'],
  ru: ['Иванов Иван Иванович', 'Петрова Мария Сергеевна', 'Кузнецов Алексей Дмитриевич', 'Смирнова Ольга Викторовна', 'Соколов Дмитрий Андреевич', 'Волкова Анна Павловна', 'Морозов Сергей Николаевич', 'Лебедева Екатерина Игоревна', 'Новиков Павел Олегович', 'Фёдорова Татьяна Юрьевна', 'Зайцев Роман Ильич', 'Орлова Наталья Викторовна'],
};
const ITEMS: Record<Lang, string[]> = {
  en: ['A4 copy paper, 500 sheets', 'Toner cartridge 85A', 'Office chair ErgoPlus', 'Consulting hours', 'Server maintenance', 'USB-C docking station', 'LED desk lamp', 'Annual software licence', 'Network switch, 24 ports', 'Office cleaning (monthly)', 'Courier delivery', 'Label printer'],
  ru: ['Бумага А4, 500 листов', 'Картридж 85A', 'Кресло офисное', 'Консультационные услуги', 'Техническое обслуживание сервера', 'Монитор 27 дюймов', 'Стол письменный', 'Лицензия на ПО (1 год)', 'Коммутатор на 24 порта', 'Уборка помещений (месяц)', 'Курьерская доставка', 'Принтер этикеток'],
};
const CITIES: Record<Lang, string[]> = { en: ['London', 'Manchester', 'Dublin', 'Boston', 'Toronto', 'Edinburgh'], ru: ['г. Москва', 'г. Санкт-Петербург', 'г. Казань', 'г. Екатеринбург', 'г. Новосибирск', 'г. Самара'] };

export const company = (c: Ctx, lang: Lang) => any(c, COMPANIES[lang]);
export const person = (c: Ctx, lang: Lang) => any(c, PEOPLE[lang]);
export const city = (c: Ctx, lang: Lang) => any(c, CITIES[lang]);
export const items = (c: Ctx, lang: Lang) => ITEMS[lang];
/** "Петрова Мария Сергеевна" -> "Петрова М. С.". */
export const initials = (full: string) => full.split(' ').map((p, i) => (i === 0 ? p : `${p[0]}.`)).join(' ');

const pad = (n: number) => String(n).padStart(2, '0');
/** A random ISO date in [from, from + days]. */
export function isoDate(c: Ctx, from = '2023-01-01', days = 1300): string {
  const d = new Date(Date.parse(`${from}T00:00:00Z`) + int(c, 0, days) * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
export function addDays(iso: string, days: number): string {
  const d = new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
export const addYears = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const RU_MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

export type DateStyle = 'iso' | 'dots' | 'mdy' | 'dmy' | 'ru' | 'ruq' | 'mon';
export const DATE_STYLES: Record<Lang, DateStyle[]> = { en: ['iso', 'dots', 'mdy', 'dmy', 'mon'], ru: ['dots', 'ru', 'iso', 'ruq'] };

/** Spells an ISO date: 2024-05-17, 17.05.2024, May 17, 2024, 17 May 2024, 17 мая 2024 г., «17» мая 2024 г., 17 Mar 2024. */
export function spellDate(iso: string, style: DateStyle): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (style === 'iso') return iso;
  if (style === 'dots') return `${pad(d)}.${pad(m)}.${y}`;
  if (style === 'mdy') return `${EN_MONTHS[m - 1]} ${d}, ${y}`;
  if (style === 'dmy') return `${d} ${EN_MONTHS[m - 1]} ${y}`;
  if (style === 'mon') return `${pad(d)} ${EN_MONTHS[m - 1]!.slice(0, 3)} ${y}`;
  if (style === 'ru') return `${d} ${RU_MONTHS[m - 1]} ${y} г.`;
  return `«${pad(d)}» ${RU_MONTHS[m - 1]} ${y} г.`;
}

function group(n: number, sep: string): string {
  return Math.floor(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}
const cents = (n: number) => pad(Math.round((n % 1) * 100) % 100);

/** Spells an amount with its currency in one of the styles a document of that language uses. */
export function spellAmount(c: Ctx, n: number, cur: string, lang: Lang): string {
  const sign: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };
  if (lang === 'ru' && cur === 'RUB') {
    return any(c, [`${group(n, ' ')},${cents(n)} руб.`, `${group(n, ' ')},${cents(n)} ₽`, `${group(n, '\u00a0')},${cents(n)} рублей`, `${Math.floor(n)},${cents(n)} RUB`]);
  }
  if (lang === 'ru') return `${group(n, ' ')},${cents(n)} ${cur}`;
  const en = [`${sign[cur] ?? `${cur} `}${group(n, ',')}.${cents(n)}`, `${cur} ${group(n, ',')}.${cents(n)}`, `${group(n, ',')}.${cents(n)} ${cur}`];
  if (cur === 'EUR') en.push(`${group(n, '.')},${cents(n)} EUR`);
  return any(c, en);
}

export function currency(c: Ctx, lang: Lang): string {
  return lang === 'ru' ? any(c, ['RUB', 'RUB', 'RUB', 'USD', 'EUR']) : any(c, ['USD', 'USD', 'EUR', 'GBP']);
}

export const money = (c: Ctx, lo: number, hi: number) => Math.round((lo + c.r() * (hi - lo)) * 100) / 100;
export { int };
