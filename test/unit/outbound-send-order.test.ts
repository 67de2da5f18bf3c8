/** The per-chat send order: priority first, with keyed and threaded rows kept in stored order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendOrder, type OrderRow } from '../../bot/outbound/send-order.ts';

let n = 0n;
const row = (id: string, priority: number, more: Partial<OrderRow> = {}): OrderRow => ({
  id,
  seq: ++n,
  priority,
  threadId: '',
  messageKey: null,
  threadUnderKey: null,
  ...more,
});
const ids = (rows: OrderRow[]) => sendOrder(rows).map((r) => r.id);

test('the oldest urgent row goes first, then normal, then low, oldest first within each', () => {
  assert.deepEqual(ids([row('n1', 1), row('l1', 2), row('u1', 0), row('n2', 1), row('u2', 0)]), ['u1', 'u2', 'n1', 'n2', 'l1']);
});

test('an urgent edit lifts its post instead of overtaking it', () => {
  assert.deepEqual(ids([row('n1', 1), row('post', 2, { messageKey: 'k' }), row('n2', 1), row('edit', 0, { messageKey: 'k' })]), ['post', 'edit', 'n1', 'n2']);
});

test('a reply threaded under a card follows the card; one thread keeps its order', () => {
  assert.deepEqual(ids([row('card', 1, { messageKey: 'c' }), row('reply', 0, { threadUnderKey: 'c' })]), ['card', 'reply']);
  assert.deepEqual(ids([row('t1', 2, { threadId: 'T' }), row('n', 1), row('t2', 0, { threadId: 'T' })]), ['t1', 't2', 'n']);
});

test('rows that would wait for each other in a cycle still get one order', () => {
  // low thread row, normal row, urgent row in the same thread: without lifting, each waits on the next.
  const order = ids([row('a', 2, { threadId: 'T' }), row('b', 1), row('c', 0, { threadId: 'T' })]);
  assert.deepEqual(order, ['a', 'c', 'b']);
});
