/**
 * PostgreSQL through Prisma 7 with the pg driver adapter (no engine binary at run time).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { poolConfig } from './db/pg-hosts.ts';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.ts';

/**
 * Opens a client; `max` bounds the pool. Close with `db.$disconnect()`. An address with several
 * hosts and `target_session_attrs=read-write` follows the primary (services/db/pg-hosts.ts).
 */
export function createDb(databaseUrl: string, opts: { max?: number } = {}): Db {
  const pool = new pg.Pool(poolConfig(databaseUrl, { max: opts.max ?? 10 }));
  // An idle connection the server dropped (a restart, a primary switch) is replaced on next use.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const db = new PrismaClient({ adapter });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Db, pg.Pool>();

/**
 * The connection pool under a client, for the few hot statements sent as named prepared
 * statements (parsed once per connection instead of once per call). It is the pool Prisma
 * itself uses: the same connections, the same host choice, ended by `db.$disconnect()`.
 */
export function sqlPool(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('sqlPool: this client was not made by createDb');
  return pool;
}

/** True when the error is a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
