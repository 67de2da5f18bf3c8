/**
 * The capacity model (scripts/capacity-model.ts): workers grow with the load, the chat
 * platforms' limits are reported as ceilings no worker count lifts, alerts past the storm
 * threshold are digested, and the CLI prints the plan and refuses bad options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MEASURED, plan, type Profile } from '../../scripts/capacity-model.ts';

const base: Profile = { teams: 100, alertsPerMinute: 0.2, ticketsPerDay: 5, documentsPerDay: 2, runsPerDay: 2, peak: 10, platform: 'slack' };

test('workers follow the load; at least two for availability', () => {
  // One team: the measured rates need well under one worker, the floor is two.
  const small = plan({ ...base, teams: 1 });
  const big = plan({ ...base, teams: 10_000 });
  assert.equal(small.workers, 2);
  assert.ok(big.workers > small.workers * 10, `${big.workers} vs ${small.workers}`);
  // Twice the measured per-worker rate needs twice the workers.
  const faster = plan({ ...base, teams: 10_000 }, { ...MEASURED, perWorker: Object.fromEntries(Object.entries(MEASURED.perWorker).map(([k, v]) => [k, v * 2])) as typeof MEASURED.perWorker });
  assert.ok(Math.abs(faster.workers - big.workers / 2) <= 1, `${faster.workers} vs ${big.workers}`);
});

test('the bot token limit is a ceiling that more workers do not lift', () => {
  const r = plan({ ...base, teams: 10_000, platform: 'telegram' });
  assert.ok(r.tokenPerSecond > r.tokenLimitPerSecond);
  assert.equal(r.tokenLimitPerSecond, 30);
  assert.ok(r.notes.some((n) => n.includes('more workers do not help')), r.notes.join('\n'));
  assert.ok(!plan(base).notes.some((n) => n.includes('bot token')));
});

test('alerts past the storm threshold are digested; a Telegram group allows 20 a minute', () => {
  const storm = plan({ ...base, alertsPerMinute: 5, peak: 10 });
  assert.equal(storm.digested, true);
  assert.ok(storm.chatPerMinute <= 60);
  assert.equal(plan({ ...base, alertsPerMinute: 0.1, peak: 2 }).digested, false);
  assert.equal(plan({ ...base, platform: 'telegram' }).chatLimitPerMinute, 20);
  assert.equal(plan(base).chatLimitPerMinute, 60);
});

test('npm run plan prints the plan and refuses a bad option naming it', () => {
  const script = fileURLToPath(new URL('../../scripts/capacity-plan.ts', import.meta.url));
  const ok = spawnSync(process.execPath, ['--import', 'tsx', script, '--teams', '1000'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^1000 teams on slack/m);
  assert.match(ok.stdout, /^workers: \d+ processes/m);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', script, '--tickets-per-day', 'lots'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--tickets-per-day/);
});
