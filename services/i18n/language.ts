/**
 * The one language detector: Russian when Cyrillic letters make up at least a third of the
 * letters (Cyrillic at least half as many as Latin), else English. Chat messages and documents
 * use it alike; product names, code and URLs in Latin letters inside Russian text do not flip it.
 */
export type Language = 'en' | 'ru';

const CYRILLIC = /[\u0400-\u04FF]/;
const LATIN = /[A-Za-z]/;

/** Counts Cyrillic and Latin letters in the first `sample` characters. */
export function letterCounts(text: string, sample = 20_000): { cyrillic: number; latin: number } {
  let cyrillic = 0;
  let latin = 0;
  for (const ch of text.slice(0, sample)) {
    if (CYRILLIC.test(ch)) cyrillic++;
    else if (LATIN.test(ch)) latin++;
  }
  return { cyrillic, latin };
}

/** The language of `text` by its letters (English when it has none). */
export function detectLanguage(text: string): Language {
  const { cyrillic, latin } = letterCounts(text);
  return cyrillic > 0 && cyrillic * 2 >= latin ? 'ru' : 'en';
}
