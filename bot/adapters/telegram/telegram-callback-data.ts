/**
 * Button payloads inside Telegram's 64-byte callback_data. A short action id with a short
 * value (the usual case: 'ticket.ack' + a ticket id) travels inline as `actionId|value`;
 * anything longer is stored under a content hash (`~<hash>`) in a key-value store (Redis)
 * with a TTL, so the same button rendered twice maps to the same key.
 */
import { createHash } from 'node:crypto';

/** Telegram's limit on callback_data, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** How long a stored (long) button payload stays resolvable. */
export const STORED_CALLBACK_TTL_SECONDS = 30 * 24 * 3600;

const INLINE_ACTION_ID = /^[A-Za-z0-9_.:-]{1,60}$/;
const STORED_PREFIX = '~';
const STORED_DATA = /^~[A-Za-z0-9_-]{22}$/;

/** Where long payloads live: string keys with a TTL. */
export interface CallbackStore {
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  get(key: string): Promise<string | null>;
}

/** A decoded button press. */
export interface DecodedCallback {
  actionId: string;
  value: string;
}

/** Turns (actionId, value) into callback_data and back. */
export interface CallbackCodec {
  encode(actionId: string, value: string): Promise<string>;
  /** `null` when the data is malformed or its stored payload has expired. */
  decode(data: string): Promise<DecodedCallback | null>;
}

/** The subset of an ioredis client the store needs. */
export interface RedisLike {
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

/** A {@link CallbackStore} on Redis (the producer connection), keys under `prefix`. */
export function redisCallbackStore(redis: RedisLike, prefix: string): CallbackStore {
  return {
    async set(key, value, ttlSeconds) {
      await redis.set(`${prefix}:tg:cb:${key}`, value, 'EX', ttlSeconds);
    },
    async get(key) {
      return redis.get(`${prefix}:tg:cb:${key}`);
    },
  };
}

/** Whether `actionId|value` fits inline. */
export function fitsInline(actionId: string, value: string): boolean {
  return INLINE_ACTION_ID.test(actionId) && Buffer.byteLength(`${actionId}|${value}`, 'utf8') <= CALLBACK_DATA_MAX_BYTES;
}

/** Content hash used as the store key: 22 base64url characters (132 bits). */
export function callbackKey(actionId: string, value: string): string {
  return createHash('sha256').update(actionId).update('\0').update(value).digest('base64url').slice(0, 22);
}

/** The codec; `store` is only touched for payloads that do not fit inline. */
export function createCallbackCodec(store: CallbackStore, opts: { ttlSeconds?: number } = {}): CallbackCodec {
  const ttl = opts.ttlSeconds ?? STORED_CALLBACK_TTL_SECONDS;
  return {
    async encode(actionId, value) {
      if (fitsInline(actionId, value)) return `${actionId}|${value}`;
      const key = callbackKey(actionId, value);
      // Re-storing on every render refreshes the TTL of buttons that are still being shown.
      await store.set(key, JSON.stringify([actionId, value]), ttl);
      return `${STORED_PREFIX}${key}`;
    },
    async decode(data) {
      if (STORED_DATA.test(data)) {
        const raw = await store.get(data.slice(1));
        if (!raw) return null;
        try {
          const parsed: unknown = JSON.parse(raw);
          if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
            return { actionId: parsed[0], value: parsed[1] };
          }
        } catch {
          // A corrupt entry is treated as expired.
        }
        return null;
      }
      const bar = data.indexOf('|');
      if (bar <= 0) return null;
      const actionId = data.slice(0, bar);
      if (!INLINE_ACTION_ID.test(actionId)) return null;
      return { actionId, value: data.slice(bar + 1) };
    },
  };
}
