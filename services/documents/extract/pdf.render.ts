/**
 * One PDF page as a PNG for OCR: poppler's `pdftoppm` when installed (a child process with a
 * timeout, no shell), else PDF.js drawing on @napi-rs/canvas in this process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPdf, type PdfDocument } from './pdf.extract.ts';

/** Renders pages of one file; close() frees what it holds. */
export interface PageRenderer {
  kind: 'pdftoppm' | 'pdfjs';
  render(n: number): Promise<Buffer>;
  close(): Promise<void>;
}

let havePdftoppm: boolean | undefined;
/** Whether poppler's pdftoppm can be run (looked up once). */
export function pdftoppmAvailable(): boolean {
  if (havePdftoppm === undefined) {
    try {
      execFileSync('pdftoppm', ['-v'], { timeout: 10_000, stdio: 'ignore' });
      havePdftoppm = true;
    } catch {
      havePdftoppm = false;
    }
  }
  return havePdftoppm;
}

async function popplerRenderer(buf: Buffer, dpi: number, timeoutMs: number): Promise<PageRenderer> {
  const dir = await mkdtemp(join(tmpdir(), 'a2d2-ocr-'));
  const file = join(dir, 'in.pdf');
  await writeFile(file, buf);
  return {
    kind: 'pdftoppm',
    render: (n) =>
      new Promise((resolve, reject) => {
        const out = join(dir, `p${n}`);
        const args = ['-f', String(n), '-l', String(n), '-r', String(dpi), '-gray', '-png', '-singlefile', file, out];
        execFile('pdftoppm', args, { timeout: timeoutMs }, (err) => (err ? reject(err) : resolve(readFile(`${out}.png`))));
      }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function pdfjsRenderer(buf: Buffer, dpi: number): Promise<PageRenderer> {
  const doc: PdfDocument = await openPdf(new Uint8Array(buf));
  const { createCanvas } = await import('@napi-rs/canvas');
  return {
    kind: 'pdfjs',
    async render(n) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      // PDF.js types its canvas as the DOM's; @napi-rs/canvas is what it uses in Node.
      const params = { canvas, canvasContext: ctx, viewport } as unknown as Parameters<typeof page.render>[0];
      await page.render(params).promise;
      page.cleanup();
      return canvas.toBuffer('image/png');
    },
    close: () => doc.destroy(),
  };
}

/** A renderer for one PDF: pdftoppm when present, else PDF.js with a canvas. */
export function pageRenderer(buf: Buffer, opts: { dpi: number; timeoutMs: number; prefer?: 'pdftoppm' | 'pdfjs' }): Promise<PageRenderer> {
  const poppler = opts.prefer !== 'pdfjs' && pdftoppmAvailable();
  return poppler ? popplerRenderer(buf, opts.dpi, opts.timeoutMs) : pdfjsRenderer(buf, opts.dpi);
}
