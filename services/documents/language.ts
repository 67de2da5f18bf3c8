/** Language of a document (the project's one detector) and the folding that rules and search share. */
import type { Language } from '../i18n/language.ts';

export { detectLanguage } from '../i18n/language.ts';

export type DocLanguage = Language;

/** Lower-cases and folds ё into е, so rules and search treat "счёт" and "счет" alike. */
export function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}
