/**
 * Documents benchmark, run by hand (never by CI):
 *   node --import tsx bench/documents.bench.ts [--pdfs 20] [--pages 20] [--docs 42] [--only pdf|e2e]
 *
 * 1. PDF text extraction in pages per second: our extractor as the worker role runs it (default
 *    settings: engine auto, which reads with pdftotext processes, a large file's page ranges side
 *    by side, when poppler-utils is installed) against poppler's pdftotext run once per file on
 *    the same generated EN+RU files, interleaved file by file; prints the ratio ours / pdftotext
 *    by wall time and by CPU time a page (what counts when the machine is saturated), the PDF.js
 *    paths (its extraction threads and in this thread) for reference, and the load average.
 * 2. Documents per minute end to end: the real app (HTTP + workers, Postgres, Redis) takes
 *    generated documents in six formats as chat files and runs intake, extraction, language,
 *    classification, fields, summary and indexing until every version is done.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { makePdf, render, sampleLines, type Category, type Format } from '../test/helpers/docgen.ts';
import { extractPdf } from '../services/documents/extract/pdf.extract.ts';
import { createPdfPool } from '../services/documents/extract/pdf.pool.ts';
import { createPdfReader } from '../services/documents/extract/pdf.poppler.ts';
import { interleaved, type Reader as BenchReader } from './interleave.ts';
import { documentsConfigSchema } from '../services/documents/documents.config.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { waitFor } from '../test/helpers/wait.ts';
import type { FeatureModule } from '../core/module.ts';
import type { YamlConfig } from '../services/config.ts';

const { values } = parseArgs({
  options: { pdfs: { type: 'string', default: '20' }, pages: { type: 'string', default: '20' }, docs: { type: 'string', default: '42' }, only: { type: 'string' } },
});
if (values.only !== undefined && values.only !== 'pdf' && values.only !== 'e2e') throw new Error(`--only takes pdf or e2e, not "${values.only}"`);
const PDFS = Number(values.pdfs);
const PAGES = Number(values.pages);
const DOCS = Number(values.docs);
const CATS: Category[] = ['invoice', 'contract', 'certificate', 'passport', 'manual', 'report', 'other'];
const FORMATS: Format[] = ['pdf', 'docx', 'xlsx', 'csv', 'html', 'txt'];

type PdfFile = { path: string; bytes: Buffer };
type Reader = BenchReader<PdfFile>;

function pdfFiles(dir: string): PdfFile[] {
  const files: PdfFile[] = [];
  for (let i = 0; i < PDFS; i++) {
    const base = sampleLines(CATS[i % CATS.length]!, i % 2 ? 'ru' : 'en', i % 3);
    const lines: string[] = [];
    while (lines.length < PAGES * 40) lines.push(...base);
    const bytes = makePdf(lines.slice(0, PAGES * 40).join('\n'), { linesPerPage: 40 });
    const path = join(dir, `f${i}.pdf`);
    writeFileSync(path, bytes);
    files.push({ path, bytes });
  }
  return files;
}

async function pdfBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-pdfbench-'));
  const files = pdfFiles(dir);
  const pages = PDFS * PAGES;
  // Ours is the worker role's path with the default settings.
  const settings = documentsConfigSchema.parse({}).pdf;
  const reader = createPdfReader({ ...settings });
  const pool = createPdfPool({ ...settings });
  const readers: Reader[] = [
    { name: 'ours', read: async (f) => (await reader.extract(f.bytes, { maxPages: 10_000 })).text.length },
    { name: 'pdftotext', read: async (f) => execFileSync('pdftotext', ['-enc', 'UTF-8', f.path, '-']).toString('utf8').length },
    { name: 'pdfjs-pool', read: async (f) => (await pool.extract(f.bytes, { maxPages: 10_000 })).text.length },
    { name: 'in-thread', read: async (f) => (await extractPdf(f.bytes, { maxPages: 10_000 })).text.length },
  ];
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch (err) {
    console.log(`pdftotext not available (${(err as Error).message.split('\n')[0]}); apt-get install poppler-utils for the baseline`);
    readers.splice(1, 1);
    console.log('(ours reads with PDF.js then, like pdfjs-pool)');
  }
  // Warm-up, one pass each: module loads and the threads' first files (cold code) are paid once
  // per process, not per file; the page cache holds every file for pdftotext.
  for (const r of readers) for (const f of files) await r.read(f);
  const tally = await interleaved(readers, files);
  await pool.close();
  await reader.close();
  const pps = (name: string): number => pages / tally.get(name)!.secs;
  const cpp = (name: string): number => (tally.get(name)!.cpu / pages) * 1000;
  for (const r of readers) {
    const t = tally.get(r.name)!;
    console.log(`${r.name.padEnd(10)} ${pages} pages in ${t.secs.toFixed(2)} s = ${pps(r.name).toFixed(0)} pages/s, ${cpp(r.name).toFixed(2)} ms CPU a page (${t.chars} chars)`);
  }
  if (tally.has('pdftotext')) {
    const ratio = (name: string): string => (pps(name) / pps('pdftotext')).toFixed(2);
    const cpuRatio = (name: string): string => (cpp('pdftotext') / cpp(name)).toFixed(2);
    console.log(`ratio ours/pdftotext: ${ratio('ours')} (pdfjs-pool ${ratio('pdfjs-pool')}, in-thread ${ratio('in-thread')}); by CPU a page: ${cpuRatio('ours')} (pdfjs-pool ${cpuRatio('pdfjs-pool')}, in-thread ${cpuRatio('in-thread')})`);
  }
  console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
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

if (values.only !== 'e2e') await pdfBench();
if (values.only !== 'pdf') await endToEnd();
process.exit(0);
