/**
 * The zod schemas of the neutral message types (services/messaging/types.ts): one platform
 * list and one conversation reference, used by job payloads and configuration alike.
 */
import { z } from 'zod';
import { cleanText } from '../text/sanitize.ts';
import { PLATFORMS, type InboundEvent } from './types.ts';

/** One of {@link PLATFORMS}. */
export const platformSchema = z.enum(PLATFORMS);

/** A {@link import('./types.ts').ConversationRef} as carried in job data. */
export const conversationRefSchema = z.object({
  platform: platformSchema,
  chatId: z.string().min(1),
  threadId: z.string().optional(),
  workspaceId: z.string().optional(),
});

/** A chat named in the YAML as a destination: a channel or chat, optionally a thread or forum topic in it. */
export const destinationRefSchema = z
  .object({
    platform: platformSchema.describe('slack, telegram or terminal'),
    chatId: z.string().min(1).describe('Slack channel id (C…) or Telegram chat id (groups are negative)'),
    /** Slack thread_ts or Telegram topic id. */
    threadId: z.string().min(1).optional().describe('Slack thread ts or Telegram forum topic id to post in'),
  })
  .strict();

/**
 * Text a person typed or a platform reports about them, cleaned (see cleanText): every
 * adapter's events pass here when queued and again on the worker, so no platform's NUL or
 * lone surrogate reaches a handler or the database.
 */
const typed = (s: z.ZodString = z.string()) => s.transform(cleanText);

const inboundUser = z.object({ platformUserId: z.string().min(1), displayName: typed().optional(), locale: z.string().optional() });
const inboundBase = {
  platform: platformSchema,
  eventId: z.string().min(1).max(200),
  ref: conversationRefSchema,
  replyRef: conversationRefSchema.optional(),
  user: inboundUser,
  platformData: z.record(z.string(), z.unknown()).optional(),
};
const inboundFile = z.object({ id: z.string(), name: typed().optional(), mimeType: typed().optional(), size: z.number().optional(), url: z.string().optional() });

/** Inbound events as the adapters queue them (validated again on the worker). */
export const inboundEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...inboundBase,
    type: z.literal('message'),
    text: typed(z.string().max(40_000)),
    command: typed().optional(),
    addressed: z.boolean(),
    messageId: z.string().optional(),
    files: z.array(inboundFile).optional(),
  }),
  z.object({ ...inboundBase, type: z.literal('action'), actionId: z.string().min(1), value: typed(), messageId: z.string().optional() }),
]) as unknown as z.ZodType<InboundEvent>;
