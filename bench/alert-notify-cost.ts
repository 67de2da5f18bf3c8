/**
 * The cost of one alert notify job on a database with many stored groups: seeds `--groups`
 * groups of `--per-group` alerts each (plus cards' message links, outbound rows, expired
 * silences, subscriptions and digests, as a site that has run for a while has), then ingests
 * `--jobs` new groups one at a time and runs each one's notify job in this process (the
 * processor of ALERTS_QUEUE, as a worker runs it). Prints, per job, this process's CPU and the
 * CPU of the PostgreSQL backends serving it (from /proc; the machine's Postgres must be local),
 * and every SQL statement one job sent, with its time and plan (EXPLAIN ANALYZE).
 *
 *   DATABASE_URL=... node --import tsx bench/alert-notify-cost.ts [--groups 5000] [--per-group 20] [--jobs 30]
 *
 * Uses DATABASE_URL's database (migrated) and leaves the seeded rows there for the next run.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../services/config.ts';
import { createApp } from '../bot/app.ts';
import { createLogger } from '../services/logger.ts';
import { normalizeAlertmanager, type AlertService } from '../services/alerts/alert.service.ts';
import { amPayload } from '../test/helpers/alert-app.ts';

const { values } = parseArgs({
  options: { groups: { type: 'string', default: '5000' }, 'per-group': { type: 'string', default: '20' }, jobs: { type: 'string', default: '30' } },
});
const GROUPS = Number(values.groups);
const PER = Number(values['per-group']);
const JOBS = Number(values.jobs);
const DATABASE_URL = process.env.DATABASE_URL!;

interface Stmt {
  text: string;
  values: unknown[];
  ms: number;
}
let log: Stmt[] | null = null;
const origQuery = pg.Client.prototype.query as (...a: unknown[]) => unknown;
// Every statement of the process (Prisma's adapter and the raw pool both go through pg.Client).
(pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0] as string | { text: string; values?: unknown[] };
  const text = typeof q === 'string' ? q : q?.text;
  const vals = (typeof q === 'string' ? args[1] : q?.values) as unknown[] | undefined;
  const t0 = performance.now();
  if (!log || !text) return origQuery.apply(this, args);
  const entry: Stmt = { text, values: Array.isArray(vals) ? vals : [], ms: 0 };
  log.push(entry);
  const last = args.length - 1;
  const cb = args[last];
  if (typeof cb === 'function') {
    // pg.Pool#query passes a callback
    args[last] = (...res: unknown[]) => {
      entry.ms = performance.now() - t0;
      return (cb as (...x: unknown[]) => unknown)(...res);
    };
    return origQuery.apply(this, args);
  }
  const r = origQuery.apply(this, args);
  if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(() => (entry.ms = performance.now() - t0), () => undefined);
  return r;
};

const ticks = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
};

const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();

async function seed(): Promise<void> {
  const have = (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AlertDigest" WHERE "destKey" = 'slack:CSEED'`)).rows[0]!.n;
  if (have > 0) return;
  console.log(`seeding ${GROUPS} groups x ${PER} alerts ...`);
  await admin.query(`DELETE FROM "AlertGroup" WHERE "groupKey" LIKE 'seed:%'`);
  await admin.query(`DELETE FROM "MessageLink" WHERE "chatId" = 'CSEED'`);
  await admin.query(`DELETE FROM "OutboundMessage" WHERE "chatId" = 'CSEED'`);
  await admin.query(`DELETE FROM "Silence" WHERE "createdBy" = 'seed'`);
  await admin.query(`
    INSERT INTO "AlertGroup" (id, source, "groupKey", fingerprint, status, severity, service, environment, title, labels, "updatedAt", "notifiedAlertId", "occurrenceAt", "resolvedAt")
    SELECT gen_random_uuid(), 'alertmanager', 'seed:' || i, md5(i::text), CASE WHEN i % 3 = 0 THEN 'firing' ELSE 'resolved' END, 'warning',
      'svc-' || (i % 50), 'production', 'Seed ' || i, jsonb_build_object('alertname', 'Seed' || i, 'service', 'svc-' || (i % 50)), now(), 0, now(), now()
    FROM generate_series(1, $1::int) i`, [GROUPS]);
  await admin.query(`
    INSERT INTO "Alert" ("groupId", source, fingerprint, status, labels, annotations, "startsAt", "receivedAt")
    SELECT g.id, 'alertmanager', md5(g.id::text || j), 'firing', g.labels, '{"summary":"seeded"}', now() - interval '1 day', now() - (j || ' minutes')::interval
    FROM "AlertGroup" g, generate_series(1, $1::int) j WHERE g."groupKey" LIKE 'seed:%'`, [PER]);
  await admin.query(`UPDATE "AlertGroup" g SET "notifiedAlertId" = (SELECT max(id) FROM "Alert" a WHERE a."groupId" = g.id) WHERE "groupKey" LIKE 'seed:%'`);
  await admin.query(`
    INSERT INTO "MessageLink" ("messageKey", platform, "chatId", "platformMessageId", "updatedAt")
    SELECT 'alert:' || id, 'slack', 'CSEED', md5(id::text), now() FROM "AlertGroup" WHERE "groupKey" LIKE 'seed:%'`);
  await admin.query(`
    INSERT INTO "OutboundMessage" (id, platform, "chatId", "messageKey", reply, status, "sentAt")
    SELECT gen_random_uuid(), 'slack', 'CSEED', 'alert:' || id, '{"reply":{"text":"seed"}}', 'sent', now() FROM "AlertGroup" WHERE "groupKey" LIKE 'seed:%'`);
  await admin.query(`
    INSERT INTO "Silence" (id, "groupId", matchers, "createdBy", "startsAt", "endsAt")
    SELECT gen_random_uuid(), CASE WHEN i % 5 = 0 THEN NULL ELSE g.id END, CASE WHEN i % 5 = 0 THEN jsonb_build_object('service', 'svc-' || (i % 50)) ELSE '{}' END,
      'seed', now() - interval '3 days', now() - interval '2 days'
    FROM (SELECT id, row_number() OVER () i FROM "AlertGroup" WHERE "groupKey" LIKE 'seed:%' LIMIT 2000) g`);
  await admin.query(`
    INSERT INTO "AlertSubscription" (id, platform, "chatId", matchers, "matchKey", "createdBy")
    SELECT gen_random_uuid(), 'slack', 'CSUB' || i, jsonb_build_object('service', 'svc-' || i), 'service=svc-' || i, 'seed' FROM generate_series(1, 20) i
    ON CONFLICT DO NOTHING`);
  await admin.query(`
    INSERT INTO "AlertDigest" ("destKey", "windowStart", "alertCount", "groupCount", "updatedAt")
    SELECT 'slack:CSEED', date_trunc('minute', now()) - (i || ' minutes')::interval, 10, 1, now() FROM generate_series(1, 2000) i ON CONFLICT DO NOTHING`);
  await admin.query('ANALYZE');
}
await seed();

const config = loadConfig(
  { PORT: '40298', ALERTMANAGER_TOKEN: 'x'.repeat(24), A2D2_QUEUE_PREFIX: `anc-${process.pid}`, DATABASE_URL, LOG_LEVEL: 'error', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 's'.repeat(32) },
  { alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: ['slack:CBENCH'] }], storm: { thresholdPerMinute: 1_000_000 } } },
);
const app = await createApp({ config, role: 'http', logger: createLogger({ level: 'error' }) });
const alerts = (app.deps as unknown as { alerts: AlertService }).alerts;

/** The backend pids of this database's connections (the app's pool included). */
async function backends(): Promise<number[]> {
  const r = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  return r.rows.map((x) => x.pid);
}

