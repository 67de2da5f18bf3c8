/**
 * What the classifier sees of a message: Snowball stems of its words (English for Latin words,
 * Russian for Cyrillic ones, and Russian again for Latin words read as transliterated Russian,
 * "ne rabotaet" -> "не работает"), stem bigrams, and character 3- and 4-grams of the whole
 * text spelled in Latin letters, so a typo or a transliteration still shares most n-grams with
 * the words it stands for.
 */
import snowball from 'snowball-stemmers';

const en = snowball.newStemmer('english');
const ru = snowball.newStemmer('russian');

const CYR_TO_LAT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

// Longest Latin spellings first: "sh" before "s".
const LAT_TO_CYR: [string, string][] = [
  ['shch', 'щ'], ['zh', 'ж'], ['ch', 'ч'], ['sh', 'ш'], ['yu', 'ю'], ['ya', 'я'], ['yo', 'е'], ['kh', 'х'], ['ts', 'ц'],
  ['a', 'а'], ['b', 'б'], ['v', 'в'], ['g', 'г'], ['d', 'д'], ['e', 'е'], ['z', 'з'], ['i', 'и'], ['y', 'ы'], ['k', 'к'], ['l', 'л'], ['m', 'м'],
  ['n', 'н'], ['o', 'о'], ['p', 'п'], ['r', 'р'], ['s', 'с'], ['t', 'т'], ['u', 'у'], ['f', 'ф'], ['h', 'х'], ['c', 'ц'], ['w', 'в'], ['x', 'кс'], ['j', 'й'], ['q', 'к'],
];

/** Lower case, 'ё' as 'е', numbers as one token shape. */
export function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

/** Cyrillic letters spelled in Latin ones. */
export function toLatin(text: string): string {
  let out = '';
  for (const ch of text) out += CYR_TO_LAT[ch] ?? ch;
  return out;
}

/** A Latin word read as transliterated Russian. */
export function toCyrillic(word: string): string {
  let out = '';
  let i = 0;
  outer: while (i < word.length) {
    for (const [lat, cyr] of LAT_TO_CYR) {
      if (word.startsWith(lat, i)) {
        out += cyr;
        i += lat.length;
        continue outer;
      }
    }
    out += word[i];
    i++;
  }
  return out;
}

/** Words of folded text: letters and digits; a number becomes '<n>', a ticket '#<n>'. */
export function words(folded: string): string[] {
  return (folded.match(/#?[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? []).map((w) => (/^#\d+$/.test(w) ? '#<n>' : /^\d+$/.test(w) ? '<n>' : w));
}

const CYRILLIC = /[а-я]/;

/** The stems of one word (Russian words one, Latin words their English stem and a Russian reading). */
export function stemsOf(word: string): string[] {
  if (word.startsWith('<') || word.startsWith('#')) return [word];
  if (CYRILLIC.test(word)) return [ru.stem(word)];
  const out = [en.stem(word)];
  // Transliterated Russian: only words long enough to be read at all.
  if (word.length >= 3 && /^[a-z]+$/.test(word)) out.push(`r:${ru.stem(toCyrillic(word))}`);
  return out;
}

/** The feature list of a message (repeats count). */
export function featuresOf(text: string): string[] {
  const folded = fold(text);
  const ws = words(folded);
  const out: string[] = [];
  const firsts: string[] = [];
  for (const w of ws) {
    const s = stemsOf(w);
    firsts.push(s[0]!);
    for (const x of s) out.push(`w:${x}`);
  }
  for (let i = 0; i + 1 < firsts.length; i++) out.push(`b:${firsts[i]}_${firsts[i + 1]}`);
  if (firsts.length) out.push(`f:${firsts[0]}`);
  const latin = ` ${toLatin(ws.join(' '))} `;
  for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= latin.length; i++) out.push(`c:${latin.slice(i, i + n)}`);
  if (/\?\s*$/.test(text)) out.push('p:?');
  if (/[#№]\s*\d|\b\d{1,6}\b/.test(text)) out.push('p:num');
  return out;
}
