/**
 * Real worker processes SIGKILLed under load: every run finishes, no step row is left open,
 * and each outside effect (page, assign, http calls) is applied once per (run, step). The
 * scenario is test/integration/process-chaos.ts; bench/chaos/process-kills.ts runs it longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChaos } from './process-chaos.ts';

test('kills: runs survive SIGKILLed workers with nothing stuck and no effect applied twice', { timeout: 150_000 }, async () => {
  const started = Date.now();
  const r = await runChaos({ runs: 25, kills: 3, settleMs: 45_000, log: (line) => console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s ${line}`) });
  console.log(`# ${JSON.stringify(r)}`);
  assert.deepEqual(
    { stuck: r.stuck, openRows: r.openRows, duplicated: r.duplicated, unkeyed: r.unkeyed },
    { stuck: 0, openRows: 0, duplicated: { page: 0, assign: 0, call: 0, hook: 0 }, unkeyed: 0 },
    JSON.stringify(r),
  );
});
