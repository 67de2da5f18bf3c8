/**
 * PDF text layer through the PDF.js legacy build (no canvas, no workers beyond its in-process
 * fake worker). Encrypted and broken files become DocumentInputError; a PDF with pages but no
 * text is reported as having no text layer (a scan).
 *
 * The pieces (open, one page's text, the joined result) are shared by the in-process path
 * below and the extraction threads of pdf.pool.ts, so both give the same result by
 * construction.
 */
import { DocumentInputError } from '../errors.ts';
import { joinParts, type Extracted } from './types.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
/** An opened PDF.js document. */
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

let loaded: Promise<PdfJs> | null = null;
// Loaded lazily: the module is large and only workers need it.
function pdfjs(): Promise<PdfJs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loaded;
}

/**
 * Loads PDF.js ahead of the first file (an extraction thread does it as it starts), its
 * worker side too: that module sets globalThis.pdfjsWorker, which the fake worker then uses
 * instead of importing it on the first getDocument.
 */
export async function preloadPdfJs(): Promise<void> {
  // The worker module ships no types; only its side effect is wanted.
  const workerSide: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
  await Promise.all([pdfjs(), import(workerSide)]);
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

/** Opens a PDF; a password gives DocumentInputError('encrypted'), anything else 'corrupt'. PDF.js takes over `data`. */
export async function openPdf(data: Uint8Array): Promise<PdfDocument> {
  const lib = await pdfjs();
  try {
    return await lib.getDocument({
      data,
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
    }).promise;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'PasswordException') throw new DocumentInputError('encrypted');
    throw new DocumentInputError('corrupt', {}, (err as Error).message);
  }
}

/** The text of page `n` (1-based): the items' strings, a newline where an item ends a line. */
export async function pageText(doc: PdfDocument, n: number): Promise<string> {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items as TextItemLike[]) {
    text += item.str ?? '';
    if (item.hasEOL) text += '\n';
  }
  page.cleanup();
  return text;
}

/** The result from the pages' texts in page order (texts[0] is page 1) and the document's page count. */
export function assemblePdf(texts: string[], numPages: number): Extracted {
  const joined = joinParts(
    texts.map((text, i) => ({ text, loc: { kind: 'page' as const, n: i + 1 } })),
    '\n\n',
  );
  return { ...joined, ocr: false, units: numPages, ...(joined.text.trim() ? {} : { noTextLayer: true }) };
}

/** Any failure after opening is a broken file. */
export function asInputError(err: unknown): DocumentInputError {
  if (err instanceof DocumentInputError) return err;
  return new DocumentInputError('corrupt', {}, (err as Error).message);
}

/** Extracts the text of every page (up to `maxPages`) in this thread. */
export async function extractPdf(buf: Buffer, opts: { maxPages: number }): Promise<Extracted> {
  const doc = await openPdf(new Uint8Array(buf));
  try {
    const pages = Math.min(doc.numPages, opts.maxPages);
    const texts: string[] = [];
    for (let n = 1; n <= pages; n++) texts.push(await pageText(doc, n));
    return assemblePdf(texts, doc.numPages);
  } catch (err) {
    throw asInputError(err);
  } finally {
    await doc.destroy();
  }
}
