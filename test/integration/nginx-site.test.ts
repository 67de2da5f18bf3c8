/**
 * deploy/nginx/a2d2.conf passes `nginx -t` (Debian's nginx package, which .ci/run installs) and
 * works: a throwaway nginx with the site, a self-signed certificate and free ports, in front of
 * two real http roles, answers /healthz over TLS, refuses a body over the upload limit, serves
 * /metrics to loopback and redirects plain HTTP. Skipped only when nginx is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { hasNginx, startNginx, tlsRequest, type Nginx } from '../helpers/nginx.ts';

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

test('the nginx site passes nginx -t and proxies to two http roles', { skip: hasNginx ? false : 'nginx is not installed (Debian package nginx)' }, async () => {
  const apps: TestApp[] = [];
  let nginx: Nginx | null = null;
  try {
    for (let i = 0; i < 2; i++) apps.push(await startTestApp({ role: 'http' }));
    const rolePort = (a: TestApp) => Number(new URL(a.url).port);
    nginx = await startNginx([rolePort(apps[0]!), rolePort(apps[1]!)]);
    const { ports, ca } = nginx;
    assert.equal(nginx.check.status, 0, nginx.check.stderr);
    assert.match(nginx.check.stderr, /test is successful/);
    if (process.getuid?.() === 0) {
      const users = spawnSync('ps', ['-o', 'user=', '--ppid', String(nginx.child.pid)], { encoding: 'utf8' }).stdout.trim().split(/\s+/);
      assert.deepEqual([...new Set(users)], ['nobody'], 'workers run as nobody');
    }

    const health = await tlsRequest(ports.https, '/healthz', ca);
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
    // A few more, so both roles of the upstream are used; each answers.
    for (let i = 0; i < 4; i++) assert.equal((await tlsRequest(ports.https, '/healthz', ca)).status, 200);
    const metrics = await tlsRequest(ports.https, '/metrics', ca);
    assert.equal(metrics.status, 200, 'loopback may read /metrics');
    assert.match(metrics.body, /a2d2_http_request_duration_seconds_count\{[^}]*route="\/healthz"/);
    // Over the upload limit: nginx refuses on the declared length, before any body is sent.
    const big = await tlsRequest(ports.https, '/api/v1/documents', ca, { method: 'POST', headers: { 'content-length': String(27 * 1024 * 1024), 'content-type': 'application/octet-stream' } });
    assert.equal(big.status, 413);
    const plain = await plainGet(ports.http, '/healthz');
    assert.equal(plain.status, 301);
    assert.equal(plain.location, 'https://a2d2.example.com/healthz');
  } finally {
    await nginx?.stop();
    for (const a of apps) await a.stop();
  }
});
