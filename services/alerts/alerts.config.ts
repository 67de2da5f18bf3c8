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
  start: hhmm.describe('Start of the quiet hours, HH:MM in `timezone`'),
  end: hhmm.describe('End (not included), HH:MM; earlier than start means the range wraps past midnight; equal to start: never quiet'),
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
    }, 'an IANA time zone such as UTC or Europe/Moscow')
    .describe('IANA time zone of start and end, e.g. Europe/Moscow'),
  /** Severities still posted during quiet hours. */
  allow: z.array(z.string()).default(['critical']).describe('Severities still posted during quiet hours; the others are stored and listed by `alerts`, not posted'),
});
export type QuietHours = z.infer<typeof quietHoursSchema>;

/** One routing rule: every listed label must match (a value or any of a list). */
export const routeSchema = z.object({
  match: z
    .object({
      service: labelValue.describe('Service label, e.g. `api`, or a list of services'),
      severity: labelValue.describe('Severity label as the source sends it, e.g. `critical`, `warning`'),
      environment: labelValue.describe('Environment label, e.g. `production`'),
      source: labelValue.describe('Where the alert came from: `alertmanager`, `grafana`, `health`, ...'),
    })
    .partial()
    .catchall(labelValue)
    .default({})
    .describe('Labels that must all match (a value, or a list of which any matches); service, severity, environment, source or any label of the alert. Empty matches every alert'),
  destinations: z.array(destinationSchema).min(1).describe('Chats to post to: `slack:C0123`, `telegram:-1001234`, `telegram:-1001234/42` (a forum topic or Slack thread)'),
  quietHours: quietHoursSchema.optional().describe('Hours during which this route posts only the `allow` severities'),
  /** Keep evaluating later routes after this one matched. */
  continue: z.boolean().default(false).describe('Keep evaluating later routes after this one matched (default: the first match wins)'),
});
export type AlertRoute = z.infer<typeof routeSchema>;

/** An HTTP health check run by the workers on a schedule. */
export const healthCheckSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 characters of A-Z, a-z, 0-9, _ . -').describe('Name of the check; also the alert\'s service when `service` is unset'),
  url: z.string().url().describe('URL fetched with GET (redirects are not followed)'),
  expectStatus: z.number().int().min(100).max(599).default(200).describe('HTTP status that counts as healthy'),
  /** Text the body must contain. */
  expectBody: z.string().optional().describe('Text the body must contain to count as healthy'),
  intervalSeconds: z.number().min(0.2).default(60).describe('Seconds between two checks'),
  timeoutMs: z.number().int().positive().default(5000).describe('Time one check may take; longer counts as a failure'),
  failuresBeforeAlert: z.number().int().min(1).default(3).describe('Failures in a row before a firing alert is raised'),
  successesBeforeRecovery: z.number().int().min(1).default(2).describe('Successes in a row before the alert resolves'),
  service: z.string().optional().describe('`service` label of the alert; default the check\'s name'),
  environment: z.string().default('production').describe('`environment` label of the alert'),
  severity: z.string().default('critical').describe('`severity` label of the alert'),
  labels: z.record(z.string(), z.string()).default({}).describe('More labels of the alert, for routing'),
});
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;

const ticketPriority = z.enum(['P0', 'P1', 'P2', 'P3']);

/** The whole `alerts` section. */
export const alertsConfigSchema = z
  .object({
    routes: z.array(routeSchema).default([]).describe('Routing rules in order: the first that matches decides (with `continue`, later ones add chats); chats subscribed with `subscribe` are added'),
    /** Where alerts go when no route or subscription matches; none means stored only. */
    defaultDestinations: z.array(destinationSchema).default([]).describe('Where alerts go when no route or subscription matches; empty: such alerts are stored only'),
    healthChecks: z.array(healthCheckSchema).default([]).describe('HTTP checks the workers run on a schedule; a failing one raises an alert (source `health`)'),
    /** Service -> rollback runbook URL, offered on alerts that follow a deploy of it. */
    rollbackRunbooks: z.record(z.string(), z.string().url()).default({}).describe('Service -> rollback runbook URL, offered on alerts that follow a deploy of that service'),
    /** Alerts this long after a deploy of their service name the deploy. */
    deployCorrelationMinutes: z.number().int().positive().default(30).describe('An alert this many minutes or less after a deploy of its service names the deploy on its card'),
    storm: z
      .object({
        /** Alerts per minute to one destination before switching to one digest message. */
        thresholdPerMinute: z.number().int().positive().default(30).describe('Alerts per minute to one chat before it gets one digest message instead of a card each'),
        /** How often the digest message is refreshed during a storm. */
        digestIntervalSeconds: z.number().min(0.5).default(10).describe('How often the digest message is refreshed during a storm'),
      })
      .describe('Storm control: many alerts to one chat become one digest')
      .prefault({}),
    flapping: z
      .object({
        /** State changes within the window that mark a group as flapping. */
        changes: z.number().int().min(2).default(4).describe('Firing/resolved changes within the window that mark an alert group as flapping'),
        windowMinutes: z.number().positive().default(30).describe('The window, in minutes'),
      })
      .describe('Flapping detection: a group that keeps firing and resolving is marked on its card')
      .prefault({}),
    /** Alert severity -> ticket priority for "Open ticket". */
    ticketPriority: z.record(z.string(), ticketPriority).default({ critical: 'P1', error: 'P2', warning: 'P2', info: 'P3' }).describe('Alert severity -> priority of the ticket "Open ticket" creates; a severity not listed gives P2'),
    /** Locale of cards posted to channels. */
    locale: z.enum(['en', 'ru']).optional().describe('Language of alert cards posted to chats; default `defaultLocale`'),
    /**
     * Alertmanager's own address (e.g. http://alertmanager:9093): its active silences
     * (API v2) are shown on matching cards and listed by `silences`.
     */
    alertmanagerUrl: z.string().url().optional().describe('Alertmanager\'s own address (e.g. http://alertmanager:9093): its active silences (API v2) are shown on matching cards and listed by `silences`'),
    /** A delivery identical to the group's last one within this window is a retry, not a new notification. */
    duplicateWindow: durationSchema.default('10m').describe('A delivery identical to the group\'s last one within this window is a retry, not a new notification'),
    /**
     * The notify recovery sweep: every `every`, groups whose notify mark has no live notify job
     * (stored, but the job was never queued or was lost, e.g. in a Redis failover) are queued
     * again once the mark is 5 s old; a group whose job is still waiting or running only once
     * its mark is older than `grace`.
     */
    recovery: z
      .object({
        every: durationSchema.default('10s').describe('How often the notify recovery sweep runs'),
        grace: durationSchema
          .default('2m')
          .describe('Age of a notify mark after which its group is queued again even though its notify job is still waiting or running (a group with no live job is queued once its mark is 5 s old, or `grace` when shorter)'),
      })
      .describe('The notify recovery sweep: stored groups whose notify job was never queued or was lost are queued again')
      .prefault({}),
  })
  .describe('Alert routing, health checks, deploy correlation, storm control (docs/alerts.md)')
  .prefault({});
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
