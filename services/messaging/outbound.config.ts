/**
 * The `outbound` section of the YAML file: send-rate limits per platform (overrides of the
 * sender's defaults) and how many platform calls one message may take. Example:
 *
 * ```yaml
 * outbound:
 *   maxAttempts: 8
 *   limits:
 *     telegram:
 *       perChat: { count: 1, windowMs: 1000 }
 *       group: { count: 20, windowMs: 60000, chatIdPattern: "^-" }
 *       global: { count: 30, windowMs: 1000 }
 *   recovery: { every: 10s, grace: 5s, giveUp: 1d }
 * ```
 */
import { z } from 'zod';
import { durationSchema } from '../duration.ts';
import { platformSchema } from './schemas.ts';

const windowLimitSchema = z.object({
  count: z.number().int().positive().describe('Messages allowed in one window'),
  windowMs: z.number().int().positive().describe('The window, in ms'),
});

const regexString = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, 'a regular expression');

/** Per-platform overrides; each limit given replaces the default of that limit only. */
export const outboundLimitsSchema = z.partialRecord(
  platformSchema,
  z
    .object({
      /** Every chat on its own. */
      perChat: windowLimitSchema.optional().describe('Limit of every chat on its own'),
      /** Chats whose id matches `chatIdPattern` (e.g. Telegram groups: "^-"). */
      group: windowLimitSchema
        .extend({ chatIdPattern: regexString.describe('Regular expression of the chat ids this limit applies to') })
        .optional()
        .describe('Limit of the chats whose id matches `chatIdPattern` (e.g. Telegram groups: "^-")'),
      /** All chats of the platform's token together. */
      global: windowLimitSchema.optional().describe('Limit of all chats of the platform\'s token together'),
    })
    .strict()
    .describe('Send limits of one platform'),
);
export type OutboundLimitsOverride = z.infer<typeof outboundLimitsSchema>;

export const outboundConfigSchema = z
  .object({
    limits: outboundLimitsSchema.default({}).describe('Platform -> send limits; each limit given replaces the sender\'s default of that limit only'),
    /** Platform calls per message (429s and transient errors alike) before it is marked failed. */
    maxAttempts: z.number().int().min(1).max(50).default(8).describe('Platform calls per message (429s and transient errors alike) before it is marked failed'),
    /**
     * The recovery sweep: every `every`, queued rows older than `grace` whose queue job is
     * missing or ended (an enqueue that failed, a worker killed, Redis data lost) are queued
     * again under their job id; rows stranded longer than `giveUp` are failed instead.
     */
    recovery: z
      .object({
        every: durationSchema.default('10s').describe('How often the outbound recovery sweep runs'),
        grace: durationSchema.default('5s').describe('Age of a queued message whose job is missing or ended after which it is queued again (queuing again is idempotent by job id; the grace only spares the lookups of rows whose enqueue is on its way)'),
        giveUp: durationSchema.default('1d').describe('Age after which a stranded message is marked failed instead'),
      })
      .strict()
      .describe('The recovery sweep of queued messages (an enqueue that failed, a worker killed, Redis data lost)')
      .prefault({}),
  })
  .strict()
  .describe('Sending to chats: per-chat and per-platform limits, retry bounds')
  .prefault({});
export type OutboundConfig = z.infer<typeof outboundConfigSchema>;
