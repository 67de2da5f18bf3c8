/** Language of a document: Russian when Cyrillic letters dominate, else English. */

export type DocLanguage = 'en' | 'ru';

/** Counts Cyrillic vs Latin letters in the first 20,000 characters. */
export function detectLanguage(text: string): DocLanguage {
  const sample = text.slice(0, 20_000);
  let cyr = 0;
  let lat = 0;
  for (const ch of sample) {
    if (/[\u0400-\u04FF]/.test(ch)) cyr++;
    else if (/[A-Za-z]/.test(ch)) lat++;
  }
  return cyr > 0 && cyr >= lat * 0.5 ? 'ru' : 'en';
}

/** Lower-cases and folds ё into е, so rules and search treat "счёт" and "счет" alike. */
export function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}
