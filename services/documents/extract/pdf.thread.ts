/**
 * An extraction thread of the PDF pool (pdf.pool.ts). It loads PDF.js once, then takes one
 * task at a time: open the document, claim pages from the file's shared counter until none
 * are left, send their texts back. Several threads may work on one file; the counter hands
 * every page to exactly one of them.
 */
import { parentPort } from 'node:worker_threads';
import { asInputError, openPdf, pageText, preloadPdfJs, type PdfDocument } from './pdf.extract.ts';
import type { RejectCode } from '../errors.ts';

/** What the pool sends: one file's work for this thread. */
export interface PdfTask {
  id: number;
  /** This thread's own copy of the file (PDF.js takes it over). */
  data: Uint8Array;
  /** One Int32: pages claimed so far (page n is claimed by the thread that moves it from n-1 to n). */
  counter: SharedArrayBuffer;
  maxPages: number;
  /** Pages to read when the pool already knows (a helper): nothing left means no need to open the file. */
  pages?: number;
}

/** What a thread sends back. */
export type PdfThreadMessage =
  | { type: 'ready' }
  | { type: 'opened'; id: number; numPages: number; pages: number }
  | { type: 'done'; id: number; texts: [number, string][] }
  | { type: 'failed'; id: number; code: RejectCode; params: Record<string, string | number>; detail?: string };

const port = parentPort;
if (!port) throw new Error('pdf.thread.ts runs as a worker thread only');

function post(m: PdfThreadMessage): void {
  port!.postMessage(m);
}

function fail(id: number, err: unknown): void {
  const e = asInputError(err);
  const prefix = `${e.code}: `;
  post({ type: 'failed', id, code: e.code, params: e.params, ...(e.message.startsWith(prefix) ? { detail: e.message.slice(prefix.length) } : {}) });
}

/** Claims and reads pages until the counter passes the last one. */
async function readClaimed(doc: PdfDocument, counter: Int32Array, pages: number): Promise<[number, string][]> {
  const texts: [number, string][] = [];
  for (;;) {
    const n = Atomics.add(counter, 0, 1) + 1;
    if (n > pages) return texts;
    texts.push([n, await pageText(doc, n)]);
  }
}

async function run(task: PdfTask): Promise<void> {
  const counter = new Int32Array(task.counter);
  if (task.pages !== undefined && Atomics.load(counter, 0) >= task.pages) return post({ type: 'done', id: task.id, texts: [] });
  let doc: PdfDocument;
  try {
    doc = await openPdf(task.data);
  } catch (err) {
    return fail(task.id, err);
  }
  try {
    const pages = Math.min(doc.numPages, task.maxPages);
    post({ type: 'opened', id: task.id, numPages: doc.numPages, pages });
    post({ type: 'done', id: task.id, texts: await readClaimed(doc, counter, pages) });
  } catch (err) {
    fail(task.id, err);
  } finally {
    await doc.destroy();
  }
}

// PDF.js's legacy build puts core-js versions of Array.prototype.push, JSON.parse and
// JSON.stringify in place of the engine's (for corner cases of engines older than Node 22's:
// lengths near 2**32 on frozen arrays, the JSON source-text proposal). Text extraction uses
// none of those corners and pushes on every glyph, so this thread gets the natives back.
const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };
await preloadPdfJs();
Object.defineProperty(Array.prototype, 'push', { value: natives.push, writable: true, configurable: true, enumerable: false });
JSON.parse = natives.parse;
JSON.stringify = natives.stringify;
port.on('message', (task: PdfTask) => void run(task));
post({ type: 'ready' });
