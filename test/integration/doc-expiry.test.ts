/**
 * Expiry reminders: a certificate that expires within the configured window reminds the
 * chat it came from, once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, createHash } from 'node:crypto';
import { startTestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import { makeDocx } from '../helpers/docgen.ts';
import type { FeatureModule } from '../../core/module.ts';
import type { YamlConfig } from '../../services/config.ts';

test('a certificate expiring within the window reminds its chat once; one outside the window does not', async () => {
  const run = randomUUID().slice(0, 8);
  const day = (n: number) => {
    const d = new Date(Date.now() + n * 86_400_000);
    return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
  };
  const soon = makeDocx(['CERTIFICATE OF COMPLETION', `Certificate No. EXP-${run}`, 'This is to certify that Jane Smith has completed the course.', `Date of issue: ${day(-300)}`, `Valid until: ${day(10)}`].join('\n'));
  const later = makeDocx(['CERTIFICATE OF COMPLETION', `Certificate No. LATER-${run}`, 'This is to certify that John Smith has completed the course.', `Date of issue: ${day(-300)}`, `Valid until: ${day(200)}`].join('\n'));
  const files: Record<string, Buffer> = { soon, later };
  const fetcher: FeatureModule = { name: 'fetcher', fileFetcher: { platform: 'terminal', fetch: async (f) => files[f.id]! } };
  const t = await startTestApp({ yaml: { defaultRole: 'operator', documents: { expiryReminderDays: 30 } } as unknown as Partial<YamlConfig>, modules: [fetcher] });
  try {
    const db = t.app.deps.db;
    const chatId = `expiry-${run}`;
    for (const id of ['soon', 'later']) {
      await t.app.deps.ingest({ type: 'message', platform: 'terminal', eventId: `ev-${randomUUID()}`, ref: { platform: 'terminal', chatId }, user: { platformUserId: `u-${run}` }, text: '', addressed: true, files: [{ id, name: `${id}-${run}.docx` }] });
    }
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const vSoon = await waitFor(() => db.documentVersion.findFirst({ where: { sha256: sha(soon), stage: 'done' } }), 'soon processed', 30_000);
    const vLater = await waitFor(() => db.documentVersion.findFirst({ where: { sha256: sha(later), stage: 'done' } }), 'later processed', 30_000);
    assert.equal(vSoon.category, 'certificate');
    assert.ok(vSoon.expiresOn);
    for (let i = 0; i < 2; i++) {
      await t.app.deps.queues.add('documents-expiry', {}, { jobId: `expiry-run-${run}-${i}` });
      await waitFor(async () => (await t.app.deps.queues.queue('documents-expiry').getJob(`expiry-run-${run}-${i}`))?.finishedOn, 'expiry run');
    }
    const reminders = await db.outboundMessage.findMany({ where: { chatId, messageKey: `doc:${vSoon.id}:expiry` } });
    assert.equal(reminders.length, 1, 'one reminder');
    assert.match(JSON.stringify(reminders[0]!.reply), /expires on .* in 10 days/);
    assert.equal(await db.outboundMessage.count({ where: { messageKey: `doc:${vLater.id}:expiry` } }), 0);
    assert.ok((await db.documentVersion.findUnique({ where: { id: vSoon.id } }))?.reminderSentAt);
  } finally {
    await t.stop();
  }
});
