/**
 * `a2d2 support-process` through the real CLI (bin/a2d2.mjs): the page printed with the
 * defaults is the committed docs/support-process.md (and .ru.md with --lang ru), so the page
 * cannot drift from the code; a changed configuration prints its own figures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/a2d2.mjs', import.meta.url).pathname;
const doc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

/** Runs the CLI in an empty directory (no ./a2d2.yaml there) with only the given settings. */
async function run(args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const { A2D2_CONFIG: _a, A2D2_PUBLIC_URL: _b, A2D2_CONSOLE_SECRET: _c, ...rest } = process.env;
  const cwd = mkdtempSync(join(tmpdir(), 'a2d2-support-'));
  const child = spawn(process.execPath, [BIN, 'support-process', ...args], { cwd, env: { ...rest, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, out, err };
}

/** The table row of one severity, split into its cells. */
function row(page: string, severity: string): string[] {
  const line = page.split('\n').find((l) => l.startsWith(`| **${severity}**`));
  assert.ok(line, `a row for ${severity} in:\n${page}`);
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

test('the default page is the committed docs/support-process.md, in English and Russian', async () => {
  const en = await run([]);
  assert.equal(en.code, 0, en.err);
  assert.equal(en.out, doc('support-process.md'), 'docs/support-process.md is stale: regenerate it with `a2d2 support-process > docs/support-process.md`');
  assert.deepEqual(row(en.out, 'P0').slice(2), ['1 hour', '4 hours', 'around the clock']);
  assert.deepEqual(row(en.out, 'P3').slice(2), ['48 hours (about 5.3 working days)', 'no target', 'in business hours']);
  assert.match(en.out, /Monday–Friday, 09:00 to 18:00, time zone Europe\/Moscow\./);

  const ru = await run(['--lang', 'ru']);
  assert.equal(ru.code, 0, ru.err);
  assert.equal(ru.out, doc('support-process.ru.md'), 'docs/support-process.ru.md is stale: regenerate it with `a2d2 support-process --lang ru > docs/support-process.ru.md`');
  assert.deepEqual(row(ru.out, 'P0').slice(2), ['1 час', '4 часа', 'круглосуточно']);
  assert.match(ru.out, /Понедельник–пятница, с 09:00 до 18:00, часовой пояс Europe\/Moscow\./);
});

test('a changed configuration prints its own times, hours, chains and channels', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-support-yaml-'));
  const file = join(dir, 'site.yaml');
  writeFileSync(
    file,
    [
      'tickets:',
      '  timeZone: Asia/Yekaterinburg',
      '  businessHours: { days: [1, 2, 3, 4], start: "10:00", end: "16:00", holidays: ["2027-01-07"] }',
      '  sla:',
      '    P0: { firstResponse: 15m, resolution: 2h }',
      '    P2: { firstResponse: 12h, resolution: 3d, businessHours: true }',
      '  triage: { platform: slack, chatId: C0SUPPORT }',
      '  escalation:',
      '    P0:',
      '      - { to: { platform: slack, chatId: C0ONCALL }, mention: "@oncall" }',
      '      - { after: 30m, to: { platform: telegram, chatId: "-1001" } }',
      'alerts:',
      '  routes:',
      '    - { match: { severity: critical }, destinations: ["slack:C0PAGE"], quietHours: { start: "23:00", end: "07:00", timezone: UTC } }',
      '  defaultDestinations: ["telegram:-1002/7"]',
      '',
    ].join('\n'),
  );
  const page = await run([], { A2D2_CONFIG: file, A2D2_PUBLIC_URL: 'https://ops.example.org/', A2D2_CONSOLE_SECRET: 'x'.repeat(40) });
  assert.equal(page.code, 0, page.err);
  assert.match(page.out, /from the configuration in effect \(the file `site\.yaml`\)/);
  assert.deepEqual(row(page.out, 'P0').slice(2), ['15 minutes', '2 hours', 'around the clock']);
  // 12 h and 3 days of 6-hour business days.
  assert.deepEqual(row(page.out, 'P2').slice(2), ['12 hours (about 2 working days)', '3 days (about 12 working days)', 'in business hours']);
  // Untouched severities keep their defaults.
  assert.deepEqual(row(page.out, 'P1').slice(2), ['4 hours', '24 hours', 'around the clock']);
  assert.match(page.out, /Monday–Thursday, 10:00 to 16:00, time zone Asia\/Yekaterinburg\./);
  assert.match(page.out, /Holidays \(no business hours\): 2027-01-07\./);
  assert.match(page.out, /- \*\*P0\*\*:\n {2}1\. at the breach: `slack:C0ONCALL`, mentioning `@oncall`\n {2}2\. 30 minutes after the breach: `telegram:-1001`/);
  assert.match(page.out, /- \*\*P1\*\*: no chain/);
  assert.match(page.out, /a card is posted to `slack:C0SUPPORT`/);
  assert.match(page.out, /1\. `severity=critical`: `slack:C0PAGE`; quiet from 23:00 to 07:00 \(UTC\), when only critical are posted/);
  assert.match(page.out, /Alerts that no route matches: `telegram:-1002\/7`\./);
  assert.match(page.out, /Web console: https:\/\/ops\.example\.org\/console /);
  assert.notEqual(page.out, doc('support-process.md'));
});

test('a wrong option or language is refused in one line', async () => {
  const bad = await run(['--lang', 'de']);
  assert.equal(bad.code, 1);
  assert.equal(bad.err.trim(), 'a2d2: --lang takes en or ru, not "de"');
  assert.equal(bad.out, '');
});
