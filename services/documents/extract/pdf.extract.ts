/**
 * PDF text layer through the PDF.js legacy build (no canvas, no workers beyond its in-process
 * fake worker). Encrypted and broken files become DocumentInputError; a PDF with pages but no
 * text is reported as having no text layer (a scan).
 */
import { DocumentInputError } from '../errors.ts';
import { joinParts, type Extracted } from './types.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let loaded: Promise<PdfJs> | null = null;
// Loaded lazily: the module is large and only workers need it.
function pdfjs(): Promise<PdfJs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loaded;
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

/** Extracts the text of every page (up to `maxPages`). */
export async function extractPdf(buf: Buffer, opts: { maxPages: number }): Promise<Extracted> {
  const lib = await pdfjs();
  let doc: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
  try {
    doc = await lib.getDocument({
      data: new Uint8Array(buf),
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
  try {
    const pages = Math.min(doc.numPages, opts.maxPages);
    const parts: { text: string; loc: { kind: 'page'; n: number } }[] = [];
    for (let n = 1; n <= pages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextItemLike[]) {
        text += item.str ?? '';
        if (item.hasEOL) text += '\n';
      }
      parts.push({ text, loc: { kind: 'page', n } });
      page.cleanup();
    }
    const joined = joinParts(parts, '\n\n');
    return { ...joined, ocr: false, units: doc.numPages, ...(joined.text.trim() ? {} : { noTextLayer: true }) };
  } catch (err) {
    if (err instanceof DocumentInputError) throw err;
    throw new DocumentInputError('corrupt', {}, (err as Error).message);
  } finally {
    await doc.destroy();
  }
}
