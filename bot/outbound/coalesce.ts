/**
 * Later states of one keyed message coalesce: when a row with a message key (a ticket's card)
 * gets its turn, the newer queued rows of the same key for the same chat are folded into it.
 * Only the newest content goes out, once, as the post or the edit this row would have made,
 * and the rows it stands for are recorded sent with it. A card edited five times while its
 * channel is busy then costs one platform call instead of five, and leaves the channel's pace
 * to the messages that say something new. Rows that ask for something else (an explicit
 * message id, one person's audience, a picture, another thread) break the run: they and
 * everything after them go out as they are.
 */
import type { Reply } from '../../services/messaging/types.ts';
import type { Delivery, SenderContext } from './sender-context.ts';
import type { Digest, StoredRequest } from './digest.ts';

/** How many newer rows of one key one send may stand for (a bound on the query, not a limit users meet). */
const MAX_ROWS = 200;

/** The newest state to send instead of the head row's, and the rows it stands for. */
export type Coalesced = Digest;

/** Whether a stored request is a plain state of its keyed message (folding it changes nothing but the count of calls). */
function foldable(r: StoredRequest): boolean {
  const reply = r.reply ?? {};
  return Boolean(r.messageKey) && !r.editMessageId && !r.visibleTo && !reply.ephemeral && !reply.image && typeof reply.text === 'string';
}

/**
 * The newest queued state of the head row's key in its chat and thread, or null when none is
 * waiting (or the head is not a plain keyed state). The head must be the key's oldest queued
 * row, which the chat's send order guarantees when it is the head's turn.
 */
export async function gatherNewerStates(sc: SenderContext, d: Delivery): Promise<Coalesced | null> {
  const head = d.req as StoredRequest;
  if (!foldable(head)) return null;
  const rows = await sc.db.$queryRaw<{ id: string; reply: StoredRequest }[]>`
    SELECT id::text AS id, reply FROM "OutboundMessage"
    WHERE platform = ${d.platform} AND "chatId" = ${d.row.chatId} AND "messageKey" = ${head.messageKey} AND status = 'queued'
      AND "threadId" = ${d.row.threadId} AND seq > ${d.row.seq}
    ORDER BY seq LIMIT ${MAX_ROWS}`;
  const companionIds: string[] = [];
  let newest: Partial<Reply> | undefined;
  for (const row of rows) {
    if (!foldable(row.reply) || (row.reply.threadUnderKey ?? null) !== (head.threadUnderKey ?? null)) break;
    companionIds.push(row.id);
    newest = row.reply.reply;
  }
  if (!newest) return null;
  return { reply: newest as Reply, companionIds };
}
