/**
 * Alert ingestion: alerts stored per second through a2d2's POST /webhooks/alertmanager
 * (bearer check, schema, one-statement store with flap history, deploy correlation and
 * reopen clearing, notify job queued) against the cheapest honest route storing the same rows:
 * a bare Fastify server (same Fastify, its default JSON parser, no schema, no auth, no queue)
 * with a plain pg Pool (10 connections, like a2d2's), storing each payload with ONE prepared
 * statement: a CTE that upserts the AlertGroup row by (source, "groupKey") and inserts every
 * alert of the payload (20 rows) from jsonb_to_recordset. It writes the same columns as a2d2's
 * statement (group: id, source, groupKey, fingerprint, status, severity, service, environment,
 * title, summary, labels, url, firstSeenAt, lastSeenAt, fireCount, stateChanges, flapping,
 * deploymentId, resolvedAt, updatedAt; alert: groupId, source, fingerprint, status, labels,
 * annotations, startsAt, endsAt, receivedAt), with plain values where a2d2 computes them
 * (stateChanges [], flapping false, deploymentId NULL; on conflict it sets the plain fields
 * and fireCount + 1 only). It answers 202 once the statement reports every alert stored.
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
 * Earlier figures were against an ORM baseline (Prisma upsert + createMany, two statements)
 * and are not comparable: 0.70x / 0.66x (2026-11-26, five ORM statements per delivery on our
 * side), then 2.67x, 3.38x, 3.83x (2026-12-07, after our one-statement store).
 *
 * Against this baseline, measured 2026-12-07 on the shared 2-core machine under heavy load from
 * other engineers' tests (load average 22-28), 20 connections, 10 s, route as committed in
 * d1f4285: a2d2 2812, 2278, 1418 alerts/s vs bare 12058, 5134, 4562; ratio 0.23x, 0.44x,
 * 0.31x (median 0.31x); p99 296, 400, 627 ms vs 87, 224, 240 ms. Both sides stored every alert
 * they acknowledged. Under that load the run-to-run spread is large; repeat on a quiet machine.
 *
 * Those runs repeated identical deliveries, which a2d2 now drops as retries without storing
 * them (so its side stored only the first of each). Since 2026-12-07 every request restarts
 * its alerts. Quiet machine, vacuumed database, 20 connections, 10 s: a2d2 18998, 17920, 16188
 * alerts/s vs bare 39192, 40010, 32676; ratio 0.48x, 0.45x, 0.50x (median 0.48x); p99 38, 41,
 * 48 ms vs 19, 20, 23 ms; both sides stored every alert they acknowledged.
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
/**
 * Every request restarts its alerts (a later `startsAt`), so each delivery is a real new
 * notification on both sides: a2d2 drops a retried identical delivery without storing it,
 * and a bench of repeats would measure that shortcut instead of ingest.
 */
const FIRST_START = '2026-11-26T16:00:00.000Z';
const restarted = (body: string, n: number) => body.replaceAll(FIRST_START, new Date(Date.parse(FIRST_START) + n * 1000).toISOString());

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
        startsAt: FIRST_START,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
        fingerprint: `${g.toString(16).padStart(8, '0')}${j.toString(16).padStart(8, '0')}`,
      })),
    });
  });
}

/** Per-row fields of the baseline's insert, as `jsonb_to_recordset` reads them. */
interface BareAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}
interface BarePayload {
  groupKey: string;
  status: string;
  externalURL?: string;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: BareAlert[];
}

/**
 * The baseline's one statement: upsert the group by (source, "groupKey") and insert every alert
 * of the delivery, writing the columns a2d2's statement writes (services/alerts/alert-ingest.ts),
 * with plain values instead of its flap history, deploy lookup and ack/resolve bookkeeping.
 * Timestamps are UTC in the timestamp(3) columns, as Prisma stores them.
 */
