/**
 * The outbound port: anything that wants to speak to a chat (a command reply, an SLA breach,
 * an alert) hands a neutral {@link OutboundRequest} to `send`. It is stored in Postgres and
 * queued by id; the sender worker renders and delivers it. Platforms that deliver in-process
 * (the terminal) get it directly.
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import type { Queues } from '../queues.ts';
import type { OutboundRequest, Platform, Reply, ConversationRef } from './types.ts';

export const OUTBOUND_QUEUE = 'outbound';
export const outboundJobSchema = z.object({ outboundId: z.string().uuid() });
export type OutboundJob = z.infer<typeof outboundJobSchema>;

/** The queue job id of an outbound row (one job per row; the sender looks jobs up by it). */
export function outboundJobId(outboundId: string): string {
  return `out-${outboundId}`;
}

/** Options for {@link PlatformSender.post}. */
export interface PostOptions {
  /**
   * Platform id of an earlier message this one answers (the outbound sender sets it for
   * `threadUnderKey`). `ref.threadId` already names the thread that message lives in, if any.
   * Each sender maps it: Slack posts in its thread (thread_ts = ref.threadId || this id),
   * Telegram replies to it (reply_parameters.message_id, keeping ref.threadId as the topic).
   */
  replyToMessageId?: string;
  /** Platform user id of the only person who should see it (`Reply.ephemeral`), where the platform can do that. */
  visibleTo?: string;
}

/** Delivers to a platform; implemented by each adapter's renderer. */
export interface PlatformSender {
  readonly platform: Platform;
  /** Posts a new message; returns its platform id. */
  post(ref: ConversationRef, reply: Reply, opts?: PostOptions): Promise<{ messageId: string }>;
  /** Replaces the content of an existing message. */
  edit(ref: ConversationRef, messageId: string, reply: Reply): Promise<void>;
}

/** Thrown by a sender when the platform says "slow down". */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited, retry after ${retryAfterMs} ms`);
    this.name = 'RateLimitedError';
  }
}

/** Thrown by a sender for errors that retrying cannot fix (channel_not_found, chat not found). */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

export interface OutboundPort {
  /** Stores and queues a reply; returns the outbound row id. */
  send(req: OutboundRequest): Promise<string>;
}

/** In-process delivery for platforms without a queue hop (the terminal). */
export type DirectDelivery = (req: OutboundRequest) => Promise<void>;

export function createOutbound(deps: { db: Db; queues: Queues; direct?: Partial<Record<Platform, DirectDelivery>> }): OutboundPort {
  return {
    async send(req) {
      const direct = deps.direct?.[req.ref.platform];
      if (direct) {
        await direct(req);
        return '';
      }
      const row = await deps.db.outboundMessage.create({
        data: {
          platform: req.ref.platform,
          chatId: req.ref.chatId,
          threadId: req.ref.threadId ?? '',
          messageKey: req.messageKey ?? null,
          reply: { ...req, ref: req.ref } as object,
        },
        select: { id: true },
      });
      await deps.queues.add<OutboundJob>(OUTBOUND_QUEUE, { outboundId: row.id }, { jobId: outboundJobId(row.id) });
      return row.id;
    },
  };
}
