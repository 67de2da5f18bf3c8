import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { loadConfig, ConfigError, secretValues } from '../../services/config.ts';
import { createLogger } from '../../services/logger.ts';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-cfg-'));
  const path = join(dir, 'a2d2.yaml');
  writeFileSync(path, text);
  return path;
}

test('defaults follow the outside contract', () => {
  const c = loadConfig({});
  assert.equal(c.env.DATABASE_URL, 'postgresql://postgres@127.0.0.1:5432/a2d2');
  assert.equal(c.env.REDIS_URL, 'redis://127.0.0.1:6379');
  assert.equal(c.env.HOST, '127.0.0.1');
  assert.equal(c.env.PORT, 3000);
  assert.equal(c.file.defaultRole, 'viewer');
});

test('a wrong env value names the key and what is expected', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && e.key === 'PORT');
  assert.throws(() => loadConfig({ REDIS_URL: 'http://x' }), (e: unknown) => e instanceof ConfigError && e.key === 'REDIS_URL' && /redis/.test(e.message));
  assert.throws(
    () => loadConfig({ TELEGRAM_WEBHOOK_SECRET: 'has spaces!' }),
    (e: unknown) => e instanceof ConfigError && e.key === 'TELEGRAM_WEBHOOK_SECRET',
  );
});

test('a missing config file is reported', () => {
  assert.throws(() => loadConfig({ A2D2_CONFIG: '/nonexistent/a2d2.yaml' }), (e: unknown) => e instanceof ConfigError && e.key === 'A2D2_CONFIG');
});

test('a bad YAML value names the file, line and key', () => {
  const path = yamlFile('defaultLocale: en\nroles:\n  admin:\n    - slack:U1\n    - nobody\n');
  assert.throws(
    () => loadConfig({ A2D2_CONFIG: path }),
    (e: unknown) => e instanceof ConfigError && e.message.includes(`${path}:5`) && e.message.includes('roles.admin.1'),
  );
  const unknownKey = yamlFile('defaultLocale: en\ncolour: blue\n');
  assert.throws(() => loadConfig({ A2D2_CONFIG: unknownKey }), (e: unknown) => e instanceof ConfigError && /colour/.test(e.message));
  const broken = yamlFile('roles: [unclosed\n');
  assert.throws(() => loadConfig({ A2D2_CONFIG: broken }), (e: unknown) => e instanceof ConfigError && /invalid YAML at line/.test(e.message));
});

test('a valid YAML file is read', () => {
  const path = yamlFile('defaultRole: operator\ndefaultLocale: ru\nroles:\n  admin: [slack:U1, telegram:42]\n');
  const c = loadConfig({ A2D2_CONFIG: path });
  assert.equal(c.file.defaultRole, 'operator');
  assert.equal(c.file.defaultLocale, 'ru');
  assert.deepEqual(c.file.roles.admin, ['slack:U1', 'telegram:42']);
  assert.equal(c.configPath, path);
});

test('secrets never reach a log line', () => {
  const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-very-secret-token', A2D2_API_TOKEN: 'api-secret-123456' });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = createLogger({ secrets: secretValues(c.env), destination: sink as never });
  log.info({ token: 'xoxb-very-secret-token', nested: { note: 'Bearer api-secret-123456' } }, 'called with xoxb-very-secret-token');
  log.info({ req: { headers: { authorization: 'Bearer whatever-else' } } }, 'request');
  const all = lines.join('');
  assert.ok(lines.length >= 2);
  assert.ok(!all.includes('xoxb-very-secret-token'));
  assert.ok(!all.includes('api-secret-123456'));
  assert.ok(!all.includes('whatever-else'));
  assert.ok(all.includes('[REDACTED]'));
});
