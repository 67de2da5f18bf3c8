/**
 * The FAQ in both languages: at least 40 questions each, as many in Russian as in English, every
 * question a `###` heading ending in "?", every answer linking to a page that exists. Anchors of
 * those links, and every other link of the pages, are checked by docs-links.test.ts, whose walk
 * covers docs/ and so docs/faq*.md and docs/guide/admin*.md (asserted below by path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const PAGES = { en: 'docs/faq.md', ru: 'docs/faq.ru.md' } as const;

interface Question {
  question: string;
  answer: string;
}

/** The `###` questions of a page and the text under each, fenced code left out. */
export function questions(text: string): Question[] {
  const body = text.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
  const out: Question[] = [];
  let current: Question | null = null;
  for (const line of body.split('\n')) {
    const h = /^(#{1,6})\s+(.+?)\s*$/.exec(line);
    if (h) {
      current = h[1] === '###' ? { question: h[2]!, answer: '' } : null;
      if (current) out.push(current);
    } else if (current) current.answer += `${line}\n`;
  }
  return out;
}

/** What is wrong with the questions of the page at `page` (relative to the root): one line each. */
export function problems(page: string, text: string): string[] {
  const out: string[] = [];
  for (const q of questions(text)) {
    if (!/[?？]$/.test(q.question)) out.push(`${page}: "${q.question}" is not a question`);
    const targets = [...q.answer.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    if (q.answer.trim().split(/\s+/).length > 90) out.push(`${page}: the answer to "${q.question}" is not brief`);
    if (targets.length === 0) out.push(`${page}: "${q.question}" links nowhere`);
    for (const t of targets) {
      if (/^[a-z]+:/i.test(t)) continue;
      const file = resolve(dirname(resolve(ROOT, page)), decodeURIComponent(t.split('#')[0]!));
      if (!existsSync(file)) out.push(`${page}: "${q.question}" links to ${t}, which does not exist`);
    }
  }
  return out;
}

test('a heading that is no question, an answer without a link and a dead link are reported', () => {
  const text = '# FAQ\n## Part\n### Is it real?\nYes, see [x](no-such.md).\n### Statement\nNo link.\n```\n### in code?\n```\n';
  assert.deepEqual(questions(text).map((q) => q.question), ['Is it real?', 'Statement']);
  assert.deepEqual(problems('docs/faq.md', text), [
    'docs/faq.md: "Is it real?" links to no-such.md, which does not exist',
    'docs/faq.md: "Statement" is not a question',
    'docs/faq.md: "Statement" links nowhere',
  ]);
});

test('the FAQ has at least 40 questions in each language, the same number in both', () => {
  const en = questions(readFileSync(resolve(ROOT, PAGES.en), 'utf8'));
  const ru = questions(readFileSync(resolve(ROOT, PAGES.ru), 'utf8'));
  console.log(`# FAQ questions: en ${en.length}, ru ${ru.length}`);
  assert.ok(en.length >= 40, `English questions: ${en.length}`);
  assert.equal(ru.length, en.length, 'as many Russian questions as English ones');
  assert.ok(ru.every((q) => /[а-яё]/i.test(q.question)), 'the Russian questions are in Russian');
});

test('every answer is brief and links to a page that exists', () => {
  const found = Object.values(PAGES).flatMap((p) => problems(p, readFileSync(resolve(ROOT, p), 'utf8')));
  assert.deepEqual(found, []);
});

test('the admin guide has at least 2,500 words of prose in each language', () => {
  for (const page of ['docs/guide/admin.md', 'docs/guide/admin.ru.md']) {
    const prose = readFileSync(resolve(ROOT, page), 'utf8').replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
    const words = prose.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    console.log(`# ${page}: ${words} words outside code`);
    assert.ok(words >= 2500, `${page}: ${words} words`);
  }
});

test('the FAQ and the admin guide are linked from the README and checked by the link test', () => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  for (const page of [...Object.values(PAGES), 'docs/guide/admin.md', 'docs/guide/admin.ru.md']) {
    assert.ok(existsSync(resolve(ROOT, page)), `${page} exists`);
    assert.ok(readme.includes(`](${page})`), `README.md links ${page}`);
    assert.ok(page.startsWith('docs/') && page.endsWith('.md'), `${page} is in the walk of docs-links.test.ts`);
  }
});
