/**
 * Tickets per second through signed Slack `/ticket` commands, end to end: command in (signed
 * HTTP), ack, ticket row in Postgres, triage card posted to a fake Slack Web API. Compared
 * with a bare Bolt app whose slash-command handler only acks, same machine, same run.
 *
 *   node --import tsx bench/tickets.bench.ts [--tickets 400] [--connections 20] [--seconds 10] [--warmup 20] [--skip-cards]
 *
 * Use at least 400 tickets: autocannon reports a run of a fixed amount at its one-second tick,
 * so 100 tickets always read as about 100/s whatever the rows took. Run it on a vacuumed,
 * analysed database (`VACUUM ANALYZE`): plans made on stale statistics after large deletes
 * cost a third of the rate.
 *
 * Both sides are warmed up first (the bare app for 2 s; ours with `--warmup` tickets of their
 * own, stored before the clock starts), so neither pays for its JIT and connection pools.
 *
 * Prints: the bare ack req/s; our ack req/s for /ticket; tickets/s until every row exists;
 * cards/s until every card reached the fake; and the ratios to the bare ack. Every card goes
 * to the one triage channel, so cards/s is bounded by the outbound sender's per-channel limit
 * (Slack allows about one message per second per channel): that is the production ceiling of
 * one triage channel, and the run takes about `--tickets` seconds. `--skip-cards` stops at the
 * rows (for profiling the write path: `node --cpu-prof --import tsx bench/tickets.bench.ts
 * --tickets 400 --skip-cards`); cards/s is then NaN.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const SECRET = 'bench-signing-secret';
const here = new URL(import.meta.url).pathname;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test';

function signed(command: string, text: string): { method: 'POST'; path: string; headers: Record<string, string>; body: string } {
  const b = new URLSearchParams({
    token: 'x',
    team_id: 'T1',
    channel_id: 'CBENCH',
    channel_name: 'bench',
    user_id: 'U1',
    user_name: 'bench',
    command,
    text,
    api_app_id: 'A1',
    response_url: 'https://127.0.0.1/hook',
    trigger_id: randomUUID(),
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + createHmac('sha256', SECRET).update(`v0:${ts}:${b}`).digest('hex');
  return { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig }, body: b };
}

async function serveBare(port: number): Promise<void> {
  const bolt = await import('@slack/bolt');
  const app = new bolt.App({ signingSecret: SECRET, token: 'xoxb-bench', tokenVerificationEnabled: false, botId: 'B1', botUserId: 'UBOT', logLevel: bolt.LogLevel.ERROR });
  app.command('/ticket', async ({ ack }) => {
    await ack();
  });
  await app.start(port);
  process.send?.({ port });
}

/** Deletes outbound rows of earlier bench runs (their triage channels and the command channel). */
async function cleanStaleRows(url: string): Promise<void> {
  const { createDb } = await import('../services/db.ts');
  const db = createDb(url, { max: 1 });
  try {
    await db.$executeRaw`DELETE FROM "OutboundMessage" WHERE platform = 'slack' AND ("chatId" = 'CBENCH' OR "chatId" LIKE 'CTRI%')`;
  } finally {
    await db.$disconnect();
  }
}

