/**
 * One outbound kill run, shared by test/integration/outbound-kills.test.ts and
 * bench/chaos/outbound-kills.ts: rows for a few Slack channels are written through the real
 * port (some while Redis refuses the enqueue, so they have no job), worker processes send them
 * to the fake Slack Web API and are SIGKILLed between platform calls, then a last worker
 * finishes. The result counts, by message text, what the fake received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../services/db.ts';
import { silentLogger } from '../../services/logger.ts';
import { createOutbound } from '../../services/messaging/outbound.service.ts';
import { Queues } from '../../services/queues.ts';
import { outboundQueueJobSchema } from '../../bot/outbound/sender.processor.ts';
import { OUTBOUND_QUEUE } from '../../services/messaging/outbound.service.ts';
import { startTestApp, TEST_REDIS_URL, type TestApp } from './app.ts';
import type { FakeSlack } from './fake-slack.ts';
import { waitFor } from './wait.ts';

export interface KillRunOptions {
  db: Db;
  slack: FakeSlack;
  messages: number;
  kills: number;
  channels?: number;
  /** Rows written while Redis refuses (no job until the sweep). */
  stranded?: number;
  /** How long the run may take before it counts what is left as stranded. */
  timeoutMs?: number;
  /** Kill as soon as a few sends went out, even mid-call (the chaos bench), not only between calls. */
  killAnywhere?: boolean;
  /** Told the texts sent more than once (for a bench's report). */
  onDuplicate?: (texts: string[]) => void;
}

export interface KillRunResult {
  rows: number;
  sent: number;
  duplicated: number;
  stranded: number;
  kills: number;
}

const YAML = { outbound: { recovery: { every: '1s', grace: '2s', giveUp: '1d' } } };

function spawnWorker(env: Record<string, string>): { child: ChildProcess; ready: () => boolean } {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./outbound-kill-worker.ts', import.meta.url))], {
    env: { ...process.env, OUT_KILL_ENV: JSON.stringify(env), OUT_KILL_YAML: JSON.stringify(YAML) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, ready: () => out.includes('READY') };
}

/** A port whose Redis refuses every enqueue (nothing listens on the port). */
async function refusingPort(db: Db) {
  const queues = new Queues({ redisUrl: 'redis://127.0.0.1:1', prefix: 'refused', logger: silentLogger() });
  queues.register({ name: OUTBOUND_QUEUE, schema: outboundQueueJobSchema });
  return { port: createOutbound({ db, queues }), close: () => queues.close() };
}

/** Runs the burst, the kills and the recovery; see the file comment. */
export async function runOutboundKills(o: KillRunOptions): Promise<KillRunResult> {
  const run = randomUUID().slice(0, 8);
  const env = { A2D2_QUEUE_PREFIX: `t-okill-${run}`, SLACK_BOT_TOKEN: o.slack.token, SLACK_API_URL: o.slack.apiUrl, SLACK_SIGNING_SECRET: 'kill-secret' };
  const queues = new Queues({ redisUrl: TEST_REDIS_URL, prefix: env.A2D2_QUEUE_PREFIX, logger: silentLogger() });
  await queues.connect();
  queues.register({ name: OUTBOUND_QUEUE, schema: outboundQueueJobSchema });
  const port = createOutbound({ db: o.db, queues });
  const refusing = await refusingPort(o.db);
  const channels = Array.from({ length: o.channels ?? 4 }, (_, i) => `CK${run}${i}`.toUpperCase());
  const texts: string[] = [];
  const stranded = o.stranded ?? 4;
  let last: TestApp | null = null;
  const children: ChildProcess[] = [];
  try {
    // Interleaved over the channels; every other stranded row comes first in its chat, the rest last.
    for (let i = 0; i < o.messages + stranded; i++) {
      const text = `okill-${run}-${i}`;
      texts.push(text);
      const ref = { platform: 'slack' as const, chatId: channels[i % channels.length]! };
      const lost = i < Math.ceil(stranded / 2) || i >= o.messages + Math.ceil(stranded / 2);
      await (lost ? refusing.port : port).send({ ref, reply: { text }, messageKey: text });
    }
    const posts = () => o.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').startsWith(`okill-${run}-`));
    for (let k = 0; k < o.kills; k++) {
      const w = spawnWorker(env);
      children.push(w.child);
      await waitFor(w.ready, 'a worker process to start', 60_000);
      const before = posts().length;
      // Killed between platform calls: others have gone out, and every call the fake has seen
      // is recorded as sent (a kill after the platform answered but before the row was marked
      // sent cannot be told from a lost call; the bench counts those duplicates).
      await waitFor(async () => {
        const p = posts();
        if (p.length < before + 3) return false;
        if (o.killAnywhere) return true;
        if (Date.now() - p[p.length - 1]!.at < 200) return false;
        const seen = p.map((c) => String(c.args.text));
        const recorded = await o.db.outboundMessage.count({ where: { messageKey: { in: seen }, status: 'sent' } });
        return recorded === new Set(seen).size && posts().length === p.length;
      }, 'sends from the worker before its kill', 120_000);
      const exited = new Promise((r) => w.child.once('exit', r));
      w.child.kill('SIGKILL');
      await exited;
    }
    last = await startTestApp({ env, yaml: YAML, role: 'worker' });
    const where = { chatId: { in: channels }, status: 'queued' };
    await waitFor(async () => (await o.db.outboundMessage.count({ where })) === 0, 'no queued rows left', o.timeoutMs ?? 240_000).catch(() => null);
    const counts = new Map<string, number>();
    for (const c of posts()) counts.set(String(c.args.text), (counts.get(String(c.args.text)) ?? 0) + 1);
    const left = await o.db.outboundMessage.count({ where });
    const twice = texts.filter((t) => (counts.get(t) ?? 0) > 1);
    if (twice.length && o.onDuplicate) o.onDuplicate(twice);
    return {
      rows: texts.length,
      sent: texts.filter((t) => (counts.get(t) ?? 0) >= 1).length,
      duplicated: texts.filter((t) => (counts.get(t) ?? 0) > 1).length,
      stranded: left,
      kills: o.kills,
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await last?.stop();
    await refusing.close();
    await queues.close();
  }
}
