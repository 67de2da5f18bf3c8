/**
 * The process kill scenario, shared by process-kills.test.ts and bench/chaos/process-kills.ts:
 * an HTTP-role app starts many runs of a definition with a page (notify), a ticket assign, an
 * http call, a timer and a second http call; two worker processes run them while one of them
 * is SIGKILLed at random moments and replaced; then a fresh worker finishes what is left.
 * Counted: runs that never finished, step rows left open, and effects applied more than once
 * per (run, step): chat messages, "assigned" ticket events, and http calls, which the fake
 * endpoint applies once per Idempotency-Key (a call without one is applied every time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRedis } from '../../services/redis.ts';
import { definitionsDir, startProcApp, startTarget, type ProcApp } from './process-helpers.ts';
import { waitFor, sleep } from '../helpers/wait.ts';
import { TEST_REDIS_URL } from '../helpers/app.ts';

/** What the scenario measured. */
export interface ChaosResult {
  runs: number;
  kills: number;
  /** Runs not finished (succeeded) when the bound ran out. */
  stuck: number;
  /** Step rows still pending, running or waiting at the end. */
  openRows: number;
  /** Effects applied more than once for one (run, step), by step. */
  duplicated: { page: number; assign: number; call: number; hook: number };
  /** HTTP calls sent again with the same key (allowed: the endpoint applies them once). */
  resent: number;
  /** HTTP calls without an Idempotency-Key. */
  unkeyed: number;
}

export interface ChaosOptions {
  runs: number;
  kills: number;
  /** Bound for every run to finish once the kills are over. */
  settleMs?: number;
  log?: (line: string) => void;
}

const DEFINITION = `
name: pk-chaos
inputs:
  base: { type: string, required: true }
  ticket: { type: number, required: true }
  pager: { type: string, required: true }
steps:
  - { id: page, kind: notify, to: "{{ inputs.pager }}", text: "paged for ticket {{ inputs.ticket }}" }
  - { id: assign, kind: ticket, action: assign, ticket: "{{ inputs.ticket }}", assignee: on-call }
  - { id: call, kind: http, method: POST, url: "{{ inputs.base }}/effect", body: { ticket: "{{ inputs.ticket }}" } }
  - { id: pause, kind: wait, duration: 200ms }
  - { id: hook, kind: http, method: POST, url: "{{ inputs.base }}/hook", body: { ticket: "{{ inputs.ticket }}" } }
`;

