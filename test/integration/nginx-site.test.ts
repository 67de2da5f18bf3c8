/**
 * deploy/nginx/a2d2.conf passes `nginx -t` (Debian's nginx package, which .ci/run installs) and
 * works: a throwaway nginx with the site, a self-signed certificate and free ports, in front of
 * two real http roles, answers /healthz over TLS, refuses a body over the upload limit, serves
 * /metrics to loopback and redirects plain HTTP. Skipped only when nginx is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const SITE = 'deploy/nginx/a2d2.conf';
const hasNginx = spawnSync('sh', ['-c', 'command -v nginx']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Replaces `from` in `text`, failing when the site no longer has it (the rewrite would silently miss). */
function swap(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `${SITE} has no "${from}"`);
  return text.split(from).join(to);
}

interface Ports {
  http: number;
  https: number;
  roles: [number, number];
}

/** The site with certificate paths, listeners and upstreams moved into the throwaway setup. */
function siteFor(dir: string, ports: Ports): string {
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
function mainConf(dir: string): string {
  const asRoot = process.getuid?.() === 0;
  return [
    // Workers never run as root: the master (root here) hands them to nobody.
    asRoot ? 'user nobody nogroup;' : '',
    'worker_processes 1;',
    'daemon off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${join(dir, `${k}_temp`)};`),
    `  include ${join(dir, 'a2d2.conf')};`,
    '}',
    '',
  ].join('\n');
}

function tlsGet(port: number, path: string, ca: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, method, ca, headers: { host: 'a2d2.example.com', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function plainGet(port: number, path: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host: 'a2d2.example.com' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function untilAnswers(port: number, ca: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    try {
      await tlsGet(port, '/healthz', ca);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('nginx did not answer within 10 s');
}

function makeCert(dir: string): string {
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=a2d2.example.com',
    '-addext', 'subjectAltName=DNS:a2d2.example.com,IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(join(dir, 'cert.pem'), 'utf8');
}

test('the nginx site passes nginx -t and proxies to two http roles', { skip: hasNginx ? false : 'nginx is not installed (Debian package nginx)' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-nginx-'));
  chmodSync(dir, 0o755); // the workers (nobody) create their temp files under it
  const apps: TestApp[] = [];
  let nginx: ChildProcess | null = null;
  try {
    const ca = makeCert(dir);
    for (let i = 0; i < 2; i++) apps.push(await startTestApp({ role: 'http' }));
    const rolePort = (a: TestApp) => Number(new URL(a.url).port);
    const ports: Ports = { http: await freePort(), https: await freePort(), roles: [rolePort(apps[0]!), rolePort(apps[1]!)] };
    writeFileSync(join(dir, 'a2d2.conf'), siteFor(dir, ports));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, mainConf(dir));
    const args = ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')];

    const check = spawnSync('nginx', ['-t', ...args], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stderr, /test is successful/);

    const child = spawn('nginx', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx = child;
    await untilAnswers(ports.https, ca, child);
    if (process.getuid?.() === 0) {
      const users = spawnSync('ps', ['-o', 'user=', '--ppid', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split(/\s+/);
      assert.deepEqual([...new Set(users)], ['nobody'], 'workers run as nobody');
    }

    const health = await tlsGet(ports.https, '/healthz', ca);
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
    // A few more, so both roles of the upstream are used; each answers.
    for (let i = 0; i < 4; i++) assert.equal((await tlsGet(ports.https, '/healthz', ca)).status, 200);
    const metrics = await tlsGet(ports.https, '/metrics', ca);
    assert.equal(metrics.status, 200, 'loopback may read /metrics');
    assert.match(metrics.body, /a2d2_http_request_duration_seconds_count\{[^}]*route="\/healthz"/);
    // Over the upload limit: nginx refuses on the declared length, before any body is sent.
    const big = await tlsGet(ports.https, '/api/v1/documents', ca, { 'content-length': String(27 * 1024 * 1024), 'content-type': 'application/octet-stream' }, 'POST');
    assert.equal(big.status, 413);
    const plain = await plainGet(ports.http, '/healthz');
    assert.equal(plain.status, 301);
    assert.equal(plain.location, 'https://a2d2.example.com/healthz');
  } finally {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    for (const a of apps) await a.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
