/**
 * The documents evaluation: runs every file of a labelled set (test/fixtures/documents/<set>,
 * written by scripts/doc-corpus.ts) through what the service does with an upload (sniff the
 * bytes, extract the text, detect the language, classify, extract the fields) and compares
 * the outcome with labels.jsonl. Prints category accuracy and field accuracy overall, per
 * category, per format and per language.
 *
 *   npm run eval:documents [-- --set heldout|heldout2|heldout3|tuning|tuning2|tuning3|tuning4] [--dir path] [--verbose] [--json] [--llm]
 *
 * `--llm` adds the configured LLM's structured fields (services/documents/llm-fields.ts) over
 * the deterministic ones, as the service does with a model configured (scripts/doc-eval-llm.ts).
 *
 * The held-out set (the default) is for reporting only; tune on `--set tuning`.
 * Exits 0 (it is a report) unless a file cannot be read at all: a missing file, or an
 * extractor failure other than the service's own refusal; a refused file (say an unsupported
 * format) is scored as a wrong category with every field missed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sniff } from '../services/documents/sniff.ts';
import { extract } from '../services/documents/extract/extract.service.ts';
import { createPdfReader } from '../services/documents/extract/pdf.poppler.ts';
import { ocrLanguageDirs, resolveOcr } from '../services/documents/extract/ocr.engine.ts';
import { DEFAULT_ZIP_LIMITS } from '../services/documents/zip.ts';
import { DocumentInputError } from '../services/documents/errors.ts';
import { detectLanguage } from '../services/documents/language.ts';
import { classify } from '../services/documents/classify.ts';
import { extractFields, type ExtractedField } from '../services/documents/fields.ts';
import { modelFields, type FieldModel, type FieldsSource, type LlmFieldsOptions } from '../services/documents/llm-fields.ts';
import { documentsConfigSchema } from '../services/documents/documents.config.ts';

/** The sets under test/fixtures/documents: held-out sets (report only) and tuning sets. */
const SETS = ['heldout', 'heldout2', 'heldout3', 'tuning', 'tuning2', 'tuning3', 'tuning4'];

/** One line of labels.jsonl. */
export interface DocLabel {
  file: string;
  language: string;
  format: string;
  category: string;
  layout?: string;
  fields: Record<string, unknown>;
}

/** What the pipeline made of one file: `refused` holds the service's refusal code. */
export interface DocOutcome {
  category: string;
  language?: string;
  fields: ExtractedField[];
  refused?: string;
}

/** One labelled field compared. */
export interface FieldScore {
  field: string;
  expected: unknown;
  got: string | null;
  ok: boolean;
}

/** One document scored. */
export interface DocScore {
  label: DocLabel;
  category: string;
  categoryOk: boolean;
  /** Unset when the file was refused (no text, no language). */
  languageOk?: boolean;
  fields: FieldScore[];
  refused?: string;
}

interface Tally {
  docs: number;
  categoryCorrect: number;
  fieldsCorrect: number;
  fieldsTotal: number;
}

/** What {@link tally} adds up. */
export interface DocReport {
  documents: number;
  category: { correct: number; total: number; accuracy: number };
  fields: { correct: number; total: number; accuracy: number };
  language: { correct: number; total: number; accuracy: number };
  byCategory: Record<string, Tally>;
  byFormat: Record<string, Tally>;
  byLanguage: Record<string, Tally>;
  byField: Record<string, { correct: number; total: number }>;
  refused: { file: string; code: string }[];
  misses: { file: string; field: string; expected: unknown; got: string | null }[];
}

const DATE_FIELDS = new Set(['date', 'startDate', 'endDate', 'issueDate', 'expiryDate']);
const AMOUNT_FIELDS = new Set(['total', 'value']);

