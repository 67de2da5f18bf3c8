/**
 * PDF text extraction off the event loop: a small pool of worker threads (pdf.thread.ts),
 * started on the first PDF, each loading PDF.js once. A file goes to an idle thread; once it
 * is open and has at least `splitMinPages` pages, threads that fall idle join it: each opens
 * its own copy and claims pages from the file's shared counter, and the texts are joined in
 * page order, so one large PDF uses every thread while several files use one thread each.
 *
 * A thread that crashes, or works on one file longer than `timeoutMs`, is ended and replaced
 * on demand; its file fails as DocumentInputError('corrupt'), never the process. Idle threads
 * exit after `idleMs` (their PDF.js memory with them).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DocumentInputError } from '../errors.ts';
import type { Logger } from '../../logger.ts';
import { assemblePdf } from './pdf.extract.ts';
import type { PdfTask, PdfThreadMessage } from './pdf.thread.ts';
import type { Extracted } from './types.ts';

/** Pool settings (the `documents.pdf` section of the YAML file). */
export interface PdfPoolOptions {
  /** Threads at most (default min(2, available cores)). */
  threads?: number;
  /** Longest one file may keep its threads busy, in ms. */
  timeoutMs: number;
  /** An idle thread exits after this many ms. */
  idleMs: number;
  /** Files with fewer pages stay in one thread. */
  splitMinPages: number;
  logger?: Logger;
}

/** One running thread. */
export interface PdfThreadInfo {
  worker: Worker;
  busy: boolean;
  pages: number;
}

/** Extracts PDFs in the pool's threads. */
export interface PdfPool {
  /** Same result and errors as extractPdf, computed in the pool's threads. */
  extract(buf: Buffer, opts: { maxPages: number }): Promise<Extracted>;
  /** The running threads, busy or not, with the pages each has read (for diagnostics and tests). */
  threads(): PdfThreadInfo[];
  /** Ends every thread; files in flight fail with a plain (retryable) error. */
  close(): Promise<void>;
}

/** A thread that has not said it is ready by then is taken for hung. */
const BOOT_TIMEOUT_MS = 60_000;

interface Job {
  id: number;
  bytes: Buffer;
  maxPages: number;
  counter: Int32Array;
  /** Known once the first thread has opened the file. */
  numPages?: number;
  pages?: number;
  texts: (string | undefined)[];
  got: number;
  crew: Set<Thread>;
  timer?: NodeJS.Timeout;
  settled: boolean;
  resolve(ex: Extracted): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  pages: number;
  job?: Job;
  timer?: NodeJS.Timeout;
}

