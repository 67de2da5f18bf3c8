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
 * ```
 */
import { z } from 'zod';
import { platformSchema } from './schemas.ts';

const windowLimitSchema = z.object({
  count: z.number().int().positive(),
  windowMs: z.number().int().positive(),
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
      perChat: windowLimitSchema.optional(),
      /** Chats whose id matches `chatIdPattern` (e.g. Telegram groups: "^-"). */
      group: windowLimitSchema.extend({ chatIdPattern: regexString }).optional(),
      /** All chats of the platform's token together. */
      global: windowLimitSchema.optional(),
    })
    .strict(),
);
export type OutboundLimitsOverride = z.infer<typeof outboundLimitsSchema>;

export const outboundConfigSchema = z
  .object({
    limits: outboundLimitsSchema.default({}),
    /** Platform calls per message (429s and transient errors alike) before it is marked failed. */
    maxAttempts: z.number().int().min(1).max(50).default(8),
  })
  .strict()
  .prefault({});
export type OutboundConfig = z.infer<typeof outboundConfigSchema>;
