/**
 * The documents evaluation (scripts/doc-eval.ts): its scoring on small in-memory cases, a
 * real run over a temporary set (a text file read the way the service reads it, a missing
 * file reported as unreadable), and the committed sets' labels matching their files one to one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateSet, loadLabels, scoreDocument, tally, type DocLabel } from '../../scripts/doc-eval.ts';
import type { ExtractedField } from '../../services/documents/fields.ts';

const f = (name: string, normalized: string, primary = true): ExtractedField => ({ name, value: normalized, normalized, start: 0, end: 0, primary });

test('scoring: one right and one wrong field give 1/2, the wrong one listed as a miss', () => {
  const label: DocLabel = { file: 'a.txt', language: 'en', format: 'txt', category: 'invoice', fields: { number: 'INV-7', date: '2024-05-17' } };
  const s = scoreDocument(label, { category: 'invoice', language: 'en', fields: [f('number', 'inv-7'), f('date', '2024-05-18'), f('date', '2024-05-17', false)] });
  const r = tally([s]);
  assert.deepEqual(r.fields, { correct: 1, total: 2, accuracy: 0.5 });
  assert.deepEqual(r.category, { correct: 1, total: 1, accuracy: 1 });
  assert.deepEqual(r.byFormat.txt, { docs: 1, categoryCorrect: 1, fieldsCorrect: 1, fieldsTotal: 2 });
  assert.deepEqual(r.misses, [{ file: 'a.txt', field: 'date', expected: '2024-05-17', got: '2024-05-18' }]);
});

test('scoring: amounts numerically with currency, parties as a set, items by count, null means absent', () => {
  const label: DocLabel = {
    file: 'b.pdf', language: 'ru', format: 'pdf', category: 'contract',
    fields: { value: { amount: 12500, currency: 'RUB' }, parties: ['ООО «Ромашка»', 'АО «Василёк»'], endDate: null, items: 2 },
  };
  const s = scoreDocument(label, { category: 'invoice', language: 'ru', fields: [f('value', '12500.00 RUB'), f('party', 'АО "василёк"'), f('party', 'ООО «Ромашка»'), f('item', 'x'), f('item', 'y'), f('item', 'z')] });
  assert.deepEqual(s.fields.map((x) => [x.field, x.ok]), [['value', true], ['parties', true], ['endDate', true], ['items', false]]);
  const r = tally([s]);
  assert.equal(r.category.correct, 0);
  assert.equal(r.misses[0]!.field, 'category');
  assert.equal(r.byLanguage.ru!.fieldsCorrect, 3);
});

test('a real run over a set: the text is read, classified and scored; a missing file is unreadable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'doc-eval-'));
  try {
    writeFileSync(join(dir, 'inv.txt'), 'INVOICE\nInvoice No. INV-2024-117\nInvoice date: 17.05.2024\nTotal due: $1,250.00\n');
    const labels = [
      { file: 'inv.txt', language: 'en', format: 'txt', category: 'invoice', fields: { number: 'INV-2024-117', date: '2024-05-17', total: { amount: 1250, currency: 'USD' }, vendor: 'Acme Ltd' } },
      { file: 'gone.pdf', language: 'en', format: 'pdf', category: 'report', fields: { title: 'X' } },
    ];
    writeFileSync(join(dir, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const { report, unreadable } = await evaluateSet(dir);
    assert.equal(report.documents, 1);
    assert.equal(report.category.correct, 1);
    assert.deepEqual(report.fields, { correct: 3, total: 4, accuracy: 0.75 });
    assert.deepEqual(report.misses.map((m) => m.field), ['vendor']);
    assert.deepEqual(unreadable.map((u) => u.file), ['gone.pdf']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const set of ['heldout', 'tuning']) {
  test(`${set}: every label names an existing file and every file has exactly one label`, () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'documents', set);
    const files = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name !== 'labels.jsonl').map((e) => e.name).sort();
    const labelled = loadLabels(dir).map((l) => l.file);
    assert.equal(new Set(labelled).size, labelled.length, 'a file is labelled twice');
    assert.deepEqual([...labelled].sort(), files);
    assert.ok(files.length >= (set === 'heldout' ? 40 : 80), `${files.length} files`);
  });
}
