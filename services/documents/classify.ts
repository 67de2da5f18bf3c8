/**
 * Deterministic document classification: weighted English and Russian rules, with matches in
 * the title area counting more. Stored corrections win when a new document looks like one that
 * a person re-labelled (term overlap), so a correction is used, not only stored.
 */
import { fold, type DocLanguage } from './language.ts';

export const CATEGORIES = ['passport', 'certificate', 'manual', 'report', 'contract', 'invoice', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}

/** A classification with its confidence (0..1) and where it came from. */
export interface Classification {
  category: Category;
  confidence: number;
  source: 'rules' | 'correction';
  /** Rule scores per category, for explanation and tests. */
  scores: Record<string, number>;
}

/** A past correction: the corrected document's characteristic terms and the right category. */
export interface CorrectionExample {
  terms: string[];
  category: Category;
}

type Rule = [pattern: string, weight: number];

// Patterns run on folded text (lower case, ё -> е); word boundaries are Unicode-aware, and so
// are the word tails ([\p{L}\p{N}]*, not \w, which is ASCII only: "договора" is a договор).
const RULES: Record<Exclude<Category, 'other'>, Rule[]> = {
  invoice: [
    ['invoice', 3],
    ['bill to', 1.5],
    ['bill\\s+(?:number|no\\.?|date)', 3],
    ['(?:amount|total)\\s+(?:owed|payable)', 2],
    ['(?:total|amount|balance) due', 2],
    ['payment terms', 1],
    ['unit price', 1],
    ['vat', 0.5],
    ['счет на оплату', 3],
    ['счет(?:-фактура)?\\s*[;,|:]?\\s*(?:№|n)', 3],
    ['номер счета', 2],
    ['итого к оплате', 2],
    ['покупатель', 1],
    ['поставщик', 1],
    ['ндс', 0.5],
    ['наименование', 0.5],
  ],
  contract: [
    ['agreement', 2.5],
    ['contract', 2.5],
    ['the parties', 1.5],
    ['between', 0.5],
    ['terminat[\\p{L}\\p{N}]*', 1],
    ['governing law', 1.5],
    ['hereinafter', 1],
    ['in force', 1],
    ['договор[\\p{L}\\p{N}]*', 3],
    ['именуем[\\p{L}\\p{N}]* в дальнейшем', 2],
    ['сторон[\\p{L}\\p{N}]*', 1],
    ['предмет договора', 2],
    ['заключили', 1],
  ],
  certificate: [
    ['certificate', 3],
    ['certif(?:y|ies)', 2],
    ['has (?:successfully )?completed', 1],
    ['valid until', 1],
    ['сертификат[\\p{L}\\p{N}]*', 3],
    ['удостоверени[\\p{L}\\p{N}]*', 2],
    ['настоящим удостоверяется', 2],
    ['свидетельство', 2],
    ['диплом[\\p{L}\\p{N}]*', 2.5],
    ['награжда[\\p{L}]*', 1],
    ['действител[\\p{L}\\p{N}]* до', 1],
  ],
  passport: [
    ['passport', 3],
    ['date of expiry', 1.5],
    ['nationality', 1.5],
    ['date of birth', 1],
    ['surname', 1],
    ['given names?', 1.5],
    ['паспорт[\\p{L}\\p{N}]*', 3],
    ['загранпаспорт[\\p{L}\\p{N}]*', 3],
    ['код подразделения', 2.5],
    ['дата рождения', 1],
    ['фамилия', 1],
    ['отчество', 1],
    ['серия', 1],
  ],
  manual: [
    ['manual', 3],
    ['user guide', 3],
    ['(?:quick\\s+)?(?:reference|start|setup|installation|service)\\s+guide', 3],
    ['guide', 1.5],
    ['handbook', 3],
    ['getting started', 3],
    ['how[ -]to', 2.5],
    ['(?:operating\\s+)?procedure', 1.5],
    ['instructions?', 1],
    ['step \\d+', 1],
    ['installation', 1],
    ['troubleshooting', 2],
    ['chapter', 0.5],
    ['safety', 0.5],
    ['warning', 0.5],
    ['руководство', 3],
    ['инструкци[\\p{L}\\p{N}]*', 3],
    ['памятк[\\p{L}\\p{N}]*', 3],
    ['методическ[\\p{L}]* (?:указани|рекомендаци)[\\p{L}]*', 3],
    ['регламент[\\p{L}\\p{N}]*', 2],
    ['шаг \\d+', 1],
    ['установка', 1],
    ['устранение неисправностей', 2],
    ['глава', 0.5],
    ['меры безопасности', 1],
    ['внимание', 0.5],
  ],
  report: [
    ['report', 3],
    ['executive summary', 2],
    ['findings', 1.5],
    ['analysis', 1],
    ['recommendations?', 1],
    ['conclusions?', 1],
    ['quarter(?:ly)?', 1],
    ['отчет[\\p{L}\\p{N}]*', 3],
    ['итоги', 1],
    ['анализ[\\p{L}\\p{N}]*', 1],
    ['рекомендаци[\\p{L}\\p{N}]*', 1],
    ['выводы', 1.5],
    ['квартал[\\p{L}\\p{N}]*', 1],
    ['(?:quarterly|annual|monthly|weekly|sales|performance|business|project)\\s+review', 3],
    ['post-?mortem', 3],
    ['retrospective', 3],
    ['обзор[\\p{L}\\p{N}]*', 1.5],
    ['сводк[\\p{L}\\p{N}]*', 2],
  ],
};

