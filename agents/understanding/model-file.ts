/**
 * The shipped model: the logistic regression trained from the corpus, written by
 * `npm run build:model` to agents/understanding/model/intents.json.gz, so a process loads it
 * in milliseconds instead of training for a second on its first message. The file names the
 * digest of the corpus it was trained on; when the corpus has changed since (an admin added
 * examples), the engine trains in-process as before. test/unit/intent-model.test.ts fails when
 * the shipped file is stale or no longer what training gives.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { logisticClassifier, trainLogistic, type Classifier, type LogisticParams } from './classifier.ts';
import { CORPUS_FILES, trainingCorpus } from './corpus.ts';

/** Where the shipped model lives (the build copies the folder next to the bundle). */
export const MODEL_FILE = new URL('./model/intents.json.gz', import.meta.url);

/** Bumped when the file layout or the training recipe changes: an older file is then not used. */
const FORMAT = 'logistic-v1';

interface ModelFile {
  format: string;
  digest: string;
  labels: string[];
  features: string[];
  idf: string;
  weights: string;
  bias: number[];
}

/** The digest of the training corpus as it is on disk now. */
export function corpusDigest(): string {
  const h = createHash('sha256').update(FORMAT);
  for (const f of CORPUS_FILES) h.update(readFileSync(f));
  return h.digest('hex');
}

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function floats(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  // Copied so the array is aligned whatever the buffer pool gave.
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** Trains on the shipped corpus. */
export function trainShipped(): Classifier & { params: LogisticParams } {
  return trainLogistic(trainingCorpus().map((e) => ({ text: e.text, label: e.intent })));
}

/** Writes the model trained now from the corpus; returns the file's size in bytes. */
export function writeModel(target: URL = MODEL_FILE): number {
  const { params } = trainShipped();
  const body: ModelFile = { format: FORMAT, digest: corpusDigest(), labels: params.labels, features: params.features, idf: b64(params.idf), weights: b64(params.weights), bias: [...params.bias] };
  const gz = gzipSync(JSON.stringify(body), { level: 9 });
  mkdirSync(dirname(fileURLToPath(target)), { recursive: true });
  writeFileSync(target, gz);
  return gz.length;
}

/** The shipped model when it was trained on this corpus, else null (the caller trains). */
export function loadShipped(source: URL = MODEL_FILE): (Classifier & { params: LogisticParams }) | null {
  if (!existsSync(source)) return null;
  const m = JSON.parse(gunzipSync(readFileSync(source)).toString('utf8')) as ModelFile;
  if (m.format !== FORMAT || m.digest !== corpusDigest()) return null;
  return logisticClassifier({ labels: m.labels, features: m.features, idf: floats(m.idf), weights: floats(m.weights), bias: Float64Array.from(m.bias) });
}

/** The model a process uses: the shipped one, or one trained now when the corpus has changed. */
export function shippedOrTrained(): Classifier {
  return loadShipped() ?? trainShipped();
}
