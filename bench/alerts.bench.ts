/**
 * Alert ingestion: alerts stored per second through a2d2's POST /webhooks/alertmanager
 * (bearer check, schema, grouping under a row lock, deploy correlation, every alert stored,
 * one notify job queued) against a bare Fastify route that parses the same payload and inserts
 * the same rows (one group upsert + 20 alerts) with the same Prisma client, no checks, no queue.
 * Payloads: Alertmanager v4, 20 alerts each, rotating over 200 group keys. Each server runs in
 * its own child process; autocannon drives both from this one, alternately.
 *
 *   node --import tsx bench/alerts.bench.ts [--seconds 10] [--connections 20]
 *
 * Prints alerts/s, p50, p99 for both and the ratio, and checks that each side stored every
 * alert it answered 2xx for (a side that stores less than it acknowledged fails the run).
 * Uses the a2d2_test database (or DATABASE_URL) and removes its rows afterwards. Run with
 * workers off (role http): the chat work is not part of ingest.
 *
 * Measured 2026-11-26 on the shared 2-core CI-class machine (load average 5-7 from other jobs),
 * 10 connections, 10 s: a2d2 536 and 646 alerts/s vs bare 764 and 984 alerts/s, ratio 0.70x and
 * 0.66x. The difference was the row lock + deploy lookup + queue add per payload, and Prisma's
 * query compiler on five ORM statements per delivery.
 *
 * Since 2026-12-07 a delivery is one SQL statement (group upsert + every alert, ON CONFLICT ...
 * RETURNING) and its notify job leaves in a per-tick addBulk; the baseline still uses the
 * ORM's upsert + createMany (two statements), so a2d2 now runs ahead of it. Measured
 * 2026-12-07, same machine under heavier load (load average 10-15), 20 connections, 10 s:
 * a2d2 5482, 3742, 3662 alerts/s vs bare 2052, 1106, 956; ratio 2.67x, 3.38x, 3.83x
 * (median 3.38x); p99 186-259 ms vs 446-1257 ms.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

/** The part of autocannon's API used here (the package ships no type declarations). */
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests: Array<{ method: string; path: string; headers: Record<string, string>; setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }>;
}) => Promise<AutocannonResult>;
const autocannonModule = 'autocannon';
const autocannon = ((await import(autocannonModule)) as { default: Autocannon }).default;

const TOKEN = 'bench-alertmanager-token';
const PER_PAYLOAD = 20;
const GROUPS = 200;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test';
const here = new URL(import.meta.url).pathname;

function payloads(tag: string): string[] {
  return Array.from({ length: GROUPS }, (_, g) => {
    const common = { alertname: `Bench${g}`, service: `bench-${tag}`, severity: 'warning', environment: 'production' };
    return JSON.stringify({
      version: '4',
      groupKey: `{}:{alertname="Bench${g}",tag="${tag}"}`,
      status: 'firing',
      receiver: 'a2d2',
      truncatedAlerts: 0,
      groupLabels: { alertname: `Bench${g}` },
      commonLabels: common,
      commonAnnotations: { summary: 'bench' },
      externalURL: 'http://alertmanager:9093',
      alerts: Array.from({ length: PER_PAYLOAD }, (_, j) => ({
        status: 'firing',
        labels: { ...common, instance: `node-${j}:9100` },
        annotations: { summary: `node-${j} is unhappy`, description: 'load is above the threshold for 5 minutes' },
        startsAt: '2026-11-26T16:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
        fingerprint: `${g.toString(16).padStart(8, '0')}${j.toString(16).padStart(8, '0')}`,
      })),
    });
  });
}

