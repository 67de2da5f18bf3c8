/**
 * Documents benchmark, run by hand (never by CI):
 *   node --import tsx bench/documents.bench.ts [--pdfs 20] [--pages 20] [--docs 42]
 *
 * 1. PDF text extraction in pages per second: our extractor (PDF.js legacy build, in process)
 *    against poppler's pdftotext (Debian package poppler-utils, one process per file) on the
 *    same generated EN+RU files; prints the ratio ours / pdftotext.
 * 2. Documents per minute end to end: the real app (HTTP + workers, Postgres, Redis) takes
 *    generated documents in six formats as chat files and runs intake, extraction, language,
 *    classification, fields, summary and indexing until every version is done.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { makePdf, render, sampleLines, type Category, type Format } from '../test/helpers/docgen.ts';
import { extractPdf } from '../services/documents/extract/pdf.extract.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { waitFor } from '../test/helpers/wait.ts';
import type { FeatureModule } from '../core/module.ts';
import type { YamlConfig } from '../services/config.ts';

const { values } = parseArgs({ options: { pdfs: { type: 'string', default: '20' }, pages: { type: 'string', default: '20' }, docs: { type: 'string', default: '42' } } });
const PDFS = Number(values.pdfs);
const PAGES = Number(values.pages);
const DOCS = Number(values.docs);
const CATS: Category[] = ['invoice', 'contract', 'certificate', 'passport', 'manual', 'report', 'other'];
const FORMATS: Format[] = ['pdf', 'docx', 'xlsx', 'csv', 'html', 'txt'];

async function pdfBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-pdfbench-'));
  const files: { path: string; bytes: Buffer }[] = [];
  for (let i = 0; i < PDFS; i++) {
    const base = sampleLines(CATS[i % CATS.length]!, i % 2 ? 'ru' : 'en', i % 3);
    const lines: string[] = [];
    while (lines.length < PAGES * 40) lines.push(...base);
    const bytes = makePdf(lines.slice(0, PAGES * 40).join('\n'), { linesPerPage: 40 });
    const path = join(dir, `f${i}.pdf`);
    writeFileSync(path, bytes);
    files.push({ path, bytes });
  }
  const pages = PDFS * PAGES;
  // Warm-up: the PDF.js module load is paid once per process, not per file.
  await extractPdf(files[0]!.bytes, { maxPages: 10_000 });
  let t0 = performance.now();
  let chars = 0;
  for (const f of files) chars += (await extractPdf(f.bytes, { maxPages: 10_000 })).text.length;
  const ours = (performance.now() - t0) / 1000;
  let popplerPps: number | null = null;
  try {
    t0 = performance.now();
    let pchars = 0;
    for (const f of files) pchars += execFileSync('pdftotext', ['-enc', 'UTF-8', f.path, '-']).toString('utf8').length;
    const theirs = (performance.now() - t0) / 1000;
    popplerPps = pages / theirs;
    console.log(`pdftotext: ${pages} pages in ${theirs.toFixed(2)} s = ${popplerPps.toFixed(0)} pages/s (${pchars} chars)`);
  } catch (err) {
    console.log(`pdftotext not available (${(err as Error).message.split('\n')[0]}); apt-get install poppler-utils for the baseline`);
  }
  const oursPps = pages / ours;
  console.log(`ours:      ${pages} pages in ${ours.toFixed(2)} s = ${oursPps.toFixed(0)} pages/s (${chars} chars)`);
  if (popplerPps) console.log(`ratio ours/pdftotext: ${(oursPps / popplerPps).toFixed(2)}`);
  rmSync(dir, { recursive: true, force: true });
}

async function endToEnd(): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const docs = new Map<string, Buffer>();
  for (let i = 0; i < DOCS; i++) {
    const cat = CATS[i % CATS.length]!;
    const lang = Math.floor(i / CATS.length) % 2 ? 'ru' : 'en';
    const format = FORMATS[i % FORMATS.length]!;
    docs.set(`d${i}`, render([...sampleLines(cat, lang, i % 3), `Reference: ${run}-${i}`], format, `bench-${i}`));
  }
  const fetcher: FeatureModule = { name: 'bench-fetcher', fileFetcher: { platform: 'terminal', fetch: async (f) => docs.get(f.id)! } };
  const t = await startTestApp({ yaml: { defaultRole: 'operator', documents: { concurrency: 4 } } as unknown as Partial<YamlConfig>, modules: [fetcher] });
  try {
    const db = t.app.deps.db;
    const chatId = `bench-${run}`;
    const t0 = performance.now();
    for (const id of docs.keys()) {
      await t.app.deps.ingest({ type: 'message', platform: 'terminal', eventId: `bench-${run}-${id}`, ref: { platform: 'terminal', chatId }, user: { platformUserId: `bench-${run}` }, text: '', addressed: true, files: [{ id, name: `${id}-${run}.bin` }] });
    }
    await waitFor(
      async () => (await db.documentVersion.count({ where: { chatId, stage: 'done' } })) === DOCS,
      'every document to be processed',
      10 * 60_000,
      100,
    );
    const s = (performance.now() - t0) / 1000;
    console.log(`end to end: ${DOCS} documents in ${s.toFixed(1)} s = ${((DOCS / s) * 60).toFixed(0)} documents/minute`);
  } finally {
    await t.stop();
  }
}

await pdfBench();
await endToEnd();
process.exit(0);
