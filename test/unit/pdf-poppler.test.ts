/**
 * The PDF reader of the worker role (services/documents/extract/pdf.poppler.ts): with poppler's
 * pdftotext installed (Debian's poppler-utils, which .ci/run installs) it reads the text layer
 * without starting a PDF.js thread and gives the result the PDF.js path gives; the page limit
 * keeps the true page count; broken and encrypted files, a missing command and engine pdfjs all
 * go to PDF.js with its refusals; no temporary file is left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { makeCorruptPdf, makePdf, sampleLines } from '../helpers/docgen.ts';
import { refusal } from '../helpers/doc-refusal.ts';
import { extractPdf } from '../../services/documents/extract/pdf.extract.ts';
import { createPdfReader, type PdfReaderOptions } from '../../services/documents/extract/pdf.poppler.ts';

const base: PdfReaderOptions = { timeoutMs: 60_000, idleMs: 60_000, splitMinPages: 4, threads: 1 };

// The suite needs the command; .ci/run installs poppler-utils.
execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });

/** An EN+RU PDF of `pages` pages, each line numbered by page. */
function bilingual(pages: number): Buffer {
  const en = sampleLines('contract', 'en', 1);
  const ru = sampleLines('invoice', 'ru', 2);
  const lines: string[] = [];
  for (let p = 0; p < pages; p++) for (let l = 0; l < 12; l++) lines.push(`${p + 1}.${l + 1} ${((p + l) % 2 ? ru : en)[(p * 3 + l) % en.length] ?? 'x'}`);
  return makePdf(lines.join('\n'), { linesPerPage: 12 });
}

function leftovers(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith('a2d2-pdf-'));
}

test('pdftotext reads an EN+RU PDF as PDF.js does, without starting a PDF.js thread', async () => {
  const before = leftovers().length;
  const reader = createPdfReader({ ...base, engine: 'auto' });
  try {
    const pdf = bilingual(9);
    const ours = await reader.extract(pdf, { maxPages: 500 });
    assert.equal(reader.threads().length, 0, 'no PDF.js thread was needed');
    assert.deepEqual(ours, await extractPdf(pdf, { maxPages: 500 }));
    // Long lines wrap, so the generator's pages are at least the 9 asked for.
    assert.ok(ours.units >= 9);
    assert.equal(ours.locations.length, ours.units);
    assert.match(ours.text.slice(ours.locations[0]!.start, ours.locations[0]!.end), /^1\.1 /);
    assert.match(ours.text, /^9\.1 /m);
  } finally {
    await reader.close();
  }
  assert.equal(leftovers().length, before, 'the temporary file is removed');
});

test('the page limit reads the first pages and keeps the true page count', async () => {
  const reader = createPdfReader({ ...base, engine: 'pdftotext' });
  try {
    const pdf = bilingual(12);
    const ours = await reader.extract(pdf, { maxPages: 5 });
    assert.equal(reader.threads().length, 0);
    assert.equal(ours.units, (await extractPdf(pdf, { maxPages: 500 })).units);
    assert.ok(ours.units > 5);
    assert.equal(ours.locations.length, 5);
    assert.deepEqual(ours, await extractPdf(pdf, { maxPages: 5 }));
    assert.doesNotMatch(ours.text, /^6\.1 /m);
  } finally {
    await reader.close();
  }
});

test('encrypted and corrupt PDFs go to PDF.js and get its refusals', async () => {
  const before = leftovers().length;
  const reader = createPdfReader({ ...base, engine: 'auto' });
  try {
    for (const pdf of [makePdf('secret', { encrypted: true }), makeCorruptPdf()]) {
      const ours = await refusal(reader.extract(pdf, { maxPages: 500 }));
      const direct = await refusal(extractPdf(pdf, { maxPages: 500 }));
      assert.equal(ours.code, direct.code);
      assert.deepEqual(ours.params, direct.params);
    }
    assert.ok(reader.threads().length >= 1, 'PDF.js decided');
  } finally {
    await reader.close();
  }
  assert.equal(leftovers().length, before);
});

test('a command that does not run, and engine pdfjs, read with PDF.js', async () => {
  const pdf = bilingual(3);
  const direct = await extractPdf(pdf, { maxPages: 500 });
  for (const opts of [{ engine: 'pdftotext' as const, command: '/nonexistent/pdftotext' }, { engine: 'pdfjs' as const }]) {
    const reader = createPdfReader({ ...base, ...opts });
    try {
      assert.deepEqual(await reader.extract(pdf, { maxPages: 500 }), direct);
      assert.equal(reader.threads().length, 1, `${opts.engine}: read in a PDF.js thread`);
    } finally {
      await reader.close();
    }
  }
});
