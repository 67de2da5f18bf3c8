/**
 * /metrics passes Prometheus's own linter (`promtool check metrics`, from Debian's
 * `prometheus` package, which .ci/run installs): names, types, suffixes and help texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startTestApp } from '../helpers/app.ts';

test('promtool check metrics finds nothing to complain about on /metrics', async () => {
  const which = spawnSync('sh', ['-c', 'command -v promtool']);
  assert.equal(which.status, 0, "promtool is missing: install Debian's prometheus package (apt-get install prometheus)");
  const t = await startTestApp();
  try {
    // Some traffic first, so labelled series exist (routes, statuses, queues).
    await fetch(`${t.url}/healthz`);
    await fetch(`${t.url}/nowhere`);
    await fetch(`${t.url}/readyz`);
    const res = await fetch(`${t.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /a2d2_http_request_duration_seconds_bucket/);
    assert.match(text, /a2d2_nodejs_active_resources/);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'promtool has no findings');
    assert.equal(check.status, 0);
  } finally {
    await t.stop();
  }
});
