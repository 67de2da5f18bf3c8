/**
 * Writes held-out set 2 of the documents evaluation (test/fixtures/documents/heldout2): 42
 * documents written one by one by hand (scripts/doc-corpus2-trade.ts, -ids.ts, -texts.ts), not
 * drawn from the generator of the first two sets, in English and Russian, seven per category
 * and one per format in each: HTML, text and CSV sources; DOCX, ODT and PDF made from HTML or
 * text and XLSX from CSV by LibreOffice (soffice, headless). Written before the extractor was
 * tuned any further, and never to be tuned on.
 *
 *   node --import tsx scripts/doc-corpus2.ts [heldout2|tuning2]
 *
 * tuning2 (scripts/doc-corpus2-tuning.ts) is a small hand-written tuning set, written after
 * heldout2 for the weak categories and formats; heldout2 is the default.
 *
 * Writes the documents, src/ (the sources of converted files) and labels.jsonl (same shape as
 * the other sets'). Needs soffice (libreoffice-writer, libreoffice-calc).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Doc } from './doc-corpus2-kit.ts';
import { CONTRACTS, INVOICES } from './doc-corpus2-trade.ts';
import { CERTIFICATES, PASSPORTS } from './doc-corpus2-ids.ts';
import { MANUALS, REPORTS } from './doc-corpus2-texts.ts';
import { TUNING2 } from './doc-corpus2-tuning.ts';

const SETS: Record<string, { groups: Doc[][]; prefix: string }> = {
  heldout2: { groups: [INVOICES, CONTRACTS, CERTIFICATES, PASSPORTS, REPORTS, MANUALS], prefix: 's' },
  tuning2: { groups: [TUNING2], prefix: 'u' },
};

/** Every document in turn across the categories, numbered s001, s002, ... (u001 in tuning2). */
function plan(set: string): { file: string; doc: Doc }[] {
  const { groups: GROUPS, prefix } = SETS[set]!;
  const out: { file: string; doc: Doc }[] = [];
  const longest = Math.max(...GROUPS.map((g) => g.length));
  for (let i = 0; i < longest; i++) {
    for (const g of GROUPS) {
      const doc = g[i];
      if (doc) out.push({ file: `${prefix}${String(out.length + 1).padStart(3, '0')}.${doc.format}`, doc });
    }
  }
  return out;
}

function soffice(work: string, outDir: string, files: string[], infilter: string, convertTo: string): void {
  if (!files.length) return;
  const res = spawnSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', `--infilter=${infilter}`, '--convert-to', convertTo, '--outdir', outDir, ...files], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`soffice failed: ${res.stderr}`);
}

function convert(dir: string, docs: { file: string; doc: Doc }[]): void {
  const work = mkdtempSync(join(tmpdir(), 'doc-corpus2-'));
  try {
    const out = join(work, 'out');
    mkdirSync(out);
    const of = (format: string, src: string, lang?: string) =>
      docs.filter((p) => p.doc.format === format && p.doc.src === src && (!lang || p.doc.lang === lang)).map((p) => join(dir, 'src', p.file.replace(/\.\w+$/, `.${src}`)));
    soffice(work, out, of('docx', 'html'), 'HTML (StarWriter)', 'docx:MS Word 2007 XML');
    soffice(work, out, of('odt', 'html'), 'HTML (StarWriter)', 'odt');
    soffice(work, out, of('pdf', 'html'), 'HTML (StarWriter)', 'pdf:writer_pdf_Export');
    soffice(work, out, of('pdf', 'txt'), 'Text (encoded):UTF8', 'pdf:writer_pdf_Export');
    soffice(work, out, of('xlsx', 'csv', 'en'), 'CSV:44,34,76,1', 'xlsx');
    soffice(work, out, of('xlsx', 'csv', 'ru'), 'CSV:59,34,76,1', 'xlsx');
    for (const name of readdirSync(out)) copyFileSync(join(out, name), join(dir, name));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(set: string): void {
  const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'documents', set);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  const docs = plan(set);
  const labels: string[] = [];
  for (const { file, doc } of docs) {
    const direct = doc.format === doc.src;
    writeFileSync(direct ? join(dir, file) : join(dir, 'src', file.replace(/\.\w+$/, `.${doc.src}`)), doc.body);
    labels.push(JSON.stringify({ file, language: doc.lang, format: doc.format, category: doc.category, layout: `${doc.src}/hand`, fields: doc.fields }));
  }
  writeFileSync(join(dir, 'labels.jsonl'), labels.join('\n') + '\n');
  convert(dir, docs);
  const missing = docs.filter((p) => !readdirSync(dir).includes(p.file));
  if (missing.length) throw new Error(`not converted: ${missing.map((p) => p.file).join(', ')}`);
  console.log(`${set}: ${docs.length} documents in ${dir}`);
}

const set = process.argv[2] ?? 'heldout2';
if (!SETS[set]) {
  console.error('usage: node --import tsx scripts/doc-corpus2.ts [heldout2|tuning2]');
  process.exit(1);
}
main(set);
