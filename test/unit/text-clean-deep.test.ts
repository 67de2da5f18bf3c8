import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanDeep, codePoints } from '../../services/text/sanitize.ts';
import { dataExceptionMessage } from '../../services/text/data-exception.ts';
import { inboundEventSchema } from '../../services/messaging/schemas.ts';

test('codePoints counts a surrogate pair as one', () => {
  assert.equal(codePoints(''), 0);
  assert.equal(codePoints('abc'), 3);
  assert.equal(codePoints('🔥🔥'), 2);
  assert.equal(codePoints('a\uD800'), 2, 'a lone half is one code point');
});

test('cleanDeep cleans every string and key, leaves other values and the input alone', () => {
  const input = { 'k\u0000ey': ['a\u0000b', 1, true, null, { deep: 'x\uD800' }], n: 2 };
  const out = cleanDeep(input);
  assert.deepEqual(out, { key: ['ab', 1, true, null, { deep: 'x\uFFFD' }], n: 2 });
  assert.equal(input['k\u0000ey'][0], 'a\u0000b', 'the input is not changed');
  assert.equal(cleanDeep('\u0000'), '');
  assert.equal(cleanDeep(5), 5);
  const date = new Date(0);
  assert.equal(cleanDeep({ d: date }).d, date, 'class instances are passed through');
});

test('cleanDeep keeps a "__proto__" key an own property', () => {
  const out = cleanDeep(JSON.parse('{"__proto__": {"polluted": "\\u0000yes"}}') as Record<string, unknown>);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: 'yes' });
});

test('dataExceptionMessage finds SQLSTATE class 22 directly, in meta or in a cause', () => {
  assert.equal(dataExceptionMessage({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00\nQUERY: ...' }), 'invalid byte sequence for encoding "UTF8": 0x00');
  assert.equal(dataExceptionMessage({ code: 'P2010', message: 'Raw query failed', meta: { code: '22001', message: 'value too long for type character varying(300)' } }), 'value too long for type character varying(300)');
  assert.equal(dataExceptionMessage({ message: 'x', cause: { originalCode: '22P05', message: 'unsupported Unicode escape sequence' } }), 'unsupported Unicode escape sequence');
  assert.equal(dataExceptionMessage({ code: '22P02' }), '22P02');
  assert.equal(dataExceptionMessage({ code: '23505', message: 'duplicate key' }), null, 'a constraint violation is another class');
  assert.equal(dataExceptionMessage({ code: '08006' }), null);
  assert.equal(dataExceptionMessage(new Error('plain')), null);
  assert.equal(dataExceptionMessage(null), null);
});

test('inboundEventSchema cleans message text, command, display name, file names and button values', () => {
  const base = { platform: 'slack', eventId: 'e1', ref: { platform: 'slack', chatId: 'C1' }, user: { platformUserId: 'U1', displayName: 'Ann\u0000a' } };
  const msg = inboundEventSchema.parse({ ...base, type: 'message', text: 'hi\u0000 \uD800', command: 'tick\u0000et', addressed: true, files: [{ id: 'F1', name: 'a\u0000.pdf', mimeType: 'application/pdf' }] });
  assert.equal(msg.type, 'message');
  if (msg.type !== 'message') return;
  assert.equal(msg.text, 'hi \uFFFD');
  assert.equal(msg.command, 'ticket');
  assert.equal(msg.user.displayName, 'Anna');
  assert.equal(msg.files?.[0]?.name, 'a.pdf');
  const act = inboundEventSchema.parse({ ...base, type: 'action', actionId: 'ticket.ack', value: '1\u0000' });
  assert.equal(act.type === 'action' && act.value, '1');
  // Parsing twice (queued, then on the worker) gives the same event.
  assert.deepEqual(inboundEventSchema.parse(msg), msg);
});
