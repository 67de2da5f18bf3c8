/**
 * The layer rule: `npm run lint` refuses an import that points up the layers
 * (bot -> features -> agents -> core -> services), and accepts the ones that point down.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** Lints a throwaway file placed in `dir` whose only line is `source`; returns the rule's messages. */
async function layerErrors(dir: string, source: string): Promise<string[]> {
  const file = join(root, dir, `layer-probe-${randomUUID().slice(0, 8)}.ts`);
  writeFileSync(file, `${source}\n`);
  try {
    const [result] = await eslint.lintFiles([file]);
    return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
  } finally {
    rmSync(file, { force: true });
  }
}

test('an import from services/, core/, agents/ or features/ up into bot/ fails the lint', async () => {
  for (const dir of ['services', 'core', 'agents', 'features/tickets']) {
    const up = dir.includes('/') ? '../../' : '../';
    const errors = await layerErrors(dir, `import type { App } from '${up}bot/app.ts';\nexport type Probe = App;`);
    assert.equal(errors.length, 1, `${dir} -> bot/ must be refused`);
    assert.match(errors[0]!, /bot -> features -> agents -> core -> services/);
  }
});

test('services/ may not import core/ or agents/, and core/ may not import agents/', async () => {
  assert.equal((await layerErrors('services', "import type { CoreDeps } from '../core/module.ts';\nexport type P = CoreDeps;")).length, 1);
  assert.equal((await layerErrors('services', "import type { LlmService } from '../agents/llm.service.ts';\nexport type P = LlmService;")).length, 1);
  assert.equal((await layerErrors('core', "import type { LlmService } from '../agents/llm.service.ts';\nexport type P = LlmService;")).length, 1);
});

test('imports that point down the layers pass', async () => {
  assert.deepEqual(await layerErrors('agents', "import type { CoreDeps } from '../core/module.ts';\nexport type P = CoreDeps;"), []);
  assert.deepEqual(await layerErrors('core', "import type { Db } from '../services/db.ts';\nexport type P = Db;"), []);
  assert.deepEqual(await layerErrors('features/tickets', "import type { LlmService } from '../../agents/llm.service.ts';\nexport type P = LlmService;"), []);
});
