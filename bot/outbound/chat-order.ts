/**
 * One chat's messages go out one at a time in the chat's send order (send-order.ts): the
 * oldest urgent row first, then normal, then low, with a post and its edits and the messages
 * of one thread in the order they were stored. A row waits while rows before it in that order
 * are queued; the row at the head whose queue job is gone (lost enqueue, lost Redis data,
 * stalled out) is queued again after a grace period rather than skipped, so the order holds
 * and nothing is stranded; and a row that is done wakes the chat's next row so it need not
 * wait for its poll.
 */
import type { OutboundJob } from '../../services/messaging/outbound.service.ts';
import { outboundJobId } from '../../services/messaging/outbound.service.ts';
import type { Job } from '../../services/queues.ts';
import { errorText, type SenderContext } from './sender-context.ts';
import { recoverRow } from './recovery.ts';
import { sendOrder, type OrderRow } from './send-order.ts';

/** How many of a chat's queued rows the order looks at (a longer backlog waits its turn). */
const ORDER_WINDOW = 1000;

/**
 * How long a row with `ahead` earlier rows waits before it looks again: about the time those
 * rows need at the chat's rate. Usually the row before it wakes it sooner (see `wakeNext`);
 * the poll is the fallback when that wake-up is missed, so it is bounded both ways. The rows
 * just behind the head poll often (and re-check a head that lost its job); a row far back in
 * a long backlog polls at most once a minute, since every poll reads the chat's queue: 800
 * queued cards polling every 15 s cost more database time than the tickets they announce.
 */
export function orderingPollMs(ahead: number, slotMs: number): number {
  return Math.round(Math.min(60_000, Math.max(500, ahead * slotMs)));
}

type ChatRow = OrderRow & { createdAt: Date };

/** The chat's queued rows in send order. */
async function chatQueue(sc: SenderContext, platform: string, chatId: string): Promise<ChatRow[]> {
  const rows = await sc.db.$queryRaw<ChatRow[]>`
    SELECT id::text AS id, seq, priority, "threadId", "messageKey", reply->>'threadUnderKey' AS "threadUnderKey", "createdAt"
    FROM "OutboundMessage"
    WHERE platform = ${platform} AND "chatId" = ${chatId} AND status = 'queued'
    ORDER BY seq LIMIT ${ORDER_WINDOW}`;
  return sendOrder(rows);
}

/**
 * How many queued rows of the chat go before this one (0: its turn). The head of the chat
 * is checked for a live job first, and given its job back when it lost it.
 */
export async function rowsAhead(sc: SenderContext, job: Job<OutboundJob>, row: { id: string; platform: string; chatId: string; seq: bigint }): Promise<number> {
  // Bounded: each pass drops at most one head that was given up; a live or young head ends it.
  for (let pass = 0; pass < 10; pass++) {
    const order = await chatQueue(sc, row.platform, row.chatId);
    const at = order.findIndex((r) => r.id === row.id);
    if (at === 0) return 0;
    const ahead = at < 0 ? order.length : at;
    const head = order[0];
    if (!head) return 0;
    const outcome = await recoverRow(sc, sc.queueOf(job), { id: head.id, platform: row.platform, createdAt: head.createdAt });
    if (outcome !== 'failed') return ahead;
  }
  return 1;
}

/**
 * The row is done (sent or failed): wake the chat's next row in send order if it sleeps in
 * the delayed set, so it goes out as soon as the limiter allows instead of at its next poll.
 */
export async function wakeNext(sc: SenderContext, job: Job<OutboundJob>): Promise<void> {
  try {
    const row = await sc.db.outboundMessage.findUnique({ where: { id: job.data.outboundId }, select: { platform: true, chatId: true } });
    if (!row) return;
    const next = (await chatQueue(sc, row.platform, row.chatId))[0];
    if (!next) return;
    const nextJob = await sc.queueOf(job).getJob(outboundJobId(next.id));
    if (nextJob && (await nextJob.isDelayed())) await nextJob.promote();
  } catch (err) {
    // It may have started meanwhile; a missed wake-up only costs the next row its poll.
    sc.log.debug({ err: errorText(err), outboundId: job.data.outboundId }, 'outbound wake-up of the next row skipped');
  }
}
