/**
 * A worker killed mid-pipeline: its job is taken over by another worker once the lock
 * expires, and the document is stored, analysed and announced exactly once. Also: the
 * analysis resumes at the first stage not yet committed (earlier results are kept).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import { makePdf, sampleLines } from '../helpers/docgen.ts';
import type { FeatureModule } from '../../core/module.ts';
import type { YamlConfig } from '../../services/config.ts';
import type { InboundMessage } from '../../services/messaging/types.ts';

const yaml = {
  defaultRole: 'operator',
  shutdown: { graceMs: 100 },
  // Short enough for the test to wait it out, long enough for a first PDF parse (the module load blocks for a moment).
  documents: { lockDurationMs: 8000, stalledIntervalMs: 1000 },
} as unknown as Partial<YamlConfig>;

function fileEvent(chatId: string, fileId: string): InboundMessage {
  return {
    type: 'message',
    platform: 'terminal',
    eventId: `ev-${randomUUID()}`,
    ref: { platform: 'terminal', chatId },
    user: { platformUserId: `tester-${chatId}` },
    text: '',
    addressed: true,
    files: [{ id: fileId, name: `resume-${chatId}.pdf` }],
  };
}

test('a worker process killed while processing a file: another worker resumes the job and the document is finished once', async () => {
  const run = randomUUID().slice(0, 8);
  const pdf = makePdf([...sampleLines('certificate', 'en', 1), `Reference: ${run}`].join('\n'));
  const hash = createHash('sha256').update(pdf).digest('hex');
  const shared = { A2D2_QUEUE_PREFIX: `t-kill-${run}`, A2D2_DATA_DIR: `/tmp/a2d2-kill-${run}` };
  let secondCalls = 0;
  const working: FeatureModule = {
    name: 'working-fetcher',
    fileFetcher: {
      platform: 'terminal',
      fetch: async () => {
        secondCalls++;
        return pdf;
      },
    },
  };
  // The receiving side (no workers) and a separate worker process that hangs inside the download.
  const front: TestApp = await startTestApp({ env: shared, yaml, role: 'http' });
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../helpers/doc-kill-worker.ts', import.meta.url))], {
    env: { ...process.env, DOC_KILL_ENV: JSON.stringify(shared), DOC_KILL_YAML: JSON.stringify(yaml) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  let back: TestApp | null = null;
  try {
    const db = front.app.deps.db;
    await waitFor(() => out.includes('READY'), 'the worker process to start', 30_000);
    const chatId = `kill-${run}`;
    await front.app.deps.ingest(fileEvent(chatId, `file-${run}`));
    const intake = await waitFor(() => db.documentIntake.findFirst({ where: { chatId } }), 'the intake row', 20_000);
    await waitFor(() => out.includes('FETCHING'), 'the worker to start downloading', 20_000);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    back = await startTestApp({ env: shared, yaml, role: 'worker', modules: [working] });
    const v = await waitFor(() => db.documentVersion.findFirst({ where: { sha256: hash, stage: 'done' }, include: { fields: true, document: true } }), 'the resumed document', 30_000);
    assert.equal(v.category, 'certificate');
    assert.equal(v.fields.find((f) => f.primary && f.name === 'number')?.normalized, 'CC-88121');
    assert.equal(secondCalls, 1, 'the second worker downloaded once');
    assert.equal(await db.documentVersion.count({ where: { sha256: hash } }), 1);
    const row = await db.documentIntake.findUnique({ where: { id: intake.id } });
    assert.equal(row?.status, 'stored');
    // Announced once: exactly one card among the progress message's updates.
    const outs = await db.outboundMessage.findMany({ where: { messageKey: `doc:${intake.id}:progress` } });
    const cards = outs.filter((o) => JSON.stringify(o.reply).includes(`Document #${v.document.number}`));
    assert.equal(cards.length, 1, 'one card');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await back?.stop();
    await front.stop();
  }
});

test('the analysis resumes at the first stage not yet committed and keeps earlier results', async () => {
  const run = randomUUID().slice(0, 8);
  const pdf = makePdf([...sampleLines('invoice', 'ru', 2), `Reference: ${run}`].join('\n'));
  const hash = createHash('sha256').update(pdf).digest('hex');
  let calls = 0;
  const fetcher: FeatureModule = { name: 'fetcher', fileFetcher: { platform: 'terminal', fetch: async () => (calls++, pdf) } };
  const t = await startTestApp({ yaml, modules: [fetcher] });
  try {
    const db = t.app.deps.db;
    await t.app.deps.ingest(fileEvent(`resume-${run}`, `f-${run}`));
    const v = await waitFor(() => db.documentVersion.findFirst({ where: { sha256: hash, stage: 'done' } }), 'first pass', 30_000);
    assert.equal(v.category, 'invoice');
    // As if a worker died after "classify" committed a (human-looking) category and before "fields".
    await db.documentField.deleteMany({ where: { versionId: v.id } });
    await db.documentVersion.update({ where: { id: v.id }, data: { stage: 'fields', category: 'contract', summary: 'kept' } });
    await t.app.deps.queues.add('documents-analyze', { versionId: v.id }, { jobId: `doc-analyze-${v.id}-resume` });
    const done = await waitFor(async () => {
      const x = await db.documentVersion.findUnique({ where: { id: v.id }, include: { fields: true } });
      return x?.stage === 'done' ? x : null;
    }, 'resumed pass', 30_000);
    assert.equal(done.category, 'contract', 'classify was not run again');
    assert.ok(done.fields.some((f) => f.primary && f.name === 'value'), 'fields re-extracted for the kept category');
    assert.notEqual(done.summary, 'kept', 'summary stage ran after fields');
    assert.equal(calls, 1, 'nothing was downloaded again');
  } finally {
    await t.stop();
  }
});
