/**
 * Expiry reminders: certificates and contracts whose end date is near are announced once in
 * the chat they were uploaded from.
 */
import { translator } from '../i18n/i18n.ts';
import type { DocumentContext } from './document-context.ts';

/** The reminder operation of the service, bound to its shared context. */
export function createExpiryReminders(ctx: DocumentContext) {
  const { deps, refOf, localeOf } = ctx;
  const { db, config } = deps;

  return {
    /** Reminds the uploader's chat of certificates and contracts expiring soon (each version once). */
    async remindExpiring(): Promise<number> {
      const now = deps.clock.now();
      const until = new Date(now.getTime() + config.expiryReminderDays * 86_400_000);
      const due = await db.documentVersion.findMany({
        where: { expiresOn: { not: null, lte: until, gte: new Date(now.toISOString().slice(0, 10)) }, reminderSentAt: null, stage: 'done', category: { in: ['certificate', 'contract'] } },
        include: { document: true },
        take: 200,
      });
      let sent = 0;
      for (const v of due) {
        // Claim first: two schedulers racing send one reminder.
        const claimed = await db.documentVersion.updateMany({ where: { id: v.id, reminderSentAt: null }, data: { reminderSentAt: now } });
        if (!claimed.count) continue;
        const ref = refOf(v);
        if (!ref) continue;
        const t = translator(localeOf(v.locale));
        const days = Math.max(0, Math.ceil((v.expiresOn!.getTime() - now.getTime()) / 86_400_000));
        await deps.outbound.send({
          ref,
          reply: {
            text: t('documents.expiry', { number: v.document.number, title: v.document.title, category: t(`documents.category.${v.category}`), date: v.expiresOn!.toISOString().slice(0, 10), count: days, days }),
            buttons: [{ actionId: 'doc.open', label: t('documents.button.open'), value: String(v.document.number) }],
          },
          messageKey: `doc:${v.id}:expiry`,
        });
        sent++;
      }
      return sent;
    },
  };
}
