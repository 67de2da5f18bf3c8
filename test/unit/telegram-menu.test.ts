import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { CommandRegistry, defineCommand } from '../../core/registry.ts';
import { buildTelegramMenu, sanitizeCommandName } from '../../bot/adapters/telegram/telegram-menu.ts';

test('telegram menu: names are sanitized to [a-z0-9_], 1-32 characters', () => {
  assert.equal(sanitizeCommandName('Ticket-List'), 'ticket_list');
  assert.equal(sanitizeCommandName('doc.get'), 'doc_get');
  assert.equal(sanitizeCommandName('--x--'), 'x');
  assert.equal(sanitizeCommandName('помощь'), '');
  assert.equal(sanitizeCommandName('a'.repeat(40)).length, 32);
});

test('telegram menu: English and Russian lists from the registry, hidden commands left out, names mapped back', () => {
  const registry = new CommandRegistry();
  const base = { args: z.object({ text: z.string() }), roles: ['viewer'] as const, handler: async () => undefined };
  registry.addCommand(defineCommand({ ...base, id: 'core.help', aliases: { en: ['help'], ru: ['помощь'] }, summaryKey: 'core.help.summary' }));
  registry.addCommand(defineCommand({ ...base, id: 'ticket.list', aliases: { en: ['tickets'], ru: ['заявки'] }, slash: ['ticket-list'], summaryKey: 'no.such.key' }));
  registry.addCommand(defineCommand({ ...base, id: 'secret', aliases: { en: ['secret'], ru: ['секрет'] }, summaryKey: 'x', hidden: true }));

  const menu = buildTelegramMenu(registry);
  assert.deepEqual(menu.en.map((c) => c.command), ['help', 'ticket_list']);
  assert.deepEqual(menu.ru.map((c) => c.command), ['help', 'ticket_list']);
  assert.notEqual(menu.en[0]!.description, menu.ru[0]!.description, 'descriptions follow the language');
  assert.ok(menu.en.every((c) => c.description.length >= 1 && c.description.length <= 256));
  assert.equal(menu.names.get('ticket_list'), 'ticket-list');
  assert.equal(menu.names.has('help'), false);
});
