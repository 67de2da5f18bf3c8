/**
 * OCR benchmark, run by hand (never by CI):
 *   npm run bench -- ocr [--runs 3] [--langs eng+rus]
 *
 * Pages per second of our OCR path (ocr.engine.ts recognize(): the native `tesseract` command
 * through our wrapper, and tesseract.js with the system tessdata) against running the
 * `tesseract` command itself (`tesseract <file> stdout -l eng+rus`, one process a page, default
 * environment) on the same pages: the English and Russian scans of test/fixtures/scans as PNG
 * and JPEG, and their scanned PDFs rendered to PNG the way pdf.ocr.ts renders them (pdftoppm, or
 * PDF.js when it is missing, at documents.ocr.dpi). Every page is read by every reader in turn,
 * the order rotating, so a change in the machine's load falls on all alike. Each run prints
 * pages/s and CPU ms a page (child processes and threads included) per reader and the ratio
 * ours / command; the last lines are the medians over the runs and the load average.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jsSetup, ocrLanguageDirs, recognize, resolveOcr, type OcrSetup } from '../services/documents/extract/ocr.engine.ts';
import { pageRenderer } from '../services/documents/extract/pdf.render.ts';
import { documentsConfigSchema } from '../services/documents/documents.config.ts';
import { interleaved, type Reader as BenchReader, type Tally } from './interleave.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, langs: { type: 'string', default: 'eng+rus' } } });
const RUNS = Number(values.runs);
const LANGS = values.langs.split('+');
const SCANS = new URL('../test/fixtures/scans/', import.meta.url).pathname;
const config = documentsConfigSchema.parse({});

type Page = { name: string; path: string; bytes: Buffer };
type Reader = BenchReader<Page>;

/** The fixture images, and each fixture PDF's pages rendered as pdf.ocr.ts renders them. */
async function pages(dir: string): Promise<Page[]> {
  const out: Page[] = [];
  for (const f of readdirSync(SCANS).sort()) {
    const path = join(SCANS, f);
    if (/\.(png|jpg)$/.test(f)) out.push({ name: f, path, bytes: readFileSync(path) });
    if (!f.endsWith('.pdf')) continue;
    const renderer = await pageRenderer(readFileSync(path), { dpi: config.ocr.dpi, timeoutMs: config.ocr.timeoutMs });
    try {
      const bytes = await renderer.render(1);
      const png = join(dir, `${f}.p1.png`);
      writeFileSync(png, bytes);
      out.push({ name: `${f} p1 (${renderer.kind}, ${config.ocr.dpi} dpi)`, path: png, bytes });
    } finally {
      await renderer.close();
    }
  }
  return out;
}

function readers(): Reader[] {
  const timeoutMs = config.ocr.timeoutMs;
  const native = resolveOcr({ engine: 'native', languages: LANGS, timeoutMs });
  const js: OcrSetup = jsSetup(ocrLanguageDirs(undefined, LANGS, config.ocr.tessdataRoots), LANGS, timeoutMs);
  const out: Reader[] = [];
  if (native.engine === 'native') {
    out.push({ name: 'ours-native', read: async (p) => (await recognize(p.bytes, native)).length });
    out.push({ name: 'command', read: async (p) => execFileSync('tesseract', [p.path, 'stdout', '-l', native.languages.join('+')], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').trim().length });
  } else console.log('tesseract command not available (apt-get install tesseract-ocr tesseract-ocr-rus): no baseline, no native engine');
  if (js.engine === 'js') out.push({ name: 'ours-js', read: async (p) => (await recognize(p.bytes, js)).length });
  else console.log('no tessdata for tesseract.js: ours-js left out');
  console.log(`languages: native ${native.languages.join('+') || '-'}; tesseract.js ${js.languages.join('+') || '-'} from ${js.dir ?? '-'}`);
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'a2d2-ocrbench-'));
try {
  const list = await pages(dir);
  console.log(`pages: ${list.map((p) => p.name).join(', ')}`);
  const rs = readers();
  // Warm-up: one page each (module loads, the page cache).
  for (const r of rs) await r.read(list[0]!);
  const runs: Map<string, Tally>[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const tally = await interleaved(rs, list);
    runs.push(tally);
    const line = rs.map((r) => {
      const t = tally.get(r.name)!;
      return `${r.name} ${(list.length / t.secs).toFixed(3)} pages/s, ${((t.cpu / list.length) * 1000).toFixed(0)} ms CPU a page (${t.chars} chars)`;
    });
    console.log(`run ${run}: ${line.join('; ')}; load ${loadavg()[0]!.toFixed(2)}`);
  }
  const pps = (name: string) => median(runs.map((t) => list.length / t.get(name)!.secs));
  const cpp = (name: string) => median(runs.map((t) => (t.get(name)!.cpu / list.length) * 1000));
  for (const r of rs) console.log(`median of ${RUNS}: ${r.name.padEnd(12)} ${pps(r.name).toFixed(3)} pages/s, ${cpp(r.name).toFixed(0)} ms CPU a page`);
  if (rs.some((r) => r.name === 'command')) {
    const ratios = rs.filter((r) => r.name !== 'command').map((r) => `${r.name} ${(pps(r.name) / pps('command')).toFixed(2)} (CPU ${(cpp('command') / cpp(r.name)).toFixed(2)})`);
    console.log(`ratio ours/command by pages/s (by CPU a page): ${ratios.join(', ')}`);
  }
  console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
