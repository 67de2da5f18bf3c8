/**
 * Every relative link in the project's pages resolves: README.md, CONTRIBUTING.md, SECURITY.md,
 * CHANGELOG.md, CODE_OF_CONDUCT.md and docs/**\/*.md (the guides in docs/guide/ included). A link to a file must name an existing
 * file or folder; a `#anchor` (in the same page or another Markdown page) must name one of that
 * page's headings, as the repository host makes them (lower case, punctuation dropped, spaces
 * to hyphens, -1, -2 ... for repeats). Links inside code are not links.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const TOP = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', 'CODE_OF_CONDUCT.md'];

function markdownUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) markdownUnder(path, out);
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** The text outside fenced code blocks and inline code. */
function prose(text: string): string {
  return text
    .replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

/** A heading's anchor as the repository host makes it. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page: one per heading, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const fenceless = text.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
  for (const m of fenceless.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The link targets of a page: inline links and images, and reference definitions. */
function links(text: string): string[] {
  const body = prose(text);
  const inline = [...body.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const refs = [...body.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm)].map((m) => m[1]!);
  return [...inline, ...refs];
}

/** What is wrong with one link of `page`, or null when it resolves. */
function brokenLink(page: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return null; // http:, mailto:, ...
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = pathPart ? resolve(dirname(page), decodeURIComponent(pathPart)) : page;
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined || anchor === '') return null;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return `${target}: an anchor into something that is not a Markdown page`;
  return anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor).toLowerCase()) ? null : `${target}: no heading for #${anchor}`;
}

const PAGES = [...TOP.map((f) => join(ROOT, f)).filter((f) => existsSync(f)), ...markdownUnder(join(ROOT, 'docs'))];

test('the anchor rules match the repository host on the cases the pages use', () => {
  assert.equal(slug('Roles and scaling'), 'roles-and-scaling');
  assert.equal(slug('### `startup.role`: `config: --role: one of all, http, worker`'.replace(/^#+\s*/, '')), 'startuprole-config---role-one-of-all-http-worker');
  assert.equal(slug('Как обратиться в поддержку'), 'как-обратиться-в-поддержку');
  assert.deepEqual([...anchors('# A\n## A\n```\n# not a heading\n```\n## B!\n')], ['a', 'a-1', 'b']);
  assert.deepEqual(links('[x](a.md#b) `[y](no.md)` ![p](img.png "t")\n[r]: ../c.md\n```\n[z](gone.md)\n```\n'), ['a.md#b', 'img.png', '../c.md']);
});

test('a broken link and a broken anchor are reported', () => {
  const readme = join(ROOT, 'README.md');
  assert.equal(brokenLink(readme, 'docs/no-such-page.md'), 'docs/no-such-page.md: no such file');
  assert.equal(brokenLink(readme, 'docs/operations.md#no-such-heading'), 'docs/operations.md#no-such-heading: no heading for #no-such-heading');
  assert.equal(brokenLink(readme, 'docs/operations.md#roles-and-scaling'), null);
  assert.equal(brokenLink(readme, 'https://example.org/x.md'), null);
});

test('every relative link in the pages resolves', () => {
  assert.ok(PAGES.length >= 15, `pages found: ${PAGES.length}`);
  // The guides under docs/guide/ are read too (the walk goes into every folder of docs/).
  for (const guide of ['docs/guide/user.md', 'docs/guide/user.ru.md']) assert.ok(PAGES.includes(join(ROOT, guide)), `${guide} is checked`);
  const broken: string[] = [];
  for (const page of PAGES) {
    for (const target of links(readFileSync(page, 'utf8'))) {
      const problem = brokenLink(page, target);
      if (problem) broken.push(`${relative(ROOT, page)}: ${problem}`);
    }
  }
  assert.deepEqual(broken, []);
});
