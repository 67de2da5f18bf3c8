/**
 * Real a2d2 processes for the chaos scenarios (bench/chaos): `bin/a2d2.mjs start --role ...`
 * children sharing one queue prefix, YAML file, data directory and fake Slack, with the
 * secrets every inbound route needs; plus the sender side (signed Slack commands, REST calls
 * retried the way a real client retries), RSS samples and the statistics the scenarios print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './app.ts';
import { freePort } from './ports.ts';
import { signSlackRequest, slashCommandBody, startFakeSlack, type FakeSlack } from './fake-slack.ts';
import { dropRedisKeys } from './redis-keys.ts';
import { createEmptyDatabase, dropDatabase, scratchDatabaseUrl } from './test-db.ts';
import { sleep, waitFor } from './wait.ts';

const BIN = new URL('../../bin/a2d2.mjs', import.meta.url).pathname;
// Enough of a child's log to explain a failure, without holding an hour of a soak in memory.
const KEEP_OUTPUT = 64 * 1024;

export type Role = 'all' | 'http' | 'worker';

/** One running a2d2 process. */
export interface A2d2Proc {
  role: Role;
  name: string;
  /** PORT it was given (only http and all roles listen on it). */
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  /** The tail of what it wrote to stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  alive(): boolean;
  /** Sends `signal` and resolves with the exit code once it is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface DeploymentOptions {
  /** The YAML file's content, as an object (written as JSON, which YAML reads). */
  yaml?: Record<string, unknown>;
  http?: number;
  workers?: number;
  /** Extra environment for every process (DATABASE_URL or REDIS_URL through a proxy, say). */
  env?: Record<string, string>;
  name?: string;
  /**
   * A database of the deployment's own, created empty next to DATABASE_URL's (the first
   * process migrates it) and dropped by close(). Without it the deployment shares
   * DATABASE_URL with whatever else runs against it, and another install's recovery sweeps
   * take every queued row of the database they use: a bench or a second scenario on the same
   * database would send this one's outbound rows to its own fake Slack (and mark them sent).
   */
  ownDatabase?: boolean;
  /** The address the processes are given for the database (through a proxy, say); the `db` client connects directly. */
  databaseVia?: (databaseUrl: string) => string;
}

/** A deployment of real processes and the secrets a sender needs to reach it. */
export interface Deployment {
  id: string;
  prefix: string;
  dir: string;
  slack: FakeSlack;
  slackSecret: string;
  tgSecret: string;
  apiToken: string;
  amToken: string;
  githubSecret: string;
  env: Record<string, string>;
  http: A2d2Proc[];
  workers: A2d2Proc[];
  /** Starts one more process of `role` (on `port` when given, for a restart "at the same address"). */
  start(role: Role, port?: number): Promise<A2d2Proc>;
  /** A pg client on DATABASE_URL, or the deployment's own database (not through any proxy the processes use). */
  db: pg.Client;
  /** Stops every process (SIGKILL), the fake Slack and the client; drops the queue keys. */
  close(): Promise<void>;
}