/** How a worker thread starts: the compiled build has pdf.thread.js next to this module; sources run through tsx. */
function startWorker(): Worker {
  const js = new URL('./pdf.thread.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js);
  // In a worker, tsx's hooks from --import are not in place for the entry module: register them first.
  const tsx = import.meta.resolve('tsx/esm/api');
  const ts = new URL('./pdf.thread.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(ts)}); });`, { eval: true });
}

class Pool implements PdfPool {
  private readonly size: number;
  private readonly all = new Set<Thread>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(private readonly opts: PdfPoolOptions) {
    this.size = Math.max(1, opts.threads ?? Math.min(2, availableParallelism()));
  }

  extract(buf: Buffer, opts: { maxPages: number }): Promise<Extracted> {
    return new Promise<Extracted>((resolve, reject) => {
      const counter = new Int32Array(new SharedArrayBuffer(4));
      this.queue.push({ id: this.nextId++, bytes: buf, maxPages: opts.maxPages, counter, texts: [], got: 0, crew: new Set(), settled: false, resolve, reject });
      this.pump();
    });
  }

  threads(): PdfThreadInfo[] {
    return [...this.all].map((t) => ({ worker: t.worker, busy: Boolean(t.job), pages: t.pages }));
  }

  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) this.settle(job, new Error('PDF pool closed'));
    const threads = [...this.all];
    this.all.clear();
    for (const t of threads) if (t.job) this.settle(t.job, new Error('PDF pool closed'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** Gives idle threads work: waiting files first, then a share of a large file in progress. */
  private pump(): void {
    for (;;) {
      const job = this.queue[0] ?? this.helpable();
      if (!job) return;
      const t = this.idleThread();
      if (!t) return;
      if (job === this.queue[0]) this.queue.shift();
      this.assign(t, job);
    }
  }

  /** A running file worth another thread: open, large, with enough pages not yet claimed. */
  private helpable(): Job | undefined {
    const { splitMinPages } = this.opts;
    for (const t of this.all) {
      const job = t.job;
      if (!job || job.settled || job.pages === undefined || job.pages < splitMinPages) continue;
      if (job.pages - Atomics.load(job.counter, 0) >= Math.max(2, Math.ceil(splitMinPages / 2))) return job;
    }
    return undefined;
  }

  private idleThread(): Thread | undefined {
    for (const t of this.all) if (!t.job) return t;
    return this.all.size < this.size ? this.spawn() : undefined;
  }

  private assign(t: Thread, job: Job): void {
    clearTimeout(t.timer);
    t.job = job;
    job.crew.add(t);
    t.worker.ref();
    // Each thread gets a copy: PDF.js takes over the bytes it is given.
    const data = new Uint8Array(job.bytes);
    const task: PdfTask = { id: job.id, data, counter: job.counter.buffer as SharedArrayBuffer, maxPages: job.maxPages, ...(job.pages === undefined ? {} : { pages: job.pages }) };
    t.worker.postMessage(task, [data.buffer]);
    if (t.ready) this.startClock(job);
  }

  /** The file's time runs from when a ready thread first has it (a thread's start does not count). */
  private startClock(job: Job): void {
    if (job.timer || job.settled) return;
    job.timer = setTimeout(() => this.timedOut(job), this.opts.timeoutMs);
    job.timer.unref();
  }

  private timedOut(job: Job): void {
    this.opts.logger?.warn({ timeoutMs: this.opts.timeoutMs }, 'PDF extraction timed out; ending its threads');
    this.settle(job, new DocumentInputError('corrupt', {}, `PDF extraction took longer than ${this.opts.timeoutMs} ms`));
    for (const t of job.crew) this.end(t);
    this.pump();
  }

  private spawn(): Thread {
    const t: Thread = { worker: startWorker(), ready: false, pages: 0 };
    this.all.add(t);
    t.timer = setTimeout(() => this.end(t), BOOT_TIMEOUT_MS);
    t.timer.unref();
    t.worker.on('message', (m: PdfThreadMessage) => this.onMessage(t, m));
    t.worker.on('error', (err) => this.opts.logger?.warn({ err }, 'PDF extraction thread failed'));
    t.worker.on('exit', (code) => this.onExit(t, code));
    return t;
  }

  /** Ends a thread on purpose (idle, hung): it leaves the pool first, so its exit is no crash. */
  private end(t: Thread): void {
    clearTimeout(t.timer);
    if (!this.all.delete(t)) return;
    if (t.job) this.settle(t.job, new DocumentInputError('corrupt', {}, 'PDF extraction thread did not start'));
    void t.worker.terminate();
  }

  private onExit(t: Thread, code: number): void {
    clearTimeout(t.timer);
    if (!this.all.delete(t)) return;
    this.opts.logger?.warn({ code }, 'PDF extraction thread exited');
    if (t.job) this.settle(t.job, new DocumentInputError('corrupt', {}, `PDF extraction thread exited (code ${code})`));
    this.pump();
  }

  private onMessage(t: Thread, m: PdfThreadMessage): void {
    if (m.type === 'ready') {
      t.ready = true;
      clearTimeout(t.timer);
      if (t.job) this.startClock(t.job);
      return;
    }
    const job = t.job;
    if (!job || job.id !== m.id) return;
    if (m.type === 'opened') {
      job.numPages ??= m.numPages;
      job.pages ??= m.pages;
      this.pump();
    } else if (m.type === 'failed') {
      this.settle(job, new DocumentInputError(m.code, m.params, m.detail));
      this.release(t);
    } else {
      for (const [n, text] of m.texts) job.texts[n - 1] = text;
      job.got += m.texts.length;
      t.pages += m.texts.length;
      this.release(t);
    }
    if (job.pages !== undefined && job.got === job.pages) this.finish(job);
  }

  private finish(job: Job): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    job.resolve(assemblePdf(job.texts as string[], job.numPages!));
  }

  /** Fails a file once; its threads stop claiming pages. */
  private settle(job: Job, err: Error): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    Atomics.store(job.counter, 0, 0x3fffffff);
    job.reject(err);
  }

  /** A thread is done with its file: it takes the next one or waits, and exits when idle too long. */
  private release(t: Thread): void {
    t.job?.crew.delete(t);
    t.job = undefined;
    t.worker.unref();
    this.pump();
    if (t.job) return;
    t.timer = setTimeout(() => this.end(t), this.opts.idleMs);
    t.timer.unref();
  }
}

/** A pool that starts no thread until the first PDF. */
export function createPdfPool(opts: PdfPoolOptions): PdfPool {
  return new Pool(opts);
}
