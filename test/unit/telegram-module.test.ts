import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../services/config.ts';
import { createLogger } from '../../services/logger.ts';
import { createMetrics } from '../../services/metrics.ts';
import { CommandRegistry } from '../../core/registry.ts';
import type { CoreDeps } from '../../core/module.ts';
import { createTelegramModule, resolveTelegramMode } from '../../bot/adapters/telegram/telegram.adapter.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.ts';

let fake: FakeTelegram;
before(async () => {
  fake = await startFakeTelegram();
});
after(async () => {
  await fake.close();
});

/** Only what the module touches before its first update; the rest would throw if used. */
function deps(env: Record<string, string>): { deps: CoreDeps; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
  const config = loadConfig({ DATABASE_URL: 'postgresql://x@127.0.0.1/x', ...env });
  const d = { config, logger, registry: new CommandRegistry(), metrics: createMetrics({ defaults: false }), queues: { producer: {}, prefix: 't' } };
  return { deps: d as unknown as CoreDeps, lines };
}

test('telegram module: off without TELEGRAM_BOT_TOKEN, saying so in one line', () => {
  const { deps: d, lines } = deps({});
  assert.equal(createTelegramModule(d), null);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /telegram: off \(TELEGRAM_BOT_TOKEN is not set\)/);
});

test('telegram module: webhook mode without a secret refuses to start, naming TELEGRAM_WEBHOOK_SECRET', () => {
  const { deps: d } = deps({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_MODE: 'webhook' });
  assert.throws(() => createTelegramModule(d), (err: unknown) => err instanceof ConfigError && err.key === 'TELEGRAM_WEBHOOK_SECRET');
});

test('telegram module: the mode follows the secret unless TELEGRAM_MODE says otherwise', () => {
  assert.equal(resolveTelegramMode({}), 'polling');
  assert.equal(resolveTelegramMode({ TELEGRAM_WEBHOOK_SECRET: 's' }), 'webhook');
  assert.equal(resolveTelegramMode({ TELEGRAM_WEBHOOK_SECRET: 's', TELEGRAM_MODE: 'polling' }), 'polling');
  const webhook = createTelegramModule(deps({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: 'sec_1' }).deps)!;
  assert.equal(typeof webhook.routes, 'function');
  assert.equal(webhook.sender?.platform, 'telegram');
  assert.equal(webhook.fileFetcher?.platform, 'telegram');
  const polling = createTelegramModule(deps({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: 'sec_1', TELEGRAM_MODE: 'polling' }).deps)!;
  assert.equal(polling.routes, undefined, 'no webhook route while polling');
});

test('telegram module: with TELEGRAM_WEBHOOK_URL, start registers the webhook with its secret and sets the menus', async () => {
  const url = 'https://bot.example.org/telegram/webhook';
  const m = createTelegramModule(deps({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: 'sec_2', TELEGRAM_WEBHOOK_URL: url, TELEGRAM_API_ROOT: fake.url }).deps)!;
  const from = fake.calls.length;
  await m.start!('http');
  const calls = fake.calls.slice(from);
  const hook = calls.find((c) => c.method === 'setWebhook');
  assert.ok(hook);
  assert.equal(hook.payload.url, url);
  assert.equal(hook.payload.secret_token, 'sec_2');
  assert.deepEqual(hook.payload.allowed_updates, ['message', 'callback_query']);
  assert.equal(calls.filter((c) => c.method === 'setMyCommands').length, 2);
  await m.stop!();
});

test('telegram module: a worker process makes no Bot API calls at start', async () => {
  const m = createTelegramModule(deps({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: 'sec_3', TELEGRAM_API_ROOT: fake.url }).deps)!;
  const from = fake.calls.length;
  await m.start!('worker');
  assert.equal(fake.calls.length, from);
});

test('telegram module: a token Telegram refuses stops start-up with a ConfigError naming TELEGRAM_BOT_TOKEN', async () => {
  const m = createTelegramModule(deps({ TELEGRAM_BOT_TOKEN: '999:wrong-token', TELEGRAM_WEBHOOK_SECRET: 'sec_4', TELEGRAM_API_ROOT: fake.url }).deps)!;
  await assert.rejects(m.start!('http'), (err: unknown) => err instanceof ConfigError && err.key === 'TELEGRAM_BOT_TOKEN' && !err.message.includes('wrong-token'));
});
