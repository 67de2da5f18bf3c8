/**
 * docs/troubleshooting.md explains every start-up error and every refusal a handler raises.
 * Start-up errors are precisely the catalogue's `startup.*` keys: every `ConfigError` (the only
 * way start-up stops on a setting) is worded from them (services/config.ts). The page must name
 * each key and quote its English text; the refusals thrown by name in the source
 * (UserError, TicketError, ProcessError) must be there too, and every key the page names must
 * still exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../services/i18n/catalog.ts';
import { translate } from '../../services/i18n/i18n.ts';
import { ConfigError } from '../../services/config.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PAGE = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8');
const CATALOG_DIR = join('services', 'i18n', 'catalog');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) sources(rel, out);
    else if (name.endsWith('.ts') && !rel.startsWith(CATALOG_DIR)) out.push(readFileSync(join(ROOT, rel), 'utf8'));
  }
  return out;
}
const SOURCE = ['bot', 'core', 'agents', 'features', 'services'].flatMap((d) => sources(d)).join('\n');

/** The start-up error keys: everything under `startup.` in the catalogue. */
const startupKeys = () => Object.keys(catalog.en).filter((k) => k.startsWith('startup.'));

/** The longest run of an English message without a placeholder: what the page must quote. */
function fixedText(key: string): string {
  return catalog.en[key]!.split(/\{\w+\}/).reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '').trim();
}

/** Start-up keys the page does not explain: the key in backticks and its English words. */
function missingStartupKeys(page: string): string[] {
  return startupKeys().filter((k) => !page.includes(`\`${k}\``) || !page.includes(fixedText(k)));
}

test('every start-up error key is explained on the troubleshooting page', () => {
  const keys = startupKeys();
  assert.ok(keys.length >= 6, `start-up keys found: ${keys.join(', ')}`);
  assert.deepEqual(missingStartupKeys(PAGE), []);
});

test('the check fails when a start-up entry is missing', () => {
  const cut = PAGE.replace(/### `startup\.role`[\s\S]*?(?=\n### )/, '');
  assert.notEqual(cut, PAGE);
  assert.deepEqual(missingStartupKeys(cut), ['startup.role']);
  assert.deepEqual(missingStartupKeys(PAGE.replaceAll(fixedText('startup.yamlSyntax'), 'something else')), ['startup.yamlSyntax']);
});

test('start-up errors are worded from the startup keys, and every key is raised somewhere', () => {
  const err = new ConfigError('PORT', 'a number');
  assert.equal(err.message, translate('en', 'startup.config', { key: 'PORT', expected: 'a number' }));
  const used = new Set([...SOURCE.matchAll(/'(startup\.\w+)'/g)].map((m) => m[1]!));
  assert.deepEqual([...used].filter((k) => !(k in catalog.en)), [], 'keys raised but not in the catalogue');
  assert.deepEqual(startupKeys().filter((k) => !used.has(k)), [], 'catalogue keys no start-up code raises');
  // A ConfigError with a literal message bypasses the catalogue (and this page).
  const literal = [...SOURCE.matchAll(/new ConfigError\(\s*'[^']*',\s*['`]/g)].map((m) => m[0]);
  assert.deepEqual(literal, []);
});

test('every refusal raised by key in the source is on the page', () => {
  const raised = new Set([...SOURCE.matchAll(/(?:UserError|TicketError|ProcessError)\(\s*'([\w.]+)'/g)].map((m) => m[1]!));
  assert.ok(raised.size > 20, `refusal keys found: ${raised.size}`);
  assert.deepEqual([...raised].filter((k) => !PAGE.includes(`\`${k}\``)).sort(), []);
});

test('every message key the page names exists', () => {
  // The keys named: the start-up headings and the Key column of the chat tables.
  const headings = [...PAGE.matchAll(/^### `([\w.]+)`/gm)].map((m) => m[1]!);
  const chat = PAGE.slice(PAGE.indexOf('\n## In chat'), PAGE.indexOf('\n## From the API'));
  const cells = chat.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Reply')).map((l) => l.split(' | ')[1] ?? '');
  const named = [...headings, ...cells.flatMap((c) => [...c.matchAll(/`([\w.]+)`/g)].map((m) => m[1]!))];
  assert.ok(named.length > 50, `keys named: ${named.length}`);
  assert.deepEqual(named.filter((k) => !(k in catalog.en)), []);
});
