/**
 * Field and summary regressions seen with files from a real office suite: a value cut out of
 * its own label ("Invoice number" gave "umber"), a label and its value in adjacent table or
 * spreadsheet cells, and initials that split a sentence in the summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFields } from '../../services/documents/fields.ts';
import { sentences, summarize } from '../../services/documents/summary.ts';

const num = (text: string, category: Parameters<typeof extractFields>[1]) =>
  extractFields(text, category).find((f) => f.primary && f.name === 'number')?.normalized;

test('a value never comes from inside its own label', () => {
  assert.equal(num('Invoice number: INV-2024-117\nDate: 17.05.2024', 'invoice'), 'INV-2024-117');
  assert.equal(num('Invoice No. 5521', 'invoice'), '5521');
  assert.equal(num('Contract number 77/2024 between', 'contract'), '77/2024');
  assert.equal(num('Certificate number: C-901', 'certificate'), 'C-901');
  assert.equal(num('Passport number: 753912345', 'passport'), '753912345');
  // Nothing after the label: no field rather than a piece of the label.
  assert.equal(num('Invoice number', 'invoice'), undefined);
});

test('a label and its value in adjacent cells (one row joined with " | ")', () => {
  assert.equal(num('Invoice\nInvoice number | INV-88\nInvoice date | 2024-05-17', 'invoice'), 'INV-88');
  assert.equal(num('Счёт № | 145\nДата | 17.05.2024', 'invoice'), '145');
  assert.equal(num('Номер счёта | 2024/15', 'invoice'), '2024/15');
});

test('the summary keeps initials inside their sentence', () => {
  const text = 'Договор поставки заключён между сторонами. Ответственный исполнитель Петрова П. П. подписала акт приёмки товара.';
  const s = sentences(text).map((x) => x.text);
  assert.deepEqual(s, ['Договор поставки заключён между сторонами.', 'Ответственный исполнитель Петрова П. П. подписала акт приёмки товара.']);
  assert.equal(text.slice(sentences(text)[1]!.start, sentences(text)[1]!.start + 10), 'Ответствен');
  const summary = summarize(text);
  assert.ok(summary.includes('Петрова П. П. подписала'), summary);
  assert.ok(!/П\. ,/.test(summary), summary);
  assert.deepEqual(sentences('Reviewed by J. R. Smith on site. The pumps were replaced.').map((x) => x.text), ['Reviewed by J. R. Smith on site.', 'The pumps were replaced.']);
});
