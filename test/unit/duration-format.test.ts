/**
 * Every duration a person reads is written in their language: the SLA times of a ticket, the
 * SLA report, an alert's "resolved after", the silence buttons, a process step's HTTP time and
 * the assistant's time limit. English keeps its compact form ("2d 20h"); Russian uses the
 * catalogue's units ("2 д 20 ч"), never Latin letters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../services/i18n/i18n.ts';
import { formatDue } from '../../services/tickets/ticket.render.ts';
import { renderResolvedNote, renderAlertCard } from '../../services/alerts/alert-render.ts';
import { renderTimelineLine } from '../../services/processes/render.ts';
import { renderSlaNumbers } from '../../features/tickets/sla-views.ts';

const en = translator('en');
const ru = translator('ru');
const now = new Date('2026-12-07T12:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('ticket deadlines: English as before, Russian in Russian units', () => {
  const cases: [number, string, string][] = [
    [2 * D + 20 * H + 5 * M, 'due in 2d 20h', 'через 2 д 20 ч'],
    [3 * D, 'due in 3d', 'через 3 д'],
    [3 * H + 59 * M, 'due in 3h 59m', 'через 3 ч 59 мин'],
    [4 * H, 'due in 4h', 'через 4 ч'],
    [5 * M + 10 * S, 'due in 5m 10s', 'через 5 мин 10 с'],
    [35 * M + 10 * S, 'due in 35m', 'через 35 мин'],
    [45 * S, 'due in 45s', 'через 45 с'],
  ];
  for (const [ms, english, russian] of cases) {
    assert.equal(formatDue(en, later(ms), now), english);
    assert.equal(formatDue(ru, later(ms), now), russian);
  }
  assert.match(formatDue(ru, later(-(2 * H + 5 * M)), now), /2 ч 5 мин$/);
  assert.equal(formatDue(en, later(-(2 * H + 5 * M)), now), 'overdue by 2h 5m');
});

test('alerts: the resolved note and the silence buttons', () => {
  const group = { title: 'disk full', resolvedAt: later(2 * H + 5 * M), resolvedBy: null, firstSeenAt: now, occurrenceAt: null };
  assert.equal(renderResolvedNote(group, en).text, 'Resolved: disk full (after 2h 5m).');
  assert.equal(renderResolvedNote(group, ru).text, 'Решено: disk full (через 2 ч 5 мин).');
  assert.match(renderResolvedNote({ ...group, resolvedAt: later(25 * S) }, ru).text, /\(через 25 с\)/);
  const card = (t: typeof en) =>
    renderAlertCard(
      { id: 'g1', source: 'alertmanager', fingerprint: 'f', status: 'firing', severity: 'critical', service: 'disk', environment: 'prod', title: 'disk full', summary: '', url: null, firstSeenAt: now, lastSeenAt: now, fireCount: 1, flapping: false, ackBy: null, ackAt: null, resolvedAt: null, resolvedBy: null, ticketId: null, silencedUntil: null },
      null,
      t,
      { ticketsAvailable: false },
    );
  assert.deepEqual(card(en).buttons?.filter((b) => b.value.endsWith(':4')).map((b) => b.label), ['Silence 4h']);
  assert.deepEqual(card(ru).buttons?.filter((b) => b.value.endsWith(':24')).map((b) => b.label), ['Заглушить на 24 ч']);
});

test('SLA report figures, process timelines: no Latin units in Russian', () => {
  const stats = [{ severity: 'P2', total: 3, responseCompliance: 1, resolutionCompliance: 0.5, mttaSeconds: 2 * 3600 + 300, mttrSeconds: 3 * 86400 + 4 * 3600, open: 1, atRisk: 0, breached: 0 }];
  const ruText = JSON.stringify(renderSlaNumbers(ru, 'SLA', stats as never).fields);
  assert.match(ruText, /2 ч 5 мин/);
  assert.match(ruText, /3 д 4 ч/);
  assert.match(JSON.stringify(renderSlaNumbers(en, 'SLA', stats as never).fields), /2h 5m.*3d 4h/);
  const step = { status: 'succeeded', output: { status: 200, ms: 37 } };
  assert.match(renderTimelineLine(en, 'check', step as never), /HTTP 200, 37 ms$/);
  assert.match(renderTimelineLine(ru, 'check', step as never), /HTTP 200, 37 мс$/);
});

test('the formatter: milliseconds, one decimal under ten seconds, at most two units', async () => {
  const { formatDuration } = await import('../../services/i18n/duration-format.ts');
  const both = (ms: number) => [formatDuration(en, ms), formatDuration(ru, ms)];
  assert.deepEqual(both(0), ['0s', '0 с']);
  assert.deepEqual(both(37), ['37 ms', '37 мс']);
  assert.deepEqual(both(4200), ['4.2s', '4,2 с']);
  assert.deepEqual(both(2000), ['2s', '2 с']);
  assert.deepEqual(both(90 * M), ['1h 30m', '1 ч 30 мин']);
  assert.deepEqual(both(7 * D + 30 * M), ['7d', '7 д']);
  assert.deepEqual(both(-5 * S), ['0s', '0 с'], 'negative counts as zero');
  for (const ms of [37, 4200, 45 * S, 5 * M + 10 * S, 3 * H + 59 * M, 2 * D + 20 * H]) assert.doesNotMatch(formatDuration(ru, ms), /[a-z]/i, `no Latin letters for ${ms} ms`);
});
