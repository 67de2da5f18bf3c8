/**
 * docs/configuration.md is what scripts/config-doc.ts prints from the schemas start-up
 * validates, and every environment variable and YAML key there has a meaning: the schema of each
 * carries a `.describe()` text. Adding a key without one, or changing a schema without running
 * the generator, fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { envSchema, yamlSchema } from '../../services/config.ts';
import { keys, render, undescribed } from '../../scripts/config-doc.ts';

const PAGE = new URL('../../docs/configuration.md', import.meta.url);

test('every environment variable and YAML key carries a description', () => {
  assert.deepEqual(undescribed(), []);
});

test('a key without a description is reported, in lists, maps and unions too', () => {
  const env = z.object({ DESCRIBED: z.string().describe('x'), BARE: z.string().optional() });
  const yaml = z.object({
    a: z.object({ b: z.number(), c: z.number().describe('x') }).describe('x'),
    list: z.array(z.object({ d: z.string() })).describe('x'),
    map: z.record(z.string(), z.object({ e: z.string() })).describe('x'),
    either: z.union([z.literal('none'), z.object({ f: z.string() })]).describe('x'),
    bare: z.boolean(),
  });
  assert.deepEqual(undescribed(env, yaml), ['env:BARE', 'a.b', 'list[].d', 'map.<name>.e', 'either.f', 'bare']);
});

test('the page lists every environment variable and every top-level YAML key', () => {
  const k = keys();
  assert.deepEqual(k.env.map((r) => r.path).sort(), Object.keys(envSchema.shape).sort());
  const top = k.yaml.map((r) => r.path).filter((p) => !p.includes('.'));
  assert.deepEqual(top.sort(), Object.keys(yamlSchema.shape).sort());
  assert.ok(k.yaml.length > 150, `YAML keys listed: ${k.yaml.length}`);
  for (const path of ['tickets.sla.P2.resolution', 'tickets.escalation.<severity>[].mention', 'llm.prices.<model>.input', 'outbound.limits.<platform>.group.chatIdPattern']) {
    assert.ok(k.yaml.some((r) => r.path === path), `${path} is listed`);
  }
});

test('docs/configuration.md is what the generator prints (run node --import tsx scripts/config-doc.ts)', () => {
  const page = readFileSync(PAGE, 'utf8');
  assert.equal(page, render());
  assert.match(page, /\| `tickets\.sla\.P2\.resolution` \| string\/null \| `"1w"` \| [^|]*business hours/);
  assert.match(page, /\| `TELEGRAM_WEBHOOK_SECRET` \| string \|  \| /);
});
