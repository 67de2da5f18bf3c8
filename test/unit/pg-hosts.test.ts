import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstHostUrl, parseTargets, poolConfig, withDatabaseName } from '../../services/db/pg-hosts.ts';
import { connectionFor } from '../../services/backup/pg-tools.ts';
import { loadConfig } from '../../services/config.ts';

const TWO = 'postgresql://app:s3cret@db1:5432,db2:6432/a2d2?target_session_attrs=read-write&sslmode=disable';

test('a two-host address: hosts in order, the rest kept, the attribute read', () => {
  const t = parseTargets(TWO);
  assert.deepEqual(t.hosts, [{ host: 'db1', port: 5432 }, { host: 'db2', port: 6432 }]);
  assert.equal(t.attrs, 'read-write');
  assert.equal(t.base, 'postgresql://app:s3cret@db1:5432/a2d2?sslmode=disable');
  assert.deepEqual(parseTargets('postgres://u@[::1]:5433,[::2]/x').hosts, [{ host: '::1', port: 5433 }, { host: '::2', port: 5432 }]);
  assert.equal(firstHostUrl(TWO).pathname, '/a2d2');
  assert.equal(withDatabaseName(TWO, 'postgres'), 'postgresql://app:s3cret@db1:5432,db2:6432/postgres?target_session_attrs=read-write&sslmode=disable');
});

test('one host passes through untouched; several get the host-choosing client', () => {
  const one = 'postgresql://postgres@127.0.0.1:5432/a2d2';
  assert.deepEqual(poolConfig(one, { max: 3 }), { connectionString: one, max: 3 });
  const many = poolConfig(TWO, { max: 3 });
  assert.equal(typeof many.Client, 'function');
  assert.equal(many.connectionString, 'postgresql://app:s3cret@db1:5432/a2d2?sslmode=disable');
});

test('the configuration takes a two-host DATABASE_URL and refuses what is not an address', () => {
  assert.equal(loadConfig({ DATABASE_URL: TWO }).env.DATABASE_URL, TWO);
  assert.throws(() => loadConfig({ DATABASE_URL: 'db1:5432,db2:5432' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://db1/a2d2' }), /DATABASE_URL/);
});

test('backup tools get every host (libpq chooses), without the password in the address', () => {
  const { dbname, env } = connectionFor(TWO, {});
  assert.equal(dbname, 'postgresql://app@db1:5432,db2:6432/a2d2?target_session_attrs=read-write&sslmode=disable');
  assert.equal(env.PGPASSWORD, 's3cret');
});
