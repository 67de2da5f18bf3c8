/**
 * Zero-downtime restarts, short form (the long one is `npm run chaos -- sigterm-proxy`): two http
 * roles behind deploy/nginx/a2d2.conf and one worker, under a steady stream of signed Slack
 * slash commands, Telegram updates with the secret header and Alertmanager webhooks through
 * nginx (none retried). Each http role in turn gets SIGTERM, drains, exits 0 and is started
 * again on its port (the next one stopped only after nginx's fail_timeout, as the site says),
 * then the worker is replaced. Every delivery is answered 2xx or 503 (never a connection error
 * or a 502), every acked webhook is stored, every acked command has one ticket and one
 * confirmation posted once (the ticket card in the same chat is the follow-up it should be).
 * Skipped only when nginx is not installed (Debian package nginx).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNginx } from '../helpers/nginx.ts';
import { runRollingRestart } from '../helpers/rolling-restart.ts';
import { countRun, failures, formatCounts, settle, whileRestarting } from '../helpers/rolling-count.ts';

test('a rolling restart of both http roles and the worker behind nginx loses, refuses and repeats nothing', { skip: hasNginx ? false : 'nginx is not installed (Debian package nginx)' }, async (t) => {
  const run = await runRollingRestart({
    name: 'zero-downtime',
    drain: '2s',
    rounds: 1,
    senders: { slack: 1, telegram: 1, alert: 1 },
    pauseMs: 250,
    warmupMs: 2_000,
    betweenMs: 1_000,
  });
  try {
    assert.ok(await settle(run, 60_000), 'every acked command has its ticket and its messages sent within 60 s');
    const counts = await countRun(run);
    const report = formatCounts(counts, run);
    for (const line of report) t.diagnostic(line);
    // The stream went on through each restart, so the counts are about the restarts.
    for (const n of whileRestarting(run)) assert.ok(n >= 5, `deliveries while a role was away: ${whileRestarting(run).join(', ')}`);
    assert.ok(counts.slack.acked >= 20 && counts.telegram.acked >= 20 && counts.alerts.acked >= 20, report.join('\n'));
    assert.deepEqual(failures(counts, run), [], report.join('\n'));
  } finally {
    await run.close();
  }
});
