/**
 * Console pages under a realistic backlog: p50/p95/p99 of every list and detail page
 * (signed in, session checked on every request, the whole page rendered): tickets and one
 * ticket, alerts, deploys, documents (latest, a search for a term a quarter of them hold and one
 * for a number only one holds, one document) and agent runs (the
 * list, one run), with `--tickets` tickets (15% open), `--alerts` alert notifications over
 * `--groups` groups (10% firing), `--deploys` deployments, `--documents` documents and
 * `--agent-runs` agent runs (bench/console-seed.ts) in a bench database of its own, then the
 * query plans (EXPLAIN ANALYZE, BUFFERS) of every statement the list pages send, captured
 * from the same calls the pages make. Each page's `cpuMsPerRequest` is this process's CPU time
 * (the server and its client; Postgres not counted) over `--cpu-requests` reads one at a time.
 *
 *   node --import tsx bench/console.bench.ts [--tickets 10000] [--alerts 50000] [--groups 2000]
 *     [--deploys 20000] [--documents 2000] [--agent-runs 5000] [--requests 400] [--concurrency 4]
 *     [--cpu-requests 100]
 *
 * DATABASE_URL names the bench database (default .../a2d2_console2_bench); it is created and
 * migrated when missing, and its rows are replaced on every run (then VACUUM ANALYZE). The
 * goal is p95 <= 100 ms per page. The machine's load average is printed with the figures.
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { ensureDatabase, runMigrations } from '../services/db/migration-runner.ts';
import { morePageReads, seedMore } from './console-seed.ts';
import { loadavg } from 'node:os';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_console2_bench';
const PORT = 40131;
const TOKEN = `bench-${randomUUID()}`;

async function seed(pool: pg.Pool, tickets: number, alerts: number, groups: number): Promise<void> {
  await pool.query('TRUNCATE "Ticket", "AlertGroup", "Alert", "Silence" RESTART IDENTITY CASCADE');
  await pool.query(
    `INSERT INTO "Ticket" (title, severity, status, source, "createdAt", "updatedAt", "acknowledgedAt", "resolvedAt", "responseDueAt", "resolutionDueAt", "responseBreachedAt")
     SELECT 'Bench ticket ' || g, (ARRAY['P0','P1','P2','P3'])[1 + g % 4],
       CASE g % 20 WHEN 0 THEN 'new' WHEN 1 THEN 'acknowledged' WHEN 2 THEN 'in_progress' ELSE (CASE WHEN g % 2 = 0 THEN 'resolved' ELSE 'closed' END) END,
       'bench', now() - (g % 84) * interval '1 day', now(),
       CASE WHEN g % 20 = 0 THEN NULL ELSE now() - (g % 84) * interval '1 day' + interval '20 minutes' END,
       CASE WHEN g % 20 > 2 THEN now() - (g % 84) * interval '1 day' + interval '5 hours' END,
       now() - (g % 84) * interval '1 day' + interval '1 hour', now() - (g % 84) * interval '1 day' + interval '1 day',
       CASE WHEN g % 7 = 0 THEN now() - (g % 84) * interval '1 day' + interval '1 hour' END
     FROM generate_series(1, $1::int) g`,
    [tickets],
  );
  await pool.query(
    `INSERT INTO "AlertGroup" (id, source, "groupKey", fingerprint, status, severity, service, environment, title, "firstSeenAt", "lastSeenAt", "fireCount", "updatedAt")
     SELECT gen_random_uuid(), 'alertmanager', 'bench-' || g, substr(md5(g::text), 1, 8), CASE WHEN g % 10 = 0 THEN 'firing' ELSE 'resolved' END,
       (ARRAY['critical','error','warning','info'])[1 + g % 4], 'svc-' || (g % 50), 'production', 'Bench alert ' || g,
       now() - (g % 500) * interval '1 hour', now() - (g % 60) * interval '1 minute', 1, now()
     FROM generate_series(1, $1::int) g`,
    [groups],
  );
  await pool.query(
    `INSERT INTO "Alert" ("groupId", source, fingerprint, status, labels, annotations, "receivedAt")
     SELECT a.ids[1 + g % a.n], 'alertmanager', md5(g::text), CASE WHEN g % 3 = 0 THEN 'resolved' ELSE 'firing' END, '{"alertname":"Bench"}', '{}', now() - (g % 10000) * interval '1 minute'
     FROM generate_series(1, $1::int) g, (SELECT array_agg(id ORDER BY "groupKey") AS ids, count(*)::int AS n FROM "AlertGroup") a`,
    [alerts],
  );
  await pool.query('VACUUM ANALYZE "Ticket", "AlertGroup", "Alert", "Silence"');
}

/** Signs in with the API token (an admin) and returns the session cookie. */
async function signIn(base: string): Promise<string> {
  const page = await fetch(`${base}/console/login`);
  const csrfCookie = (page.headers.getSetCookie().find((c) => c.startsWith('a2d2_console_csrf=')) ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: csrf, token: TOKEN }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('a2d2_console='));
  if (res.status !== 303 || !session) throw new Error(`sign-in failed: ${res.status}`);
  return session.split(';')[0]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `total` GETs of `url`, `concurrency` at a time; every answer must be a 200 page. */
