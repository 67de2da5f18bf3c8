import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig, redisTarget, secretValues, ConfigError } from '../../services/config.ts';
import { parseSentinels, redisOptions } from '../../services/redis.ts';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-redis-cfg-'));
  const path = join(dir, 'a2d2.yaml');
  writeFileSync(path, text);
  return path;
}

test('REDIS_SENTINELS is a list of host:port; port 26379 when left out; IPv6 in brackets', () => {
  assert.deepEqual(parseSentinels('10.0.0.1:26379, sentinel-b:26380,sentinel-c,[::1]:5000'), [
    { host: '10.0.0.1', port: 26379 },
    { host: 'sentinel-b', port: 26380 },
    { host: 'sentinel-c', port: 26379 },
    { host: '::1', port: 5000 },
  ]);
  assert.throws(() => parseSentinels('a:b'), /"a:b" is not host:port/);
  assert.throws(() => parseSentinels('a:70000'), /not host:port/);
});

test('a bad REDIS_SENTINELS stops start-up naming the key', () => {
  assert.throws(
    () => loadConfig({ REDIS_SENTINELS: 'h1:1,h2:port' }),
    (e: unknown) => e instanceof ConfigError && e.key === 'REDIS_SENTINELS' && /host:port/.test(e.expected),
  );
  assert.throws(() => loadConfig({ REDIS_SENTINEL_NAME: 'my master' }), (e: unknown) => e instanceof ConfigError && e.key === 'REDIS_SENTINEL_NAME');
});

test('without sentinels the target is REDIS_URL alone; with them every client goes through the sentinels', () => {
  assert.deepEqual(redisTarget(loadConfig({ REDIS_URL: 'redis://:pw@r1:6380/3' })), { url: 'redis://:pw@r1:6380/3' });
  const t = redisTarget(loadConfig({ REDIS_URL: 'redis://:pw@ignored:1/3', REDIS_SENTINELS: 's1:26379,s2:26380', REDIS_SENTINEL_NAME: 'a2d2-main', REDIS_SENTINEL_PASSWORD: 'sentinel-pw' }));
  assert.deepEqual(t.sentinels, [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }]);
  assert.equal(t.sentinelName, 'a2d2-main');
  const o = redisOptions(t);
  // The URL's host is not used; its password and db are the primary's.
  assert.equal(o.host, undefined);
  assert.equal(o.port, undefined);
  assert.equal(o.password, 'pw');
  assert.equal(o.db, 3);
  assert.equal(o.name, 'a2d2-main');
  assert.equal(o.sentinelPassword, 'sentinel-pw');
  assert.deepEqual(o.sentinels, t.sentinels);
  assert.ok(secretValues(loadConfig({ REDIS_SENTINEL_PASSWORD: 'sentinel-pw' }).env).includes('sentinel-pw'));
});

test('the YAML redis section gives the sentinels when the environment does not; the environment wins', () => {
  const path = yamlFile('redis:\n  sentinels: ["y1:26379", "y2"]\n  sentinelName: from-yaml\n');
  const fromYaml = redisTarget(loadConfig({ A2D2_CONFIG: path }));
  assert.deepEqual(fromYaml.sentinels, [{ host: 'y1', port: 26379 }, { host: 'y2', port: 26379 }]);
  assert.equal(fromYaml.sentinelName, 'from-yaml');
  const fromEnv = redisTarget(loadConfig({ A2D2_CONFIG: path, REDIS_SENTINELS: 'e1:1', REDIS_SENTINEL_NAME: 'from-env' }));
  assert.deepEqual(fromEnv.sentinels, [{ host: 'e1', port: 1 }]);
  assert.equal(fromEnv.sentinelName, 'from-env');
  assert.throws(() => loadConfig({ A2D2_CONFIG: yamlFile('redis:\n  sentinels: ["a b"]\n') }), (e: unknown) => e instanceof ConfigError && /redis\.sentinels\.0/.test(e.key));
});

test('the default key prefix is a Redis Cluster hash tag; a prefix may carry at most one', () => {
  assert.equal(loadConfig({}).env.A2D2_QUEUE_PREFIX, 'a2d2');
  assert.equal(loadConfig({ A2D2_QUEUE_PREFIX: 'site-a:{a2d2}' }).env.A2D2_QUEUE_PREFIX, 'site-a:{a2d2}');
  assert.equal(loadConfig({ A2D2_QUEUE_PREFIX: 'plain' }).env.A2D2_QUEUE_PREFIX, 'plain');
  for (const bad of ['{a}{b}', '{}', 'a{b', 'a b'])
    assert.throws(() => loadConfig({ A2D2_QUEUE_PREFIX: bad }), (e: unknown) => e instanceof ConfigError && e.key === 'A2D2_QUEUE_PREFIX', bad);
});
