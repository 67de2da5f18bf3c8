/**
 * The labelled corpus the classifier is trained on: agents/understanding/corpus/en.jsonl and
 * ru.jsonl, one `{"text", "intent", "severity"?}` per line (docs/understanding.md says how to
 * add examples). Read once per process; the build copies the folder next to the bundle.
 */
import { readFileSync } from 'node:fs';
import type { Locale } from '../../services/i18n/i18n.ts';

/** One labelled message. `severity` is set for problem reports. */
export interface CorpusEntry {
  text: string;
  lang: Locale;
  intent: string;
  severity?: 'P0' | 'P1' | 'P2' | 'P3';
  args?: Record<string, unknown>;
}

/** Reads a JSON-lines file of labelled messages; `lang` defaults to the given one. */
export function readLabelled(path: URL | string, lang?: Locale): CorpusEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const e = JSON.parse(l) as CorpusEntry;
      return { ...e, lang: e.lang ?? lang ?? 'en' };
    });
}

/** The corpus files, English then Russian. */
export const CORPUS_FILES = [new URL('./corpus/en.jsonl', import.meta.url), new URL('./corpus/ru.jsonl', import.meta.url)] as const;

let cached: CorpusEntry[] | null = null;

/** The shipped training corpus, English and Russian. */
export function trainingCorpus(): CorpusEntry[] {
  cached ??= [...readLabelled(CORPUS_FILES[0], 'en'), ...readLabelled(CORPUS_FILES[1], 'ru')];
  return cached;
}
