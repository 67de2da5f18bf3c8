/**
 * The Prisma schema engine as WebAssembly (`@prisma/schema-engine-wasm`), driven through the
 * pg driver adapter. No native engine binary is needed, so migrations work offline.
 *
 * Snags handled here:
 * - Node 20 cannot `import` a .wasm file: the module is compiled from the file's bytes.
 * - adapter-pg rejects some catalog types the engine's introspection reads (`"char"`, reg*,
 *   ...; prisma/orm#27403): our pg client reports them as text.
 * - adapter-pg's shadow database helper reuses the main connection string (so the "shadow"
 *   is the real database) and drops it before closing its pool: we create and drop our own.
 * - adapter-pg's `executeScript` splits scripts on every `;` (breaking `$$` bodies and string
 *   literals): we send the script whole, like the native engine does.
 * - The engine arms long timers it never clears: they are cleared once no engine is in use.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { quoteIdent } from './migration-runner.ts';

export type { SchemaEngine };

type BgModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/**
 * Scalar OIDs of catalog types adapter-pg does not map (it throws, or the engine cannot read the
 * value: `"char"` fails every introspection); their text form is what the engine wants.
 * pg parses none of them, so the values are already strings. (Arrays of these would need
 * parsing too; the engine reads none, and adapter-pg names the type if that ever changes.)
 */
const CATALOG_TEXT_OIDS = new Set([
  18, // "char"
  22, // int2vector
  24, // regproc
  27, // tid
  28, // xid
  29, // cid
  30, // oidvector
  194, // pg_node_tree
  1033, // aclitem
  2202, // regprocedure
  2203, // regoper
  2204, // regoperator
  2205, // regclass
  2206, // regtype
  3220, // pg_lsn
  3734, // regconfig
  3769, // regdictionary
  4089, // regnamespace
  4096, // regrole
  5069, // xid8
]);
const TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };

function retypeCatalogColumns<T>(result: T): T {
  const results = Array.isArray(result) ? (result as QueryResultLike[]) : [result as QueryResultLike];
  for (const r of results) {
    for (const field of r?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/**
 * pg client whose results report catalog types as text. Values are already parsed as strings
 * (no custom parser exists for these OIDs), so only the reported column type changes.
 */
class CatalogAsTextClient extends pg.Client {
  // pg's overloads cannot be re-declared one by one; this forwards all of them.
  override query(...args: unknown[]): never {
    const superQuery = pg.Client.prototype.query as (...a: unknown[]) => unknown;
    const [config, values, callback] = args;
    if (typeof (config as { submit?: unknown } | null)?.submit === 'function') {
      return superQuery.apply(this, args) as never;
    }
    const cb = typeof values === 'function' ? values : callback;
    if (typeof cb === 'function') {
      const wrapped = (err: unknown, res: unknown) => (cb as (e: unknown, r: unknown) => void)(err, err ? res : retypeCatalogColumns(res));
      return (typeof values === 'function' ? superQuery.call(this, config, wrapped) : superQuery.call(this, config, values, wrapped)) as never;
    }
    return (superQuery.call(this, config, values) as Promise<unknown>).then(retypeCatalogColumns) as never;
  }
}

/** Connection settings for a database URL; `database` overrides the URL's database name. */
function poolConfig(databaseUrl: string, database?: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  if (database !== undefined) url.pathname = `/${encodeURIComponent(database)}`;
  return { connectionString: url.toString(), Client: CatalogAsTextClient, max: 4 };
}

/**
 * A migration-aware adapter factory for `databaseUrl` with a real shadow database: each
 * `connectToShadowDb()` creates `prisma_shadow_<uuid>` and drops it on dispose.
 * `cleanup()` closes every pool it opened and drops any shadow database still there (the
 * engine does not always dispose of its adapters).
 */
function createAdapterFactory(databaseUrl: string): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  cleanup(): Promise<void>;
} {
  const pools = new Set<pg.Pool>();
  const shadows = new Set<string>();

  const endPool = async (pool: pg.Pool) => {
    if (pools.delete(pool)) await pool.end();
  };
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const dropShadow = async (name: string) => {
    if (shadows.delete(name)) await admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  };

  const open = async (database?: string): Promise<SqlDriverAdapter> => {
    const pool = new pg.Pool(poolConfig(databaseUrl, database));
    pools.add(pool);
    pool.on('error', () => {}); // an idle client's error resurfaces on the next query
    const adapter = await new PrismaPg(pool).connect();
    // The whole script in one simple-query round trip (one implicit transaction), as the
    // native engine does; adapter-pg would split it on every `;`.
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        (adapter as unknown as { onError(e: unknown): never }).onError(error); // maps to DriverAdapterError
      }
    };
    adapter.dispose = async () => {
      await endPool(pool);
      if (database !== undefined) await dropShadow(database);
    };
    return adapter;
  };

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => open(),
    connectToShadowDb: async () => {
      const name = `prisma_shadow_${randomUUID().replace(/-/g, '')}`;
      await admin(`CREATE DATABASE ${quoteIdent(name)}`);
      shadows.add(name);
      return open(name);
    },
  };

  const cleanup = async () => {
    const results = await Promise.allSettled([...pools].map(endPool));
    for (const name of [...shadows]) results.push(...(await Promise.allSettled([dropShadow(name)])));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return { factory, cleanup };
}