async function main(): Promise<void> {
  const [mode, portArg] = process.argv.slice(2);
  if (mode === 'bare') return serveBare(Number(portArg));
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '400' },
      connections: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '20' },
      'skip-cards': { type: 'boolean', default: false },
    },
  });
  const n = Number(values.tickets);
  const connections = Number(values.connections);

  // The bare app in its own process, measured first.
  const bare: ChildProcess = fork(here, ['bare', '40121'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  await new Promise((r) => bare.once('message', r));
  await autocannon({ url: 'http://127.0.0.1:40121', connections, duration: 2, requests: [{ setupRequest: () => signed('/ticket', 'P2 warm-up') }] });
  const b = await autocannon({ url: 'http://127.0.0.1:40121', connections, duration: Number(values.seconds), requests: [{ setupRequest: () => signed('/ticket', 'P2 bench') }] });
  bare.kill();

  // Ours, in this process, against a fake Slack.
  const { startFakeSlack } = await import('../test/helpers/fake-slack.ts');
  const { loadConfig } = await import('../services/config.ts');
  const { createApp } = await import('../bot/app.ts');
  const { createLogger } = await import('../services/logger.ts');
  const fake = await startFakeSlack();
  const run = randomUUID().slice(0, 8);
  const triage = `CTRI${run.toUpperCase()}`;
  const config = loadConfig(
    {
      DATABASE_URL,
      PORT: '40122',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: fake.token,
      SLACK_API_URL: fake.apiUrl,
      A2D2_QUEUE_PREFIX: `bench-${run}`,
      LOG_LEVEL: 'error',
    },
    {
      http: { bodyLimitBytes: 1_048_576, requestTimeoutMs: 10_000, rateLimitPerMinute: 10_000_000 },
      tickets: { triage: { platform: 'slack', chatId: triage } },
    } as never,
  );
  // Rows a killed earlier run left behind would be swept into this one.
  await cleanStaleRows(DATABASE_URL);
  const app = await createApp({ config, role: 'all', logger: createLogger({ level: 'error' }) });
  await app.start();
  const db = app.deps.db;
  const poll = async (check: () => Promise<boolean>, limitMs: number) => {
    const end = Date.now() + limitMs;
    while (Date.now() < end) {
      if (await check()) return Date.now();
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  };
  const warm = Number(values.warmup);
  if (warm > 0) {
    let w = 0;
    await autocannon({ url: 'http://127.0.0.1:40122', connections, amount: warm, requests: [{ setupRequest: () => signed('/ticket', `P2 Warm-up ticket ${run} ${++w} ${randomUUID().slice(0, 6)}`) }] });
    await poll(async () => (await db.ticket.count({ where: { title: { startsWith: `Warm-up ticket ${run} ` } } })) >= warm, 120_000);
  }
  const t0 = Date.now();
  let i = 0;
  const ours = await autocannon({ url: 'http://127.0.0.1:40122', connections, amount: n, requests: [{ setupRequest: () => signed('/ticket', `P2 Bench ticket ${run} ${++i} ${randomUUID().slice(0, 6)}`) }] });
  const ackedAt = Date.now();
  const rowsAt = await poll(async () => (await db.ticket.count({ where: { title: { startsWith: `Bench ticket ${run} ` } } })) >= n, 600_000);
  const cardsAt = values['skip-cards'] ? null : await poll(async () => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === triage && JSON.stringify(c.args).includes(`Bench ticket ${run} `)).length >= n, 1_200_000);
  const secs = (end: number | null) => (end ? (end - t0) / 1000 : NaN);
  const result = {
    bareAck: { rps: b.requests.average, p50: b.latency.p50, p99: b.latency.p99 },
    oursAck: { rps: ours.requests.average, p50: ours.latency.p50, p99: ours.latency.p99, non2xx: ours.non2xx, ackSeconds: (ackedAt - t0) / 1000 },
    tickets: n,
    ticketsPerSecond: n / secs(rowsAt),
    cardsPerSecond: n / secs(cardsAt),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`tickets/s (row written) vs bare ack: ${(result.ticketsPerSecond / result.bareAck.rps).toFixed(3)}x`);
  console.log(`tickets/s (card posted) vs bare ack: ${(result.cardsPerSecond / result.bareAck.rps).toFixed(3)}x`);
  await db.ticket.deleteMany({ where: { OR: [{ title: { startsWith: `Bench ticket ${run} ` } }, { title: { startsWith: `Warm-up ticket ${run} ` } }] } });
  // Unsent cards and replies would be picked up by the next run's recovery sweep and skew it.
  await db.outboundMessage.deleteMany({ where: { chatId: { in: [triage, 'CBENCH'] } } });
  await app.stop();
  await fake.close();
  process.exit(0);
}

await main();