/** The baseline: parse (Fastify's JSON parser) and insert the same rows, nothing else. */
async function serveBare(port: number): Promise<void> {
  const Fastify = (await import('fastify')).default;
  const { createDb } = await import('../services/db.ts');
  const db = createDb(DATABASE_URL, { max: 10 });
  const app = Fastify({ bodyLimit: 1_048_576 });
  app.post('/webhooks/alertmanager', async (req, reply) => {
    const p = req.body as { groupKey: string; status: string; commonLabels: Record<string, string>; alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string; startsAt: string }> };
    const l = p.commonLabels;
    const group = await db.alertGroup.upsert({
      where: { source_groupKey: { source: 'alertmanager', groupKey: p.groupKey } },
      create: { source: 'alertmanager', groupKey: p.groupKey, fingerprint: 'bare', status: p.status, severity: l.severity ?? '', service: l.service ?? '', environment: l.environment ?? '', title: l.alertname ?? '', labels: l, fireCount: 1 },
      update: { status: p.status, lastSeenAt: new Date(), fireCount: { increment: 1 } },
      select: { id: true },
    });
    await db.alert.createMany({
      data: p.alerts.map((a) => ({ groupId: group.id, source: 'alertmanager', fingerprint: a.fingerprint, status: a.status, labels: a.labels, annotations: a.annotations, startsAt: new Date(a.startsAt) })),
    });
    return reply.status(202).send({ status: 'accepted' });
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.send?.({ port });
  process.on('message', (m) => {
    if (m === 'stop') void app.close().then(() => db.$disconnect()).then(() => process.exit(0));
  });
}

async function serveOurs(port: number): Promise<void> {
  const { loadConfig } = await import('../services/config.ts');
  const { createApp } = await import('../bot/app.ts');
  const { createLogger } = await import('../services/logger.ts');
  const prefix = `bench-${randomUUID().slice(0, 6)}`;
  const config = loadConfig(
    { PORT: String(port), ALERTMANAGER_TOKEN: TOKEN, A2D2_QUEUE_PREFIX: prefix, DATABASE_URL, REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: 'error' },
    { http: { bodyLimitBytes: 1_048_576, requestTimeoutMs: 10_000, rateLimitPerMinute: 10_000_000 } },
  );
  const app = await createApp({ config, role: 'http', logger: createLogger({ level: 'error' }) });
  await app.start();
  process.send?.({ port });
  process.on('message', (m) => {
    if (m !== 'stop') return;
    void (async () => {
      const redis = app.deps.queues.producer.duplicate({ enableOfflineQueue: true, lazyConnect: false });
      await app.stop();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      process.exit(0);
    })();
  });
}

function start(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(here, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function load(port: number, bodies: string[], seconds: number, connections: number) {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/alertmanager',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
      },
    ],
  });
  const ok = result['2xx'];
  return {
    ok,
    requestsPerSec: result.requests.average,
    alertsPerSec: Math.round((ok / seconds) * PER_PAYLOAD),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Alerts stored per tag (each side's payloads carry their own tag in the service label). */
async function storedAlerts(tags: string[]): Promise<number[]> {
  const { createDb } = await import('../services/db.ts');
  const db = createDb(DATABASE_URL);
  const counts = await Promise.all(tags.map((t) => db.alert.count({ where: { group: { service: `bench-${t}` } } })));
  await db.$disconnect();
  return counts;
}

async function cleanup(tags: string[]): Promise<void> {
  const { createDb } = await import('../services/db.ts');
  const db = createDb(DATABASE_URL);
  // Alerts go with their groups (ON DELETE CASCADE).
  await db.alertGroup.deleteMany({ where: { service: { in: tags.map((t) => `bench-${t}`) } } });
  await db.$disconnect();
}

async function main(): Promise<void> {
  const [mode, portArg] = process.argv.slice(2);
  if (mode === 'bare') return serveBare(Number(portArg));
  if (mode === 'ours') return serveOurs(Number(portArg));
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '20' } } });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const tags = [randomUUID().slice(0, 8), randomUUID().slice(0, 8)];
  const [bareBodies, ourBodies] = [payloads(tags[0]!), payloads(tags[1]!)];
  const bare = await start(['bare', '40211']);
  const ours = await start(['ours', '40212']);
  try {
    // Warm both (and create the groups), then measure one after the other.
    const warmBare = await load(bare.port, bareBodies, 2, connections);
    const warmOurs = await load(ours.port, ourBodies, 2, connections);
    const b = await load(bare.port, bareBodies, seconds, connections);
    const o = await load(ours.port, ourBodies, seconds, connections);
    const [bareStored, ourStored] = await storedAlerts(tags);
    const stored = { bare: bareStored, ours: ourStored, acknowledged: { bare: (warmBare.ok + b.ok) * PER_PAYLOAD, ours: (warmOurs.ok + o.ok) * PER_PAYLOAD } };
    console.log(JSON.stringify({ payload: `Alertmanager v4, ${PER_PAYLOAD} alerts`, connections, seconds, bare: b, ours: o, stored }, null, 2));
    console.log(`alerts ingested/s: a2d2 ${o.alertsPerSec}, bare route ${b.alertsPerSec}; ratio a2d2/bare ${(o.alertsPerSec / Math.max(b.alertsPerSec, 1)).toFixed(2)}x`);
    if (ourStored! < stored.acknowledged.ours || bareStored! < stored.acknowledged.bare) {
      console.error('a side stored fewer alerts than it answered 2xx for');
      process.exitCode = 1;
    }
  } finally {
    bare.child.send('stop');
    ours.child.send('stop');
    await Promise.all([bare, ours].map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    await cleanup(tags);
  }
}

await main();
