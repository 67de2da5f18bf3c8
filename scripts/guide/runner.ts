/**
 * Runs the examples of a user guide against the terminal adapter: the pipeline `a2d2 chat`
 * uses (bot/main.ts `chat`: createApp, createTerminalSession, one session per terminal login,
 * the terminal's locale), with the real PostgreSQL and Redis. The process also runs the queue
 * workers, as `a2d2 start` would next to it, so that what the bot does after a reply (an alert
 * card, a document's analysis, a process run's steps) reaches the terminal before the next
 * input is typed: after each input the runner waits until no job is waiting, active or due
 * within a few seconds.
 *
 * Each guide runs in a database of its own, dropped and migrated afresh, so its tickets, runs
 * and documents are numbered from 1. A local HTTP server stands in for the application the
 * smoke test checks and the deploy hook the rollback calls.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import pg from 'pg';
import { stringify } from 'yaml';
import { loadConfig } from '../../services/config.ts';
import { createLogger, type Logger } from '../../services/logger.ts';
import { createRedis } from '../../services/redis.ts';
import { normalizeAlertmanager } from '../../services/alerts/alert.service.ts';
import type { InboundEvent } from '../../services/messaging/types.ts';
import { createApp, type App } from '../../bot/app.ts';
import { applyPending } from '../../bot/migrate-cli.ts';
import { createTerminalSession, type TerminalSession } from '../../bot/adapters/terminal/terminal.adapter.ts';
import { createIntentEngine } from '../../agents/llm-intent.ts';
import type { Example } from './examples.ts';
import { guideConfig, SAMPLE_DOCUMENT, type GuideLang } from './fixtures.ts';

export interface Exchange {
  input: string | null;
  output: string;
}

/** `databaseUrl` with its database replaced by `name`. */
function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The stand-in application: 200 on every path, so the smoke test passes and the deploy hook answers. */
async function startStandIn(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Until no job of the app's queues is waiting, active, or delayed to within `soonMs`, twice in a row. */
async function settle(app: App, soonMs = 8_000, timeoutMs = 90_000): Promise<void> {
  const queues = app.deps.queues;
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 2) {
    if (Date.now() > deadline) throw new Error('the bot did not settle: jobs are still waiting or running');
    let busy = 0;
    for (const name of queues.names()) {
      if (name.endsWith('recovery') || name.endsWith('sweep') || name.endsWith('expiry')) continue;
      const q = queues.queue(name);
      const c = await q.getJobCounts('waiting', 'active', 'prioritized');
      busy += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
      for (const job of await q.getDelayed(0, 100)) if (job.timestamp + (job.opts.delay ?? 0) < Date.now() + soonMs) busy += 1;
    }
    quiet = busy === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * What an input made the terminal print, less the versions of an edited message that a later
 * edit during the same input replaced: the terminal prints a message again in full each time
 * the bot edits it (a run's progress after every step), where Slack and Telegram change the one
 * message; how many intermediate versions appear depends on timing, the last one does not.
 */
export function lastVersions(segments: { key: string | null; text: string }[]): string {
  return segments
    .filter((s, i) => s.key === null || !segments.slice(i + 1).some((later) => later.key === s.key))
    .map((s) => s.text)
    .join('');
}

interface User {
  session: TerminalSession;
  input: PassThrough;
  /** Everything the terminal printed, chunk by chunk. */
  printed: string[];
  /** The same, one entry per message delivered, with the message's key when it has one. */
  segments: { key: string | null; text: string }[];
  handled: (() => void) | null;
  done: Promise<void>;
}

/** One guide's run: the app, a terminal session per login, and the setups' state. */
export class GuideRun {
  private users = new Map<string, User>();
  private constructor(
    readonly lang: GuideLang,
    private app: App,
    private cleanup: () => Promise<void>,
  ) {}

  static async start(lang: GuideLang, baseDatabaseUrl: string, redisUrl: string, logger?: Logger): Promise<GuideRun> {
    const databaseUrl = withDatabase(baseDatabaseUrl, `${decodeURIComponent(new URL(baseDatabaseUrl).pathname.slice(1))}_guide_${lang}`);
    const dir = join(tmpdir(), `a2d2-guide-${lang}-${randomUUID().slice(0, 8)}`);
    mkdirSync(dir, { recursive: true });
    const standIn = await startStandIn();
    writeFileSync(join(dir, 'a2d2.yaml'), stringify(guideConfig(lang, standIn.base)));
    const prefix = `guide-${lang}-${randomUUID().slice(0, 8)}`;
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      A2D2_CONFIG: join(dir, 'a2d2.yaml'),
      A2D2_QUEUE_PREFIX: prefix,
      A2D2_DATA_DIR: join(dir, 'data'),
      DEPLOY_HOOK_TOKEN: 'guide-token',
      A2D2_PUBLIC_URL: 'https://a2d2.example.org',
      A2D2_CONSOLE_SECRET: randomUUID() + randomUUID(),
      LOG_LEVEL: 'warn',
    });
    const log = logger ?? createLogger({ level: 'warn', secrets: [], destination: process.stderr as never });
    await dropDatabase(databaseUrl);
    await applyPending({ databaseUrl, logger: log, out: new Writable({ write: (_c, _e, cb) => cb() }) });
    let run: GuideRun | null = null;
    const app = await createApp({
      config,
      role: 'worker',
      logger: log,
      intent: (services) => createIntentEngine(services),
      direct: { terminal: (req) => run!.deliver(req.ref.chatId, req) },
    });
    run = new GuideRun(lang, app, async () => {
      await app.stop();
      await new Promise((r) => standIn.server.close(r));
      const redis = createRedis({ url: redisUrl });
      try {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
      } finally {
        await redis.quit();
      }
      await dropDatabase(databaseUrl);
      rmSync(dir, { recursive: true, force: true });
    });
    await app.start();
    return run;
  }

  private async deliver(chatId: string, req: Parameters<TerminalSession['deliver']>[0]): Promise<void> {
    const user = this.users.get(chatId.replace(/^terminal-/, ''));
    if (!user) return;
    const start = user.printed.length;
    await user.session.deliver(req);
    user.segments.push({ key: req.messageKey ?? null, text: user.printed.slice(start).join('') });
  }

  /** The terminal session of `login`, started on first use with the guide's locale. */
  private user(login: string): User {
    let u = this.users.get(login);
    if (u) return u;
    const input = new PassThrough();
    const printed: string[] = [];
    const output = new Writable({
      write(chunk, _enc, cb) {
        printed.push(String(chunk));
        cb();
      },
    });
    const user: User = { input, printed, segments: [], handled: null, session: null as never, done: Promise.resolve() };
    user.session = createTerminalSession({
      input,
      output,
      userId: login,
      locale: this.lang === 'ru' ? 'ru-RU' : 'en-US',
      imageDir: tmpdir(),
      handle: async (event: InboundEvent) => {
        try {
          return await this.app.deps.pipeline().handle(event);
        } finally {
          user.handled?.();
        }
      },
    });
    user.done = user.session.run();
    this.users.set(login, user);
    return user;
  }

  /** Types one line as `login` and returns what the terminal printed until the bot settled. */
  async type(login: string, line: string): Promise<string> {
    const u = this.user(login);
    const before = u.segments.length;
    const handled = new Promise<void>((r) => (u.handled = r));
    u.input.write(`${line}\n`);
    await handled;
    await settle(this.app);
    return lastVersions(u.segments.slice(before));
  }

  /** Runs a setup in `login`'s chat and returns what the terminal printed because of it. */
  async setup(login: string, name: string): Promise<string> {
    const u = this.user(login);
    const before = u.segments.length;
    const fn = SETUPS[name];
    if (!fn) throw new Error(`unknown setup "${name}" (known: ${Object.keys(SETUPS).join(', ')})`);
    await fn(this.app, this.lang, login);
    await settle(this.app);
    return lastVersions(u.segments.slice(before));
  }

  /** Runs one example: its setup, then each input. */
  async example(ex: Example, mainUser: string): Promise<Exchange[]> {
    const login = ex.as ?? mainUser;
    const out: Exchange[] = [];
    if (ex.setup) out.push({ input: null, output: await this.setup(login, ex.setup) });
    for (const input of ex.inputs) out.push({ input, output: await this.type(login, input) });
    return out;
  }

  async stop(): Promise<void> {
    for (const u of this.users.values()) u.input.end();
    await Promise.all([...this.users.values()].map((u) => u.done));
    await this.cleanup();
  }
}

/** What can happen before an example's inputs, named by the example's `setup=`. */
const SETUPS: Record<string, (app: App, lang: GuideLang, login: string) => Promise<void>> = {
  /** An Alertmanager group fires for service checkout (as POST /webhooks/alertmanager would store it). */
  async 'alert-firing'(app) {
    const now = new Date().toISOString();
    await app.deps.alerts.ingest(
      normalizeAlertmanager({
        version: '4',
        groupKey: '{}:{alertname="HighErrorRate", service="checkout"}',
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'a2d2',
        groupLabels: { alertname: 'HighErrorRate', service: 'checkout' },
        commonLabels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical', environment: 'production' },
        commonAnnotations: { summary: '5xx rate above 5% for 5 minutes' },
        externalURL: 'http://alertmanager.example:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical', environment: 'production', instance: 'checkout-1:8080' },
            annotations: { summary: '5xx rate above 5% for 5 minutes', description: 'checkout-1 answers 7.2% 5xx' },
            startsAt: now,
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.example:9090/graph?g0.expr=rate',
            fingerprint: 'a1b2c3d4e5f60718',
          },
        ],
      } as never),
    );
  },
  /** A document is uploaded (as POST /api/v1/documents would take it). */
  async document(app, lang) {
    const doc = SAMPLE_DOCUMENT[lang];
    await app.deps.documents.intakeUpload({ bytes: Buffer.from(doc.text), fileName: doc.name, locale: lang });
  },
};
