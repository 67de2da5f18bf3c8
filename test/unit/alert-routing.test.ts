import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertsConfigSchema } from '../../services/alerts/alerts.config.ts';
import { heldByQuietHours, inQuietHours, labelsMatch, matcherKey, parseMatchers, refFromKey, routeAlert, type SubscriptionMatch } from '../../services/alerts/alert-routing.ts';
import { refKey } from '../../services/messaging/types.ts';

const cfg = alertsConfigSchema.parse({
  routes: [
    { match: { severity: 'critical', environment: ['production', 'prod'] }, destinations: ['slack:CCRIT', 'telegram:-100200/7'], continue: true },
    { match: { service: 'billing' }, destinations: ['telegram:-100300'], quietHours: { start: '22:00', end: '07:00', timezone: 'UTC' } },
    { match: {}, destinations: ['slack:CALL'] },
  ],
});

test('destinations parse into conversation references, with forum topics as threads', () => {
  assert.deepEqual(cfg.routes[0]!.destinations, [
    { platform: 'slack', chatId: 'CCRIT' },
    { platform: 'telegram', chatId: '-100200', threadId: '7' },
  ]);
  assert.throws(() => alertsConfigSchema.parse({ routes: [{ destinations: ['discord:1'] }] }));
  assert.throws(() => alertsConfigSchema.parse({ routes: [{ destinations: ['slack:C1'], quietHours: { start: '25:00', end: '07:00' } }] }));
});

test('defaults: 30 min deploy window, critical -> P1, storm threshold', () => {
  const d = alertsConfigSchema.parse(undefined);
  assert.equal(d.deployCorrelationMinutes, 30);
  assert.equal(d.ticketPriority.critical, 'P1');
  assert.equal(d.storm.thresholdPerMinute, 30);
});

test('first matching route wins unless it continues; lists match any value', () => {
  const crit = routeAlert({ severity: 'critical', environment: 'prod', service: 'billing', source: 'alertmanager' }, cfg.routes, [], []);
  assert.deepEqual(crit.map((d) => refKey(d.ref)), ['slack:CCRIT:', 'telegram:-100200:7', 'telegram:-100300:']);
  const warn = routeAlert({ severity: 'warning', environment: 'prod', service: 'api', source: 'alertmanager' }, cfg.routes, [], []);
  assert.deepEqual(warn.map((d) => refKey(d.ref)), ['slack:CALL:']);
});

test('subscriptions add chats, duplicates collapse, defaults only when nothing matched', () => {
  const routes = cfg.routes.slice(0, 1);
  const subs: SubscriptionMatch[] = [
    { ref: { platform: 'slack', chatId: 'CCRIT' }, matchers: { severity: 'critical' } },
    { ref: { platform: 'telegram', chatId: '42' }, matchers: { service: 'api' } },
  ];
  const r = routeAlert({ severity: 'critical', environment: 'prod', service: 'api' }, routes, subs, [{ platform: 'slack', chatId: 'CDEF' }]);
  assert.deepEqual(r.map((d) => refKey(d.ref)), ['slack:CCRIT:', 'telegram:-100200:7', 'telegram:42:']);
  const none = routeAlert({ severity: 'info', service: 'x' }, routes, subs, [{ platform: 'slack', chatId: 'CDEF' }]);
  assert.deepEqual(none.map((d) => refKey(d.ref)), ['slack:CDEF:']);
  assert.deepEqual(routeAlert({ severity: 'info' }, routes, [], []), []);
});

test('quiet hours wrap midnight, honour the time zone and let allowed severities through', () => {
  const q = { start: '22:00', end: '07:00', timezone: 'UTC', allow: ['critical'] };
  assert.equal(inQuietHours(q, new Date('2026-01-01T23:30:00Z')), true);
  assert.equal(inQuietHours(q, new Date('2026-01-01T06:59:00Z')), true);
  assert.equal(inQuietHours(q, new Date('2026-01-01T07:00:00Z')), false);
  assert.equal(inQuietHours(q, new Date('2026-01-01T12:00:00Z')), false);
  // 20:30 UTC is 23:30 in Moscow (UTC+3).
  assert.equal(inQuietHours({ ...q, timezone: 'Europe/Moscow' }, new Date('2026-01-01T20:30:00Z')), true);
  const dest = { ref: { platform: 'slack' as const, chatId: 'C' }, quietHours: q };
  assert.equal(heldByQuietHours(dest, 'warning', new Date('2026-01-01T23:30:00Z')), true);
  assert.equal(heldByQuietHours(dest, 'critical', new Date('2026-01-01T23:30:00Z')), false);
  assert.equal(heldByQuietHours({ ref: dest.ref }, 'warning', new Date('2026-01-01T23:30:00Z')), false);
});

test('matchers parse from chat text and print canonically', () => {
  assert.deepEqual(parseMatchers('severity=critical  service=api'), { severity: 'critical', service: 'api' });
  assert.deepEqual(parseMatchers(''), {});
  assert.equal(parseMatchers('service api'), null);
  assert.equal(parseMatchers('service=a=b'), null);
  assert.equal(matcherKey({ severity: 'critical', service: 'api' }), 'service=api,severity=critical');
  assert.equal(labelsMatch({ a: '1' }, { a: '1', b: '2' }), false);
  assert.equal(labelsMatch({ a: '1', b: '2' }, { a: ['0', '1'] }), true);
});

test('destination keys round-trip', () => {
  for (const ref of [
    { platform: 'slack' as const, chatId: 'C1' },
    { platform: 'telegram' as const, chatId: '-100123', threadId: '42' },
  ]) {
    assert.deepEqual(refFromKey(refKey(ref)), ref);
  }
});
