/**
 * Writes the chat examples of the user guides from the bot's own output:
 *
 *   node --import tsx scripts/guide-examples.ts [en] [ru]
 *
 * For each guide (docs/guide/user.md in English, docs/guide/user.ru.md in Russian, the
 * terminal's locale set to match), every marked example (format: scripts/guide/examples.ts) is
 * run in order against the terminal adapter (scripts/guide/runner.ts) and its block is replaced
 * with what the user typed and what the bot answered. The inputs and the order are the
 * guide's; only the answers are written. Each guide gets a fresh database named after
 * DATABASE_URL's with `_guide_<lang>` appended (dropped at the end); Redis is REDIS_URL's, under
 * a queue prefix of its own. test/integration/guide-examples.test.ts checks that the guides
 * still show what the bot says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseExamples, renderExample, writeExamples } from './guide/examples.ts';
import { GuideRun } from './guide/runner.ts';
import { MAIN_USER, type GuideLang } from './guide/fixtures.ts';

export const GUIDES: Record<GuideLang, string> = {
  en: new URL('../docs/guide/user.md', import.meta.url).pathname,
  ru: new URL('../docs/guide/user.ru.md', import.meta.url).pathname,
};

async function writeGuide(lang: GuideLang): Promise<void> {
  const path = GUIDES[lang];
  const markdown = readFileSync(path, 'utf8');
  const examples = parseExamples(markdown);
  const run = await GuideRun.start(
    lang,
    process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2',
    process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  );
  const blocks: Record<string, string> = {};
  try {
    for (const ex of examples) {
      blocks[ex.id] = renderExample(await run.example(ex, MAIN_USER));
      process.stderr.write(`${lang}: ${ex.id}\n`);
    }
  } finally {
    await run.stop();
  }
  writeFileSync(path, writeExamples(markdown, blocks));
  process.stdout.write(`${path}: ${examples.length} examples written\n`);
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const langs = process.argv.slice(2).length ? (process.argv.slice(2) as GuideLang[]) : (['en', 'ru'] as GuideLang[]);
  for (const lang of langs) {
    if (!(lang in GUIDES)) throw new Error(`unknown guide language "${lang}" (en or ru)`);
    await writeGuide(lang);
  }
  process.exit(0);
}
