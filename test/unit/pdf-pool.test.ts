/**
 * The PDF extraction threads (services/documents/extract/pdf.pool.ts): a file shared by two
 * threads gives exactly what the one-thread path gives, refusals are the same, small files
 * stay in one thread, and a thread that is killed or hangs fails only its file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCorruptPdf, makePdf, sampleLines } from '../helpers/docgen.ts';
import { refusal } from '../helpers/doc-refusal.ts';
import { extractPdf } from '../../services/documents/extract/pdf.extract.ts';
import { createPdfPool, type PdfPool } from '../../services/documents/extract/pdf.pool.ts';

const base = { timeoutMs: 120_000, idleMs: 60_000, splitMinPages: 4 };

/** An EN+RU PDF of `pages` pages (every seventh page blank) at `linesPerPage` lines a page. */
function bilingual(pages: number, linesPerPage = 20): Buffer {
  const en = sampleLines('contract', 'en', 1);
  const ru = sampleLines('invoice', 'ru', 2);
  const lines: string[] = [];
  for (let p = 0; p < pages; p++) {
    for (let l = 0; l < linesPerPage; l++) {
      if (p % 7 === 6) lines.push('');
      else {
        const src = (p + l) % 2 ? ru : en;
        lines.push(`${p + 1}.${l + 1} ${src[(p * 3 + l) % src.length]}`);
      }
    }
  }
  return makePdf(lines.join('\n'), { linesPerPage });
}

async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function pagesRead(pool: PdfPool): number[] {
  return pool.threads().map((t) => t.pages);
}

test('no thread starts before the first PDF', async () => {
  const pool = createPdfPool({ ...base, threads: 2 });
  assert.equal(pool.threads().length, 0);
  await pool.close();
});

test('a large EN+RU PDF shared by two threads gives byte for byte the one-thread result', async () => {
  const pool = createPdfPool({ ...base, threads: 2 });
  try {
    const pdf = bilingual(120);
    const single = await extractPdf(pdf, { maxPages: 500 });
    assert.ok(single.units >= 120, `${single.units} pages`);
    assert.ok(/[а-я]/i.test(single.text) && /[a-z]/i.test(single.text), 'both languages in the text');
    // A new thread's code is cold, so its first files go mostly to the warm one: read the file
    // until both threads have shared one, and the result is the same every time.
    let split: number[] = [];
    for (let round = 0; round < 20 && !(split.length === 2 && split.every((n) => n > 0)); round++) {
      const before = pagesRead(pool);
      const shared = await pool.extract(pdf, { maxPages: 500 });
      assert.equal(shared.text, single.text);
      assert.deepEqual(shared, single);
      split = pagesRead(pool).map((n, i) => n - (before[i] ?? 0));
      assert.ok(split.reduce((a, b) => a + b, 0) <= single.units, 'no page read twice');
    }
    assert.equal(split.length, 2);
    assert.ok(split.every((n) => n > 0), `both threads read pages of one file (${split.join(' + ')})`);
    assert.equal(split[0]! + split[1]!, single.units, 'every page read once');
    // maxPages cuts both paths at the same page; units stay the document's page count.
    assert.deepEqual(await pool.extract(pdf, { maxPages: 50 }), await extractPdf(pdf, { maxPages: 50 }));
  } finally {
    await pool.close();
  }
});

test('files with few pages stay in one thread', async () => {
  const pool = createPdfPool({ ...base, threads: 2, splitMinPages: 8 });
  try {
    const pdf = bilingual(6);
    for (let i = 0; i < 3; i++) assert.deepEqual(await pool.extract(pdf, { maxPages: 500 }), await extractPdf(pdf, { maxPages: 500 }));
    assert.equal(pool.threads().length, 1);
  } finally {
    await pool.close();
  }
});

test('encrypted and corrupt PDFs give the same refusals as in one thread', async () => {
  const pool = createPdfPool({ ...base, threads: 2 });
  try {
    for (const pdf of [makePdf('secret', { encrypted: true }), makeCorruptPdf()]) {
      const ours = await refusal(pool.extract(pdf, { maxPages: 500 }));
      const direct = await refusal(extractPdf(pdf, { maxPages: 500 }));
      assert.equal(ours.code, direct.code);
      assert.equal(ours.message, direct.message);
      assert.deepEqual(ours.params, direct.params);
    }
    const good = bilingual(10);
    assert.deepEqual(await pool.extract(good, { maxPages: 500 }), await extractPdf(good, { maxPages: 500 }));
  } finally {
    await pool.close();
  }
});

test('a thread killed in mid-file fails that file only; the next file is read by a new thread', async () => {
  const pool = createPdfPool({ ...base, threads: 1 });
  try {
    const small = bilingual(3);
    assert.deepEqual(await pool.extract(small, { maxPages: 500 }), await extractPdf(small, { maxPages: 500 }));
    const [first] = pool.threads();
    const big = pool.extract(bilingual(3000, 2), { maxPages: 5000 });
    let settled = false;
    void big.then(
      () => (settled = true),
      () => (settled = true),
    );
    await until('the thread to read pages', () => first!.busy || pool.threads()[0]!.busy);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(settled, false, 'the file is still being read when the thread is killed');
    await first!.worker.terminate();
    const err = await refusal(big);
    assert.equal(err.code, 'corrupt');
    assert.match(err.message, /thread exited/);
    assert.deepEqual(await pool.extract(small, { maxPages: 500 }), await extractPdf(small, { maxPages: 500 }));
    assert.notEqual(pool.threads()[0]!.worker, first!.worker);
  } finally {
    await pool.close();
  }
});

test('a file past the timeout is refused, its thread replaced, and the next file works', async () => {
  const pool = createPdfPool({ ...base, threads: 1, timeoutMs: 300 });
  try {
    const small = bilingual(2);
    assert.deepEqual(await pool.extract(small, { maxPages: 500 }), await extractPdf(small, { maxPages: 500 }));
    const [first] = pool.threads();
    const err = await refusal(pool.extract(bilingual(20_000, 1), { maxPages: 50_000 }));
    assert.equal(err.code, 'corrupt');
    assert.match(err.message, /longer than 300 ms/);
    assert.deepEqual(await pool.extract(small, { maxPages: 500 }), await extractPdf(small, { maxPages: 500 }));
    assert.notEqual(pool.threads()[0]!.worker, first!.worker);
  } finally {
    await pool.close();
  }
});

test('idle threads exit', async () => {
  const pool = createPdfPool({ ...base, threads: 2, idleMs: 200 });
  try {
    await pool.extract(bilingual(2), { maxPages: 500 });
    assert.equal(pool.threads().length, 1);
    await until('the idle thread to exit', () => pool.threads().length === 0, 10_000);
  } finally {
    await pool.close();
  }
});
