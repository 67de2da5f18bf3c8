/**
 * OCR engine and scanned PDFs on the committed scans (test/fixtures/scans/, made by
 * scripts/make-scans.ts): the native command and tesseract.js with the system's Russian data,
 * both page renderers, the page limit, and a broken image.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_ZIP_LIMITS } from '../../services/documents/zip.ts';
import { extract } from '../../services/documents/extract/extract.service.ts';
import { resolveOcr } from '../../services/documents/extract/ocr.engine.ts';
import { ocrScannedPages } from '../../services/documents/extract/pdf.ocr.ts';
import { extractPdf } from '../../services/documents/extract/pdf.extract.ts';
import { DocumentInputError } from '../../services/documents/errors.ts';
import { imagePdf, jpegSize } from '../helpers/image-pdf.ts';

const scan = (name: string) => readFileSync(new URL(`../fixtures/scans/${name}`, import.meta.url));
const langs = ['eng', 'rus'];
const native = resolveOcr({ engine: 'auto', languages: langs, timeoutMs: 60_000 });
const js = resolveOcr({ engine: 'js', languages: langs, timeoutMs: 120_000 });
const opts = (ocr = native) => ({ maxPages: 50, zip: DEFAULT_ZIP_LIMITS, ocrLanguages: new Map<string, string>(), ocr, pdfOcr: { maxPages: 5, dpi: 150 } });

test('with the system packages, the native command reads both languages and tesseract.js finds the system Russian data', () => {
  assert.equal(native.engine, 'native');
  assert.deepEqual(native.languages, langs);
  assert.equal(js.engine, 'js');
  assert.deepEqual(js.languages, langs);
  assert.match(js.dir ?? '', /tesseract-ocr\/\d+\/tessdata/);
});

test('native: the Russian scan (JPEG) and the English scan (PNG) give their text', async () => {
  const ru = await extract(scan('ru-invoice.jpg'), 'jpeg', opts());
  assert.equal(ru.ocr, true);
  assert.match(ru.text, /Счёт № 4512\W*от 17\.05\.2024/);
  assert.match(ru.text, /18 400,00/);
  const en = await extract(scan('en-certificate.png'), 'png', opts());
  assert.match(en.text, /Certificate No\. CRT-7731/);
  assert.match(en.text, /Valid until: 2026-03-14/);
});

test('tesseract.js (the fallback) reads the Russian scan with the system data', async () => {
  const ru = await extract(scan('ru-invoice.png'), 'png', opts(js));
  assert.match(ru.text, /Сч[её]т № 4512/);
  assert.match(ru.text, /17\.05\.2024/);
});

test('a scanned PDF has no text layer but is OCR\'d, by pdftoppm and by PDF.js on a canvas alike', async () => {
  const pdf = scan('ru-invoice.pdf');
  const layer = await extractPdf(pdf, { maxPages: 10 });
  assert.equal(layer.noTextLayer, true);
  for (const renderer of ['pdftoppm', 'pdfjs'] as const) {
    const ex = await ocrScannedPages(pdf, layer, { ocr: native, maxPages: 5, dpi: 150, readPages: 10, renderer });
    assert.equal(ex.ocr, true, renderer);
    assert.equal(ex.noTextLayer, undefined, renderer);
    assert.match(ex.text, /Счёт № 4512/, renderer);
    assert.deepEqual(ex.locations.map((l) => [l.kind, l.n]), [['page', 1]], renderer);
  }
});

test('the OCR page limit: pages past it are skipped and counted; progress is reported per page', async () => {
  const pages = ['en-certificate.jpg', 'ru-invoice.jpg', 'en-certificate.jpg'].map((n) => ({ jpeg: scan(n), ...jpegSize(scan(n)) }));
  const pdf = imagePdf(pages, 150);
  const seen: string[] = [];
  const ex = await extract(pdf, 'pdf', { ...opts(), pdfOcr: { maxPages: 2, dpi: 150, onPage: (d, t) => void seen.push(`${d}/${t}`) } });
  assert.equal(ex.units, 3);
  assert.equal(ex.ocrSkippedPages, 1);
  assert.deepEqual(seen, ['1/2', '2/2']);
  assert.deepEqual(ex.locations.map((l) => l.n), [1, 2]);
  assert.match(ex.text, /CRT-7731[\s\S]*Счёт № 4512/);
});

test('a broken image fails as a damaged file with the engine\'s reason', async () => {
  const png = Buffer.concat([scan('en-certificate.png').subarray(0, 400), Buffer.alloc(200, 7)]);
  for (const ocr of [native, js]) {
    await assert.rejects(extract(png, 'png', opts(ocr)), (err: unknown) => err instanceof DocumentInputError && err.code === 'corrupt' && /image: \S/.test(err.message), ocr.engine);
  }
});
