/**
 * One chat's messages go out in the order they were stored. A row waits while an earlier
 * queued row of its chat exists; an earlier row whose queue job is gone (lost enqueue, lost
 * Redis data) is failed after a grace period instead of blocking the chat for good; and a
 * row that is done wakes the chat's next row so it need not wait for its poll.
 */
import type { OutboundJob } from '../../services/messaging/outbound.service.ts';
import { outboundJobId } from '../../services/messaging/outbound.service.ts';
import type { Job } from '../../services/queues.ts';
import { errorText, markFailed, type SenderContext } from './sender-context.ts';

const LIVE_JOB_STATES = new Set(['waiting', 'wait', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * How long a row with `ahead` earlier rows waits before it looks again: about the time those
 * rows need at the chat's rate. Usually the row before it wakes it sooner (see `wakeNext`);
 * the poll is the fallback when that wake-up is missed, so it is bounded both ways.
 */
export function orderingPollMs(ahead: number, slotMs: number): number {
  return Math.round(Math.min(15_000, Math.max(500, ahead * slotMs)));
}

/** Earlier rows of the same chat that still block this one (orphans are failed and skipped). */
export async function rowsAhead(
  sc: SenderContext,
  job: Job<OutboundJob>,
  row: { id: string; platform: string; chatId: string; seq: bigint },
): Promise<number> {
  const { db } = sc;
  const where = { platform: row.platform, chatId: row.chatId, status: 'queued', seq: { lt: row.seq } };
  // Bounded: each pass fails one orphan; a live or young head ends the loop.
  for (let pass = 0; pass < 10; pass++) {
    const head = await db.outboundMessage.findFirst({ where, orderBy: { seq: 'asc' }, select: { id: true, createdAt: true } });
    if (!head) return 0;
    // Wall time, not the injected clock: createdAt is Postgres's own now().
    const young = Date.now() - head.createdAt.getTime() < sc.opts.orphanGraceMs;
    if (young) return db.outboundMessage.count({ where });
    const state = await sc.queueOf(job).getJobState(outboundJobId(head.id));
    if (LIVE_JOB_STATES.has(state)) return db.outboundMessage.count({ where });
    // Its job is gone (enqueue failed, Redis lost data, stalled out): waiting would block the chat for good.
    await markFailed(sc, head.id, 0, `queue job ${state}; skipped so later messages to the chat can go`);
    sc.log.warn({ outboundId: head.id, state, blocked: row.id }, 'outbound row without a live job marked failed');
  }
  return 1;
}

/**
 * The row is done (sent or failed): wake the chat's next queued row if it sleeps in the
 * delayed set, so it goes out as soon as the limiter allows instead of at its next poll.
 */
export async function wakeNext(sc: SenderContext, job: Job<OutboundJob>): Promise<void> {
  const { db } = sc;
  try {
    const row = await db.outboundMessage.findUnique({ where: { id: job.data.outboundId }, select: { platform: true, chatId: true, seq: true } });
    if (!row) return;
    const next = await db.outboundMessage.findFirst({
      where: { platform: row.platform, chatId: row.chatId, status: 'queued', seq: { gt: row.seq } },
      orderBy: { seq: 'asc' },
      select: { id: true },
    });
    if (!next) return;
    const nextJob = await sc.queueOf(job).getJob(outboundJobId(next.id));
    if (nextJob && (await nextJob.isDelayed())) await nextJob.promote();
  } catch (err) {
    // It may have started meanwhile; a missed wake-up only costs the next row its poll.
    sc.log.debug({ err: errorText(err), outboundId: job.data.outboundId }, 'outbound wake-up of the next row skipped');
  }
}
