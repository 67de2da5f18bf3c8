/**
 * The user guides show what the bot says: every marked example of docs/guide/user.md (English)
 * and docs/guide/user.ru.md (Russian, the terminal's locale ru-RU) is run, in order, against the
 * terminal adapter with the real PostgreSQL and Redis (scripts/guide/runner.ts, a fresh database
 * per guide), and each answer must match the guide's block once both are normalised
 * (scripts/guide/examples.ts). An example edited to something the bot does not say fails here;
 * `node --import tsx scripts/guide-examples.ts` writes the answers again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { compareExample, normalise, parseExamples, type Example } from '../../scripts/guide/examples.ts';
import { GuideRun, type Exchange } from '../../scripts/guide/runner.ts';
import { MAIN_USER, type GuideLang } from '../../scripts/guide/fixtures.ts';
import { GUIDES } from '../../scripts/guide-examples.ts';

async function runGuide(lang: GuideLang): Promise<{ examples: Example[]; said: Exchange[][] }> {
  const examples = parseExamples(readFileSync(GUIDES[lang], 'utf8'));
  const run = await GuideRun.start(lang, TEST_DATABASE_URL, TEST_REDIS_URL);
  const said: Exchange[][] = [];
  try {
    for (const ex of examples) said.push(await run.example(ex, MAIN_USER));
  } finally {
    await run.stop();
  }
  return { examples, said };
}

for (const lang of ['en', 'ru'] as const) {
  test(`docs/guide: every example of the ${lang} user guide is what the bot says`, async () => {
    const { examples, said } = await runGuide(lang);
    assert.ok(examples.length >= 15, `${lang}: ${examples.length} examples`);
    assert.ok(examples.filter((e) => e.inputs.length > 0).length >= 15);
    const differences = examples.map((ex, i) => compareExample(ex, said[i]!)).filter((d) => d !== null);
    assert.deepEqual(differences, []);

    // The same comparison fails for a guide whose example was edited: an answer changed, an
    // answer left out, a line the bot never printed added.
    const ex = examples.find((e) => e.id === 'ticket-report')!;
    const i = examples.indexOf(ex);
    const edits = [
      ex.shown.replace(/\n(.*)$/, '\n$1 (edited)'),
      ex.shown.split('\n').slice(0, -1).join('\n'),
      `${ex.shown}\n  [9] Escalate to the CEO`,
      ex.shown.replace('P2', 'P1'),
    ];
    for (const shown of edits) assert.notEqual(compareExample({ ...ex, shown }, said[i]!), null, shown);
  });
}

test('normalisation: volatile parts become placeholders, the rest stays', () => {
  assert.equal(
    normalise('(Ticket #12 · opened 07/12/2026, 18:42) due in 2d 20h · 2026-12-07 15:46 UTC · через 24d 20h · HTTP 200, 37 ms'),
    '(Ticket #<n> · opened <date>, <time>) due in <duration> · <date> <time> UTC · через <duration> · HTTP 200, <duration>',
  );
  assert.equal(normalise('Your link code is 650778. Silence 4h, Заглушить на 4 ч, №3'), 'Your link code is <code>. Silence <duration>, Заглушить на <duration>, #<n>');
  assert.equal(normalise('P2 — minor; last 30 days; 10 minutes; checkout-1:8080'), 'P2 — minor; last 30 days; 10 minutes; checkout-1:8080');
  assert.equal(normalise('/tmp/a2d2-0a1b2c3d-sla.png http://127.0.0.1:39411/ ?token=nGX-A5_T'), '<file> http://127.0.0.1:<port>/ ?token=<token>');
});

test('a marker without its block, or an id used twice, is refused', () => {
  assert.throws(() => parseExamples('<!-- example: a -->\n> help\n<!-- /example -->\n'), /well-formed/);
  const one = '<!-- example: a -->\n```text\n> help\n```\n<!-- /example -->\n';
  assert.throws(() => parseExamples(one + one), /twice/);
  assert.deepEqual(parseExamples(one.replace('example: a', 'example: a as=oleg setup=document'))[0], { id: 'a', as: 'oleg', setup: 'document', inputs: ['help'], shown: '> help' });
});
