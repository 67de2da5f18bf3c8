/** The one duration format: a unit is required everywhere, and a bare number names its key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { durationMs, parseDuration } from '../../services/duration.ts';
import { ConfigError, loadConfig } from '../../services/config.ts';

test('durations with a unit convert to milliseconds', () => {
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('1w'), 604_800_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration(' 0s '), 0);
  assert.equal(durationMs('4h'), 14_400_000);
});

test('a bare number, a negative, an unknown unit or words are refused', () => {
  for (const bad of ['90', '1.5', '-1h', '5x', 'soon', '', 'h']) assert.equal(parseDuration(bad), null, bad);
  assert.throws(() => durationMs('90'), /not a duration/);
});

test('a bare number in the YAML stops start-up naming the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-dur-'));
  const file = join(dir, 'a2d2.yaml');
  writeFileSync(file, 'tickets:\n  sweepEvery: 60\n');
  assert.throws(
    () => loadConfig({ A2D2_CONFIG: file }),
    (e: unknown) => e instanceof ConfigError && /tickets\.sweepEvery/.test(e.key) && /unit/.test(e.message),
  );
  writeFileSync(file, "tickets:\n  sweepEvery: '60'\n");
  assert.throws(() => loadConfig({ A2D2_CONFIG: file }), (e: unknown) => e instanceof ConfigError && /tickets\.sweepEvery/.test(e.key));
  writeFileSync(file, 'tickets:\n  sweepEvery: 90s\n');
  assert.equal(loadConfig({ A2D2_CONFIG: file }).file.tickets.sweepEvery, '90s');
});
