/**
 * Passages for questions: a document's text cut into paragraph-sized chunks, scored by how
 * many of the question's word stems they contain, each with the location it came from.
 */
import type { TextLocation } from './extract/types.ts';
import { fold } from './language.ts';
import { sentences } from './summary.ts';

/** A passage answering a question, with where it is. */
export interface Passage {
  text: string;
  location: TextLocation | null;
  score: number;
}

/** Passages (paragraph-sized chunks) of a text with their locations. */
export function passagesOf(text: string, locations: TextLocation[]): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  // Short location units (rows, lines) are merged with neighbours up to ~400 characters; long ones are split into sentences.
  let buf = '';
  let bufStart = 0;
  const flush = () => {
    if (buf.trim()) out.push({ text: buf.trim(), start: bufStart });
    buf = '';
  };
  const units = locations.length ? locations.map((l) => ({ start: l.start, text: text.slice(l.start, l.end) })) : [{ start: 0, text }];
  for (const u of units) {
    if (u.text.length > 500) {
      flush();
      let group = '';
      let groupStart = u.start;
      for (const s of sentences(u.text)) {
        if (!group) groupStart = u.start + s.start;
        group = group ? `${group} ${s.text}` : s.text;
        if (group.length > 300) {
          out.push({ text: group, start: groupStart });
          group = '';
        }
      }
      if (group) out.push({ text: group, start: groupStart });
      continue;
    }
    if (!buf) bufStart = u.start;
    buf = buf ? `${buf}\n${u.text}` : u.text;
    if (buf.length > 250) flush();
  }
  flush();
  return out;
}

// A crude stemmer shared by both languages: folded word prefixes are enough to match inflections.
const stem = (w: string) => w.slice(0, Math.max(4, Math.min(6, w.length - 2)));
const STOPQ = new Set('what when where which who whom does did is are the a an of in on to for and or how much many this that there about какой какая какие каков когда где кто что как сколько это этот эта в на о об и или по для у из до от с'.split(' '));

function queryStems(question: string): string[] {
  return [...new Set((fold(question).match(/[\p{L}\p{N}]{2,}/gu) ?? []).filter((w) => !STOPQ.has(w)).map(stem))];
}

/** Scores passages by how many of the question's word stems they contain. */
export function bestPassages(question: string, text: string, locations: TextLocation[], limit = 3): Passage[] {
  const q = queryStems(question);
  if (q.length === 0) return [];
  const scored = passagesOf(text, locations).map((p) => {
    const words = new Set((fold(p.text).match(/[\p{L}\p{N}]{2,}/gu) ?? []).map(stem));
    let hits = 0;
    for (const s of q) if (words.has(s)) hits++;
    const location = locations.find((l) => p.start >= l.start && p.start <= l.end) ?? null;
    return { text: p.text, location, score: hits / q.length };
  });
  return scored
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