// ---- Wasm module -------------------------------------------------------------------------

// The project's lib (ES2023, no DOM) has no WebAssembly typings: declare what is used here.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, Record<string, unknown>>): Promise<{ exports: object }>;
};

const engineTimers = new Set<NodeJS.Timeout>();
let enginesInUse = 0;
let bgModule: Promise<BgModule> | undefined;

/** Compiles and instantiates the engine once per process. */
function loadBgModule(): Promise<BgModule> {
  bgModule ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bgPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const module = await WebAssembly.compile(await readFile(join(dirname(bgPath), 'schema_engine_bg.wasm')));
    // Track the engine's timers: it never clears them, and they keep the process alive.
    const imports: Record<string, unknown> = { ...bg };
    for (const [name, fn] of Object.entries(bg)) {
      if (name.startsWith('__wbg_setTimeout_') && typeof fn === 'function') {
        imports[name] = (callback: () => void, ms: number) => {
          const timer: NodeJS.Timeout = setTimeout(() => {
            engineTimers.delete(timer);
            callback();
          }, ms >>> 0);
          engineTimers.add(timer);
          return timer;
        };
      }
    }
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': imports });
    const exports = instance.exports as { __wbindgen_start(): void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  bgModule.catch(() => (bgModule = undefined));
  return bgModule;
}

/** Options for {@link withSchemaEngine}. */
export interface SchemaEngineOptions {
  databaseUrl: string;
  /** Prisma schema files as [path, content]; needed by commands that read the datamodel. */
  datamodels?: Array<[string, string]>;
  /** Engine log lines (tracing output); dropped by default. */
  onLog?: (line: string) => void;
}

/**
 * Runs `fn` with a schema engine connected to `databaseUrl`, then frees the engine, closes its
 * pools, drops any leftover shadow database, and clears the engine's timers once no engine is
 * in use (so the process can exit). Engine errors that wrap a JS error from the adapter name
 * it instead of an opaque `External error id#N`.
 */
export async function withSchemaEngine<T>(opts: SchemaEngineOptions, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const bg = await loadBgModule();
  const { factory, cleanup } = createAdapterFactory(opts.databaseUrl);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  enginesInUse++;
  let engine: SchemaEngine | undefined;
  let result: T;
  try {
    engine = await bg.SchemaEngine.new(
      { datamodels: opts.datamodels?.length ? opts.datamodels : undefined },
      (line: string) => opts.onLog?.(line),
      bound,
    );
    result = await fn(engine);
  } catch (error) {
    await release().catch(() => {}); // the command's own error matters more
    throw withOriginalError(error, bound.errorRegistry);
  }
  await release();
  return result;

  async function release(): Promise<void> {
    engine?.free();
    try {
      await cleanup();
    } finally {
      if (--enginesInUse === 0) {
        for (const timer of engineTimers) clearTimeout(timer);
        engineTimers.clear();
      }
    }
  }
}

/** Replaces the engine's `External error id#N` with the JS error the adapter registered. */
function withOriginalError(error: unknown, registry: { consumeError(id: number): { error: unknown } | undefined }): unknown {
  if (!(error instanceof Error)) return error;
  const match = /External error id#(\d+)/.exec(error.message);
  const record = match ? registry.consumeError(Number(match[1])) : undefined;
  if (!match || !record) return error;
  const original = record.error instanceof Error ? record.error.message : String(record.error);
  const wrapped = new Error(error.message.replace(match[0], original), { cause: record.error });
  wrapped.name = error.name;
  return wrapped;
}
