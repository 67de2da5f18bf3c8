/**
 * A PostgreSQL address with several hosts, as libpq writes it:
 *   postgresql://user@db1:5432,db2:5432/a2d2?target_session_attrs=read-write
 * The pg driver takes one host, so a2d2 chooses: new connections go to the host last found
 * writable; a connection that fails, or lands on a standby (read-only) when `read-write` is
 * asked for, is refused with an error that reads as "database unavailable" (503 at the HTTP
 * edge, a retry in the workers), and every host is probed again in the background. When a
 * standby is promoted after the primary died, the next connections find it by themselves: no
 * restart, no configuration change. Single-host addresses are passed through untouched.
 */
import pg from 'pg';

/** One host of the address. */
export interface PgHost {
  host: string;
  port: number;
}

/** What `target_session_attrs` asks of a connection (libpq's values; `any` is the default). */
export type SessionAttrs = 'any' | 'read-write' | 'primary' | 'read-only' | 'standby' | 'prefer-standby';

/** A parsed multi-host address: the hosts in order, the rest as a one-host URL, the attrs. */
export interface PgTargets {
  hosts: PgHost[];
  /** The address with the first host only (user, password, database and options kept). */
  base: string;
  attrs: SessionAttrs;
}

/** The hosts of a `postgresql://` address (one or several, comma-separated). */
export function parseTargets(databaseUrl: string): PgTargets {
  const m = /^(postgres(?:ql)?:\/\/)([^@/]*@)?([^/?]*)(.*)$/.exec(databaseUrl);
  if (!m) return { hosts: [], base: databaseUrl, attrs: 'any' };
  const hosts = m[3]!
    .split(',')
    .filter(Boolean)
    .map((h) => {
      const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(h);
      const [host, port] = v6 ? [v6[1]!, v6[2]] : [h.replace(/:\d+$/, ''), /:(\d+)$/.exec(h)?.[1]];
      return { host, port: Number(port ?? 5432) };
    });
  const rest = new URL(`http://x${m[4] || '/'}`);
  const attrs = (rest.searchParams.get('target_session_attrs') ?? 'any') as SessionAttrs;
  // The driver does not know the parameter; the choice of host is made here.
  rest.searchParams.delete('target_session_attrs');
  const first = hosts[0];
  const hostPart = first ? (first.host.includes(':') ? `[${first.host}]:${first.port}` : `${first.host}:${first.port}`) : '';
  return { hosts, base: `${m[1]}${m[2] ?? ''}${hostPart}${rest.pathname}${rest.search}`, attrs };
}

/** True when a connection in this state serves what `attrs` asks for. */
function serves(attrs: SessionAttrs, readOnly: boolean): boolean {
  if (attrs === 'read-write' || attrs === 'primary') return !readOnly;
  if (attrs === 'read-only' || attrs === 'standby') return readOnly;
  return true;
}

/** The error of a connection that reached a host of the wrong kind (classified as "database unavailable"). */
export class WrongHostError extends Error {
  constructor(host: PgHost, attrs: SessionAttrs) {
    super(`database host ${host.host}:${host.port} is not ${attrs === 'read-write' || attrs === 'primary' ? 'writable (a standby)' : attrs}; looking for another host`);
    this.name = 'WrongHostError';
  }
}

/** A one-host address with its host replaced. */
function atHost(base: string, host: PgHost): string {
  const hostPart = host.host.includes(':') ? `[${host.host}]:${host.port}` : `${host.host}:${host.port}`;
  return base.replace(/^(postgres(?:ql)?:\/\/(?:[^@/]*@)?)[^/?]*/, `$1${hostPart}`);
}

