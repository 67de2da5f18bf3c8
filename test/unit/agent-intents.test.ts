import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { CommandRegistry } from '../../core/registry.ts';
import { createDeterministicEngine } from '../../core/intent.ts';
import { createCoreModule } from '../../features/basics/module.ts';
import type { CoreDeps } from '../../core/module.ts';
import { ROLES } from '../../services/users/roles.ts';
import { INTENT_CANDIDATES, generalIntentRules, suggestSeverity, ticketNumber, ticketTitle } from '../../agents/intent-rules.ts';
import { evaluateIntents, formatIntentReport, loadIntentFixtures, severityOf } from '../../scripts/intent-eval.ts';

/** A registry with the core module and one stub command per intent label, plus the general rules. */
function registryWithStubs(): CommandRegistry {
  const registry = new CommandRegistry();
  const core = createCoreModule({ registry, users: {}, health: {}, queues: {}, config: {} } as unknown as CoreDeps & { users: never; health: never });
  for (const c of core.commands ?? []) registry.addCommand(c);
  registry.intentRules.push(...(core.intents ?? []));
  for (const [label, ids] of Object.entries(INTENT_CANDIDATES)) {
    if (registry.command(ids[0]!)) continue;
    registry.addCommand({ id: ids[0]!, aliases: { en: [`stub-${label}`], ru: [] }, summaryKey: label, args: z.object({}).passthrough(), roles: ROLES, handler: async () => undefined });
  }
  registry.intentRules.push(...generalIntentRules(registry));
  return registry;
}

test('the understanding fixtures are varied, bilingual and labelled', () => {
  const fixtures = loadIntentFixtures();
  assert.ok(fixtures.length >= 120, `only ${fixtures.length} fixtures`);
  const en = fixtures.filter((f) => f.lang === 'en').length;
  const ru = fixtures.filter((f) => f.lang === 'ru').length;
  assert.ok(en >= 50 && ru >= 50, `en ${en}, ru ${ru}`);
  assert.equal(new Set(fixtures.map((f) => f.text)).size, fixtures.length, 'duplicate texts');
  const intents = new Set(fixtures.map((f) => f.intent));
  assert.ok(intents.size >= 10, `only ${intents.size} intents`);
  for (const f of fixtures) {
    if (f.intent === 'ticket.create') assert.match(f.severity ?? '', /^P[0-3]$/, `no severity: ${f.text}`);
    else assert.equal(f.severity, undefined, `severity on a non-ticket: ${f.text}`);
  }
  for (const s of ['P0', 'P1', 'P2', 'P3']) assert.ok(fixtures.filter((f) => f.severity === s).length >= 8, `few ${s}`);
});

test('the deterministic engine understands the fixtures (accuracy and severity floors)', async () => {
  const registry = registryWithStubs();
  const report = await evaluateIntents(createDeterministicEngine(registry), loadIntentFixtures());
  console.log(formatIntentReport(report));
  assert.ok(report.accuracy >= 0.9, `intent accuracy ${report.accuracy}`);
  assert.ok(report.byLang.en!.accuracy >= 0.85 && report.byLang.ru!.accuracy >= 0.85, 'one language lags');
  assert.ok(report.severity.agreement >= 0.8, `severity agreement ${report.severity.agreement}`);
  // Chit-chat must not trigger commands.
  assert.ok(report.byIntent.none!.accuracy >= 0.9, 'chit-chat triggers commands');
});

test('rules whose commands are not installed never match', async () => {
  const registry = new CommandRegistry();
  registry.intentRules.push(...generalIntentRules(registry));
  const engine = createDeterministicEngine(registry);
  assert.equal(await engine.detect('prod is down, nobody can log in', {} as never), null);
});

test('severity suggestions, titles and ticket numbers', () => {
  assert.equal(suggestSeverity('у нас упал прод, ничего не открывается').severity, 'P0');
  assert.equal(suggestSeverity('the staging env is down but prod is fine').severity, 'P2');
  assert.equal(suggestSeverity('typo on the pricing page').severity, 'P3');
  assert.equal(suggestSeverity('checkout returns 500 for EU users').severity, 'P1');
  assert.equal(ticketTitle('create a ticket for me - printer on floor 3 is jammed'), 'Printer on floor 3 is jammed');
  assert.equal(ticketTitle('заведи заявку, VPN отваливается'), 'VPN отваливается');
  assert.equal(ticketNumber('статус заявки номер 108'), 108);
  assert.equal(ticketNumber('details of #17 please'), 17);
  assert.equal(severityOf({ text: 'P2 Title' }), 'P2');
  assert.equal(severityOf({ severity: 'p0' }), 'P0');
});
