/**
 * One attempt at delivering one outbound row, top to bottom: load and check the row, wait
 * for the chat's earlier rows, take the per-chat lock, read the row again under it, resolve
 * where it goes (edit in place or a new post, threaded under its parent), take a rate
 * limiter slot, call the platform, and record the outcome. Failed platform calls are
 * classified in send-errors.ts.
 */
import { z } from 'zod';
import type { OutboundMessage } from '../../generated/prisma/client.ts';
import { PermanentSendError, type OutboundJob, type PlatformSender } from '../../services/messaging/outbound.service.ts';
import { conversationRefSchema } from '../../services/messaging/schemas.ts';
import type { ConversationRef, OutboundRequest, Reply } from '../../services/messaging/types.ts';
import { UnrecoverableError, type Job } from '../../services/queues.ts';
import { tryLock } from './chat-lock.ts';
import type { Acquired } from './rate-limiter.ts';
import { errorText, markFailed, sleep, withRetries, type Delivery, type SenderContext, type Step } from './sender-context.ts';
import { orderingPollMs, rowsAhead } from './chat-order.ts';
import { onSendError } from './send-errors.ts';
import { canReconcile, clearPosting, findEarlierPost, markPosting } from './in-flight.ts';
import { gatherDigest } from './digest.ts';
import { gatherNewerStates } from './coalesce.ts';

const storedRequestSchema = z.object({
  ref: conversationRefSchema,
  reply: z.looseObject({ text: z.string() }),
  messageKey: z.string().min(1).optional(),
  threadUnderKey: z.string().min(1).optional(),
  editMessageId: z.string().min(1).optional(),
  visibleTo: z.string().min(1).optional(),
  priority: z.enum(['urgent', 'normal', 'low']).optional(),
  digest: z.string().min(1).max(100).optional(),
});

/** Where a delivery goes: an edit of `editId`, else a post to `postRef` (a reply to `replyTo`). */
interface Target {
  op: 'post' | 'edit';
  editId: string | undefined;
  postRef: ConversationRef;
  replyTo: string | undefined;
}

const alreadyDone: Step = { kind: 'done', result: { outcome: 'skipped', reason: 'already-done' } };

/** Tries once to deliver the job's row; says whether it is done or when to try again. */
export async function attempt(sc: SenderContext, job: Job<OutboundJob>): Promise<Step> {
  const loaded = await loadRow(sc, job.data.outboundId);
  if ('kind' in loaded) return loaded;
  const { row, req, sender } = loaded;
  const platform = req.ref.platform;

  const ahead = await rowsAhead(sc, job, row);
  if (ahead > 0) return { kind: 'wait', ms: orderingPollMs(ahead, sc.slotMs(platform)), reason: 'earlier messages first' };

  const ns = sc.deps.keyPrefix ?? `${job.queueQualifiedName}:send`;
  const lock = await tryLock(sc.deps.redis, `${ns}:lock:${platform}:${row.chatId}`, sc.opts.lockTtlMs);
  if (!lock) return { kind: 'wait', ms: 100, reason: 'another send to this chat is in flight' };
  try {
    return await sendUnderLock(sc, job, { id: row.id, row, req, sender, platform, chat: { platform, chatId: row.chatId }, ns });
  } finally {
    await lock.release().catch((err: unknown) => sc.log.warn({ err: errorText(err) }, 'outbound lock release failed'));
  }
}

/**
 * The row, its stored request and the platform's sender; a done step for a row that is gone
 * or handled already. A row that can never be sent (invalid, no sender) is failed for good.
 */
