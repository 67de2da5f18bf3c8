import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CALLBACK_DATA_MAX_BYTES,
  createCallbackCodec,
  fitsInline,
  type CallbackStore,
} from '../../bot/adapters/telegram/telegram-callback-data.ts';

function memoryStore(): CallbackStore & { map: Map<string, string>; ttls: number[] } {
  const map = new Map<string, string>();
  const ttls: number[] = [];
  return {
    map,
    ttls,
    async set(key, value, ttl) {
      map.set(key, value);
      ttls.push(ttl);
    },
    async get(key) {
      return map.get(key) ?? null;
    },
  };
}

test('telegram callback data: short action and value travel inline and decode back', async () => {
  const store = memoryStore();
  const codec = createCallbackCodec(store);
  const data = await codec.encode('core.confirm', '0f8fad5b-d9cb-469f-a165-70867728950e');
  assert.equal(data, 'core.confirm|0f8fad5b-d9cb-469f-a165-70867728950e');
  assert.ok(Buffer.byteLength(data) <= CALLBACK_DATA_MAX_BYTES);
  assert.deepEqual(await codec.decode(data), { actionId: 'core.confirm', value: '0f8fad5b-d9cb-469f-a165-70867728950e' });
  assert.equal(store.map.size, 0, 'nothing stored for inline payloads');
  // A value may itself contain the separator.
  assert.deepEqual(await codec.decode(await codec.encode('a.b', 'x|y')), { actionId: 'a.b', value: 'x|y' });
});

test('telegram callback data: long values (counted in bytes) are stored and referenced by a short key', async () => {
  const store = memoryStore();
  const codec = createCallbackCodec(store, { ttlSeconds: 60 });
  const value = 'заявка-'.repeat(6); // 42 characters, 78 bytes
  assert.equal(fitsInline('ticket.ack', value), false);
  const data = await codec.encode('ticket.ack', value);
  assert.match(data, /^~[A-Za-z0-9_-]{22}$/);
  assert.ok(Buffer.byteLength(data) <= CALLBACK_DATA_MAX_BYTES);
  assert.deepEqual(await codec.decode(data), { actionId: 'ticket.ack', value });
  assert.deepEqual(store.ttls, [60]);
  // The same button rendered again maps to the same key (no growth per render).
  assert.equal(await codec.encode('ticket.ack', value), data);
  assert.equal(store.map.size, 1);
});

test('telegram callback data: expired, forged or malformed data decodes to null', async () => {
  const codec = createCallbackCodec(memoryStore());
  assert.equal(await codec.decode('~AAAAAAAAAAAAAAAAAAAAAA'), null);
  assert.equal(await codec.decode('no-separator'), null);
  assert.equal(await codec.decode('|value'), null);
  assert.equal(await codec.decode('bad action|1'), null);
});
