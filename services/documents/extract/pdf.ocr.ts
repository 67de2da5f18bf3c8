/**
 * Scanned PDFs: pages without a text layer are rendered to images (pdf.render.ts) and OCR'd
 * one by one, up to documents.ocr.maxPages of them; the pages past the limit are skipped and
 * counted. Progress is reported after each page.
 */
import { DocumentInputError } from '../errors.ts';
import { assemblePdf } from './pdf.extract.ts';
import { pageRenderer } from './pdf.render.ts';
import { recognize, type OcrSetup } from './ocr.engine.ts';
import type { Extracted } from './types.ts';

/** documents.ocr settings used for PDFs. */
export interface PdfOcrOptions {
  ocr: OcrSetup;
  /** Pages OCR'd from one PDF at most. */
  maxPages: number;
  dpi: number;
  /** Pages read from the PDF at all (documents.maxPages). */
  readPages: number;
  /** Called as each page is done: page `done` of `total`. */
  onPage?: (done: number, total: number) => Promise<void> | void;
  renderer?: 'pdftoppm' | 'pdfjs';
}

/** Each page's text (index 0 is page 1) from the extracted text layer. */
export function pageTexts(ex: Extracted, pages: number): string[] {
  const texts = Array.from({ length: pages }, () => '');
  for (const loc of ex.locations) if (loc.kind === 'page' && loc.n <= pages) texts[loc.n - 1] = ex.text.slice(loc.start, loc.end);
  return texts;
}

/** OCRs the pages that have no text; returns the text layer unchanged when every page has some. */
export async function ocrScannedPages(buf: Buffer, ex: Extracted, opts: PdfOcrOptions): Promise<Extracted> {
  const pages = Math.min(ex.units, opts.readPages);
  const texts = pageTexts(ex, pages);
  const empty = texts.map((t, i) => (t.trim() ? 0 : i + 1)).filter((n) => n > 0);
  if (empty.length === 0 || opts.ocr.engine === 'none') return ex;
  const todo = empty.slice(0, opts.maxPages);
  const renderer = await pageRenderer(buf, { dpi: opts.dpi, timeoutMs: opts.ocr.timeoutMs, ...(opts.renderer ? { prefer: opts.renderer } : {}) });
  try {
    for (const [i, n] of todo.entries()) {
      let png: Buffer;
      try {
        png = await renderer.render(n);
      } catch (err) {
        throw new DocumentInputError('corrupt', {}, `PDF page ${n}: ${(err as Error).message}`);
      }
      texts[n - 1] = await recognize(png, opts.ocr);
      await opts.onPage?.(i + 1, todo.length);
    }
  } finally {
    await renderer.close();
  }
  const out = assemblePdf(texts, ex.units);
  const skipped = empty.length - todo.length;
  return { ...out, ocr: true, ...(skipped ? { ocrSkippedPages: skipped } : {}) };
}
