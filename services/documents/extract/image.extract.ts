/**
 * Images through OCR (tesseract.js). Language data comes from a local directory only (the
 * English data ships in an npm package; others when their `<lang>.traineddata(.gz)` is
 * present at the configured path): nothing is downloaded at run time.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DocumentInputError } from '../errors.ts';
import type { Extracted } from './types.ts';

/** Where each language's data lives, resolved once. */
export function ocrLanguageDirs(extraPath: string | undefined, languages: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const require = createRequire(import.meta.url);
  for (const lang of languages) {
    if (extraPath && (existsSync(join(extraPath, `${lang}.traineddata.gz`)) || existsSync(join(extraPath, `${lang}.traineddata`)))) {
      out.set(lang, extraPath);
      continue;
    }
    try {
      const pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
      const dir = join(pkg, '4.0.0');
      if (existsSync(join(dir, `${lang}.traineddata.gz`))) out.set(lang, dir);
    } catch {
      // Not installed: this language is simply unavailable.
    }
  }
  return out;
}

/** Recognises text in an image with the languages whose data is available. */
export async function extractImage(buf: Buffer, opts: { languages: Map<string, string> }): Promise<Extracted> {
  if (opts.languages.size === 0) throw new DocumentInputError('unsupported', { type: 'image' }, 'no OCR language data');
  const { createWorker } = await import('tesseract.js');
  // One directory per worker: tesseract.js takes a single langPath, so use the first language's.
  const [firstLang, dir] = [...opts.languages.entries()][0]!;
  const langs = [...opts.languages.entries()].filter(([, d]) => d === dir).map(([l]) => l);
  void firstLang;
  const gz = existsSync(join(dir, `${langs[0]}.traineddata.gz`));
  const worker = await createWorker(langs, 1, { langPath: dir, cacheMethod: 'none', gzip: gz, logger: () => {}, errorHandler: () => {} });
  try {
    const result = await worker.recognize(buf);
    const text = result.data.text.replace(/[ \t]+\n/g, '\n').trim();
    return { text, locations: text ? [{ kind: 'image', n: 1, start: 0, end: text.length }] : [], ocr: true, units: 1, ...(text ? {} : { noTextLayer: true }) };
  } catch (err) {
    throw new DocumentInputError('corrupt', {}, `image: ${(err as Error).message}`);
  } finally {
    await worker.terminate();
  }
}