async function measure(url: string, cookie: string, total: number, concurrency: number) {
  const times: number[] = [];
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      const t0 = performance.now();
      const res = await fetch(url, { headers: { cookie } });
      const body = await res.text();
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      bytes = body.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return { requests: total, p50: r(percentile(times, 50)), p95: r(percentile(times, 95)), p99: r(percentile(times, 99)), max: r(times.at(-1)!), pageBytes: bytes };
}

/**
 * This process's CPU time per request (server and client, Postgres not counted), `total` GETs
 * one at a time: steadier than the p95 on a machine others share.
 */
async function cpuPerRequest(url: string, cookie: string, total: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < total; i += 1) {
    const res = await fetch(url, { headers: { cookie } });
    await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  }
  const used = process.cpuUsage(start);
  return Math.round(((used.user + used.system) / 1000 / total) * 10) / 10;
}

/** Runs the pages' reads on a client that reports its statements, then EXPLAINs each. */
async function plans(pool: pg.Pool): Promise<{ sql: string; plan: string }[]> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: DATABASE_URL, max: 2 }), log: [{ emit: 'event', level: 'query' }] });
  const seen: { sql: string; params: unknown[] }[] = [];
  db.$on('query', (e: { query: string; params: string }) => {
    if (/^\s*(SELECT|WITH)/i.test(e.query)) seen.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] });
  });
  const { createQueries } = await import('../services/tickets/ticket-queries.ts');
  const { activeGroups, alertHistory } = await import('../features/console/alert-routes.ts');
  const { assignable } = await import('../features/console/ticket-routes.ts');
  const { createUsersService } = await import('../services/users/users.service.ts');
  const clock = { now: () => new Date() };
  const tickets = createQueries({ deps: { db, clock } } as never);
  const users = createUsersService({ db, file: { roles: {}, defaultRole: 'viewer' }, clock } as never);
  // The session check of every page, then the same calls as the pages make.
  const someone = (await pool.query<{ id: string }>('SELECT id FROM "User" ORDER BY "createdAt" LIMIT 1')).rows[0];
  if (someone) await users.byId(someone.id);
  const { openTicketsPage } = await import('../features/console/ticket-list.ts');
  await openTicketsPage(db as never, {}, 1);
  await openTicketsPage(db as never, {}, 20);
  const ticket = (await pool.query<{ id: number }>(`SELECT id FROM "Ticket" WHERE status = 'new' ORDER BY id LIMIT 1`)).rows[0]!.id;
  await tickets.get(ticket);
  await tickets.events(ticket);
  await assignable(db, ['technician', 'operator', 'admin']);
  await activeGroups({ db }, clock.now());
  await activeGroups({ db }, clock.now(), 4);
  await alertHistory(db);
  await morePageReads(db as never);
  const { createQueries: documentQueries } = await import('../services/documents/document-queries.ts');
  await documentQueries({ deps: { db }, loadView: async () => null } as never).search('pump', 20);
  await documentQueries({ deps: { db }, loadView: async () => null } as never).search('1234', 20);
  await db.$disconnect();
  const out: { sql: string; plan: string }[] = [];
  for (const q of seen) {
    const res = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params);
    out.push({ sql: q.sql, plan: res.rows.map((r) => r['QUERY PLAN']).join('\n') });
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '10000' },
      alerts: { type: 'string', default: '50000' },
      groups: { type: 'string', default: '2000' },
      requests: { type: 'string', default: '400' },
      concurrency: { type: 'string', default: '4' },
      deploys: { type: 'string', default: '20000' },
      documents: { type: 'string', default: '2000' },
      'agent-runs': { type: 'string', default: '5000' },
      'cpu-requests': { type: 'string', default: '100' },
    },
  });
  await ensureDatabase(DATABASE_URL);
  await runMigrations({ databaseUrl: DATABASE_URL });
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const seededAt = performance.now();
  await seed(pool, Number(values.tickets), Number(values.alerts), Number(values.groups));
  await seedMore(pool, { deploys: Number(values.deploys), documents: Number(values.documents), agentRuns: Number(values['agent-runs']) });
  const seedSeconds = (performance.now() - seededAt) / 1000;

  const { loadConfig } = await import('../services/config.ts');
  const { createApp } = await import('../bot/app.ts');
  const { createLogger } = await import('../services/logger.ts');
  const config = loadConfig(
    {
      DATABASE_URL,
      PORT: String(PORT),
      A2D2_PUBLIC_URL: `http://127.0.0.1:${PORT}`,
      A2D2_CONSOLE_SECRET: `bench-console-secret-${randomUUID()}`,
      A2D2_API_TOKEN: TOKEN,
      A2D2_QUEUE_PREFIX: `bench-console-${randomUUID().slice(0, 8)}`,
      LOG_LEVEL: 'error',
    },
    { http: { rateLimitPerMinute: 10_000_000 } } as never,
  );
  const app = await createApp({ config, role: 'http', logger: createLogger({ level: 'error' }) });
  await app.start();
  const base = `http://127.0.0.1:${PORT}`;
  const cookie = await signIn(base);
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const cpuRequests = Number(values['cpu-requests']);
  const result: Record<string, unknown> = {
    tickets: Number(values.tickets), alerts: Number(values.alerts), groups: Number(values.groups), deploys: Number(values.deploys), documents: Number(values.documents),
    agentRuns: Number(values['agent-runs']), seedSeconds: Math.round(seedSeconds * 10) / 10, concurrency, loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const ticket = (await pool.query<{ id: number }>(`SELECT id FROM "Ticket" WHERE status = 'new' ORDER BY id LIMIT 1`)).rows[0]!.id;
  const run = (await pool.query<{ id: string }>('SELECT id FROM "AgentRun" ORDER BY "createdAt" DESC LIMIT 1')).rows[0]!.id;
  const pages = ['/console/tickets', '/console/tickets?page=20', `/console/tickets/${ticket}`, '/console/alerts', '/console/alerts?page=4', '/console/deploys', '/console/documents', '/console/documents?q=pump', '/console/documents?q=1234', '/console/documents/1', '/console/agents', `/console/agents/${run}`];
  for (const path of pages) {
    await measure(`${base}${path}`, cookie, 40, concurrency);
    result[path] = { ...(await measure(`${base}${path}`, cookie, requests, concurrency)), cpuMsPerRequest: await cpuPerRequest(`${base}${path}`, cookie, cpuRequests) };
  }
  result.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(JSON.stringify(result, null, 2));
  for (const p of await plans(pool)) console.log(`\n--- ${p.sql}\n${p.plan}`);
  await app.stop();
  await pool.end();
  process.exit(0);
}

await main();
