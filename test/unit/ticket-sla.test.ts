import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ticketsConfigSchema } from '../../services/tickets/tickets.config.ts';
import { addBusinessTime, businessTimeBetween, calendarFrom, createSlaPolicy, stageAt, zonedTime } from '../../services/tickets/sla.service.ts';

const cfg = ticketsConfigSchema.parse({});
const cal = calendarFrom(cfg);
const H = 3_600_000;

test('defaults follow the support process: P0 1h/4h around the clock, P2 24h/1w business hours, P3 no resolution target', () => {
  const p = createSlaPolicy(cfg);
  assert.equal(p.windowMs('P0', 'response'), 1 * H);
  assert.equal(p.windowMs('P0', 'resolution'), 4 * H);
  assert.equal(p.windowMs('P1', 'response'), 4 * H);
  assert.equal(p.windowMs('P1', 'resolution'), 24 * H);
  assert.equal(p.windowMs('P2', 'response'), 24 * H);
  assert.equal(p.windowMs('P2', 'resolution'), 7 * 24 * H);
  assert.equal(p.windowMs('P3', 'response'), 48 * H);
  assert.equal(p.windowMs('P3', 'resolution'), null);
  assert.equal(p.calendarFor('P0'), null);
  assert.notEqual(p.calendarFor('P2'), null);
  assert.equal(cfg.timeZone, 'Europe/Moscow');
});

test('zonedTime maps Moscow wall-clock to UTC (+3)', () => {
  assert.equal(new Date(zonedTime(2026, 11, 26, 9 * 60, 'Europe/Moscow')).toISOString(), '2026-11-26T06:00:00.000Z');
});

test('business time skips nights and weekends in Europe/Moscow', () => {
  // Friday 2026-11-27 17:00 Moscow = 14:00Z; 2 business hours -> Monday 10:00 Moscow (07:00Z).
  const fri = new Date('2026-11-27T14:00:00Z');
  assert.equal(addBusinessTime(fri, 2 * H, cal).toISOString(), '2026-11-30T07:00:00.000Z');
  // Saturday start: the clock starts Monday 09:00.
  const sat = new Date('2026-11-28T10:00:00Z');
  assert.equal(addBusinessTime(sat, 30 * 60_000, cal).toISOString(), '2026-11-30T06:30:00.000Z');
  // 24 business hours from Monday 09:00 = 2 days 6 hours of 9-hour days -> Wednesday 15:00.
  const mon = new Date('2026-11-30T06:00:00Z');
  assert.equal(addBusinessTime(mon, 24 * H, cal).toISOString(), '2026-12-02T12:00:00.000Z');
  assert.equal(businessTimeBetween(fri, new Date('2026-11-30T07:00:00Z'), cal), 2 * H);
});

test('holidays are skipped', () => {
  const c = calendarFrom(ticketsConfigSchema.parse({ businessHours: { holidays: ['2026-11-30'] } }));
  const fri = new Date('2026-11-27T14:00:00Z');
  assert.equal(addBusinessTime(fri, 2 * H, c).toISOString(), '2026-12-01T07:00:00.000Z');
});

test('around the clock without a calendar', () => {
  const t = new Date('2026-11-28T10:00:00Z');
  assert.equal(addBusinessTime(t, H, null).getTime(), t.getTime() + H);
});

test('plan: at risk at 80%, breach at 100%; a pause keeps the used time; a severity change re-plans the rest', () => {
  const c = ticketsConfigSchema.parse({ sla: { P1: { firstResponse: '10s', resolution: '100s' }, P0: { firstResponse: '4s', resolution: '40s' } } });
  const p = createSlaPolicy(c);
  const t0 = new Date('2026-11-26T12:00:00Z');
  const state = { severity: 'P1' as const, anchorAt: t0, responseUsedMs: 0, resolutionUsedMs: 0, acknowledged: false, done: false };
  const plan = p.plan(state);
  assert.equal(plan.response!.atRiskAt.getTime() - t0.getTime(), 8000);
  assert.equal(plan.response!.dueAt.getTime() - t0.getTime(), 10_000);
  assert.equal(plan.resolution!.dueAt.getTime() - t0.getTime(), 100_000);
  // Paused after 6 s, resumed at t0+60 s: 4 s left of the response window.
  const used = p.fold(state, new Date(t0.getTime() + 6000));
  assert.equal(used.responseUsedMs, 6000);
  const resumed = p.plan({ ...state, ...used, anchorAt: new Date(t0.getTime() + 60_000) });
  assert.equal(resumed.response!.dueAt.getTime() - t0.getTime(), 64_000);
  // Severity P1 -> P0 after 2 s: 2 s of the 4 s P0 window remain.
  const f = p.fold(state, new Date(t0.getTime() + 2000));
  const p0 = p.plan({ ...state, ...f, severity: 'P0', anchorAt: new Date(t0.getTime() + 2000) });
  assert.equal(p0.response!.dueAt.getTime() - t0.getTime(), 4000);
  // Acknowledged stops the response clock; done stops both.
  assert.equal(p.plan({ ...state, acknowledged: true }).response, null);
  assert.equal(p.plan({ ...state, done: true }).resolution, null);
  assert.equal(p.plan({ ...state, anchorAt: null }).resolution, null);
});

test('stages: 0 before risk, 1 at risk, 2 breached, 2+k for later escalation steps', () => {
  const t0 = 1_000_000;
  const plan = { windowMs: 10_000, atRiskAt: new Date(t0 + 8000), dueAt: new Date(t0 + 10_000) };
  const delays = [0, 5000, 20_000];
  assert.equal(stageAt(plan, delays, new Date(t0)), 0);
  assert.equal(stageAt(plan, delays, new Date(t0 + 8000)), 1);
  assert.equal(stageAt(plan, delays, new Date(t0 + 10_000)), 2);
  assert.equal(stageAt(plan, delays, new Date(t0 + 15_000)), 3);
  assert.equal(stageAt(plan, delays, new Date(t0 + 31_000)), 4);
});

test('config rejects a bad duration and names the key', () => {
  const r = ticketsConfigSchema.safeParse({ sla: { P0: { firstResponse: 'soon' } } });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path.slice(0, 3), ['sla', 'P0', 'firstResponse']);
  // Parsing the parsed form again gives the same result (overrides are merged and re-parsed).
  const once = ticketsConfigSchema.parse({ sla: { P1: { firstResponse: '5s' } }, sweepEvery: '2s' });
  assert.deepEqual(ticketsConfigSchema.parse(once), once);
  // A bare number could mean seconds or milliseconds: refused, naming the key.
  const bare = ticketsConfigSchema.safeParse({ sweepEvery: 2 });
  assert.equal(bare.success, false);
  assert.deepEqual(bare.error!.issues[0]!.path, ['sweepEvery']);
});
