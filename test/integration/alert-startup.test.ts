/**
 * Start-up: a warning when alerts could never be posted anywhere (no route, no default
 * destination, no subscription), none when a route exists; readiness is the same either way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp } from '../helpers/app.ts';

const WARNING = /alerts have no destination/;

test('alerts without any destination log a warning at start; readiness is unchanged', async () => {
  const t = await startTestApp({ env: { ALERTMANAGER_TOKEN: `am-${randomUUID()}` } });
  try {
    const line = t.logs.find((l) => WARNING.test(l));
    assert.ok(line, 'the warning is logged');
    assert.equal(JSON.parse(line).level, 40, 'at warning level');
    assert.equal((await fetch(`${t.url}/readyz`)).status, 200);
  } finally {
    await t.stop();
  }
});

test('alerts with a route log no such warning', async () => {
  const t = await startTestApp({
    env: { ALERTMANAGER_TOKEN: `am-${randomUUID()}` },
    yaml: { alerts: { routes: [{ match: { severity: 'critical' }, destinations: ['slack:C0ONCALL'] }] } } as never,
  });
  try {
    assert.equal(t.logs.some((l) => WARNING.test(l)), false);
    assert.equal((await fetch(`${t.url}/readyz`)).status, 200);
  } finally {
    await t.stop();
  }
});
