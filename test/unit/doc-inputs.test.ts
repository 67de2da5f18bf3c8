/**
 * Bad and odd input at the byte level: sniffing by content, zip bombs (declared and lying
 * sizes), encrypted and corrupt PDFs, scans without text, and the generic fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCorruptPdf, makeDocx, makeHtml, makePdf, makeXlsx, makeZip, makeCsv } from '../helpers/docgen.ts';
import { sniff } from '../../services/documents/sniff.ts';
import { openZip, DEFAULT_ZIP_LIMITS } from '../../services/documents/zip.ts';
import { DocumentInputError } from '../../services/documents/errors.ts';
import { extract } from '../../services/documents/extract/extract.service.ts';
import { extractFields, findAmounts, findDates, parseNumber } from '../../services/documents/fields.ts';
import { classify, topTerms } from '../../services/documents/classify.ts';
import { summarize } from '../../services/documents/summary.ts';
import { bestPassages, titleOf } from '../../services/documents/document.service.ts';
import { detectLanguage } from '../../services/documents/language.ts';

const opts = { maxPages: 50, zip: DEFAULT_ZIP_LIMITS, ocrLanguages: new Map<string, string>() };

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    assert.ok(err instanceof DocumentInputError, `expected DocumentInputError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected a refusal');
}

test('content type comes from the bytes, not the name', () => {
  assert.equal(sniff(makePdf('x')), 'pdf');
  assert.equal(sniff(makeDocx('x')), 'docx');
  assert.equal(sniff(makeXlsx([['a']])), 'xlsx');
  assert.equal(sniff(makeHtml('x')), 'html');
  assert.equal(sniff(makeCsv([['a', 'b'], ['1', '2'], ['3', '4']])), 'csv');
  assert.equal(sniff(Buffer.from('just some words\nand more')), 'text');
  assert.equal(sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])), 'png');
  assert.equal(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])), 'jpeg');
});

test('unsupported and empty files are refused', async () => {
  assert.equal(await refusal(() => sniff(Buffer.alloc(0))), 'empty');
  assert.equal(await refusal(() => sniff(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x01, 0x02]))), 'unsupported');
  assert.equal(await refusal(() => sniff(makeZip([{ name: 'a.txt', data: Buffer.from('x') }]))), 'unsupported');
});

test('zip bombs are refused before inflating (ratio) and while inflating (lying sizes)', async () => {
  assert.equal(await refusal(() => extract(makeDocx('boom', { bombBytes: 20 * 1024 * 1024 }), 'docx', opts)), 'bomb');
  assert.equal(await refusal(() => extract(makeXlsx([['a']], { bombBytes: 20 * 1024 * 1024 }), 'xlsx', opts)), 'bomb');
  // The directory claims 4 KB; inflation stops at the claim.
  assert.equal(await refusal(() => extract(makeDocx('boom', { bombBytes: 2 * 1024 * 1024, lieAboutSize: true }), 'docx', opts)), 'bomb');
  // Too much in total, even at an innocent ratio.
  const many = makeZip(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, data: Buffer.alloc(10), declaredSize: 10 * 1024 * 1024 })));
  assert.equal(await refusal(() => openZip(many, { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 100 * 1024 * 1024 })), 'bomb');
  assert.equal(await refusal(() => openZip(Buffer.from('PK\u0003\u0004 not really a zip'))), 'corrupt');
});

test('encrypted and corrupt PDFs are refused; a scan has no text layer', async () => {
  assert.equal(await refusal(extract(makePdf('secret', { encrypted: true }), 'pdf', opts)), 'encrypted');
  assert.equal(await refusal(extract(makeCorruptPdf(), 'pdf', opts)), 'corrupt');
  const scan = await extract(makePdf('x', { imageOnly: true }), 'pdf', opts);
  assert.equal(scan.noTextLayer, true);
  assert.equal(scan.text, '');
});

test('multi-page PDFs keep page locations; passages answer with them', async () => {
  const lines = Array.from({ length: 120 }, (_, i) => (i === 95 ? 'The warranty period is 24 months from delivery.' : `Filler line number ${i} about nothing in particular.`));
  const ex = await extract(makePdf(lines.join('\n'), { linesPerPage: 40 }), 'pdf', opts);
  assert.equal(ex.units, 3);
  const [best] = bestPassages('how long is the warranty period?', ex.text, ex.locations);
  assert.ok(best && best.text.includes('warranty period is 24 months'));
  assert.equal(best.location?.kind, 'page');
  assert.equal(best.location?.n, 3);
});

test('dates, amounts, emails and company ids are found with their spans', () => {
  const text = 'Дата: 5 марта 2024 г. и 2024-12-31, March 7, 2025. Сумма 1 200 000,50 руб. или $99.95 или 12.500,00 EUR. ИНН 7707083893, ОГРН 1027700132195, VAT: DE123456789, mail: Info@Example.COM';
  assert.deepEqual(findDates(text).map((d) => d.normalized), ['2024-03-05', '2024-12-31', '2025-03-07']);
  assert.deepEqual(findAmounts(text).map((a) => a.normalized), ['1200000.50 RUB', '99.95 USD', '12500.00 EUR']);
  const fields = extractFields(text, 'other');
  const by = (n: string) => fields.filter((f) => f.name === n).map((f) => f.normalized);
  assert.deepEqual(by('inn'), ['7707083893']);
  assert.deepEqual(by('ogrn'), ['1027700132195']);
  assert.deepEqual(by('vat'), ['DE123456789']);
  assert.deepEqual(by('email'), ['info@example.com']);
  for (const f of fields) assert.equal(text.slice(f.start, f.end), f.value, `span of ${f.name}`);
  // A wrong check digit is not an INN.
  assert.equal(extractFields('ИНН 7707083894', 'other').filter((f) => f.name === 'inn').length, 0);
  assert.equal(parseNumber('1,234.56'), 1234.56);
  assert.equal(parseNumber('1.234,56'), 1234.56);
  assert.equal(parseNumber('1 234'), 1234);
});

test('classification: confidence, "other" below the threshold, and corrections of look-alikes', () => {
  const invoice = classify('INVOICE No. 7\nTotal due: 10.00 USD\nBill to: someone', 'en');
  assert.equal(invoice.category, 'invoice');
  assert.ok(invoice.confidence > 0.7 && invoice.confidence <= 0.99);
  assert.equal(classify('A short note about the weather and the garden.', 'en').category, 'other');
  const text = 'Quarterly report on the garden: roses, tulips, daisies, roses, tulips, daisies. Analysis of roses and tulips.';
  assert.equal(classify(text, 'en').category, 'report');
  const corrected = classify(text, 'en', [{ terms: topTerms(text), category: 'manual' }]);
  assert.equal(corrected.category, 'manual');
  assert.equal(corrected.source, 'correction');
  assert.equal(classify('INVOICE No. 9 Total due: 5 USD', 'en', [{ terms: topTerms(text), category: 'manual' }]).category, 'invoice');
});

test('summary, language and titles', () => {
  const text = 'Revenue grew by 12% this quarter. The team hired five engineers. Revenue growth came from enterprise revenue. The office moved.';
  const s = summarize(text, 2);
  assert.ok(s.includes('Revenue grew by 12%'));
  assert.ok(s.length <= 400);
  assert.equal(detectLanguage('Счёт на оплату № 5'), 'ru');
  assert.equal(detectLanguage('Invoice number 5, ООО'), 'en');
  assert.equal(titleOf('C:\\docs\\Q1_report.final.PDF'), 'Q1 report.final');
});
