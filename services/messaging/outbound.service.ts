/**
 * The outbound port: anything that wants to speak to a chat (a command reply, an SLA breach,
 * an alert) hands a neutral {@link OutboundRequest} to `send`. It is stored in Postgres and
 * queued by id; the sender worker renders and delivers it. Platforms that deliver in-process
 * (the terminal) get it directly.
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Queues } from '../queues.ts';
import { PRIORITY_RANK, type OutboundRequest, type Platform, type Reply, type ConversationRef } from './types.ts';

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
  /** The outbound row being delivered: a sender that can look posts up later tags the post with it. */
  deliveryId?: string;
}

/** Where {@link PlatformSender.findDelivered} looks. */
export interface FindDeliveredOptions {
  /** Only messages posted at or after this time (epoch ms) are looked at. */
  sinceMs: number;
  /** The message the post answered (its thread), as passed to `post`. */
  replyToMessageId?: string;
}

/** Delivers to a platform; implemented by each adapter's renderer. */
export interface PlatformSender {
  readonly platform: Platform;
  /** Posts a new message; returns its platform id. */
  post(ref: ConversationRef, reply: Reply, opts?: PostOptions): Promise<{ messageId: string }>;
  /** Replaces the content of an existing message. */
  edit(ref: ConversationRef, messageId: string, reply: Reply): Promise<void>;
  /**
   * Optional: the id of the message an earlier `post` with this `deliveryId` created, or null
   * when there is none. Lets the sender recover a post whose worker died before recording it.
   */
  findDelivered?(ref: ConversationRef, deliveryId: string, opts: FindDeliveredOptions): Promise<string | null>;
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

/** What the port needs; `logger` and `metrics` report enqueues that failed after the row was stored. */
export interface OutboundPortDeps {
  db: Db;
  queues: Queues;
  direct?: Partial<Record<Platform, DirectDelivery>>;
  logger?: Logger;
  metrics?: Pick<Metrics, 'outboundMessages'>;
}

/**
 * The port: writes the row first, then queues its job. Once the row is stored the message is
 * owed, so a failed enqueue (Redis down at that moment) does not fail the caller: it is
 * logged and counted (`a2d2_outbound_messages_total{outcome="enqueue_failed"}`), and the
 * sender's recovery sweep queues the row later under the same job id.
 */
export function createOutbound(deps: OutboundPortDeps): OutboundPort {
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
          priority: PRIORITY_RANK[req.priority ?? 'normal'],
          reply: { ...req, ref: req.ref } as object,
        },
        select: { id: true },
      });
      try {
        await deps.queues.add<OutboundJob>(OUTBOUND_QUEUE, { outboundId: row.id }, { jobId: outboundJobId(row.id) });
      } catch (err) {
        const op = req.editMessageId ? 'edit' : 'post';
        deps.metrics?.outboundMessages.inc({ platform: req.ref.platform, op, outcome: 'enqueue_failed' });
        deps.logger?.warn(
          { outboundId: row.id, platform: req.ref.platform, err: err instanceof Error ? err.message : String(err) },
          'outbound row stored but not queued; the recovery sweep will queue it',
        );
      }
      return row.id;
    },
  };
}
