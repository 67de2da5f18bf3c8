/**
 * Signed slash command acks: a2d2's POST /slack/events against a bare Bolt app whose handler
 * only acks, same machine, same run. Each server runs in its own child process; autocannon
 * drives both from this process with a freshly signed, unique request every time (unique
 * trigger ids, so our de-duplication cannot short-cut the work).
 *
 *   node --import tsx bench/slack-ack.bench.ts [--seconds 10] [--connections 20] [--role http|all]
 *
 * Prints req/s, p50, p99 for both and the ratios; also the idle RSS of `a2d2 start`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const SECRET = 'bench-signing-secret';
const here = new URL(import.meta.url).pathname;

function body(): string {
  const p = new URLSearchParams({
    token: 'x',
    team_id: 'T1',
    team_domain: 'bench',
    channel_id: 'C1',
    channel_name: 'bench',
    user_id: 'U1',
    user_name: 'bench',
    command: '/a2d2',
    text: 'help',
    api_app_id: 'A1',
    response_url: 'https://127.0.0.1/hook',
    trigger_id: randomUUID(),
  });
  return p.toString();
}

function signed(path: string): { method: 'POST'; path: string; headers: Record<string, string>; body: string } {
  const b = body();
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + createHmac('sha256', SECRET).update(`v0:${ts}:${b}`).digest('hex');
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig },
    body: b,
  };
}

async function serveBareOnPort(port: number): Promise<void> {
  const bolt = await import('@slack/bolt');
  const app = new bolt.App({ signingSecret: SECRET, token: 'xoxb-bench', tokenVerificationEnabled: false, botId: 'B1', botUserId: 'UBOT', logLevel: bolt.LogLevel.ERROR });
  app.command('/a2d2', async ({ ack }) => {
    await ack();
  });
  await app.start(port);
  process.send?.({ port });
}

async function serveOurs(port: number, role: 'http' | 'all'): Promise<void> {
  const { loadConfig } = await import('../services/config.ts');
  const { createApp } = await import('../bot/app.ts');
  const { createLogger } = await import('../services/logger.ts');
  const config = loadConfig({
    ...process.env,
    PORT: String(port),
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    A2D2_QUEUE_PREFIX: `bench-${randomUUID().slice(0, 6)}`,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test',
    LOG_LEVEL: 'error',
  });
  const app = await createApp({ config, role, logger: createLogger({ level: 'error' }) });
  await app.start();
  process.send?.({ port, rss: process.memoryUsage().rss });
  process.on('message', (m) => {
    if (m === 'rss') process.send?.({ rss: process.memoryUsage().rss });
    if (m === 'stop') void app.stop().then(() => process.exit(0));
  });
}

function start(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(here, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function load(port: number, path: string, seconds: number, connections: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [{ setupRequest: () => signed(path) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function main(): Promise<void> {
  const [mode, portArg, roleArg] = process.argv.slice(2);
  if (mode === 'bare') return serveBareOnPort(Number(portArg));
  if (mode === 'ours') return serveOurs(Number(portArg), roleArg === 'all' ? 'all' : 'http');
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '20' }, role: { type: 'string', default: 'http' } } });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const bare = await start(['bare', '40111']);
  const ours = await start(['ours', '40112', values.role!]);
  await new Promise((r) => setTimeout(r, 1500));
  const idle = await new Promise<number>((r) => {
    ours.child.once('message', (m: { rss: number }) => r(m.rss));
    ours.child.send('rss');
  });
  // Warm both, then measure alternately so neither gets a quieter machine.
  await load(bare.port, '/slack/events', 2, connections);
  await load(ours.port, '/slack/events', 2, connections);
  const b = await load(bare.port, '/slack/events', seconds, connections);
  const o = await load(ours.port, '/slack/events', seconds, connections);
  console.log(JSON.stringify({ bare: b, ours: o, role: values.role }, null, 2));
  console.log(`throughput ratio ours/bare: ${(o.rps / b.rps).toFixed(2)}x (target >= 0.8)`);
  console.log(`p99 ratio ours/bare: ${(o.p99 / Math.max(b.p99, 1)).toFixed(2)}x (target <= 1.25)`);
  console.log(`idle RSS of a2d2 (role ${values.role}): ${(idle / 1048576).toFixed(1)} MiB`);
  bare.child.kill();
  ours.child.send('stop');
  await new Promise((r) => ours.child.once('exit', r));
}

await main();
