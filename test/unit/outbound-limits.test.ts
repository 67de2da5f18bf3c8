/**
 * Pure parts of the outbound sender: limit defaults and overrides, and the ordering poll delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OUTBOUND_LIMITS, mergeLimits } from '../../bot/outbound/rate-limiter.ts';
import { outboundConfigSchema, outboundLimitsSchema } from '../../services/messaging/outbound.config.ts';
import { orderingPollMs } from '../../bot/outbound/sender.processor.ts';

test('defaults follow the published platform limits', () => {
  assert.deepEqual(DEFAULT_OUTBOUND_LIMITS.slack?.perChat, { count: 1, windowMs: 1000 });
  assert.deepEqual(DEFAULT_OUTBOUND_LIMITS.telegram?.perChat, { count: 1, windowMs: 1000 });
  assert.deepEqual(DEFAULT_OUTBOUND_LIMITS.telegram?.group, { count: 20, windowMs: 60_000, chatIdPattern: '^-' });
  assert.deepEqual(DEFAULT_OUTBOUND_LIMITS.telegram?.global, { count: 30, windowMs: 1000 });
  assert.equal(DEFAULT_OUTBOUND_LIMITS.slack?.group, undefined);
});

test('an override replaces only the limits it names', () => {
  const merged = mergeLimits(DEFAULT_OUTBOUND_LIMITS, { telegram: { perChat: { count: 2, windowMs: 1000 } } });
  assert.deepEqual(merged.telegram?.perChat, { count: 2, windowMs: 1000 });
  assert.deepEqual(merged.telegram?.group, DEFAULT_OUTBOUND_LIMITS.telegram?.group);
  assert.deepEqual(merged.telegram?.global, DEFAULT_OUTBOUND_LIMITS.telegram?.global);
  assert.deepEqual(merged.slack, DEFAULT_OUTBOUND_LIMITS.slack);
  // The defaults themselves are untouched.
  assert.deepEqual(DEFAULT_OUTBOUND_LIMITS.telegram?.perChat, { count: 1, windowMs: 1000 });
});

test('a platform missing from the defaults gets both basic limits', () => {
  const merged = mergeLimits({}, { terminal: { global: { count: 5, windowMs: 1000 } } });
  assert.deepEqual(merged.terminal, { perChat: { count: 1, windowMs: 1000 }, global: { count: 5, windowMs: 1000 } });
});

test('the limits schema rejects nonsense with the key that is wrong', () => {
  const zero = outboundLimitsSchema.safeParse({ slack: { perChat: { count: 0, windowMs: 1000 } } });
  assert.equal(zero.success, false);
  assert.deepEqual(zero.error?.issues[0]?.path, ['slack', 'perChat', 'count']);
  const badPattern = outboundLimitsSchema.safeParse({ telegram: { group: { count: 1, windowMs: 1, chatIdPattern: '(' } } });
  assert.equal(badPattern.success, false);
  assert.match(badPattern.error?.issues[0]?.message ?? '', /regular expression/);
  const unknownPlatform = outboundLimitsSchema.safeParse({ irc: { perChat: { count: 1, windowMs: 1 } } });
  assert.equal(unknownPlatform.success, false);
  assert.equal(outboundLimitsSchema.safeParse({ telegram: { group: { count: 20, windowMs: 60_000, chatIdPattern: '^-' } } }).success, true);
});

test('a waiting message looks again after about the time the rows ahead need', () => {
  assert.equal(orderingPollMs(1, 1000), 1000);
  assert.equal(orderingPollMs(3, 1000), 3000);
  assert.equal(orderingPollMs(1, 100), 500, 'never busier than every 500 ms (the row ahead wakes it sooner)');
  assert.equal(orderingPollMs(30, 1000), 30_000);
  assert.equal(orderingPollMs(500, 1000), 60_000, 'never sleeps past a minute; the rows near the head re-check a stuck head sooner');
});

test('the outbound YAML section has defaults and refuses unknown keys', () => {
  assert.deepEqual(outboundConfigSchema.parse(undefined), { limits: {}, maxAttempts: 8, recovery: { every: '10s', grace: '5s', giveUp: '1d' } });
  const parsed = outboundConfigSchema.parse({ maxAttempts: 3, limits: { slack: { global: { count: 10, windowMs: 1000 } } } });
  assert.equal(parsed.maxAttempts, 3);
  assert.deepEqual(parsed.limits.slack?.global, { count: 10, windowMs: 1000 });
  const typo = outboundConfigSchema.safeParse({ limits: { slack: { perchat: { count: 1, windowMs: 1000 } } } });
  assert.equal(typo.success, false);
  assert.equal(outboundConfigSchema.safeParse({ maxAttempt: 3 }).success, false);
});
