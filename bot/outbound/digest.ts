/**
 * Digests: when a row that names a `digest` gets its turn, the other queued rows of the same
 * chat and digest go out with it as one message, their texts one after the other in stored
 * order, and are recorded sent together with it. A burst of notices into one channel then
 * costs one platform call per digest instead of one per notice (Slack allows about one
 * message per second per channel). Only plain posts merge: a row with a message key, a
 * thread, an explicit edit, buttons, fields or an ephemeral audience goes out alone.
 */
import type { Reply } from '../../services/messaging/types.ts';
import type { Delivery, SenderContext } from './sender-context.ts';

/** At most this many rows per digest message ... */
const MAX_ROWS = 25;
/** ... and at most this much text (below the platforms' limits, 4,096 on Telegram). */
const MAX_CHARS = 3_500;

/** One send standing for several queued rows (a digest, or a card's coalesced states): the reply to send and the other rows it carries. */
export interface Digest {
  reply: Reply;
  companionIds: string[];
}

/** The fields of a row's stored request that the digest and coalescing rules read. */
export interface StoredRequest {
  reply?: Partial<Reply>;
  messageKey?: string;
  threadUnderKey?: string;
  editMessageId?: string;
  visibleTo?: string;
  digest?: string;
}

/** Whether a stored request may travel in a digest. */
function mergeable(r: StoredRequest): boolean {
  const reply = r.reply ?? {};
  return Boolean(r.digest) && !r.messageKey && !r.threadUnderKey && !r.editMessageId && !r.visibleTo && !reply.ephemeral && !reply.buttons?.length && !reply.fields?.length && !reply.image && typeof reply.text === 'string';
}

/** One row's part of the digest text: its text, then its context line (plain: each platform renders the text). */
function part(reply: Partial<Reply>): string {
  return reply.context ? `${reply.text}\n${reply.context}` : String(reply.text);
}

/**
 * The digest the head row `d` leads, or null when it goes out alone (no digest, not
 * mergeable, or nobody else of its digest is waiting). Rows of the digest beyond the size
 * limits wait for the next one.
 */
export async function gatherDigest(sc: SenderContext, d: Delivery): Promise<Digest | null> {
  const head = d.req as StoredRequest;
  if (!mergeable(head)) return null;
  const rows = await sc.db.$queryRaw<{ id: string; reply: StoredRequest }[]>`
    SELECT id::text AS id, reply FROM "OutboundMessage"
    WHERE platform = ${d.platform} AND "chatId" = ${d.row.chatId} AND "threadId" = ${d.row.threadId} AND status = 'queued'
      AND reply->>'digest' = ${head.digest} AND id <> ${d.id}::uuid
    ORDER BY seq LIMIT ${MAX_ROWS - 1}`;
  const parts = [part(d.req.reply)];
  let size = parts[0]!.length;
  const companionIds: string[] = [];
  for (const row of rows) {
    if (!mergeable(row.reply)) continue;
    const text = part(row.reply.reply!);
    if (size + text.length + 2 > MAX_CHARS) break;
    parts.push(text);
    size += text.length + 2;
    companionIds.push(row.id);
  }
  if (companionIds.length === 0) return null;
  return { reply: { text: parts.join('\n\n') }, companionIds };
}
