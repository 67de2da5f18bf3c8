import { test } from 'node:test';
import assert from 'node:assert/strict';
import { triage, PROBLEM_REPORT_PATTERNS } from '../../services/tickets/triage.ts';
import { parseTicketText, titleFromText } from '../../features/tickets/parse.ts';
import { matchRules } from '../../core/intent.ts';
import { ticketIdIn } from '../../agents/understanding/args.ts';

test('triage suggests P0 for outages in Russian and English, with the words that matched', () => {
  const ru = triage('у нас упал прод, ничего не открывается');
  assert.equal(ru.severity, 'P0');
  assert.equal(ru.reasonKey, 'tickets.triage.outage');
  assert.match(ru.matched, /упал/);
  assert.equal(triage('Production is down for all EU users').severity, 'P0');
  assert.equal(triage('Possible data loss after migration').reasonKey, 'tickets.triage.dataLoss');
  assert.equal(triage('Мы заметили утечку токенов').reasonKey, 'tickets.triage.security');
});

test('triage: P1 for broken features, P3 for requests, P2 otherwise', () => {
  assert.equal(triage('Checkout returns 500 for EU users').severity, 'P1');
  assert.equal(triage('Не могу оплатить заказ картой').severity, 'P1');
  assert.equal(triage('Please add dark mode').severity, 'P3');
  assert.equal(triage('Опечатка в документации').severity, 'P3');
  const plain = triage('The avatar is misaligned on the profile page');
  assert.equal(plain.severity, 'P2');
  assert.equal(plain.reasonKey, 'tickets.triage.default');
});

test('ticket text parsing: severity, title | description, show, operations', () => {
  assert.deepEqual(parseTicketText('P1 Checkout returns 500 for EU users'), { op: 'create', title: 'Checkout returns 500 for EU users', severity: 'P1' });
  assert.deepEqual(parseTicketText('p3 Dark mode | would be nice'), { op: 'create', title: 'Dark mode', severity: 'P3', description: 'would be nice' });
  assert.deepEqual(parseTicketText('Login slow'), { op: 'create', title: 'Login slow' });
  assert.deepEqual(parseTicketText(''), { op: 'guided' });
  assert.deepEqual(parseTicketText('#42'), { op: 'show', id: 42 });
  assert.deepEqual(parseTicketText('resolve 42 fixed the cache'), { op: 'resolve', id: 42, text: 'fixed the cache' });
  assert.deepEqual(parseTicketText('приоритет 7 p0'), { op: 'severity', id: 7, severity: 'P0' });
  assert.equal(titleFromText('Everything is down. Users see 502 since 10:00'), 'Everything is down.');
});

test('ticket <number> <sentence> is about that ticket; a title that starts with a number stays a title', () => {
  assert.deepEqual(parseTicketText('12 - who has this one?'), { op: 'show', id: 12 });
  assert.deepEqual(parseTicketText('#12: any news'), { op: 'show', id: 12 });
  assert.deepEqual(parseTicketText('12 is anybody on it?'), { op: 'show', id: 12 });
  assert.deepEqual(parseTicketText('31 may be closed, the client confirmed'), { op: 'close', id: 31 });
  assert.deepEqual(parseTicketText('31 got resolved by the deploy'), { op: 'resolve', id: 31 });
  assert.deepEqual(parseTicketText('31 можно закрыть'), { op: 'close', id: 31 });
  assert.deepEqual(parseTicketText('31, переоткройте пожалуйста'), { op: 'reopen', id: 31 });
  assert.deepEqual(parseTicketText('500 errors on checkout since the deploy'), { op: 'create', title: '500 errors on checkout since the deploy' });
  assert.deepEqual(parseTicketText('3 servers are down again'), { op: 'create', title: '3 servers are down again' });
});

test('free text about a ticket names it wherever the number stands, but not a quantity', () => {
  assert.equal(ticketIdIn('reopen 64, the fix did not hold'), 64);
  assert.equal(ticketIdIn('что с 903?'), 903);
  assert.equal(ticketIdIn('is 640 done yet'), 640);
  assert.equal(ticketIdIn('ticket 7 has been waiting 40 minutes'), 7);
  assert.equal(ticketIdIn('waiting 40 minutes on this'), undefined);
  assert.equal(ticketIdIn('close it, 3 users confirmed since 10:30'), undefined);
  assert.equal(ticketIdIn('rolled 1.4.2 out, close 88'), 88);
  assert.equal(ticketIdIn('merge 12 into 15'), undefined);
});

test('free-text problem reports match the intent patterns; small talk does not', () => {
  const rule = { commandId: 'ticket.propose', patterns: PROBLEM_REPORT_PATTERNS, toArgs: (text: string) => ({ text }) };
  assert.equal(matchRules([rule], 'у нас упал прод, ничего не открывается')?.commandId, 'ticket.propose');
  assert.equal(matchRules([rule], 'the checkout is broken again')?.commandId, 'ticket.propose');
  assert.equal(matchRules([rule], 'thanks, have a nice day'), null);
});
