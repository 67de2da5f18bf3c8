/**
 * Picks the extractor for a detected kind. Every failure that retrying cannot fix is a
 * DocumentInputError (the job turns it into an unrecoverable one).
 */
import { IMAGE_KINDS, type DocKind } from '../sniff.ts';
import type { ZipLimits } from '../zip.ts';
import { extractPdf } from './pdf.extract.ts';
import type { PdfPool } from './pdf.pool.ts';
import { extractDocx } from './docx.extract.ts';
import { extractOdt } from './odt.extract.ts';
import { extractXlsx } from './xlsx.extract.ts';
import { extractCsv, extractHtml, extractText } from './text.extract.ts';
import { extractImage } from './image.extract.ts';
import { jsSetup, type OcrSetup } from './ocr.engine.ts';
import { ocrScannedPages } from './pdf.ocr.ts';
import type { Extracted } from './types.ts';

/** Limits and OCR set-up for extraction. */
export interface ExtractOptions {
  maxPages: number;
  zip: ZipLimits;
  /** tesseract.js language directories; used when `ocr` is not given. */
  ocrLanguages: Map<string, string>;
  /** The OCR engine (ocr.engine.ts resolveOcr); scanned PDFs are OCR'd only with it. */
  ocr?: OcrSetup;
  /** documents.ocr settings for scanned PDFs. */
  pdfOcr?: { maxPages: number; dpi: number; onPage?: (done: number, total: number) => Promise<void> | void };
  /** Where PDFs are read; without it, in this thread. */
  pdfPool?: PdfPool;
}

/** Extracts the text of a file of a detected kind, with the locations of its parts. */
export async function extract(buf: Buffer, kind: DocKind, opts: ExtractOptions): Promise<Extracted> {
  if (kind === 'pdf') {
    const ex = await (opts.pdfPool ? opts.pdfPool.extract(buf, { maxPages: opts.maxPages }) : extractPdf(buf, { maxPages: opts.maxPages }));
    if (!opts.ocr || !opts.pdfOcr) return ex;
    return ocrScannedPages(buf, ex, { ocr: opts.ocr, readPages: opts.maxPages, ...opts.pdfOcr });
  }
  if (kind === 'docx') return extractDocx(buf, opts.zip);
  if (kind === 'odt') return extractOdt(buf, opts.zip);
  if (kind === 'xlsx') return extractXlsx(buf, opts.zip);
  if (kind === 'csv') return extractCsv(buf);
  if (kind === 'html') return extractHtml(buf);
  if (kind === 'text') return extractText(buf);
  if (IMAGE_KINDS.has(kind)) return extractImage(buf, { ocr: opts.ocr ?? jsSetup(opts.ocrLanguages, [...opts.ocrLanguages.keys()], 120_000) });
  throw new Error(`no extractor for ${kind}`);
}
