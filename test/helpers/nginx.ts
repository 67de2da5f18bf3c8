/**
 * A throwaway nginx serving deploy/nginx/a2d2.conf (Debian's nginx package): the site with its
 * certificate paths, listeners and the two upstream addresses moved into a temporary directory
 * and free ports, a self-signed certificate, and TLS requests to it. Used by nginx-site.test.ts
 * and the rolling-restart runs (zero-downtime.test.ts, bench/chaos/sigterm-proxy.ts).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export const SITE = 'deploy/nginx/a2d2.conf';
export const hasNginx = spawnSync('sh', ['-c', 'command -v nginx']).status === 0;

/** The upstream's fail_timeout in ms: how long nginx leaves out a role that refused connections. */
export function upstreamFailTimeoutMs(): number {
  const m = /fail_timeout=(\d+)s/.exec(readFileSync(SITE, 'utf8'));
  assert.ok(m, `${SITE} names no fail_timeout in seconds`);
  return Number(m[1]) * 1000;
}

/** Replaces `from` in `text`, failing when the site no longer has it (the rewrite would silently miss). */
function swap(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `${SITE} has no "${from}"`);
  return text.split(from).join(to);
}

export interface NginxPorts {
  http: number;
  https: number;
  roles: [number, number];
}

/** The site with certificate paths, listeners and upstreams moved into the throwaway setup. */
export function siteFor(dir: string, ports: NginxPorts): string {
  let site = readFileSync(SITE, 'utf8');
  site = swap(site, '/etc/ssl/a2d2/fullchain.pem', join(dir, 'cert.pem'));
  site = swap(site, '/etc/ssl/a2d2/privkey.pem', join(dir, 'key.pem'));
  // IPv6 may be off on a test machine; the v4 listeners are the ones exercised.
  site = swap(site, '    listen [::]:80;\n', '');
  site = swap(site, '    listen [::]:443 ssl;\n', '');
  site = swap(site, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  site = swap(site, 'listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`);
  site = swap(site, 'server 127.0.0.1:3000 ', `server 127.0.0.1:${ports.roles[0]} `);
  return swap(site, 'server 127.0.0.1:3001 ', `server 127.0.0.1:${ports.roles[1]} `);
}

/** A minimal nginx.conf around the site: everything it writes stays in `dir`. */
export function mainConf(dir: string, workerConnections = 64): string {
  const asRoot = process.getuid?.() === 0;
  return [
    // Workers never run as root: the master (root here) hands them to nobody.
    asRoot ? 'user nobody nogroup;' : '',
    'worker_processes 1;',
    'daemon off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    `events { worker_connections ${workerConnections}; }`,
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${join(dir, `${k}_temp`)};`),
    `  include ${join(dir, 'a2d2.conf')};`,
    '}',
    '',
  ].join('\n');
}

/** A self-signed certificate for a2d2.example.com and 127.0.0.1 in `dir`; returns it (the CA to trust). */
export function makeCert(dir: string): string {
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=a2d2.example.com',
    '-addext', 'subjectAltName=DNS:a2d2.example.com,IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(join(dir, 'cert.pem'), 'utf8');
}

export interface TlsAnswer {
  /** The status, or the connection error's code ('ECONNRESET', 'ETIMEDOUT', ...). */
  status: number | string;
  body: string;
}

/** One HTTPS request to nginx on 127.0.0.1 (Host a2d2.example.com), trusting `ca`. */
export function tlsRequest(
  port: number,
  path: string,
  ca: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent; timeoutMs?: number } = {},
): Promise<TlsAnswer> {
  return new Promise((resolve) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', ca, agent: opts.agent, timeout: opts.timeoutMs ?? 15_000, headers: { host: 'a2d2.example.com', ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: err.code ?? err.name, body }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: err.code ?? err.name, body: '' }));
    req.end(opts.body);
  });
}

export interface Nginx {
  dir: string;
  ports: NginxPorts;
  ca: string;
  /** The `nginx -t` run's status and stderr. */
  check: { status: number | null; stderr: string };
  child: ChildProcess;
  /** SIGQUIT (graceful) and wait for the exit; removes the directory. */
  stop(): Promise<void>;
}

/** Writes the site for `roles`, runs `nginx -t`, starts nginx and waits until /healthz answers over TLS. */
export async function startNginx(roles: [number, number], opts: { workerConnections?: number } = {}): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-nginx-'));
  chmodSync(dir, 0o755); // the workers (nobody) create their temp files under it
  const ca = makeCert(dir);
  const ports: NginxPorts = { http: await freePort(), https: await freePort(), roles };
  writeFileSync(join(dir, 'a2d2.conf'), siteFor(dir, ports));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, mainConf(dir, opts.workerConnections));
  const args = ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')];
  const t = spawnSync('nginx', ['-t', ...args], { encoding: 'utf8' });
  const check = { status: t.status, stderr: t.stderr };
  assert.equal(t.status, 0, t.stderr);
  const child = spawn('nginx', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await untilAnswers(ports.https, ca, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { dir, ports, ca, check, child, stop };
}

async function untilAnswers(port: number, ca: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    if (typeof (await tlsRequest(port, '/healthz', ca, { timeoutMs: 2_000 })).status === 'number') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nginx did not answer within 10 s');
}
