/**
 * The zod schemas of the neutral message types (services/messaging/types.ts): one platform
 * list and one conversation reference, used by job payloads and configuration alike.
 */
import { z } from 'zod';
import { PLATFORMS } from './types.ts';

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
    platform: platformSchema,
    chatId: z.string().min(1),
    /** Slack thread_ts or Telegram topic id. */
    threadId: z.string().min(1).optional(),
  })
  .strict();
