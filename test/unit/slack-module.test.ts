import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import { loadConfig } from '../../services/config.ts';
import { createLogger } from '../../services/logger.ts';
import { createMetrics } from '../../services/metrics.ts';
import { createSlackModule } from '../../bot/adapters/slack/slack.adapter.ts';
import type { CoreDeps } from '../../core/module.ts';

function depsWith(env: Record<string, string>) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig({ A2D2_CONFIG: '', ...env });
  const logger = createLogger({ level: 'info', destination: sink as never });
  const deps = { config, logger, metrics: createMetrics({ defaults: false }), clock: { now: () => new Date() }, ingest: async () => 'queued' as const } as unknown as CoreDeps;
  return { deps, lines };
}

test('without SLACK_SIGNING_SECRET or SLACK_BOT_TOKEN the module is off and says so in one line', async () => {
  const envs: Record<string, string>[] = [{}, { SLACK_BOT_TOKEN: 'xoxb-1' }, { SLACK_SIGNING_SECRET: 'sig' }];
  for (const env of envs) {
    const { deps, lines } = depsWith(env);
    assert.equal(createSlackModule(deps), null);
    await new Promise((r) => setImmediate(r));
    const off = lines.filter((l) => l.includes('slack: off'));
    assert.equal(off.length, 1);
    assert.match(off[0]!, /slack: off \(SLACK_SIGNING_SECRET\/SLACK_BOT_TOKEN unset\)/);
  }
});

test('with both set it provides the route, the Slack sender and lifecycle hooks', () => {
  const { deps } = depsWith({ SLACK_SIGNING_SECRET: 'sig-secret', SLACK_BOT_TOKEN: 'xoxb-token-1', SLACK_API_URL: 'http://127.0.0.1:1/api/' });
  const m = createSlackModule(deps);
  assert.ok(m);
  assert.equal(m.name, 'slack');
  assert.equal(m.sender?.platform, 'slack');
  assert.equal(typeof m.routes, 'function');
  assert.equal(typeof m.start, 'function');
  assert.equal(typeof m.stop, 'function');
});

test('the Slack SDK is not loaded by importing the adapter or while Slack is off', () => {
  const { deps } = depsWith({});
  createSlackModule(deps);
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/@slack/'));
  assert.deepEqual(loaded, []);
});
