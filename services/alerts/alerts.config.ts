/**
 * The `alerts` section of the YAML file: routes (labels -> chat destinations, quiet hours),
 * health checks, rollback runbooks per service, deploy correlation window, storm control and
 * the severity -> ticket priority mapping.
 */
import { z } from 'zod';
import { durationSchema } from '../duration.ts';
import type { ConversationRef } from '../messaging/types.ts';

/**
 * A chat destination written as `slack:C0123`, `telegram:-1001234` or, for a Telegram forum
 * topic or a Slack thread, `telegram:-1001234/42`.
 */
export const destinationSchema = z
  .string()
  .regex(/^(slack|telegram|terminal):[^\s/]+(\/[^\s/]+)?$/, 'platform:chat-id or platform:chat-id/thread-id, e.g. slack:C0123 or telegram:-1001234/42')
  .transform((s): ConversationRef => {
    const [platform, rest] = [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1)];
    const [chatId, threadId] = rest.split('/');
    return { platform: platform as ConversationRef['platform'], chatId: chatId!, ...(threadId ? { threadId } : {}) };
  });

const labelValue = z.union([z.string(), z.array(z.string()).min(1)]);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24 h)');

/** Hours during which only the listed severities are posted (the rest are stored quietly). */
export const quietHoursSchema = z.object({
  start: hhmm,
  end: hhmm,
  /** IANA time zone, e.g. Europe/Moscow. */
  timezone: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as UTC or Europe/Moscow'),
  /** Severities still posted during quiet hours. */
  allow: z.array(z.string()).default(['critical']),
});
export type QuietHours = z.infer<typeof quietHoursSchema>;

/** One routing rule: every listed label must match (a value or any of a list). */
export const routeSchema = z.object({
  match: z
    .object({ service: labelValue, severity: labelValue, environment: labelValue, source: labelValue })
    .partial()
    .catchall(labelValue)
    .default({}),
  destinations: z.array(destinationSchema).min(1),
  quietHours: quietHoursSchema.optional(),
  /** Keep evaluating later routes after this one matched. */
  continue: z.boolean().default(false),
});
export type AlertRoute = z.infer<typeof routeSchema>;

/** An HTTP health check run by the workers on a schedule. */
export const healthCheckSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 characters of A-Z, a-z, 0-9, _ . -'),
  url: z.string().url(),
  expectStatus: z.number().int().min(100).max(599).default(200),
  /** Text the body must contain. */
  expectBody: z.string().optional(),
  intervalSeconds: z.number().min(0.2).default(60),
  timeoutMs: z.number().int().positive().default(5000),
  failuresBeforeAlert: z.number().int().min(1).default(3),
  successesBeforeRecovery: z.number().int().min(1).default(2),
  service: z.string().optional(),
  environment: z.string().default('production'),
  severity: z.string().default('critical'),
  labels: z.record(z.string(), z.string()).default({}),
});
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;

const ticketPriority = z.enum(['P0', 'P1', 'P2', 'P3']);

/** The whole `alerts` section. */
export const alertsConfigSchema = z
  .object({
    routes: z.array(routeSchema).default([]),
    /** Where alerts go when no route or subscription matches; none means stored only. */
    defaultDestinations: z.array(destinationSchema).default([]),
    healthChecks: z.array(healthCheckSchema).default([]),
    /** Service -> rollback runbook URL, offered on alerts that follow a deploy of it. */
    rollbackRunbooks: z.record(z.string(), z.string().url()).default({}),
    /** Alerts this long after a deploy of their service name the deploy. */
    deployCorrelationMinutes: z.number().int().positive().default(30),
    storm: z
      .object({
        /** Alerts per minute to one destination before switching to one digest message. */
        thresholdPerMinute: z.number().int().positive().default(30),
        /** How often the digest message is refreshed during a storm. */
        digestIntervalSeconds: z.number().min(0.5).default(10),
      })
      .prefault({}),
    flapping: z
      .object({
        /** State changes within the window that mark a group as flapping. */
        changes: z.number().int().min(2).default(4),
        windowMinutes: z.number().positive().default(30),
      })
      .prefault({}),
    /** Alert severity -> ticket priority for "Open ticket". */
    ticketPriority: z.record(z.string(), ticketPriority).default({ critical: 'P1', error: 'P2', warning: 'P2', info: 'P3' }),
    /** Locale of cards posted to channels. */
    locale: z.enum(['en', 'ru']).optional(),
    /**
     * Alertmanager's own address (e.g. http://alertmanager:9093): its active silences
     * (API v2) are shown on matching cards and listed by `silences`.
     */
    alertmanagerUrl: z.string().url().optional(),
    /** A delivery identical to the group's last one within this window is a retry, not a new notification. */
    duplicateWindow: durationSchema.default('10m'),
    /**
     * The notify recovery sweep: every `every`, groups whose notify mark is older than `grace`
     * (stored, but their notify job was never queued or was lost) are queued again.
     */
    recovery: z.object({ every: durationSchema.default('1m'), grace: durationSchema.default('2m') }).prefault({}),
  })
  .prefault({});
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