/** Case, whitespace, quote style and trailing punctuation do not count. */
export function normText(s: string): string {
  return s.toLowerCase().replace(/[«»“”„"']/g, '"').replace(/[\s\u00a0\u202f]+/g, ' ').replace(/[\s,.;:]+$/, '').trim();
}

const normNumber = (s: string) => normText(s).replace(/^(?:№|no\.?|#)\s*/, '').replace(/\s/g, '');

/** "1234.50 USD" (the extractor's normalised amount) -> amount and currency. */
function parseAmount(s: string): { amount: number; currency: string } | null {
  const m = /^(-?\d+(?:\.\d+)?)\s+([A-Z]{3})$/.exec(s.trim());
  return m ? { amount: Number(m[1]), currency: m[2]! } : null;
}

function sameValue(field: string, expected: unknown, got: string): boolean {
  if (DATE_FIELDS.has(field)) return got === expected;
  if (AMOUNT_FIELDS.has(field)) {
    const e = expected as { amount: number; currency: string };
    const g = parseAmount(got);
    return !!g && Math.abs(g.amount - e.amount) < 0.005 && g.currency === e.currency;
  }
  if (field === 'number') return normNumber(got) === normNumber(String(expected));
  return normText(got) === normText(String(expected));
}

/** Compares one document's outcome with its labels (only the extractor's primary fields count). */
export function scoreDocument(label: DocLabel, outcome: DocOutcome): DocScore {
  const primary = outcome.fields.filter((f) => f.primary);
  const first = (name: string) => primary.find((f) => f.name === name)?.normalized ?? null;
  const fields: FieldScore[] = Object.entries(label.fields).map(([field, expected]): FieldScore => {
    if (field === 'items') {
      const n = primary.filter((f) => f.name === 'item').length;
      return { field, expected, got: String(n), ok: n === expected };
    }
    if (field === 'parties') {
      const got = primary.filter((f) => f.name === 'party').map((f) => normText(f.normalized)).sort();
      const want = (expected as string[]).map(normText).sort();
      return { field, expected, got: got.length ? got.join('; ') : null, ok: got.join('\n') === want.join('\n') };
    }
    const got = first(field);
    if (expected === null) return { field, expected, got, ok: got === null };
    return { field, expected, got, ok: got !== null && sameValue(field, expected, got) };
  });
  return {
    label,
    category: outcome.category,
    categoryOk: outcome.category === label.category,
    ...(outcome.refused ? {} : { languageOk: outcome.language === label.language }),
    fields,
    ...(outcome.refused ? { refused: outcome.refused } : {}),
  };
}

const ratio = (a: number, b: number) => (b ? a / b : 0);

/** Adds up scored documents. */
export function tally(scores: DocScore[]): DocReport {
  const groups = { byCategory: {} as Record<string, Tally>, byFormat: {} as Record<string, Tally>, byLanguage: {} as Record<string, Tally> };
  const byField: DocReport['byField'] = {};
  const misses: DocReport['misses'] = [];
  let cat = 0;
  let lang = 0;
  let read = 0;
  let fok = 0;
  let ftotal = 0;
  for (const s of scores) {
    const okFields = s.fields.filter((f) => f.ok).length;
    const keys: [keyof typeof groups, string][] = [['byCategory', s.label.category], ['byFormat', s.label.format], ['byLanguage', s.label.language]];
    for (const [g, k] of keys) {
      const t = (groups[g][k] ??= { docs: 0, categoryCorrect: 0, fieldsCorrect: 0, fieldsTotal: 0 });
      t.docs++;
      t.categoryCorrect += s.categoryOk ? 1 : 0;
      t.fieldsCorrect += okFields;
      t.fieldsTotal += s.fields.length;
    }
    cat += s.categoryOk ? 1 : 0;
    lang += s.languageOk ? 1 : 0;
    read += s.languageOk === undefined ? 0 : 1;
    fok += okFields;
    ftotal += s.fields.length;
    if (!s.categoryOk) misses.push({ file: s.label.file, field: 'category', expected: s.label.category, got: s.category });
    for (const f of s.fields) {
      const b = (byField[`${s.label.category}.${f.field}`] ??= { correct: 0, total: 0 });
      b.total++;
      if (f.ok) b.correct++;
      else misses.push({ file: s.label.file, field: f.field, expected: f.expected, got: f.got });
    }
  }
  const n = scores.length;
  return {
    documents: n,
    category: { correct: cat, total: n, accuracy: ratio(cat, n) },
    fields: { correct: fok, total: ftotal, accuracy: ratio(fok, ftotal) },
    language: { correct: lang, total: read, accuracy: ratio(lang, read) },
    ...groups,
    byField,
    refused: scores.filter((s) => s.refused).map((s) => ({ file: s.label.file, code: s.refused! })),
    misses,
  };
}

const EXTRACT_OPTIONS = (() => {
  const c = documentsConfigSchema.parse({});
  // PDFs are read as the worker role reads them (pdftotext when installed, else PDF.js), and
  // images and scanned pages with the OCR engine the worker resolves from the default settings.
  return {
    maxPages: c.maxPages,
    zip: DEFAULT_ZIP_LIMITS,
    ocrLanguages: ocrLanguageDirs(c.ocrLangPath, c.ocrLanguages, c.ocr.tessdataRoots),
    ocr: resolveOcr({ ...c.ocr, languages: c.ocrLanguages, langPath: c.ocrLangPath }),
    pdfOcr: { maxPages: c.ocr.maxPages, dpi: c.ocr.dpi },
    pdfPool: createPdfReader({ ...c.pdf }),
  };
})();

/** The field model of `--llm`, and a count of where each document's fields came from. */
export interface EvalModel {
  model: FieldModel;
  opts: LlmFieldsOptions;
  sources: Partial<Record<FieldsSource, number>>;
}

/** The service's path for one file's bytes: sniff, extract, language, classify, fields (with `llm`, the model's over the rules'). */
export async function readDocument(bytes: Buffer, llm?: EvalModel): Promise<DocOutcome> {
  let text: string;
  try {
    const ex = await extract(bytes, sniff(bytes), EXTRACT_OPTIONS);
    text = ex.text;
  } catch (err) {
    if (err instanceof DocumentInputError) return { category: `refused:${err.code}`, fields: [], refused: err.code };
    throw err;
  }
  const language = detectLanguage(text);
  const { category } = classify(text, language);
  const rules = extractFields(text, category);
  if (!llm) return { category, language, fields: rules };
  const found = await modelFields(llm.model, { text, category, rules, workspaceKey: 'eval:default' }, llm.opts);
  llm.sources[found.source] = (llm.sources[found.source] ?? 0) + 1;
  return { category, language, fields: found.fields };
}

/** Reads labels.jsonl of a set directory. */
export function loadLabels(dir: string): DocLabel[] {
  return readFileSync(join(dir, 'labels.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DocLabel);
}

/** Scores every labelled file of `dir`; files that cannot be read at all are returned apart. */
export async function evaluateSet(dir: string, llm?: EvalModel): Promise<{ report: DocReport; unreadable: { file: string; error: string }[] }> {
  const scores: DocScore[] = [];
  const unreadable: { file: string; error: string }[] = [];
  for (const label of loadLabels(dir)) {
    try {
      scores.push(scoreDocument(label, await readDocument(readFileSync(join(dir, label.file)), llm)));
    } catch (err) {
      unreadable.push({ file: label.file, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { report: tally(scores), unreadable };
}

const pct = (a: number, b: number) => `${(ratio(a, b) * 100).toFixed(1)}% (${a}/${b})`;
const show = (v: unknown) => (v === null || v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));

/** Human-readable report; `verbose` lists every miss. */
export function formatDocReport(r: DocReport, verbose = false): string {
  const group = (name: string, g: Record<string, Tally>) => [
    `${name}:`,
    ...Object.entries(g)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([k, t]) => `  ${k.padEnd(12)} category ${pct(t.categoryCorrect, t.docs).padEnd(16)} fields ${pct(t.fieldsCorrect, t.fieldsTotal)}`),
  ];
  const lines = [
    `documents: ${r.documents}`,
    `category accuracy: ${pct(r.category.correct, r.category.total)}`,
    `field accuracy: ${pct(r.fields.correct, r.fields.total)}`,
    `language detected (files read): ${pct(r.language.correct, r.language.total)}`,
    ...group('per category', r.byCategory),
    ...group('per format', r.byFormat),
    ...group('per language', r.byLanguage),
    'per field:',
    ...Object.entries(r.byField)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([k, t]) => `  ${k.padEnd(24)} ${pct(t.correct, t.total)}`),
  ];
  if (r.refused.length) lines.push(`refused by the service: ${r.refused.map((x) => `${x.file} (${x.code})`).join(', ')}`);
  if (verbose && r.misses.length) {
    lines.push('misses (file, field, expected, got):');
    for (const m of r.misses) lines.push(`  ${m.file}  ${m.field}  expected ${show(m.expected)}  got ${show(m.got)}`);
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { set: { type: 'string', default: 'heldout' }, dir: { type: 'string' }, verbose: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, llm: { type: 'boolean', default: false } } });
  if (!values.dir && !SETS.includes(values.set)) throw new Error(`--set is ${SETS.join(', ')}, not "${values.set}"`);
  const dir = values.dir ?? join(import.meta.dirname, '..', 'test', 'fixtures', 'documents', values.set);
  const ev = values.llm ? (await import('./doc-eval-llm.ts')).evalFieldModel() : undefined;
  const llm: EvalModel | undefined = ev ? { model: ev.model, opts: ev.opts, sources: {} } : undefined;
  const { report, unreadable } = await evaluateSet(dir, llm).finally(() => ev?.close());
  if (llm) process.stderr.write(`fields by source (documents): ${JSON.stringify(llm.sources)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ set: values.dir ?? values.set, ...report, unreadable }, null, 2)}\n`);
  else process.stdout.write(`set: ${values.dir ?? values.set}\n${formatDocReport(report, values.verbose)}\n`);
  for (const u of unreadable) process.stderr.write(`cannot read ${u.file}: ${u.error}\n`);
  return unreadable.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
