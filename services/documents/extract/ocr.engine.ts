/**
 * The OCR engine, chosen once per process: the native `tesseract` command when present (run
 * without a shell, with a timeout, image on stdin), else tesseract.js with language data found
 * locally: documents.ocrLangPath, the system's tessdata (/usr/share/tesseract-ocr/<v>/tessdata,
 * where Debian's tesseract-ocr-rus / -eng put it), then the English data package. Nothing is
 * downloaded at run time.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DocumentInputError } from '../errors.ts';

/** documents.ocr.engine: which engine to use; auto prefers the native command. */
export type OcrEngineChoice = 'auto' | 'native' | 'js';

/** What OCR can do in this process. */
export interface OcrSetup {
  engine: 'native' | 'js' | 'none';
  /** Configured languages that this engine can read, in configured order. */
  languages: string[];
  /** Configured languages without data. */
  missing: string[];
  /** tesseract.js only: the one directory its languages are loaded from, and whether gzipped. */
  dir?: string;
  gzip?: boolean;
  timeoutMs: number;
  /** native only: the command run. */
  command?: string;
}

/** How to look for an engine (documents.ocr, ocrLanguages, ocrLangPath). */
export interface OcrLookup {
  engine: OcrEngineChoice;
  languages: string[];
  langPath?: string | undefined;
  timeoutMs: number;
  /** The native command (default `tesseract`). */
  command?: string;
  /** Roots holding `<version>/tessdata` (default /usr/share/tesseract-ocr). */
  tessdataRoots?: string[];
}

const SYSTEM_ROOT = '/usr/share/tesseract-ocr';

/** System tessdata directories, newest version first. */
export function systemTessdataDirs(root = SYSTEM_ROOT): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .reverse()
    .map((v) => join(root, v, 'tessdata'))
    .filter((d) => existsSync(d));
}

function packageDir(lang: string): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), '4.0.0');
    return existsSync(join(dir, `${lang}.traineddata.gz`)) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const hasData = (dir: string, lang: string) => existsSync(join(dir, `${lang}.traineddata`)) || existsSync(join(dir, `${lang}.traineddata.gz`));

/** Where each language's data lives for tesseract.js (ocrLangPath, system tessdata, the package). */
export function ocrLanguageDirs(extraPath: string | undefined, languages: string[], roots = [SYSTEM_ROOT]): Map<string, string> {
  const out = new Map<string, string>();
  const dirs = [...(extraPath ? [extraPath] : []), ...roots.flatMap((r) => systemTessdataDirs(r))];
  for (const lang of languages) {
    const dir = dirs.find((d) => hasData(d, lang)) ?? packageDir(lang);
    if (dir) out.set(lang, dir);
  }
  return out;
}

/** Languages the native command knows, or null when it is not installed. */
export function nativeLanguages(bin = 'tesseract'): string[] | null {
  try {
    const out = execFileSync(bin, ['--list-langs'], { timeout: 10_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
  } catch {
    return null;
  }
}

/** The tesseract.js setup: the directory holding the most configured languages. */
export function jsSetup(dirs: Map<string, string>, languages: string[], timeoutMs: number): OcrSetup {
  const counts = new Map<string, number>();
  for (const d of dirs.values()) counts.set(d, (counts.get(d) ?? 0) + 1);
  const dir = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!dir) return { engine: 'none', languages: [], missing: languages, timeoutMs };
  const found = languages.filter((l) => dirs.get(l) === dir);
  return { engine: 'js', languages: found, missing: languages.filter((l) => !found.includes(l)), dir, gzip: existsSync(join(dir, `${found[0]}.traineddata.gz`)), timeoutMs };
}

/** Picks the engine for the configured languages (documents.ocr.engine, ocrLanguages, ocrLangPath). */
export function resolveOcr(opts: OcrLookup): OcrSetup {
  const js = () => jsSetup(ocrLanguageDirs(opts.langPath, opts.languages, opts.tessdataRoots), opts.languages, opts.timeoutMs);
  if (opts.engine === 'js') return js();
  const command = opts.command ?? 'tesseract';
  const native = nativeLanguages(command);
  if (native) {
    const found = opts.languages.filter((l) => native.includes(l));
    if (found.length) return { engine: 'native', command, languages: found, missing: opts.languages.filter((l) => !found.includes(l)), timeoutMs: opts.timeoutMs };
  }
  return opts.engine === 'native' ? { engine: 'none', languages: [], missing: opts.languages, timeoutMs: opts.timeoutMs } : js();
}

/** Tidies recognised text: no trailing blanks, no empty runs. */
function tidy(text: string): string {
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

function runNative(buf: Buffer, setup: OcrSetup): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(setup.command ?? 'tesseract', ['stdin', 'stdout', '-l', setup.languages.join('+')], { timeout: setup.timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, OMP_THREAD_LIMIT: '1' } }, (err, stdout, stderr) => {
      if (err) reject(new DocumentInputError('corrupt', {}, `image: ${(err as { killed?: boolean }).killed ? `OCR took longer than ${setup.timeoutMs} ms` : String(stderr).trim().split('\n').pop() || err.message}`));
      else resolve(stdout);
    });
    child.stdin?.on('error', () => {});
    child.stdin?.end(buf);
  });
}

async function runJs(buf: Buffer, setup: OcrSetup): Promise<string> {
  const { createWorker } = await import('tesseract.js');
  const worker = await createWorker(setup.languages, 1, { langPath: setup.dir!, cacheMethod: 'none', gzip: Boolean(setup.gzip), logger: () => {}, errorHandler: () => {} });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`OCR took longer than ${setup.timeoutMs} ms`)), setup.timeoutMs);
    });
    const result = await Promise.race([worker.recognize(buf), timeout]);
    return result.data.text;
  } catch (err) {
    throw new DocumentInputError('corrupt', {}, `image: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/** Recognises the text of one image (PNG, JPEG, TIFF, ...); a broken image is DocumentInputError('corrupt'). */
export async function recognize(buf: Buffer, setup: OcrSetup): Promise<string> {
  if (setup.engine === 'none') throw new DocumentInputError('unsupported', { type: 'image' }, 'no OCR language data');
  return tidy(setup.engine === 'native' ? await runNative(buf, setup) : await runJs(buf, setup));
}
