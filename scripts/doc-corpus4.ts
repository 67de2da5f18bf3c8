/**
 * Writes held-out set 3 (test/fixtures/documents/heldout3, scripts/doc-corpus4-held*.ts) and
 * tuning set 4 (tuning4, scripts/doc-corpus4-tuning*.ts) of the documents evaluation: documents
 * written one by one by hand, in English and Russian. HTML, text and CSV sources become DOCX,
 * ODT, PDF and XLSX through LibreOffice headless (scripts/doc-convert.ts, one batch a target);
 * scans are text lines laid out as flat ODT, exported to PDF by LibreOffice in one batch,
 * rasterised by pdftoppm, rotated slightly and speckled (as scripts/make-scans.ts does), and
 * saved as PNG, JPEG, or an image-only PDF without a text layer.
 *
 *   node --import tsx scripts/doc-corpus4.ts heldout3|tuning4
 *
 * heldout3 was written and committed before any rule was tuned for it, and is never to be
 * tuned on: run it to report a figure only.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fodt, scan } from './scan-render.ts';
import { imagePdf } from '../test/helpers/image-pdf.ts';
import type { Doc4 } from './doc-corpus4-kit.ts';
import { convertSources, assertConverted } from './doc-convert.ts';
import { HELD_TRADE } from './doc-corpus4-held-trade.ts';
import { HELD_IDS } from './doc-corpus4-held-ids.ts';
import { HELD_TEXTS } from './doc-corpus4-held-texts.ts';
import { TUNING4_A } from './doc-corpus4-tuning.ts';
import { TUNING4_B } from './doc-corpus4-tuning-b.ts';
import { TUNING4_C } from './doc-corpus4-tuning-c.ts';

const SETS: Record<string, { docs: Doc4[]; prefix: string }> = {
  heldout3: { docs: [...HELD_TRADE, ...HELD_IDS, ...HELD_TEXTS], prefix: 'v' },
  // The second batch (x034 on) is numbered after the first, so the first keeps its names.
  tuning4: { docs: [...TUNING4_A, ...TUNING4_B, ...TUNING4_C], prefix: 'x' },
};

const EXT: Record<string, string> = { 'scan-png': 'png', 'scan-jpg': 'jpg', 'scan-pdf': 'pdf' };
const DPI = 150;


/** Makes the scans: every flat ODT to PDF in one LibreOffice run, then one page image each. */
async function makeScans(dir: string, scans: { file: string; doc: Doc4 }[]): Promise<void> {
  if (!scans.length) return;
  const work = mkdtempSync(join(tmpdir(), 'doc-scans-'));
  try {
    const srcs = scans.map(({ file, doc }) => {
      const p = join(work, file.replace(/\.\w+$/, '.fodt'));
      writeFileSync(p, fodt(doc.body.split('\n'), { fontPt: 14, marginCm: 0.25 }));
      return p;
    });
    execFileSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', work, ...srcs], { stdio: 'ignore', timeout: 300_000 });
    for (const [i, { file, doc }] of scans.entries()) {
      const base = join(work, file.replace(/\.\w+$/, ''));
      execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-png', '-singlefile', '-f', '1', '-l', '1', `${base}.pdf`, `${base}-page`], { timeout: 60_000 });
      const page = await scan(readFileSync(`${base}-page.png`), doc.angle ?? (i % 2 ? 1.1 : -0.9), 101 + i, 70);
      const out = doc.format === 'scan-png' ? page.png : doc.format === 'scan-jpg' ? page.jpeg : imagePdf([page], DPI);
      writeFileSync(join(dir, file), out);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(set: string): Promise<void> {
  const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'documents', set);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  const { docs: all, prefix } = SETS[set]!;
  const docs = all.map((doc, i) => ({ file: `${prefix}${String(i + 1).padStart(3, '0')}.${EXT[doc.format] ?? doc.format}`, doc }));
  const labels: string[] = [];
  for (const { file, doc } of docs) {
    const direct = doc.format === doc.src;
    const srcName = doc.src === 'scan' ? file.replace(/\.\w+$/, '.lines.txt') : file.replace(/\.\w+$/, `.${doc.src}`);
    writeFileSync(direct ? join(dir, file) : join(dir, 'src', srcName), doc.body);
    labels.push(JSON.stringify({ file, language: doc.lang, format: doc.format, category: doc.category, layout: `${doc.src}/hand`, fields: doc.fields }));
  }
  writeFileSync(join(dir, 'labels.jsonl'), labels.join('\n') + '\n');
  const office = docs.filter((d) => d.doc.src !== 'scan' && d.doc.format !== d.doc.src);
  convertSources(dir, office.map(({ file, doc }) => ({ file, format: doc.format, source: doc.src, lang: doc.lang })));
  await makeScans(dir, docs.filter((d) => d.doc.src === 'scan'));
  assertConverted(dir, docs.map((p) => p.file));
  console.log(`${set}: ${docs.length} documents in ${dir}`);
}

const set = process.argv[2] ?? '';
if (!SETS[set]) {
  console.error('usage: node --import tsx scripts/doc-corpus4.ts heldout3|tuning4');
  process.exit(1);
}
await main(set);
