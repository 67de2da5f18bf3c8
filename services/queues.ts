/**
 * BullMQ queues with typed, validated payloads. Producers (any role) and consumers (the
 * worker role) are separate: `Queues.add` validates and enqueues; `Queues.startWorkers`
 * consumes. Job data carries ids; Postgres holds the state, so every processor can be
 * idempotent (BullMQ delivers at least once).
 */
import { DelayedError, Queue, Worker, UnrecoverableError, type Job, type JobsOptions, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { Logger } from './logger.ts';
import { createRedis, type RedisTarget } from './redis.ts';
import { isUnavailable } from './errors/unavailable.ts';

export { UnrecoverableError, type Job };

/** A processor: a plain function of the job. Throw UnrecoverableError to skip retries. */
export type Processor<T> = (job: Job<T>) => Promise<unknown>;

/** A queue's declaration: its name, payload schema and (on workers) processor. */
export interface QueueDef<T = unknown> {
  name: string;
  schema: z.ZodType<T>;
  processor?: Processor<T>;
  concurrency?: number;
  defaultJobOptions?: JobsOptions;
  /** Extra worker options (lockDuration, limiter, ...). */
  workerOptions?: Partial<Omit<WorkerOptions, 'connection' | 'prefix' | 'concurrency'>>;
}

/** Thrown by `add` when a payload does not match its queue's schema. */
export class JobPayloadError extends Error {
  constructor(queue: string, detail: string) {
    super(`invalid payload for queue ${queue}: ${detail}`);
    this.name = 'JobPayloadError';
  }
}

export interface QueueHooks {
  onCompleted?(queue: string, durationMs: number): void;
  onFailed?(queue: string, durationMs: number, final: boolean): void;
}

/**
 * How long a job keeps waiting for a store that is down (PostgreSQL refusing connections, a
 * primary being switched) before such failures count as attempts again.
 */
const UNAVAILABLE_PATIENCE_MS = 24 * 3600_000;

/**
 * A job whose work failed only because a store is unavailable is put back, delayed, without
 * using one of its attempts: an acknowledged event must outlast an outage of any length, not
 * three quick retries. Repeating jobs (sweeps) just wait for their next turn. Returns false when
 * the job is not such a case (or could not be delayed: Redis itself is gone).
 */
async function waitForStore(job: Job, token: string | undefined, err: unknown, log: Logger): Promise<boolean> {
  if (!token || job.repeatJobKey || !isUnavailable(err) || Date.now() - job.timestamp > UNAVAILABLE_PATIENCE_MS) return false;
  const waited = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
  const delay = Math.min(10_000, 250 * 2 ** Math.min(waited, 6));
  try {
    await job.moveToDelayed(Date.now() + delay, token);
  } catch {
    return false;
  }
  log.warn({ jobId: job.id, delayMs: delay, waited, err: err instanceof Error ? err.message.split('\n').filter(Boolean).pop() : String(err) }, 'a store is unavailable: the job waits without using an attempt');
  return true;
}

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The queue registry of one process. */
export class Queues {
  private readonly defs = new Map<string, QueueDef<unknown>>();
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  /**
   * The one connection every worker of this process shares for its non-blocking commands (lock
   * renewals, completions); each Worker still duplicates it for its own blocking fetch. We
   * close it ourselves: BullMQ does not close connections it was handed.
   */
  private workerConnection: Redis | null = null;
  /** Producer connection: fails fast (no offline queue) so HTTP can answer 503. */
  readonly producer: Redis;
  readonly prefix: string;

  constructor(
    private readonly opts: { redisUrl: string; prefix: string; logger: Logger; hooks?: QueueHooks; sentinel?: Omit<RedisTarget, 'url'> },
  ) {
    this.prefix = opts.prefix;
    this.producer = createRedis(this.target(), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Concurrent requests' enqueues share round trips instead of each paying one.
      enableAutoPipelining: true,
      lazyConnect: true,
      connectionName: 'a2d2-producer',
    });
    this.producer.on('error', (err) => opts.logger.warn({ err: err.message }, 'redis producer error'));
  }

  /** Where Redis is: the URL, and the sentinels when there are any. */
  target(): RedisTarget {
    return { url: this.opts.redisUrl, ...this.opts.sentinel };
  }

  /** Connects the producer; call once at start. */
  async connect(): Promise<void> {
    if (this.producer.status === 'wait') await this.producer.connect();
  }

  register<T>(def: QueueDef<T>): void {
    if (this.defs.has(def.name)) throw new Error(`queue ${def.name} declared twice`);
    this.defs.set(def.name, def as QueueDef<unknown>);
  }

  names(): string[] {
    return [...this.defs.keys()];
  }

  /** The BullMQ Queue for a declared name. */
  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const def = this.defs.get(name);
      if (!def) throw new Error(`queue ${name} is not declared`);
      q = new Queue(name, {
        connection: this.producer,
        prefix: this.prefix,
        defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...def.defaultJobOptions },
      });
      q.on('error', (err) => this.opts.logger.warn({ err: err.message, queue: name }, 'queue error'));
      this.queues.set(name, q);
    }
    return q;
  }

  /** The payload as its queue's schema parses it; throws JobPayloadError naming the field. */
  private validated(name: string, data: unknown): unknown {
    const def = this.defs.get(name);
    if (!def) throw new Error(`queue ${name} is not declared`);
    const parsed = def.schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new JobPayloadError(name, `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    return parsed.data;
  }

  /** Validates and enqueues. Returns the job id. `jobId` makes it idempotent. */
  async add<T>(name: string, data: T, opts: JobsOptions = {}): Promise<string> {
    const job = await this.queue(name).add(name, this.validated(name, data), opts);
    return job.id ?? '';
  }

  private readonly batches = new Map<string, { name: string; data: unknown; opts: JobsOptions; resolve: (id: string) => void; reject: (e: unknown) => void }[]>();

  /**
   * Like `add`, but jobs added in the same tick leave in one `addBulk` (one round trip and one
   * pipeline for many concurrent requests). For the hot ingest path.
   */
  async addBatched<T>(name: string, data: T, opts: JobsOptions = {}): Promise<string> {
    const valid = this.validated(name, data);
    let batch = this.batches.get(name);
    if (!batch) {
      batch = [];
      this.batches.set(name, batch);
      setImmediate(() => void this.flush(name));
    }
    return new Promise<string>((resolve, reject) => batch.push({ name, data: valid, opts, resolve, reject }));
  }

  private async flush(name: string): Promise<void> {
    const batch = this.batches.get(name) ?? [];
    this.batches.delete(name);
    if (batch.length === 0) return;
    try {
      const jobs = await this.queue(name).addBulk(batch.map((b) => ({ name: b.name, data: b.data, opts: b.opts })));
      batch.forEach((b, i) => b.resolve(jobs[i]?.id ?? ''));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }

  private sharedWorkerConnection(): Redis {
    if (!this.workerConnection) {
      const connection = createRedis(this.target(), { maxRetriesPerRequest: null, connectionName: 'a2d2-worker' });
      connection.on('error', (err) => this.opts.logger.warn({ err: err.message }, 'redis worker connection error'));
      this.workerConnection = connection;
    }
    return this.workerConnection;
  }

  /** Starts consumers for the declared queues that have processors (or only `only`). */
  startWorkers(only?: string[]): Worker[] {
    for (const def of this.defs.values()) {
      if (!def.processor || (only && !only.includes(def.name))) continue;
      const processor = def.processor;
      const schema = def.schema;
      const log = this.opts.logger.child({ queue: def.name });
      const connection = this.sharedWorkerConnection();
      const worker = new Worker(
        def.name,
        async (job: Job, token?: string) => {
          const parsed = schema.safeParse(job.data);
          if (!parsed.success) throw new UnrecoverableError(`invalid job data: ${parsed.error.issues[0]?.message ?? ''}`);
          job.data = parsed.data;
          try {
            return await processor(job);
          } catch (err) {
            if (await waitForStore(job, token, err, log)) throw new DelayedError();
            throw err;
          }
        },
        {
          // After a failed fetch (Redis gone for a moment) try again within a second; the
          // library's default waits 15 s, which left timers firing up to 40 s late after a restart.
          runRetryDelay: 1_000,
          ...def.workerOptions,
          connection,
          prefix: this.prefix,
          concurrency: def.concurrency ?? 5,
          autorun: true,
        },
      );
      worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));
      worker.on('completed', (job) => {
        const ms = job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0;
        this.opts.hooks?.onCompleted?.(def.name, ms);
      });
      worker.on('failed', (job, err) => {
        if (!job) return;
        const ms = job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0;
        const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        this.opts.hooks?.onFailed?.(def.name, ms, final);
        log[final ? 'error' : 'warn']({ jobId: job.id, attempt: job.attemptsMade, err: err.message }, final ? 'job failed' : 'job will retry');
      });
      this.workers.push(worker);
    }
    return this.workers;
  }

  /** Job counts per queue, for /metrics and `status`. */
  async depths(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const name of this.defs.keys()) {
      out[name] = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    }
    return out;
  }

  /** Stops taking new jobs; waits for running ones up to `graceMs`, then closes (they retry elsewhere). */
  async stopWorkers(graceMs: number): Promise<void> {
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timeout = new Promise<'timeout'>((r) => setTimeout(r, graceMs, 'timeout').unref());
    const result = await Promise.race([closing.then(() => 'done' as const), timeout]);
    if (result === 'timeout') {
      this.opts.logger.warn('running jobs did not finish in time; they will be retried by another worker');
      // A second close() returns the first, still pending, promise: do not wait on it. Cutting
      // the connections stops lock renewal, so another worker takes the jobs once locks expire.
      closing.catch(() => undefined);
    }
    this.workers.length = 0;
    this.workerConnection?.disconnect();
    this.workerConnection = null;
  }

  async close(): Promise<void> {
    await this.stopWorkers(5000);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    this.producer.disconnect();
  }
}
