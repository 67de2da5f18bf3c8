/**
 * The labelled corpus (42 generated EN+RU documents in six formats) through sniffing,
 * extraction, language detection, classification and field extraction. Prints and asserts
 * category accuracy and field accuracy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelledCorpus } from '../helpers/docgen.ts';
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
  const catAcc = catOk / corpus.length;
  const fieldAcc = fieldOk / fieldTotal;
  console.log(`documents: ${corpus.length} in ${[...formats].sort().join(',')}`);
  console.log(`category accuracy: ${catOk}/${corpus.length} = ${(catAcc * 100).toFixed(1)}%`);
  console.log(`field accuracy: ${fieldOk}/${fieldTotal} = ${(fieldAcc * 100).toFixed(1)}%`);
  if (misses.length) console.log(`misses:\n  ${misses.join('\n  ')}`);
  assert.ok(formats.size >= 6);
  assert.ok(catAcc >= 0.9, `category accuracy ${catAcc}`);
  assert.ok(fieldAcc >= 0.85, `field accuracy ${fieldAcc}`);
});
