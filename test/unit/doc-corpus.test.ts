/**
 * The labelled corpus (42 generated EN+RU documents in six formats, plus an image read by OCR) through sniffing,
 * extraction, language detection, classification and field extraction. Prints and asserts
 * category accuracy and field accuracy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelledCorpus, makeTextPng } from '../helpers/docgen.ts';
import { ocrLanguageDirs } from '../../services/documents/extract/image.extract.ts';
import { sniff } from '../../services/documents/sniff.ts';
import { extract } from '../../services/documents/extract/extract.service.ts';
import { DEFAULT_ZIP_LIMITS } from '../../services/documents/zip.ts';
import { detectLanguage } from '../../services/documents/language.ts';
import { classify } from '../../services/documents/classify.ts';
import { extractFields } from '../../services/documents/fields.ts';

const KIND: Record<string, string> = { pdf: 'pdf', docx: 'docx', xlsx: 'xlsx', csv: 'csv', html: 'html', txt: 'text' };

test('labelled corpus: text, language, category and fields come out', async () => {
  const corpus = labelledCorpus();
  assert.ok(corpus.length >= 40, `corpus has ${corpus.length} documents`);
  let catOk = 0;
  let fieldTotal = 0;
  let fieldOk = 0;
  const misses: string[] = [];
  const formats = new Set<string>();
  for (const doc of corpus) {
    formats.add(doc.format);
    const kind = sniff(doc.bytes);
    assert.equal(kind, KIND[doc.format], `${doc.name}: sniffed ${kind}`);
    const ex = await extract(doc.bytes, kind, { maxPages: 100, zip: DEFAULT_ZIP_LIMITS, ocrLanguages: new Map() });
    const flat = ex.text.replace(/\s+/g, ' ');
    // PDF lines wrap: compare with whitespace collapsed.
    for (const phrase of doc.expectText) assert.ok(flat.includes(phrase), `${doc.name}: text lacks "${phrase}"\n${ex.text}`);
    assert.equal(detectLanguage(ex.text), doc.language, `${doc.name}: language`);
    const c = classify(ex.text, doc.language);
    if (c.category === doc.category) catOk++;
    else misses.push(`${doc.name}: category ${c.category} (${JSON.stringify(c.scores)})`);
    const fields = extractFields(ex.text, doc.category);
    for (const [name, expected] of Object.entries(doc.fields)) {
      fieldTotal++;
      const got = fields.find((f) => f.primary && f.name === name);
      if (got?.normalized === expected) {
        fieldOk++;
        // The span must point at the text the value came from.
        assert.equal(ex.text.slice(got.start, got.end), got.value, `${doc.name}: span of ${name}`);
      } else misses.push(`${doc.name}: ${name} = ${got?.normalized ?? '(none)'}, expected ${expected}`);
    }
  }
  // One scanned image, read by OCR with the English data shipped as a package (no network).
  const png = makeTextPng(['INVOICE 2024', 'TOTAL DUE 1500 EUR', 'PAYMENT TERMS']);
  assert.equal(sniff(png), 'png');
  const ocr = await extract(png, 'png', { maxPages: 1, zip: DEFAULT_ZIP_LIMITS, ocrLanguages: ocrLanguageDirs(undefined, ['eng']) });
  assert.equal(ocr.ocr, true);
  for (const w of ['INVOICE', 'PAYMENT TERMS']) assert.ok(ocr.text.includes(w), `OCR text lacks ${w}: ${ocr.text}`);
  formats.add('png');
  if (classify(ocr.text, 'en').category === 'invoice') catOk++;
  else misses.push(`ocr.png: category ${classify(ocr.text, 'en').category}`);
  const total = corpus.length + 1;
  const catAcc = catOk / total;
  const fieldAcc = fieldOk / fieldTotal;
  console.log(`documents: ${total} in ${[...formats].sort().join(',')}`);
  console.log(`category accuracy: ${catOk}/${total} = ${(catAcc * 100).toFixed(1)}%`);
  console.log(`field accuracy: ${fieldOk}/${fieldTotal} = ${(fieldAcc * 100).toFixed(1)}%`);
  if (misses.length) console.log(`misses:\n  ${misses.join('\n  ')}`);
  assert.ok(formats.size >= 7);
  assert.ok(catAcc >= 0.9, `category accuracy ${catAcc}`);
  assert.ok(fieldAcc >= 0.85, `field accuracy ${fieldAcc}`);
});