const BARE_STORE = `
  WITH g AS (
    INSERT INTO "AlertGroup" (id, source, "groupKey", fingerprint, status, severity, service, environment, title, summary,
      labels, url, "firstSeenAt", "lastSeenAt", "fireCount", "stateChanges", flapping, "deploymentId", "resolvedAt", "updatedAt")
    VALUES (gen_random_uuid(), 'alertmanager', $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10,
      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, '[]'::jsonb, false, NULL,
      CASE WHEN $3 = 'firing' THEN NULL ELSE now() AT TIME ZONE 'UTC' END, now() AT TIME ZONE 'UTC')
    ON CONFLICT (source, "groupKey") DO UPDATE SET
      status = EXCLUDED.status, severity = EXCLUDED.severity, service = EXCLUDED.service, environment = EXCLUDED.environment,
      title = EXCLUDED.title, summary = EXCLUDED.summary, labels = EXCLUDED.labels, url = EXCLUDED.url,
      "lastSeenAt" = EXCLUDED."lastSeenAt", "updatedAt" = EXCLUDED."updatedAt", "fireCount" = "AlertGroup"."fireCount" + 1
    RETURNING id
  ), a AS (
    INSERT INTO "Alert" ("groupId", source, fingerprint, status, labels, annotations, "startsAt", "endsAt", "receivedAt")
    SELECT g.id, 'alertmanager', r.fingerprint, r.status, r.labels, r.annotations,
      r."startsAt"::timestamptz AT TIME ZONE 'UTC', r."endsAt"::timestamptz AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM g, jsonb_to_recordset($11::jsonb)
      AS r(fingerprint text, status text, labels jsonb, annotations jsonb, "startsAt" text, "endsAt" text)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM a)::int AS stored`;

/** Alertmanager's "no end" (0001-01-01T00:00:00Z) and missing times are stored as NULL, as a2d2 does. */
const bareTime = (s: string | undefined): string | null => (s && !s.startsWith('0001-') ? s : null);

/**
 * The baseline: Fastify's default JSON parser (no schema, no auth), then the one statement
 * above through a plain pg Pool (10 connections, as a2d2's pool), prepared once per connection.
 */
async function serveBare(port: number): Promise<void> {
  const Fastify = (await import('fastify')).default;
  const { createHash } = await import('node:crypto');
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  const app = Fastify({ bodyLimit: 1_048_576 });
  app.post('/webhooks/alertmanager', async (req, reply) => {
    const p = req.body as BarePayload;
    const first = p.alerts[0];
    const labels = { ...first?.labels, ...p.commonLabels };
    const annotations = { ...first?.annotations, ...p.commonAnnotations };
    const rows = JSON.stringify(
      p.alerts.map((a) => ({ fingerprint: a.fingerprint, status: a.status, labels: a.labels, annotations: a.annotations, startsAt: bareTime(a.startsAt), endsAt: bareTime(a.endsAt) })),
    );
    const result = await pool.query<{ stored: number }>({
      name: 'bare-store',
      text: BARE_STORE,
      values: [
        p.groupKey,
        createHash('sha256').update(`alertmanager\0${p.groupKey}`).digest('hex').slice(0, 12),
        p.status,
        labels.severity || 'warning',
        labels.service ?? '',
        labels.environment ?? '',
        (labels.alertname || p.groupKey).slice(0, 300),
        (annotations.summary || annotations.description || '').slice(0, 2000),
        JSON.stringify(labels),
        first?.generatorURL ?? p.externalURL ?? null,
        rows,
      ],
    });
    if (result.rows[0]?.stored !== p.alerts.length) return reply.status(500).send({ status: 'not stored' });
    return reply.status(202).send({ status: 'accepted' });
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.send?.({ port });
  process.on('message', (m) => {
    if (m === 'stop') void app.close().then(() => pool.end()).then(() => process.exit(0));
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

/** Servers still running; killed when this process ends for any reason, so none is left holding its port. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function start(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(here, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

/** Deliveries sent so far, over every load phase: no phase repeats an earlier phase's delivery. */
let sent = 0;

async function load(port: number, bodies: string[], seconds: number, connections: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/alertmanager',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        setupRequest: (req) => ({ ...req, body: restarted(bodies[sent % bodies.length]!, sent++) }),
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
