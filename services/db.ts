/**
 * PostgreSQL through Prisma 7 with the pg driver adapter (no engine binary at run time).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { poolConfig } from './db/pg-hosts.ts';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.ts';

/**
 * Opens a client; `max` bounds the pool. Close with `db.$disconnect()`. An address with several
 * hosts and `target_session_attrs=read-write` follows the primary (services/db/pg-hosts.ts).
 */
export function createDb(databaseUrl: string, opts: { max?: number } = {}): Db {
  const adapter = new PrismaPg(poolConfig(databaseUrl, { max: opts.max ?? 10 }));
  return new PrismaClient({ adapter });
}

/** True when the error is a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
