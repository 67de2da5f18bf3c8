/**
 * Chaos run of rolling restarts behind nginx, the long form of test/integration/zero-downtime.test.ts
 * (test/helpers/rolling-restart.ts): two http roles (shutdown.drain 3s) behind
 * deploy/nginx/a2d2.conf and one worker, under a steady stream of signed Slack slash commands
 * (`/a2d2 ticket P3 ...`, each from its own channel), Telegram updates with the secret header
 * (`/ticket P3 ...`, each from its own private chat) and Alertmanager webhooks, all through
 * nginx over TLS. Three rounds: each http role gets SIGTERM, exits and is started again on its
 * port (the next one only after nginx's fail_timeout), then the worker is replaced. Senders do
 * not retry: what they see is what the restarts cost them.
 * Counts (test/helpers/rolling-count.ts): answers by status, connection errors and 502s passed
 * to the sender, webhooks acked vs stored, commands answered exactly once vs lost, real repeats
 * (tickets twice, answered twice, a message posted twice) apart from legitimate follow-ups (the
 * ticket card in the chat) and edits, the exit codes. Exits 1 when any of those is off.
 *   node --import tsx bench/chaos/sigterm-proxy.ts [--rounds N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasNginx } from '../../test/helpers/nginx.ts';
import { runRollingRestart } from '../../test/helpers/rolling-restart.ts';
import { countRun, failures, formatCounts, settle } from '../../test/helpers/rolling-count.ts';

const started = Date.now();
if (!hasNginx) {
  console.error('sigterm-proxy needs nginx (Debian package nginx)');
  process.exit(1);
}
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 3;
const run = await runRollingRestart({
  name: 'sigterm-proxy',
  ownDatabase: true,
  drain: '3s',
  rounds,
  senders: { slack: 2, telegram: 2, alert: 1 },
  pauseMs: 150,
  warmupMs: 4_000,
  betweenMs: 3_000,
});
let exitCode = 1;
try {
  // The one worker works through the backlog the stream left: waited for while it moves.
  const settleStarted = Date.now();
  const settled = await settle(run, 900_000, 60_000);
  console.log(`settling after the stream: ${((Date.now() - settleStarted) / 1000).toFixed(1)} s${settled ? '' : ' (gave up: no progress for 60 s, or 900 s)'}`);
  const counts = await countRun(run);
  for (const line of formatCounts(counts, run)) console.log(line);
  // What nginx said about the upstreams (the cause of any 502), without times and addresses.
  const log = readFileSync(join(run.nginx.dir, 'error.log'), 'utf8').split('\n').filter((l) => /\[(error|warn)\]/.test(l));
  const said = new Map<string, number>();
  for (const l of log) {
    const what = l.replace(/^.*?\[(error|warn)\] [\d#]+: \*\d+ /, '').replace(/, client:.*?request: /, ' | ').replace(/, upstream: .*$/, '');
    said.set(what, (said.get(what) ?? 0) + 1);
  }
  for (const [what, n] of said) console.log(`nginx ×${n}: ${what}`);
  const failed = [...(settled ? [] : ['not settled']), ...failures(counts, run)];
  console.log(`${failed.length ? `FAILED: ${failed.join('; ')}` : 'held'}  (${rounds} rounds, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  exitCode = failed.length ? 1 : 0;
} finally {
  await run.close();
}
process.exit(exitCode);