async function loadRow(sc: SenderContext, id: string): Promise<Step | { row: OutboundMessage; req: OutboundRequest; sender: PlatformSender }> {
  const row = await sc.db.outboundMessage.findUnique({ where: { id } });
  if (!row) {
    sc.log.warn({ outboundId: id }, 'outbound row not found; nothing to send');
    return { kind: 'done', result: { outcome: 'skipped', reason: 'missing' } };
  }
  if (row.status !== 'queued') return alreadyDone;

  const parsed = storedRequestSchema.safeParse(row.reply);
  if (!parsed.success) {
    await markFailed(sc, id, row.attempts, `stored request is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
    throw new UnrecoverableError(`outbound ${id}: stored request is invalid`);
  }
  const req = parsed.data as OutboundRequest;
  const platform = req.ref.platform;
  const sender = sc.deps.senders[platform];
  if (!sender) {
    await markFailed(sc, id, row.attempts, `no sender configured for ${platform}`);
    sc.deps.metrics.outboundMessages.inc({ platform, op: req.editMessageId ? 'edit' : 'post', outcome: 'failed' });
    throw new UnrecoverableError(`outbound ${id}: no sender configured for ${platform}`);
  }
  return { row, req, sender };
}

/** With the chat's lock held: send the row and record it, unless a copy of the job already did. */
async function sendUnderLock(sc: SenderContext, job: Job<OutboundJob>, d: Delivery): Promise<Step> {
  // Read again under the lock: a copy of this job may have sent it meanwhile.
  const fresh = await sc.db.outboundMessage.findUnique({ where: { id: d.id }, select: { status: true, attempts: true } });
  if (!fresh || fresh.status !== 'queued') return alreadyDone;

  const target = await resolveTarget(sc, d);
  const slot = await takeSlot(sc, d);
  if (!slot.granted) return { kind: 'wait', ms: slot.waitMs, reason: 'rate limit', early: true };

  const attempts = fresh.attempts + 1;
  // Others of the row's digest waiting for this chat go out in the same message; a keyed
  // message's newer queued states go out instead of this one (only the newest edit matters).
  const merged = (target.op === 'post' && !target.replyTo ? await gatherDigest(sc, d) : null) ?? (await gatherNewerStates(sc, d));
  const marked = target.op === 'post' && canReconcile(d);
  if (marked) {
    const earlier = await markPosting(sc, d, merged?.companionIds ?? []);
    const found = earlier === null ? null : await findEarlierPost(sc, d, earlier.at, target);
    if (found) {
      await finishSlot(sc, slot);
      sc.deps.metrics.outboundMessages.inc({ platform: d.platform, op: target.op, outcome: 'recovered' });
      // The rows that went in the lost attempt's message (digest or coalesced states) are recorded with it.
      await recordSent(sc, d, target, found, attempts, earlier!.companionIds);
      clearPosting(sc, d);
      return { kind: 'done', result: { outcome: 'sent', op: target.op, platformMessageId: found } };
    }
  }
  let messageId: string;
  try {
    messageId = await deliver(d, target, merged?.reply);
  } catch (err) {
    await finishSlot(sc, slot);
    // A keyed card that can no longer be edited (deleted, too old) is posted anew, once:
    // later updates then edit the new message instead of failing forever.
    const keyedEdit = target.op === 'edit' && !d.req.editMessageId && d.req.messageKey;
    if (err instanceof PermanentSendError && keyedEdit && attempts < sc.opts.maxAttempts) return await forgetStaleLink(sc, d, target, attempts, err);
    return await onSendError(sc, job, d, target.op, attempts, err);
  }
  await finishSlot(sc, slot);
  sc.deps.metrics.outboundMessages.inc({ platform: d.platform, op: target.op, outcome: 'sent' });
  await recordSent(sc, d, target, messageId, attempts, merged?.companionIds);
  if (merged) sc.deps.metrics.outboundMessages.inc({ platform: d.platform, op: target.op, outcome: d.req.messageKey ? 'coalesced' : 'sent_in_digest' }, merged.companionIds.length);
  if (marked) clearPosting(sc, d);
  sc.log.debug({ outboundId: d.id, platform: d.platform, op: target.op, messageId }, 'outbound delivered');
  return { kind: 'done', result: { outcome: 'sent', op: target.op, platformMessageId: messageId } };
}

/** Target: an explicit id, else the message this key already lives in, else a new post. */
async function resolveTarget(sc: SenderContext, d: Delivery): Promise<Target> {
  const { req, platform } = d;
  const chatId = d.row.chatId;
  let editId = req.editMessageId;
  if (!editId && req.messageKey) {
    const link = await sc.db.messageLink.findUnique({
      where: { messageKey_platform_chatId: { messageKey: req.messageKey, platform, chatId } },
    });
    editId = link?.platformMessageId;
  }
  let postRef = req.ref;
  let replyTo: string | undefined;
  if (!editId && req.threadUnderKey) {
    const parent = await sc.db.messageLink.findUnique({
      where: { messageKey_platform_chatId: { messageKey: req.threadUnderKey, platform, chatId } },
    });
    if (parent) {
      replyTo = parent.platformMessageId;
      // The reply lives where its parent lives.
      postRef = withThread(req.ref, parent.threadId || undefined);
    }
  }
  return { op: editId ? 'edit' : 'post', editId, postRef, replyTo };
}

function withThread(ref: ConversationRef, threadId: string | undefined): ConversationRef {
  const { threadId: _drop, ...rest } = ref;
  return threadId ? { ...rest, threadId } : rest;
}

/**
 * It is this chat's turn and the lock is ours: wait out a short limit here, without loading
 * everything again (bounded, since the platform-wide window is shared).
 */
async function takeSlot(sc: SenderContext, d: Delivery): Promise<Acquired> {
  const limiter = sc.limiterFor(d.ns);
  const inlineUntil = Date.now() + sc.opts.maxInlineWaitMs * 2;
  let slot = await limiter.acquire(d.chat);
  while (!slot.granted && slot.waitMs <= sc.opts.maxInlineWaitMs && Date.now() + slot.waitMs <= inlineUntil) {
    await sleep(slot.waitMs);
    slot = await limiter.acquire(d.chat);
  }
  return slot;
}

/** Re-stamps the slot once the platform call has returned, either way. */
async function finishSlot(sc: SenderContext, slot: Acquired & { granted: true }): Promise<void> {
  await slot.finish().catch((e: unknown) => sc.log.warn({ err: errorText(e) }, 'outbound limiter finish failed'));
}

/**
 * The platform call: edit in place, or post (as a reply, or visible to some users only).
 * `instead`: the digest's text, or the newest state of a keyed message.
 */
async function deliver(d: Delivery, target: Target, instead?: Reply): Promise<string> {
  const { req, sender } = d;
  const reply = instead ?? (req.reply as Reply);
  if (target.editId) {
    await sender.edit(req.ref, target.editId, reply);
    return target.editId;
  }
  const postOpts = { ...(target.replyTo ? { replyToMessageId: target.replyTo } : {}), ...(req.visibleTo ? { visibleTo: req.visibleTo } : {}), deliveryId: d.id };
  const posted = await sender.post(target.postRef, reply, postOpts);
  return posted.messageId;
}

/** The keyed message cannot be edited: drop its link so the next attempt posts it anew. */
async function forgetStaleLink(sc: SenderContext, d: Delivery, target: Target, attempts: number, err: unknown): Promise<Step> {
  const { db } = sc;
  sc.deps.metrics.outboundMessages.inc({ platform: d.platform, op: target.op, outcome: 'failed' });
  await db.$transaction([
    db.messageLink.deleteMany({ where: { messageKey: d.req.messageKey!, platform: d.platform, chatId: d.row.chatId, platformMessageId: target.editId! } }),
    db.outboundMessage.update({ where: { id: d.id }, data: { attempts, error: errorText(err) } }),
  ]);
  sc.log.info({ outboundId: d.id, messageKey: d.req.messageKey, err: errorText(err) }, 'keyed message cannot be edited; posting it anew');
  return { kind: 'wait', ms: 0, reason: 'post anew' };
}

/** Marks the row sent and links its key to the platform message, in one transaction. */
async function recordSent(sc: SenderContext, d: Delivery, target: Target, messageId: string, attempts: number, companionIds: string[] = []): Promise<void> {
  const { db } = sc;
  const { req, platform } = d;
  const chatId = d.row.chatId;
  const linkThread = (target.op === 'post' ? target.postRef.threadId : req.ref.threadId) ?? '';
  // The message is out: a failed write here would make the retry send it twice, so a
  // short database hiccup is retried in place first.
  await withRetries(3, 200, () => db.$transaction([
    db.outboundMessage.update({
      where: { id: d.id },
      data: { status: 'sent', platformMessageId: messageId, attempts, sentAt: sc.clock.now(), error: null },
    }),
    // The rows that went out in the same message (a digest's notices, a keyed message's older states).
    ...(companionIds.length
      ? [db.outboundMessage.updateMany({ where: { id: { in: companionIds }, status: 'queued' }, data: { status: 'sent', platformMessageId: messageId, sentAt: sc.clock.now(), error: null } })]
      : []),
    ...(req.messageKey
      ? [
          db.messageLink.upsert({
            where: { messageKey_platform_chatId: { messageKey: req.messageKey, platform, chatId } },
            create: { messageKey: req.messageKey, platform, chatId, platformMessageId: messageId, threadId: linkThread },
            update: { platformMessageId: messageId },
          }),
        ]
      : []),
  ]));
}
