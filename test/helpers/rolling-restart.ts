/**
 * A rolling restart behind nginx, for zero-downtime.test.ts (short form) and
 * bench/chaos/sigterm-proxy.ts (long form): two http roles behind deploy/nginx/a2d2.conf
 * (test/helpers/nginx.ts) and one worker, a fake Slack and a fake Telegram; senders keep a
 * steady stream of signed Slack slash commands, Telegram updates with the secret header and
 * Alertmanager webhooks going through nginx over TLS, none retried, while each http role in
 * turn gets SIGTERM, drains, exits and is started again on its port, and the worker is replaced
 * (a new one started, then the old one SIGTERMed). rolling-count.ts counts the outcome.
 */
import { Agent } from 'node:https';
import { randomUUID } from 'node:crypto';
import { amPayload } from './alert-app.ts';
import { request, slashCommand, startDeployment, type A2d2Proc, type Deployment } from './a2d2-procs.ts';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.ts';
import { startNginx, tlsRequest, upstreamFailTimeoutMs, type Nginx } from './nginx.ts';
import { privateTextUpdate } from './telegram-updates.ts';
import { sleep, waitFor } from './wait.ts';

export type DeliveryKind = 'slack' | 'telegram' | 'alert';

/** One delivery as its sender saw it. */
export interface Delivery {
  kind: DeliveryKind;
  i: number;
  /** The status nginx answered, or the connection error's code. */
  status: number | string;
  /** Slack channel or Telegram chat id of a command; the stored group's id of a webhook. */
  key: string;
  at: number;
}

export interface RollingOptions {
  name: string;
  /** shutdown.drain of the roles. */
  drain: string;
  /** Times each http role is restarted (and the worker replaced), one after another. */
  rounds: number;
  /** Concurrent senders of each kind. */
  senders: { slack: number; telegram: number; alert: number };
  /** Pause of a sender between two deliveries. */
  pauseMs: number;
  /** Load before the first restart, and after a worker's replacement. */
  warmupMs: number;
  betweenMs: number;
  /** A database of the deployment's own (startDeployment's ownDatabase): the chaos scenario's. */
  ownDatabase?: boolean;
}

/** What happened to the processes. */
export interface RestartLog {
  /** Exit codes of the SIGTERMed http roles and workers. */
  httpExits: (number | null)[];
  workerExits: (number | null)[];
  /** Milliseconds from each SIGTERM to the restarted role's first /readyz 200. */
  httpGapsMs: number[];
  /** What happened when (Date.now()): "SIGTERM http 0", "exit http 0", "ready http 0", ... */
  events: { what: string; at: number }[];
}

export interface RollingRun {
  dep: Deployment;
  telegram: FakeTelegram;
  nginx: Nginx;
  tag: string;
  deliveries: Delivery[];
  restarts: RestartLog;
  close(): Promise<void>;
}

const slackChannel = (tag: string, i: number) => `CZD${tag}${i}`;
/** A private chat per Telegram command: ids far from any other test's. */
const telegramChat = (base: number, i: number) => base + i;
/** The ticket title of a command: the tag ends it, so the run's tickets are found by it. */
export const ticketTitle = (kind: 'slack' | 'telegram', i: number, tag: string) => `Rolling restart ${kind} ${i} z${tag}`;

async function startRun(opts: RollingOptions): Promise<Omit<RollingRun, 'deliveries' | 'restarts'>> {
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const telegram = await startFakeTelegram();
  let dep: Deployment;
  try {
    dep = await startDeployment({
      name: opts.name,
      http: 2,
      workers: 1,
      ...(opts.ownDatabase ? { ownDatabase: true } : {}),
      env: { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url },
      yaml: {
        shutdown: { drain: opts.drain, graceMs: 5000 },
        http: { rateLimitPerMinute: 1_000_000 },
        // The confirmations go to hundreds of chats: the platforms' global pace is not what is measured.
        outbound: { limits: { slack: { global: { count: 200, windowMs: 1000 } }, telegram: { global: { count: 200, windowMs: 1000 } } } },
      },
    });
  } catch (err) {
    await telegram.close();
    throw err;
  }
  let nginx: Nginx;
  try {
    nginx = await startNginx([dep.http[0]!.port, dep.http[1]!.port], { workerConnections: 512 });
  } catch (err) {
    await dep.close();
    await telegram.close();
    throw err;
  }
  const close = async () => {
    await nginx.stop();
    await dep.close();
    await telegram.close();
  };
  return { dep, telegram, nginx, tag, close };
}

interface Senders {
  deliveries: Delivery[];
  stop(): void;
  done: Promise<void>;
}

