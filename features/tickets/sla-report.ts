/**
 * The weekly SLA report: on the `tickets.slaReport.cron` schedule (in the tickets' time zone)
 * the figures and the chart of `sla` go to every chat in `tickets.slaReport.chats`, each in
 * the chat's language. Off while that list is empty (the schedule is removed then).
 *
 * One report per firing and chat, however often the job runs: the figures row carries the key
 * `tickets:sla-report:<job id>` (a scheduled job's id names its firing), and a chat that
 * already has a row under that key is skipped. The chart row follows it; a worker killed
 * between the two leaves that chat without the chart rather than with two reports.
 */
import { z } from 'zod';
import type { Services } from '../services.ts';
import type { Job, QueueDef } from '../../services/queues.ts';
import { translator } from '../../services/i18n/i18n.ts';
import type { Destination, SlaReportConfig } from '../../services/tickets/tickets.config.ts';
import type { ConversationRef } from '../../services/messaging/types.ts';
import type { SlaViews } from './sla-views.ts';

export const TICKETS_SLA_REPORT_QUEUE = 'tickets-sla-report';
/** The scheduler id of the report. */
export const SLA_REPORT_SCHEDULE = 'tickets-sla-report';
export const slaReportJobSchema = z.object({}).loose();

/** What one firing did per chat. */
export type ReportOutcome = Record<string, 'posted' | 'already'>;

/** The report's queue and its schedule, over the container and the `sla` views. */
export function createSlaReport(deps: Services, views: SlaViews) {
  const cfg: SlaReportConfig = deps.config.file.tickets.slaReport;
  const tz = deps.config.file.tickets.timeZone;

  async function postTo(chat: Destination, key: string): Promise<'posted' | 'already'> {
    const seen = await deps.db.outboundMessage.findFirst({ where: { platform: chat.platform, chatId: chat.chatId, messageKey: key }, select: { id: true } });
    if (seen) return 'already';
    const locale = chat.locale ?? deps.config.file.defaultLocale;
    const t = translator(locale);
    const [numbers, picture] = await views.replies({ t, locale, days: cfg.days, chart: true, title: t('tickets.sla.report.title', { days: cfg.days }) });
    const ref: ConversationRef = { platform: chat.platform, chatId: chat.chatId, ...(chat.threadId ? { threadId: chat.threadId } : {}) };
    await deps.outbound.send({ ref, reply: numbers!, messageKey: key, priority: 'low' });
    if (picture) await deps.outbound.send({ ref, reply: picture, priority: 'low' });
    return 'posted';
  }

  /** One firing: the report to every configured chat (see the file comment for repeats). */
  async function fire(job: Job<z.infer<typeof slaReportJobSchema>>): Promise<ReportOutcome> {
    const key = `tickets:sla-report:${job.id ?? job.timestamp}`;
    const outcome: ReportOutcome = {};
    for (const chat of cfg.chats) outcome[`${chat.platform}:${chat.chatId}`] = await postTo(chat, key);
    return outcome;
  }

  const queue: QueueDef<z.infer<typeof slaReportJobSchema>> = {
    name: TICKETS_SLA_REPORT_QUEUE,
    schema: slaReportJobSchema,
    concurrency: 1,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 },
    processor: fire,
  };

  /** Keeps the schedule while chats are configured, and removes it when none are. */
  async function schedule(): Promise<void> {
    if (cfg.chats.length) {
      await deps.schedules.keep({ queue: TICKETS_SLA_REPORT_QUEUE, id: SLA_REPORT_SCHEDULE, repeat: { pattern: cfg.cron, tz }, job: { name: 'sla-report', data: {} } });
    } else {
      await deps.queues.queue(TICKETS_SLA_REPORT_QUEUE).removeJobScheduler(SLA_REPORT_SCHEDULE);
    }
  }

  return { queue, schedule };
}
