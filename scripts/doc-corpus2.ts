/**
 * Writes held-out set 2 of the documents evaluation (test/fixtures/documents/heldout2): 42
 * documents written one by one by hand (scripts/doc-corpus2-trade.ts, -ids.ts, -texts.ts), not
 * drawn from the generator of the first two sets, in English and Russian, seven per category
 * and one per format in each: HTML, text and CSV sources; DOCX, ODT and PDF made from HTML or
 * text and XLSX from CSV by LibreOffice (soffice, headless). Written before the extractor was
 * tuned any further, and never to be tuned on.
 *
 *   node --import tsx scripts/doc-corpus2.ts [heldout2|tuning2|tuning3]
 *
 * tuning2 (scripts/doc-corpus2-tuning.ts) is a small hand-written tuning set, written after
 * heldout2 for the weak categories and formats; tuning3 (scripts/doc-corpus3-trade.ts and
 * doc-corpus3-docs.ts) is a larger one, 34 documents in new layouts and wordings, written after
 * heldout2 had been scored twice, and a second batch (doc-corpus3-more.ts, w035 on) written after
 * the first rules. heldout2 is the default.
 *
 * Writes the documents, src/ (the sources of converted files) and labels.jsonl (same shape as
 * the other sets'). Needs soffice (libreoffice-writer, libreoffice-calc).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Doc } from './doc-corpus2-kit.ts';
import { CONTRACTS, INVOICES } from './doc-corpus2-trade.ts';
import { CERTIFICATES, PASSPORTS } from './doc-corpus2-ids.ts';
import { MANUALS, REPORTS } from './doc-corpus2-texts.ts';
import { TUNING2 } from './doc-corpus2-tuning.ts';
import { TUNING3_TRADE } from './doc-corpus3-trade.ts';
import { TUNING3_DOCS } from './doc-corpus3-docs.ts';
import { TUNING3_MORE } from './doc-corpus3-more.ts';
import { convertSources, assertConverted } from './doc-convert.ts';

const SETS: Record<string, { groups: Doc[][]; prefix: string; tail?: Doc[] }> = {
  heldout2: { groups: [INVOICES, CONTRACTS, CERTIFICATES, PASSPORTS, REPORTS, MANUALS], prefix: 's' },
  tuning2: { groups: [TUNING2], prefix: 'u' },
  tuning3: { groups: [TUNING3_TRADE, TUNING3_DOCS], prefix: 'w', tail: TUNING3_MORE },
};

/** Every document in turn across the categories, numbered s001, s002, ... (u001 in tuning2). */
function plan(set: string): { file: string; doc: Doc }[] {
  const { groups: GROUPS, prefix, tail = [] } = SETS[set]!;
  const out: { file: string; doc: Doc }[] = [];
  const longest = Math.max(...GROUPS.map((g) => g.length));
  for (let i = 0; i < longest; i++) {
    for (const g of GROUPS) {
      const doc = g[i];
      if (doc) out.push({ file: `${prefix}${String(out.length + 1).padStart(3, '0')}.${doc.format}`, doc });
    }
  }
  // A later batch is numbered after the first, so the first batch's files keep their names.
  for (const doc of tail) out.push({ file: `${prefix}${String(out.length + 1).padStart(3, '0')}.${doc.format}`, doc });
  return out;
}

function convert(dir: string, docs: { file: string; doc: Doc }[]): void {
  convertSources(dir, docs.map(({ file, doc }) => ({ file, format: doc.format, source: doc.src, lang: doc.lang })));
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
  assertConverted(dir, docs.map((p) => p.file));
  console.log(`${set}: ${docs.length} documents in ${dir}`);
}

const set = process.argv[2] ?? 'heldout2';
if (!SETS[set]) {
  console.error('usage: node --import tsx scripts/doc-corpus2.ts [heldout2|tuning2|tuning3]');
  process.exit(1);
}
main(set);
