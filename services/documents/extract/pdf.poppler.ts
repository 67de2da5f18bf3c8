/**
 * PDF text through poppler's `pdftotext` when it is installed (Debian's poppler-utils), with
 * the PDF.js pool (pdf.pool.ts) as the fallback. `documents.pdf.engine` chooses: `auto` (the
 * command when it answers, else PDF.js), `pdftotext` or `pdfjs`.
 *
 * A file is written to a private temporary file and read by one pdftotext process in raw
 * content order (the lines PDF.js gives too; its reading-order analysis would pull a table's
 * columns apart), up to `documents.maxPages` pages; `pdfinfo` is asked for the page count only
 * when that limit was reached. At most `threads` processes run at once. pdftotext ends every
 * page with a form feed, which splits the output back into pages. Anything unexpected (a
 * non-zero exit, a password, a timeout, no pages) hands the file to PDF.js, which gives the
 * result the thread pool always gave and decides "encrypted" or "corrupt" for a broken file.
 * No shell is involved; the file name is ours.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { assemblePdf } from './pdf.extract.ts';
import { createPdfPool, type PdfPool, type PdfPoolOptions } from './pdf.pool.ts';
import type { Extracted } from './types.ts';

/** documents.pdf.engine. */
export type PdfEngine = 'auto' | 'pdftotext' | 'pdfjs';

/** Reader settings: the pool's, plus the engine and the command. */
export interface PdfReaderOptions extends PdfPoolOptions {
  engine?: PdfEngine;
  /** The pdftotext command (pdfinfo is looked for beside it). */
  command?: string;
}

/** Runs a command without a shell; resolves with its stdout, rejects on a non-zero exit or the timeout. */
function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', killSignal: 'SIGKILL' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/** pdfinfo beside the given pdftotext (a bare name stays a bare name, found on PATH). */
function pdfinfoOf(command: string): string {
  const name = basename(command).replace(/pdftotext$/, 'pdfinfo');
  return command.includes('/') ? join(dirname(command), name) : name;
}

/** A counting gate: at most `size` processes at once. */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async with<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

class PopplerReader implements PdfPool {
  private available: Promise<boolean> | null = null;
  private fallback: PdfPool | null = null;
  private readonly gate: Gate;
  private readonly size: number;
  private readonly command: string;

  constructor(private readonly opts: PdfReaderOptions) {
    this.size = Math.max(1, opts.threads ?? Math.min(2, availableParallelism()));
    this.gate = new Gate(this.size);
    this.command = opts.command ?? 'pdftotext';
  }

  async extract(buf: Buffer, opts: { maxPages: number }): Promise<Extracted> {
    if (this.opts.engine !== 'pdfjs' && (await this.isAvailable())) {
      const got = await this.viaPoppler(buf, opts.maxPages);
      if (got) return got;
    }
    return this.pdfjs().extract(buf, opts);
  }

  threads() {
    return this.fallback?.threads() ?? [];
  }

  async close(): Promise<void> {
    await this.fallback?.close();
  }

  private pdfjs(): PdfPool {
    this.fallback ??= createPdfPool(this.opts);
    return this.fallback;
  }

  /** Whether the command answers `-v`, asked once. */
  private isAvailable(): Promise<boolean> {
    this.available ??= run(this.command, ['-v'], 10_000).then(
      () => true,
      (err: Error) => {
        if (this.opts.engine === 'pdftotext') this.opts.logger?.warn({ command: this.command, err: err.message }, 'documents.pdf.engine is pdftotext but the command does not run; reading PDFs with PDF.js');
        return false;
      },
    );
    return this.available;
  }

  /** The file's text by pdftotext, or null when PDF.js should decide. */
  private async viaPoppler(buf: Buffer, maxPages: number): Promise<Extracted | null> {
    const file = join(tmpdir(), `a2d2-pdf-${randomUUID()}.pdf`);
    try {
      await writeFile(file, buf, { mode: 0o600 });
      // Raw content order: lines as the PDF draws them, as PDF.js gives them (table rows stay rows).
      const out = await this.gate.with(() => run(this.command, ['-q', '-raw', '-enc', 'UTF-8', '-l', String(maxPages), file, '-'], this.opts.timeoutMs));
      // Every page ends with a form feed: n pages give n + 1 pieces, the last one empty.
      const texts = out.split('\f').slice(0, -1);
      if (texts.length === 0) return null;
      // The page count is asked for only when the limit may have cut the file short.
      const numPages = texts.length < maxPages ? texts.length : await this.pageCount(file);
      if (numPages === null || numPages < texts.length) return null;
      return assemblePdf(texts, numPages);
    } catch (err) {
      this.opts.logger?.debug({ err: (err as Error).message }, 'pdftotext could not read a PDF; PDF.js reads it');
      return null;
    } finally {
      await rm(file, { force: true });
    }
  }

  private async pageCount(file: string): Promise<number | null> {
    const info = await this.gate.with(() => run(pdfinfoOf(this.command), [file], this.opts.timeoutMs));
    const n = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    return Number.isInteger(n) && n > 0 ? n : null;
  }
}

/** The PDF reader of the worker role: pdftotext when installed (engine auto), else PDF.js threads. */
export function createPdfReader(opts: PdfReaderOptions): PdfPool {
  return opts.engine === 'pdfjs' ? createPdfPool(opts) : new PopplerReader(opts);
}