const runId = Date.now().toString(36);
const perJob: Array<{ node: number; pg: number; stmts: number }> = [];
let sample: Stmt[] = [];
for (let i = 0; i < JOBS + 3; i++) {
  const payload = amPayload(`{}:{alertname="Cost${runId}",n="${i}"}`, 'firing', { alertname: `Cost${runId}`, shard: `s${i}` });
  const r = await alerts.ingest(normalizeAlertmanager(payload as never, 'alertmanager'));
  const pids = await backends();
  const pg0 = pids.reduce((a, p) => a + ticks(p), 0);
  const c0 = process.cpuUsage();
  log = [];
  await alerts.process({ kind: 'group', groupId: r.groupId });
  const stmts = log;
  log = null;
  const c = process.cpuUsage(c0);
  const pg1 = (await backends()).reduce((a, p) => a + ticks(p), 0);
  if (i < 3) continue; // warm-up: prepared statements, JIT
  perJob.push({ node: (c.user + c.system) / 1000, pg: (pg1 - pg0) * 10, stmts: stmts.length });
  sample = stmts;
}
const avg = (k: 'node' | 'pg' | 'stmts') => perJob.reduce((a, x) => a + x[k], 0) / perJob.length;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`\n${JOBS} notify jobs on ${GROUPS} groups / ${GROUPS * PER} alerts: node CPU ${avg('node').toFixed(1)} ms/job, postgres CPU ${avg('pg').toFixed(1)} ms/job (10 ms ticks), ${avg('stmts').toFixed(1)} statements/job; load ${load}`);

console.log('\nstatements of the last job (time as the process saw it; plan as EXPLAIN ANALYZE gives it):');
for (const s of sample) {
  const text = s.text.replace(/\s+/g, ' ').trim();
  console.log(`\n-- ${s.ms.toFixed(2)} ms  ${text.slice(0, 300)}`);
  if (!/^(SELECT|WITH|UPDATE|INSERT|DELETE)/i.test(text)) continue;
  try {
    await admin.query('BEGIN');
    const plan = await admin.query<{ 'QUERY PLAN': string }>({ text: `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${s.text}`, values: s.values });
    console.log(plan.rows.map((x) => `   ${x['QUERY PLAN']}`).join('\n'));
  } catch (err) {
    console.log(`   (no plan: ${(err as Error).message})`);
  } finally {
    await admin.query('ROLLBACK');
  }
}
await admin.query(`DELETE FROM "AlertGroup" WHERE "groupKey" LIKE $1`, [`{}:{alertname="Cost${runId}"%`]);
await admin.end();
await app.stop?.();
process.exit(0);
