/**
 * The i18n catalogue: every string a user reads comes from here, in English and Russian.
 * Messages use `{name}` placeholders. When `count` is given and `<key>_one|_few|_many|_other`
 * exist, the plural form for the locale is chosen (Intl.PluralRules).
 */
import { catalog } from './catalog.ts';

export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];

export type Params = Record<string, string | number | undefined | null>;
/** Translates a key for one locale. */
export type Translate = (key: string, params?: Params) => string;

/** Maps any platform locale tag ('ru-RU', 'en_US', 'uk') to a supported locale. */
export function normalizeLocale(tag: string | null | undefined, fallback: Locale = 'en'): Locale {
  if (!tag) return fallback;
  const base = tag.toLowerCase().split(/[-_]/)[0];
  return base === 'ru' ? 'ru' : base === 'en' ? 'en' : fallback;
}

const pluralRules: Record<Locale, Intl.PluralRules> = {
  en: new Intl.PluralRules('en'),
  ru: new Intl.PluralRules('ru'),
};

function lookup(locale: Locale, key: string, params?: Params): string | undefined {
  const table = catalog[locale];
  if (params && typeof params.count === 'number') {
    const form = pluralRules[locale].select(params.count);
    const plural = table[`${key}_${form}`] ?? table[`${key}_other`];
    if (plural !== undefined) return plural;
  }
  return table[key];
}

/** Formats one message. Unknown keys fall back to English, then to the key itself. */
export function translate(locale: Locale, key: string, params?: Params): string {
  const template = lookup(locale, key, params) ?? lookup('en', key, params) ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

/** A translator bound to a locale. */
export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

/** True when the catalogue has the key (in English). */
export function hasMessage(key: string): boolean {
  return key in catalog.en || `${key}_other` in catalog.en;
}

/**
 * An error worded from the catalogue: its `message` is the English text (for logs and
 * callers that read it); `in(locale)` words it for the operator's language.
 */
export class LocalizedError extends Error {
  constructor(
    readonly key: string,
    readonly params: Params = {},
    options?: { cause?: unknown },
  ) {
    super(translate('en', key, params), options);
    this.name = 'LocalizedError';
  }

  in(locale: Locale): string {
    return translate(locale, this.key, this.params);
  }
}