/** The three kinds of sender, each a loop of deliveries through nginx until stopped. */
function startSenders(run: Omit<RollingRun, 'deliveries' | 'restarts'>, opts: RollingOptions): Senders {
  const { dep, nginx, tag } = run;
  const agent = new Agent({ keepAlive: true, ca: nginx.ca, maxSockets: 64 });
  const deliveries: Delivery[] = [];
  const next: Record<DeliveryKind, number> = { slack: 0, telegram: 0, alert: 0 };
  const chatBase = 7_100_000_000 + Math.floor(Math.random() * 100_000) * 1000;
  let stopped = false;
  const post = (path: string, init: RequestInit) =>
    tlsRequest(nginx.ports.https, path, nginx.ca, { method: 'POST', agent, headers: init.headers as Record<string, string>, body: init.body as string });
  const one: Record<DeliveryKind, (i: number) => Promise<Delivery>> = {
    async slack(i) {
      const channel = slackChannel(tag, i);
      const r = await post('/slack/events', slashCommand(dep, `ticket P3 ${ticketTitle('slack', i, tag)}`, channel, `${Date.now()}.z${tag}${i}`)());
      return { kind: 'slack', i, status: r.status, key: channel, at: Date.now() };
    },
    async telegram(i) {
      const chat = telegramChat(chatBase, i);
      const body = JSON.stringify(privateTextUpdate(chat, `/ticket P3 ${ticketTitle('telegram', i, tag)}`, { languageCode: 'en' }));
      const r = await post('/telegram/webhook', { body, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': dep.tgSecret } });
      return { kind: 'telegram', i, status: r.status, key: String(chat), at: Date.now() };
    },
    async alert(i) {
      const body = JSON.stringify(amPayload(`{}:{alertname="Rolling${tag}",n="${i}"}`, 'firing', { alertname: `Rolling${tag}`, n: String(i) }));
      const r = await post('/webhooks/alertmanager', { body, headers: { 'content-type': 'application/json', authorization: `Bearer ${dep.amToken}` } });
      const groupId = r.status === 202 ? (JSON.parse(r.body) as { groupId?: string }).groupId : undefined;
      return { kind: 'alert', i, status: r.status, key: groupId ?? '', at: Date.now() };
    },
  };
  const loop = async (kind: DeliveryKind) => {
    while (!stopped) {
      deliveries.push(await one[kind](next[kind]++));
      await sleep(opts.pauseMs);
    }
  };
  const loops = (Object.keys(opts.senders) as DeliveryKind[]).flatMap((k) => Array.from({ length: opts.senders[k] }, () => loop(k)));
  const done = Promise.all(loops).then(() => agent.destroy());
  return { deliveries, stop: () => (stopped = true), done };
}

/** Polls a role's /readyz directly (not through nginx) until it answers 200. */
async function ready(proc: A2d2Proc): Promise<void> {
  await waitFor(async () => (await request(`${proc.url}/readyz`, { timeoutMs: 1_000 })).status === 200, `${proc.name} ready`, 60_000, 50);
}

/** Each http role in turn: SIGTERM, the drain, exit, start again on its port; then the worker is replaced. */
async function rollOnce(dep: Deployment, log: RestartLog, betweenMs: number): Promise<void> {
  for (const k of [0, 1]) {
    const old = dep.http[k]!;
    const t0 = Date.now();
    const at = (what: string) => log.events.push({ what: `${what} http ${k}`, at: Date.now() });
    at('SIGTERM');
    log.httpExits.push(await old.stop('SIGTERM'));
    at('exit');
    dep.http[k] = await dep.start('http', old.port);
    await ready(dep.http[k]!);
    at('ready');
    log.httpGapsMs.push(Date.now() - t0);
    // nginx may still count the role out for fail_timeout after it refused connections while
    // down; stopping the other one before then leaves nginx with none (the documented wait).
    await sleep(upstreamFailTimeoutMs() + 500);
  }
  // A worker has no probe and no address: the new one takes jobs once started, then the old one drains.
  const old = dep.workers[0]!;
  dep.workers[0] = await dep.start('worker');
  log.events.push({ what: 'SIGTERM old worker', at: Date.now() });
  log.workerExits.push(await old.stop('SIGTERM'));
  log.events.push({ what: 'exit old worker', at: Date.now() });
  await sleep(betweenMs);
}

/** Starts the deployment and nginx, sends while rolling `opts.rounds` times, and stops the senders. */
export async function runRollingRestart(opts: RollingOptions): Promise<RollingRun> {
  const run = await startRun(opts);
  const restarts: RestartLog = { httpExits: [], workerExits: [], httpGapsMs: [], events: [] };
  const senders = startSenders(run, opts);
  try {
    await sleep(opts.warmupMs);
    for (let r = 0; r < opts.rounds; r++) await rollOnce(run.dep, restarts, opts.betweenMs);
  } catch (err) {
    senders.stop();
    await senders.done;
    await run.close();
    throw err;
  }
  senders.stop();
  await senders.done;
  return { ...run, deliveries: senders.deliveries, restarts };
}

export { slackChannel, telegramChat };
