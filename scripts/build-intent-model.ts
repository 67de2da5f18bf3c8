/**
 * `npm run build:model`: trains the intent classifier from agents/understanding/corpus/*.jsonl
 * and writes agents/understanding/model/intents.json.gz, the model every process loads at start.
 * Run it after adding examples to the corpus (test/unit/intent-model.test.ts says when it is due).
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MODEL_FILE, writeModel } from '../agents/understanding/model-file.ts';

const t0 = performance.now();
const bytes = writeModel();
console.log(`wrote ${fileURLToPath(MODEL_FILE)} (${(bytes / 1024).toFixed(0)} KiB) in ${Math.round(performance.now() - t0)} ms`);