/** Asks one host whether it is read-only (a standby, or a primary set read-only). */
async function readOnlyAt(base: pg.ClientConfig, host: PgHost, timeoutMs: number): Promise<boolean> {
  const c = new pg.Client({ ...base, connectionString: atHost(String(base.connectionString), host), connectionTimeoutMillis: timeoutMs });
  try {
    await c.connect();
    const r = await c.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    return r.rows[0]?.transaction_read_only === 'on';
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Where new connections of one address go, kept up to date by probes after failures. */
export class HostChooser {
  private current = 0;
  private probing: Promise<void> | null = null;

  constructor(
    readonly targets: PgTargets,
    private readonly base: pg.ClientConfig,
    private readonly probeTimeoutMs = 2_000,
  ) {}

  /** The host the next connection should try. */
  host(): PgHost {
    return this.targets.hosts[this.current] ?? this.targets.hosts[0]!;
  }

  /** After a failure: probes every host (once at a time) and moves to the first that serves. */
  reprobe(): Promise<void> {
    this.probing ??= (async () => {
      try {
        for (let i = 0; i < this.targets.hosts.length; i++) {
          const at = (this.current + i) % this.targets.hosts.length;
          const ok = await readOnlyAt(this.base, this.targets.hosts[at]!, this.probeTimeoutMs).then(
            (ro) => serves(this.targets.attrs, ro),
            () => false,
          );
          if (ok) {
            this.current = at;
            return;
          }
        }
      } finally {
        this.probing = null;
      }
    })();
    return this.probing;
  }

  /** A pg Client class whose connections go to the chosen host and check they serve `attrs`. */
  clientClass(): typeof pg.Client {
    const chooser = this;
    return class ChosenHostClient extends pg.Client {
      private readonly target: PgHost;
      constructor(config?: string | pg.ClientConfig) {
        const target = chooser.host();
        // The driver lets a connection string win over host and port: the string names the host.
        const given = typeof config === 'string' ? { connectionString: config } : (config ?? {});
        super({ ...given, connectionString: atHost(chooser.targets.base, target) });
        this.target = target;
      }

      // The pool calls connect(callback); tools call connect() and await it.
      override connect(): Promise<pg.Client>;
      override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
      override connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
        const done = this.checked().then(() => this as pg.Client);
        if (!callback) return done;
        const cb = callback as (err: Error | null, c?: pg.Client) => void;
        done.then((c) => cb(null, c), (err: Error) => cb(err));
      }

      private async checked(): Promise<void> {
        try {
          await super.connect();
        } catch (err) {
          void chooser.reprobe();
          throw err;
        }
        if (chooser.targets.attrs === 'any') return;
        const r = await super.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
        if (serves(chooser.targets.attrs, r.rows[0]?.transaction_read_only === 'on')) return;
        void chooser.reprobe();
        await this.end().catch(() => undefined);
        throw new WrongHostError(this.target, chooser.targets.attrs);
      }
    } as unknown as typeof pg.Client;
  }
}

/** Pool options for an address: untouched for one host, a chooser's client class for several. */
export function poolConfig(databaseUrl: string, extra: pg.PoolConfig = {}): pg.PoolConfig {
  const targets = parseTargets(databaseUrl);
  if (targets.hosts.length <= 1 && targets.attrs === 'any') return { connectionString: databaseUrl, ...extra };
  const base: pg.ClientConfig = { connectionString: targets.base };
  const chooser = new HostChooser(targets, base);
  return { connectionString: targets.base, ...extra, Client: chooser.clientClass() };
}

/** One connected client for an address (one-shot tools: migrations, smoke, doctor, backup). */
export async function connectClient(databaseUrl: string, extra: pg.ClientConfig = {}): Promise<pg.Client> {
  const targets = parseTargets(databaseUrl);
  if (targets.hosts.length <= 1 && targets.attrs === 'any') {
    const c = new pg.Client({ connectionString: databaseUrl, ...extra });
    await c.connect();
    return c;
  }
  const chooser = new HostChooser(targets, { connectionString: targets.base, ...extra });
  await chooser.reprobe();
  const Client = chooser.clientClass();
  const c = new Client({ connectionString: targets.base, ...extra });
  await c.connect();
  return c;
}

/** The same address (every host and option kept) naming another database. */
export function withDatabaseName(databaseUrl: string, name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(databaseUrl);
  if (!m) throw new Error('not a postgresql:// address');
  return `${m[1]}/${encodeURIComponent(name)}${m[3] ?? ''}`;
}

/** The address as a URL object of its first host (for reading user, password, database, options). */
export function firstHostUrl(databaseUrl: string): URL {
  return new URL(parseTargets(databaseUrl).base);
}
