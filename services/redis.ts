/**
 * The one place that creates Redis clients. Every connection of a process (the queue producer,
 * the workers' shared and blocking connections, the outbound limiter and locks, button data,
 * rate limits) comes from `createRedis`, so a deployment behind Redis Sentinel is one setting:
 * with sentinels configured, each client asks them for the current primary and follows a
 * failover by itself (ioredis' sentinel mode); BullMQ's own duplicates keep those options.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** One `host:port` of a sentinel. */
export interface SentinelAddress {
  host: string;
  port: number;
}

/** Where Redis is: a URL, or a URL's credentials and db plus the sentinels that know the primary. */
export interface RedisTarget {
  /** redis:// or rediss:// URL; with sentinels only its user, password, db and TLS are used. */
  url: string;
  sentinels?: SentinelAddress[];
  /** The primary's name the sentinels monitor (`sentinel monitor <name> ...`). */
  sentinelName?: string;
  /** Password of the sentinels themselves, when they require one. */
  sentinelPassword?: string;
}

/**
 * Parses `host:port,host:port` (port 26379 when left out; `[::1]:26379` for IPv6).
 * Throws naming the bad entry.
 */
export function parseSentinels(list: string): SentinelAddress[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
      const port = m?.[2] ? Number(m[2]) : 26379;
      if (!m || port < 1 || port > 65535) throw new Error(`"${entry}" is not host:port`);
      return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
    });
}

/** The connection options of a redis:// URL (host, port, credentials, db, TLS). */
export function urlOptions(url: string): Pick<RedisOptions, 'host' | 'port' | 'username' | 'password' | 'db' | 'tls'> {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined && Number.isFinite(db) ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** ioredis options for `target`: direct to the URL's host, or through the sentinels. */
export function redisOptions(target: RedisTarget): RedisOptions {
  const direct = urlOptions(target.url);
  if (!target.sentinels?.length) return direct;
  const { host: _host, port: _port, tls, ...auth } = direct;
  return {
    ...auth,
    sentinels: target.sentinels,
    name: target.sentinelName ?? 'mymaster',
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    ...(tls ? { tls, enableTLSForSentinelMode: true } : {}),
    // After a failover the old primary may still answer for a moment as a replica: a write it
    // refuses (READONLY) makes the client reconnect to whoever the sentinels name now.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
    // A sentinel that is down is skipped quickly instead of holding the connect up.
    connectTimeout: 5_000,
  };
}

/** A new client for `target`; `extra` sets per-use options (offline queue, retries, name). */
export function createRedis(target: RedisTarget, extra: RedisOptions = {}): Redis {
  return new Redis({ ...redisOptions(target), ...extra });
}
