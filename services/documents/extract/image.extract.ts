/**
 * Images through OCR (ocr.engine.ts: the native command or tesseract.js, with local language
 * data only): nothing is downloaded at run time.
 */
import type { Extracted } from './types.ts';
import { recognize, type OcrSetup } from './ocr.engine.ts';

export { ocrLanguageDirs } from './ocr.engine.ts';

/** Recognises text in an image with the languages the engine has. */
export async function extractImage(buf: Buffer, opts: { ocr: OcrSetup }): Promise<Extracted> {
  const text = await recognize(buf, opts.ocr);
  return { text, locations: text ? [{ kind: 'image', n: 1, start: 0, end: text.length }] : [], ocr: true, units: 1, ...(text ? {} : { noTextLayer: true }) };
}