/** Spawns one process and waits for its "a2d2 started" line (or its exit, which throws). */
export async function spawnA2d2(role: Role, env: Record<string, string>, name: string, port?: number): Promise<A2d2Proc> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [BIN, 'start', '--role', role], {
    env: { ...env, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > KEEP_OUTPUT * 2) out = out.slice(-KEEP_OUTPUT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let code: number | null | undefined;
  const exited = new Promise<number | null>((r) => child.once('exit', (c, sig) => r((code = c ?? (sig ? -1 : null)))));
  const proc: A2d2Proc = {
    role,
    name,
    port: p,
    url: `http://127.0.0.1:${p}`,
    pid: child.pid!,
    child,
    output: () => out.slice(-KEEP_OUTPUT),
    exited,
    alive: () => code === undefined,
    async stop(signal = 'SIGKILL') {
      if (code === undefined) child.kill(signal);
      return exited;
    },
  };
  try {
    await waitFor(() => {
      if (code !== undefined) throw new Error(`exited with ${code}`);
      return out.includes('a2d2 started');
    }, `${name} (${role}) to start`, 120_000, 50);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${String(err)}\n${out.slice(-3000)}`);
  }
  return proc;
}

/** Starts a fake Slack, writes the YAML, and starts `http` http roles and `workers` worker roles. */
export async function startDeployment(opts: DeploymentOptions = {}): Promise<Deployment> {
  const id = randomUUID().slice(0, 8);
  const name = opts.name ?? 'chaos';
  const prefix = `${name}-${id}`;
  const dir = mkdtempSync(join(tmpdir(), `a2d2-${name}-`));
  writeFileSync(join(dir, 'a2d2.yaml'), JSON.stringify(opts.yaml ?? {}, null, 2));
  const databaseUrl = opts.ownDatabase ? scratchDatabaseUrl(TEST_DATABASE_URL, 'dep') : TEST_DATABASE_URL;
  if (opts.ownDatabase) await createEmptyDatabase(databaseUrl);
  const slack = await startFakeSlack();
  const secrets = {
    slackSecret: `slack-${randomUUID()}`,
    tgSecret: `tg_${id}`,
    apiToken: `api-${randomUUID()}`,
    amToken: `am-${randomUUID()}`,
    githubSecret: `gh-${randomUUID()}`,
  };
  // The parent's own platform settings must not leak in: the fake is the only Slack.
  const { SLACK_APP_TOKEN: _a, TELEGRAM_BOT_TOKEN: _b, OPENAI_API_KEY: _c, ...rest } = process.env as Record<string, string>;
  const env: Record<string, string> = {
    ...rest,
    DATABASE_URL: opts.databaseVia ? opts.databaseVia(databaseUrl) : databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    A2D2_CONFIG: join(dir, 'a2d2.yaml'),
    A2D2_QUEUE_PREFIX: prefix,
    A2D2_DATA_DIR: join(dir, 'data'),
    SLACK_SIGNING_SECRET: secrets.slackSecret,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    TELEGRAM_BOT_TOKEN: `123456:${id}`,
    TELEGRAM_WEBHOOK_SECRET: secrets.tgSecret,
    // Nothing listens there: Telegram sends fail fast on loopback instead of reaching the internet.
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    A2D2_API_TOKEN: secrets.apiToken,
    ALERTMANAGER_TOKEN: secrets.amToken,
    GITHUB_WEBHOOK_SECRET: secrets.githubSecret,
    ...opts.env,
  };
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const all: A2d2Proc[] = [];
  let n = 0;
  const dep: Deployment = {
    id,
    prefix,
    dir,
    slack,
    ...secrets,
    env,
    http: [],
    workers: [],
    db,
    async start(role, port) {
      const p = await spawnA2d2(role, env, `${role}-${++n}`, port);
      all.push(p);
      return p;
    },
    async close() {
      await Promise.all(all.map((p) => p.stop('SIGKILL')));
      await slack.close();
      await db.end().catch(() => undefined);
      await dropRedisKeys(env.REDIS_URL!, prefix).catch(() => undefined);
      if (opts.ownDatabase) await dropDatabase(databaseUrl).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // One at a time: each start applies migrations first, and the first one's work is the others' no-op.
    for (let i = 0; i < (opts.http ?? 1); i++) dep.http.push(await dep.start('http'));
    for (let i = 0; i < (opts.workers ?? 2); i++) dep.workers.push(await dep.start('worker'));
  } catch (err) {
    await dep.close();
    throw err;
  }
  return dep;
}

/** What a sender saw for one logical request: the last status (or connection error code) and attempts. */
export interface Sent {
  status: number | string;
  attempts: number;
  body: string;
  /** Date.now() when the final answer came. */
  at: number;
}

/** A status or a connection error's code ('ECONNREFUSED', 'TimeoutError', ...). */
export async function request(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<{ status: number | string; body: string }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { status: cause?.code ?? (err as Error).name, body: '' };
  }
}

/**
 * Sends as a real client does: a 503, 429 or connection error is retried with backoff (the same
 * request, so the same idempotency key or Slack trigger) until `giveUpMs` has passed.
 * `init` is a function so signed requests get a fresh timestamp on each attempt.
 */
export async function sendWithRetry(url: string | (() => string), init: () => RequestInit, giveUpMs = 60_000, onAttempt?: (status: number | string, at: number) => void): Promise<Sent> {
  const deadline = Date.now() + giveUpMs;
  for (let attempt = 1; ; attempt++) {
    const r = await request(typeof url === 'string' ? url : url(), init());
    onAttempt?.(r.status, Date.now());
    const retryable = typeof r.status === 'string' || r.status === 503 || r.status === 429 || r.status === 502;
    if (!retryable || Date.now() > deadline) return { ...r, attempts: attempt, at: Date.now() };
    await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
  }
}

/** A signed `/a2d2 ...` slash command request for `dep`; the trigger id makes redeliveries one command. */
export function slashCommand(dep: Pick<Deployment, 'slackSecret'>, text: string, channel: string, triggerId = `${Date.now()}.${randomUUID().slice(0, 8)}`): () => RequestInit {
  const body = slashCommandBody({ command: '/a2d2', text, channel, triggerId });
  return () => ({ method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(dep.slackSecret, body) } });
}

/** A JSON POST with a bearer token (and an Idempotency-Key when given). */
export function jsonPost(token: string, body: unknown, idempotencyKey?: string): () => RequestInit {
  const text = JSON.stringify(body);
  return () => ({
    method: 'POST',
    body: text,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
  });
}

/** Resident set size of a process in MiB (from /proc), or null once it is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The p-th percentile (0..100, nearest rank) of `xs`; NaN for none. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Least-squares slope of y over x; 0 for fewer than two points. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den ? num / den : 0;
}

/** Tally of statuses, e.g. "201×480 503×3". */
export function tally(statuses: (number | string)[]): string {
  const m = new Map<string, number>();
  for (const s of statuses) m.set(String(s), (m.get(String(s)) ?? 0) + 1);
  return [...m.entries()].sort().map(([k, v]) => `${k}×${v}`).join(' ');
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at a time. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}
