/**
 * Posts that may have reached the platform before their worker died. A post is the one
 * outbound effect that is not idempotent: a worker killed after the platform accepted it but
 * before the row was marked sent would post it again on the retry. So, for platforms whose
 * sender can look a delivery up afterwards (`PlatformSender.findDelivered`: Slack, by the
 * delivery id the post carries in its message metadata), each post first leaves a marker in
 * Redis. A later attempt that finds the marker asks the platform whether the post arrived and,
 * if it did, records it as sent instead of posting again. Without the marker (the usual case)
 * nothing is looked up; a platform that cannot look up (Telegram's bots cannot read history)
 * keeps at-least-once posts.
 */
import type { Delivery, SenderContext } from './sender-context.ts';
import { errorText } from './sender-context.ts';

/** How long a marker outlives its post: longer than any retry schedule of one row. */
const MARKER_TTL_MS = 24 * 60 * 60_000;
/** How far before the marked attempt the lookup reaches (clock skew between us and the platform). */
const LOOKBACK_MS = 60_000;

const markerKey = (d: Delivery) => `${d.ns}:posting:${d.id}`;

/** Whether this post can be found on the platform afterwards (and so is worth marking). */
export function canReconcile(d: Delivery): boolean {
  return typeof d.sender.findDelivered === 'function' && !(d.req.reply.ephemeral && d.req.visibleTo);
}

/** What an attempt's marker says: when it posted and which digest rows went in the same message. */
export interface EarlierAttempt {
  at: number;
  companionIds: string[];
}

/**
 * Marks the post as in flight (with the digest rows it carries) and returns what an earlier
 * attempt marked, or null when this is the first attempt to post it. One round trip
 * (`SET ... GET`).
 */
export async function markPosting(sc: SenderContext, d: Delivery, companionIds: string[]): Promise<EarlierAttempt | null> {
  const mark: EarlierAttempt = { at: Date.now(), companionIds };
  const previous = await sc.deps.redis.set(markerKey(d), JSON.stringify(mark), 'PX', MARKER_TTL_MS, 'GET');
  if (previous === null) return null;
  try {
    const parsed = JSON.parse(previous) as Partial<EarlierAttempt>;
    return { at: Number(parsed.at) || Date.now(), companionIds: Array.isArray(parsed.companionIds) ? parsed.companionIds.map(String) : [] };
  } catch {
    return { at: Number(previous) || Date.now(), companionIds: [] };
  }
}

/** The post is recorded: its marker is no longer needed (it would expire by itself). */
export function clearPosting(sc: SenderContext, d: Delivery): void {
  sc.deps.redis.del(markerKey(d)).catch((err: unknown) => sc.log.debug({ err: errorText(err), outboundId: d.id }, 'outbound marker not cleared'));
}

/**
 * Asks the platform whether an earlier attempt's post arrived: its message id, or null when it
 * did not (or the platform cannot tell, which then means posting again).
 */
export async function findEarlierPost(sc: SenderContext, d: Delivery, markedAt: number, target: { postRef: Delivery['req']['ref']; replyTo: string | undefined }): Promise<string | null> {
  try {
    const found = await d.sender.findDelivered!(target.postRef, d.id, { sinceMs: markedAt - LOOKBACK_MS, ...(target.replyTo ? { replyToMessageId: target.replyTo } : {}) });
    if (found) sc.log.info({ outboundId: d.id, platform: d.platform, messageId: found }, 'outbound post found on the platform after a lost attempt; not posting again');
    return found;
  } catch (err) {
    sc.log.warn({ err: errorText(err), outboundId: d.id, platform: d.platform }, 'outbound lookup of an earlier post failed; posting again');
    return null;
  }
}
