/**
 * An extractive summary without an LLM: sentences scored by the frequency of their content
 * words (normalised by length), with a small bonus for the opening lines; the best few are
 * returned in their original order.
 */
import { fold } from './language.ts';

const STOP = new Set(
  'the and for with this that from are was were has have will shall not you your our its into per all any also been which who they their them than then there these those such only over under more most other some what when where while would could should may might must can или для что это как его при под над без также так был была были быть она они оно еще уже все всех этот эта эти этого the of to in on by is be as at an a и в во на с со по от до из к у о об не за же то а но'.split(' '),
);

const INITIAL_END = /(?:^|[\s(«"])\p{Lu}\.$/u;

/** Splits text into sentences (newlines also end one; very short fragments are dropped). */
export function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const re = /[^.!?\n]+(?:[.!?]+(?=\s|$)|(?=\n)|$)/g;
  // A full stop after a lone capital is an initial ("Петрова П. П.", "J. R. Smith"), not the end of a
  // sentence: such a piece is carried into the next one on the same line.
  let carry: { text: string; start: number } | null = null;
  for (const m of text.matchAll(re)) {
    const raw = m[0];
    const start: number = carry ? carry.start : m.index! + raw.indexOf(raw.trim());
    const joined: string = carry ? `${carry.text}${raw}` : raw.trim();
    carry = null;
    if (INITIAL_END.test(joined) && text[m.index! + raw.length] !== '\n' && m.index! + raw.length < text.length) {
      carry = { text: joined, start };
      continue;
    }
    const t = joined.trim();
    if (t.replace(/[^\p{L}]/gu, '').length < 8) continue;
    out.push({ text: t, start });
  }
  if (carry && carry.text.replace(/[^\p{L}]/gu, '').length >= 8) out.push({ text: carry.text.trim(), start: carry.start });
  return out;
}

/** Up to `maxSentences` sentences, at most `maxChars` characters. */
export function summarize(text: string, maxSentences = 3, maxChars = 400): string {
  const sents = sentences(text).slice(0, 400);
  if (sents.length === 0) return text.trim().slice(0, maxChars);
  const freq = new Map<string, number>();
  const words = (s: string) => (fold(s).match(/[\p{L}]{3,}/gu) ?? []).filter((w) => !STOP.has(w));
  for (const s of sents) for (const w of words(s.text)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const max = Math.max(1, ...freq.values());
  const scored = sents.map((s, i) => {
    const ws = words(s.text);
    const score = ws.reduce((acc, w) => acc + (freq.get(w) ?? 0) / max, 0) / Math.sqrt(Math.max(ws.length, 1)) + (i === 0 ? 0.5 : i < 3 ? 0.2 : 0);
    return { i, s: s.text, score };
  });
  const chosen = scored
    .sort((a, b) => b.score - a.score)
    .slice(0, maxSentences)
    .sort((a, b) => a.i - b.i);
  let out = '';
  for (const c of chosen) {
    const next = out ? `${out} ${c.s}` : c.s;
    if (next.length > maxChars) break;
    out = next;
  }
  return out || chosen[0]!.s.slice(0, maxChars);
}
