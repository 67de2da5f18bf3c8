/**
 * Text from outside (webhooks, chat, tickets) made safe to store and show: PostgreSQL refuses
 * NUL in text and jsonb and a lone UTF-16 surrogate in jsonb, so a sender that retries on 5xx
 * would retry such a payload for ever. Three small pure functions, shared by every feature.
 */

const PLAIN_ASCII = /^[\t\n\r\x20-\x7E]*$/;

// C0 controls except tab, line feed and carriage return, which carry meaning in text.
const C0_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Whitespace (\s covers U+FEFF and the Unicode spaces) and characters that render as nothing:
// soft hyphen, combining grapheme joiner, Mongolian vowel separator, zero-width space/joiners,
// direction marks, word joiner and invisible operators.
const BLANK = /^[\s\u00AD\u034F\u180E\u200B-\u200F\u2060-\u2064]*$/;

/**
 * Returns `s` with NUL and the other C0 control characters (but tab, LF and CR) removed, each
 * lone surrogate replaced by U+FFFD, and the result in Unicode normalization form NFC.
 */
export function cleanText(s: string): string {
  // Printable ASCII (with tab, LF, CR) has nothing to remove and is already NFC: most labels,
  // keys and identifiers take this exit instead of two replaces and a normalisation.
  if (PLAIN_ASCII.test(s)) return s;
  return s.replace(C0_CONTROLS, '').replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
}

let segmenter: Intl.Segmenter | undefined;

/**
 * Shortens `s` to at most `n` code points without splitting a surrogate pair or separating a
 * base character from its combining marks (whole grapheme clusters are kept or dropped).
 * With `ellipsis`, a shortened result ends with it, and it counts within `n`.
 */
export function truncate(s: string, n: number, ellipsis = ''): string {
  const max = Math.max(0, Math.floor(n));
  // Cheap exit: UTF-16 length bounds the code point count from above.
  if (s.length <= max) return s;
  const points = (x: string) => [...x].length;
  if (points(s) <= max) return s;
  const room = Math.max(0, max - points(ellipsis));
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(s)) {
    const size = points(segment);
    if (used + size > room) break;
    out += segment;
    used += size;
  }
  return ellipsis && points(ellipsis) <= max ? out + ellipsis : out;
}

/** True when `s` has nothing visible: only whitespace or zero-width characters (or nothing). */
export function isBlank(s: string): boolean {
  return BLANK.test(s);
}

/** Length of `s` in code points, the unit {@link truncate} and JSON Schema's maxLength count in. */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/**
 * A JSON-like value with every string in it (object keys too) passed through
 * {@link cleanText}; other values are returned as they are. Arrays and plain objects are copied,
 * so the input is never changed. Keys that collide once cleaned keep the last value.
 */
export function cleanDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return cleanText(value) as T;
  // Request bodies are bounded by the body limit; the depth bound only stops a pathological nest.
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanDeep(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  // fromEntries defines own properties, so a cleaned '__proto__' key cannot touch a prototype.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanDeep(v, depth + 1)])) as T;
}
