/**
 * The LibreOffice step of the documents corpus scripts (doc-corpus.ts, doc-corpus2.ts): turns
 * the HTML, text and CSV sources in <dir>/src into DOCX, ODT, PDF and XLSX next to them, with
 * soffice in headless mode and a private profile in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One converted file: its name in the set, its target format, its source kind and language. */
export interface ConvertJob {
  file: string;
  format: string;
  source: string;
  lang: string;
}

function soffice(work: string, outDir: string, files: string[], infilter: string, convertTo: string): void {
  if (!files.length) return;
  const res = spawnSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', `--infilter=${infilter}`, '--convert-to', convertTo, '--outdir', outDir, ...files], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`soffice failed: ${res.stderr}`);
}

/** Converts every job's source (dir/src/<name>.<source>) and copies the results into dir. */
export function convertSources(dir: string, jobs: ConvertJob[]): void {
  const work = mkdtempSync(join(tmpdir(), 'doc-corpus-'));
  try {
    const out = join(work, 'out');
    mkdirSync(out);
    const of = (format: string, source: string, lang?: string) =>
      jobs.filter((j) => j.format === format && j.source === source && (!lang || j.lang === lang)).map((j) => join(dir, 'src', j.file.replace(/\.\w+$/, `.${source}`)));
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

/** Throws naming every expected file that is not in `dir` once the sources are converted. */
export function assertConverted(dir: string, files: string[]): void {
  const present = new Set(readdirSync(dir));
  const missing = files.filter((f) => !present.has(f));
  if (missing.length) throw new Error(`not converted: ${missing.join(', ')}`);
}