/** Runs the scenario; the caller owns nothing afterwards (everything started is stopped). */
export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const log = opts.log ?? (() => {});
  const target = await startTarget();
  // Answers take a little while, so kills land inside calls too.
  for (const path of ['/effect', '/hook']) target.routes.set(path, () => ({ hold: sleep(Math.random() * 80) as Promise<void>, body: { ok: true } }));
  const dir = definitionsDir({ 'chaos.yaml': DEFINITION });
  const prefix = `t-chaos-${randomUUID().slice(0, 8)}`;
  const processes = {
    queue: { lockDurationMs: 1000, stalledIntervalMs: 500 },
    recovery: { every: '300ms', grace: '1s' },
    defaults: { backoff: '100ms', attempts: 5 },
  };
  const yaml = { processes: { folder: dir, includeShipped: false, http: { allowHosts: ['127.0.0.1:*'] }, ...processes } };
  const front: ProcApp = await startProcApp(dir, { app: { role: 'http', queuePrefix: prefix, keepRedis: true }, processes });
  const workers = new Set<ChildProcess>();
  const spawnWorker = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./process-kill-worker.ts', import.meta.url))], {
      env: { ...process.env, PROC_KILL_ENV: JSON.stringify({ A2D2_QUEUE_PREFIX: prefix }), PROC_KILL_YAML: JSON.stringify(yaml) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    workers.add(child);
    child.once('exit', () => workers.delete(child));
    await waitFor(() => out.includes('READY') || child.exitCode !== null, 'a worker process to start', 60_000);
    return child;
  };
  const kill = async (child: ChildProcess) => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  const db = front.t.app.deps.db;
  const pager = `pager-${randomUUID().slice(0, 8)}`;
  try {
    const tickets = await Promise.all(Array.from({ length: opts.runs }, (_, i) => db.ticket.create({ data: { title: `chaos ${i} ${pager}`, severity: 'P3', source: 'api' } })));
    const pool = await Promise.all([spawnWorker(), spawnWorker()]);
    log(`workers ready`);
    // Runs start in waves, one before each kill, so every kill finds work in flight (a worker
    // takes seconds to start on a loaded machine; one wave would be over before later kills).
    const ids: number[] = [];
    const wave = Math.ceil(tickets.length / (opts.kills + 1));
    const startWave = async (k: number) => {
      const batch = tickets.slice(k * wave, (k + 1) * wave);
      ids.push(...(await Promise.all(batch.map((t) => front.start('pk-chaos', { base: target.url, ticket: t.id, pager: `terminal:${pager}` })))));
      log(`started ${ids.length} runs`);
    };
    for (let k = 0; k < opts.kills; k++) {
      await startWave(k);
      await sleep(200 + Math.random() * 800);
      const victim = pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!;
      await kill(victim);
      log(`kill ${k + 1}/${opts.kills}`);
      pool.push(await spawnWorker());
    }
    // Every kill was followed by a fresh worker: the last one finishes what is left with the survivor.
    await startWave(opts.kills);
    const finished = async () => db.processRun.count({ where: { id: { in: ids }, status: 'succeeded' } });
    await waitFor(async () => (await finished()) === ids.length, 'every run to finish', opts.settleMs ?? 60_000, 200).catch(() => null);
    const stuck = ids.length - (await finished());
    const openRows = await db.processStepRun.count({ where: { runId: { in: ids }, status: { in: ['pending', 'running', 'waiting'] } } });
    const byTicket = new Set(tickets.map((t) => t.id));
    const over = (counts: Map<unknown, number>) => [...counts.values()].filter((n) => n > 1).length;
    const pages = new Map<string, number>();
    for (const m of await db.outboundMessage.findMany({ where: { chatId: pager }, select: { reply: true } })) {
      const text = (m.reply as { reply?: { text?: string } }).reply?.text ?? '';
      pages.set(text, (pages.get(text) ?? 0) + 1);
    }
    const assigned = new Map<number, number>();
    for (const e of await db.ticketEvent.findMany({ where: { ticketId: { in: [...byTicket] }, kind: 'assigned' }, select: { ticketId: true } })) assigned.set(e.ticketId, (assigned.get(e.ticketId) ?? 0) + 1);
    let resent = 0;
    let unkeyed = 0;
    const applied = { '/effect': new Map<string, number>(), '/hook': new Map<string, number>() };
    const seenKeys = new Set<string>();
    for (const r of target.requests) {
      const ticket = String((JSON.parse(r.body || '{}') as { ticket?: unknown }).ticket);
      const key = r.headers['idempotency-key'];
      const m = applied[r.path as keyof typeof applied];
      if (!m) continue;
      if (typeof key !== 'string') unkeyed++;
      else if (seenKeys.has(`${r.path} ${key}`)) {
        // The endpoint applies a key once; a repeat is a re-send, not a second effect.
        resent++;
        continue;
      } else seenKeys.add(`${r.path} ${key}`);
      m.set(ticket, (m.get(ticket) ?? 0) + 1);
    }
    return {
      runs: ids.length,
      kills: opts.kills,
      stuck,
      openRows,
      duplicated: { page: over(pages), assign: over(assigned), call: over(applied['/effect']), hook: over(applied['/hook']) },
      resent,
      unkeyed,
    };
  } finally {
    await Promise.all([...workers].map(kill));
    await front.t.stop();
    await target.close();
    const redis = createRedis({ url: TEST_REDIS_URL });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}