const COMPILED = Object.fromEntries(
  Object.entries(RULES).map(([cat, rules]) => [cat, rules.map(([p, w]) => [new RegExp(`(?<![\\p{L}\\p{N}])(?:${p})(?![\\p{L}\\p{N}])`, 'u'), w] as const)]),
) as Record<Exclude<Category, 'other'>, (readonly [RegExp, number])[]>;

/** Below this score nothing is claimed: the document is "other". */
const MIN_SCORE = 2.5;
const TITLE_CHARS = 200;

const STOP = new Set(
  'the and for with this that from are was were has have will shall not you your our its into per all any или для что это как его при под над без the of to in on by is be as at an a и в во на с со по от до из к у о об не за же то'.split(' '),
);

/** The document's characteristic terms (most frequent content words), for correction matching. */
export function topTerms(text: string, n = 30): string[] {
  const counts = new Map<string, number>();
  for (const w of fold(text).match(/[\p{L}]{3,}/gu) ?? []) {
    if (STOP.has(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([w]) => w);
}

function jaccard(a: string[], b: string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  const union = sa.size + sb.size - inter;
  return union === 0 ? 0 : inter / union;
}

/** Term overlap at which a past correction decides the category. */
export const CORRECTION_SIMILARITY = 0.5;

/** The title line: the first of the first three non-empty lines with two words of letters (not a sheet name). */
export function titleLine(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3);
  return lines.find((l) => l.length <= 120 && /\p{L}{2,}[^\p{L}\n]+\p{L}{2,}/u.test(l));
}

/** Classifies text; `corrections` are earlier human corrections (most recent first). */
export function classify(text: string, _language: DocLanguage, corrections: CorrectionExample[] = []): Classification {
  const folded = fold(text);
  const head = folded.slice(0, TITLE_CHARS);
  const title = titleLine(folded);
  const scores: Record<string, number> = {};
  for (const [cat, rules] of Object.entries(COMPILED)) {
    let s = 0;
    for (const [re, w] of rules) {
      if (re.test(head)) s += w * 1.5;
      else if (re.test(folded)) s += w;
      // The title names the kind of paper: "Incident Report" outweighs a "certificate" further down.
      if (title && re.test(title)) s += w;
    }
    scores[cat] = s;
  }
  if (corrections.length) {
    const terms = topTerms(text);
    let best: { sim: number; category: Category } | null = null;
    for (const c of corrections) {
      const sim = jaccard(terms, c.terms);
      if (!best || sim > best.sim) best = { sim, category: c.category };
    }
    if (best && best.sim >= CORRECTION_SIMILARITY) return { category: best.category, confidence: Math.round(best.sim * 100) / 100, source: 'correction', scores };
  }
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [top, second] = [ranked[0]!, ranked[1]!];
  if (top[1] < MIN_SCORE) {
    return { category: 'other', confidence: Math.round((1 - top[1] / (MIN_SCORE * 2)) * 100) / 100, source: 'rules', scores };
  }
  // Margin over the runner-up, squashed: a clear winner approaches 1.
  const confidence = Math.min(0.99, 0.5 + (top[1] - second[1]) / (2 * top[1]) + Math.min(top[1], 10) / 40);
  return { category: top[0] as Category, confidence: Math.round(confidence * 100) / 100, source: 'rules', scores };
}
