import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { MODEL_FILE, corpusDigest, loadShipped, trainShipped, writeModel } from '../../agents/understanding/model-file.ts';
import { readLabelled } from '../../agents/understanding/corpus.ts';

const heldout = readLabelled(new URL('../fixtures/intents/heldout.jsonl', import.meta.url));

test('the shipped intent model was trained on the corpus as it is now (else: npm run build:model)', () => {
  const shipped = loadShipped();
  assert.ok(shipped, 'agents/understanding/model/intents.json.gz is missing or was trained on another corpus: run npm run build:model');
  assert.ok(shipped.params.features.length > 1_000);
  assert.equal(shipped.params.weights.length, shipped.params.features.length * shipped.params.labels.length);
});

test('the shipped model ranks every held-out message exactly as training now would', () => {
  const shipped = loadShipped()!;
  const trained = trainShipped();
  assert.deepEqual(shipped.labels, trained.labels);
  for (const { text } of heldout) {
    const a = shipped.rank(text);
    const b = trained.rank(text);
    assert.equal(a[0]!.label, b[0]!.label, text);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k]!.p - b[k]!.p) < 1e-9, `${text}: ${a[k]!.label} ${a[k]!.p} vs ${b[k]!.p}`);
  }
});

test('a model file trained on another corpus, or of another format, is not used', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-model-'));
  try {
    const copy = pathToFileURL(join(dir, 'intents.json.gz'));
    copyFileSync(MODEL_FILE, copy);
    assert.ok(loadShipped(copy), 'an unchanged copy loads');
    const body = JSON.parse(gunzipSync(readFileSync(copy)).toString('utf8')) as { digest: string; format: string };
    writeFileSync(copy, gzipSync(JSON.stringify({ ...body, digest: corpusDigest().replace(/^./, (c) => (c === '0' ? '1' : '0')) })));
    assert.equal(loadShipped(copy), null);
    writeFileSync(copy, gzipSync(JSON.stringify({ ...body, format: 'logistic-v0' })));
    assert.equal(loadShipped(copy), null);
    assert.equal(loadShipped(pathToFileURL(join(dir, 'absent.json.gz'))), null);
    const rewritten = pathToFileURL(join(dir, 'again.json.gz'));
    assert.ok(writeModel(rewritten) > 100_000);
    assert.ok(loadShipped(rewritten));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
