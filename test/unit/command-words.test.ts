/**
 * A command word followed by a marked number (`ask #1 ...`, `спросить #1 ...`) names what the
 * command acts on: it runs that command whatever the rest of the sentence sounds like, even when
 * the rest reads as a problem report the classifier would turn into a ticket. Routed as the bot
 * and `a2d2 understand` route, with the shipped model (no database, Redis or network).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../services/config.ts';
import { createLogger } from '../../services/logger.ts';
import { offlineRegistry, understandEngine, understandText } from '../../bot/understand.ts';

const config = loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/unused', REDIS_URL: 'redis://127.0.0.1:6379' }, {});
const registry = offlineRegistry(config);
const engine = await understandEngine(config, createLogger({ level: 'warn' }), registry, false);
const understand = (text: string, lang: 'en' | 'ru') => understandText(registry, engine, text, lang);

test('ask / спросить #N is a question about document N, whatever the question says', async () => {
  const cases: [string, 'en' | 'ru', string][] = [
    ['спросить #1 почему VPN отключается каждый час?', 'ru', '#1 почему VPN отключается каждый час?'],
    ['спросить #1 почему отваливается VPN?', 'ru', '#1 почему отваливается VPN?'],
    ['вопрос №2 почему касса не работает у всех?', 'ru', '№2 почему касса не работает у всех?'],
    ['ask #1 why does the VPN drop every hour?', 'en', '#1 why does the VPN drop every hour?'],
    ['ask #3 why is checkout down for everyone?', 'en', '#3 why is checkout down for everyone?'],
  ];
  for (const [text, lang, rest] of cases) {
    const line = await understand(text, lang);
    assert.equal(line.intent, 'doc.ask', `${text}: ${JSON.stringify(line)}`);
    assert.equal(line.command, 'ask');
    assert.deepEqual(line.args, { text: rest });
  }
});

test('the same sentences without the command word are still problem reports', async () => {
  assert.equal((await understand('VPN отключается каждый час', 'ru')).intent, 'ticket.create');
  assert.equal((await understand('checkout is down for everyone', 'en')).intent, 'ticket.create');
});

test('a command word that opens a sentence is still left to the engine', async () => {
  // "ask the team ..." reads as prose: the engine decides, and a problem report stays one.
  const line = await understand('ask the team why checkout is down for everyone', 'en');
  assert.notEqual(line.engine, 'rules', JSON.stringify(line));
});
