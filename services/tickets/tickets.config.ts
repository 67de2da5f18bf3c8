/**
 * The `tickets` section of the YAML file: SLA policy per severity (defaults from the support
 * process: first response P0 1 h, P1 4 h, P2 24 h, P3 48 h; resolution P0 4 h, P1 24 h,
 * P2 1 week, P3 none), business hours and time zone, the triage destination, and escalation
 * chains per severity.
 *
 * Durations are written with a unit ('4h', '90m', '5s'; services/duration.ts).
 */
import { z } from 'zod';
import { CronExpressionParser } from 'cron-parser';
import { ROLES } from '../users/roles.ts';
import { durationSchema, type Duration } from '../duration.ts';
import { destinationRefSchema } from '../messaging/schemas.ts';

/** Ticket severities, most urgent first. */
export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** True for 'P0'..'P3'. */
export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/**
 * Maps a "critical/high/medium/low" style level (alerts, other systems) onto a severity:
 * critical -> P1 (a person confirms before it becomes P0), high -> P1, warning/medium -> P2,
 * info/low -> P3.
 */
export function severityFromLevel(level: string | null | undefined): Severity {
  switch ((level ?? '').toLowerCase()) {
    case 'critical':
    case 'high':
    case 'error':
      return 'P1';
    case 'warning':
    case 'warn':
    case 'medium':
      return 'P2';
    default:
      return 'P3';
  }
}

export { durationSchema, durationMs, type Duration } from '../duration.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A chat destination: a Slack channel, a Telegram chat, or a Telegram forum topic. */
export const destinationSchema = destinationRefSchema.extend({
  /** Language of messages posted there; default: the file's defaultLocale. */
  locale: z.enum(['en', 'ru']).optional().describe('Language of messages posted there; default `defaultLocale`'),
});
export type Destination = z.infer<typeof destinationSchema>;

function policy(firstResponse: Duration | null, resolution: Duration | null, businessHours: boolean) {
  return z
    .object({
      /** Time to the first response (acknowledge or assign); null: no target. */
      firstResponse: durationSchema.nullable().default(firstResponse).describe('Time to the first response (acknowledge or assign), e.g. `4h`; null: no target'),
      /** Time to resolution; null: no target (e.g. "next release"). */
      resolution: durationSchema.nullable().default(resolution).describe('Time to resolution; null: no target. `1w` counts business hours when `businessHours` is true'),
      /** Count only business hours (see `businessHours`); false: around the clock. */
      businessHours: z.boolean().default(businessHours).describe('Count only `tickets.businessHours` (a clock pauses outside them); false: around the clock'),
    })
    .strict()
    .describe(`Clocks of this severity (default first response ${firstResponse ?? 'none'}, resolution ${resolution ?? 'none'}, ${businessHours ? 'business hours' : 'around the clock'})`)
    .prefault({});
}

function isCron(expr: string): boolean {
  try {
    CronExpressionParser.parse(expr);
    return true;
  } catch {
    return false;
  }
}

/** The weekly SLA report: the figures and the chart of `sla`, posted on a schedule. */
export const slaReportSchema = z
  .object({
    cron: z.string().refine(isCron, 'a cron expression such as "0 9 * * 1"').default('0 9 * * 1').describe('When the report is posted: a cron expression (minute hour day month weekday, or with seconds first), in `tickets.timeZone`. Default Mondays 09:00'),
    days: z.number().int().min(7).max(365).default(28).describe('Window of the figures and the chart, in days'),
    chats: z.array(destinationSchema).max(20).default([]).describe('Chats the report is posted to (platform, chatId, optional threadId and locale); the report is off while this is empty'),
  })
  .strict()
  .prefault({});
export type SlaReportConfig = z.infer<typeof slaReportSchema>;

/** One escalation step: where to post, whom to mention, how long after the breach. */
export const escalationStepSchema = z
  .object({
    /** Delay after the breach; the first step always goes out with the breach notice. */
    after: durationSchema.default('0s').describe('Delay of this step after the breach; the first step always goes out with the breach notice'),
    /** Destination; default: the triage destination (in the ticket's thread). */
    to: destinationSchema.optional().describe('Chat to post the step in; default the triage chat, in the ticket\'s thread'),
    /** Text put in front of the notice, e.g. '<!subteam^S0123>' or '@oncall'. */
    mention: z.string().max(200).optional().describe('Text put in front of the notice, e.g. `<!subteam^S0123>` or `@oncall`'),
  })
  .strict();
export type EscalationStep = z.infer<typeof escalationStepSchema>;

/** The `tickets` YAML section. */
export const ticketsConfigSchema = z
  .object({
    /** IANA time zone for business hours and shown times. */
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Moscow').default('Europe/Moscow').describe('IANA time zone of business hours, holidays, the SLA report\'s schedule and the times shown'),
    businessHours: z
      .object({
        /** Working days, 0 = Sunday ... 6 = Saturday. */
        days: z.array(z.number().int().min(0).max(6)).min(1).default([1, 2, 3, 4, 5]).describe('Working days, 0 = Sunday ... 6 = Saturday'),
        start: hhmm.default('09:00').describe('Start of the working day, HH:MM in `tickets.timeZone`'),
        end: hhmm.default('18:00').describe('End of the working day, HH:MM (24:00 allowed); after start'),
        /** Non-working dates, YYYY-MM-DD, in the time zone above. */
        holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')).default([])
          .describe('Non-working dates, YYYY-MM-DD, in `tickets.timeZone`'),
      })
      .strict()
      .describe('The hours business-hours clocks count (P2 and P3 by default)')
      .refine((b) => b.start < b.end, { message: 'start must be before end', path: ['end'] })
      .prefault({}),
    sla: z
      .object({
        P0: policy('1h', '4h', false),
        P1: policy('4h', '24h', false),
        P2: policy('24h', '1w', true),
        P3: policy('48h', null, true),
      })
      .strict()
      .describe('SLA clocks per severity: first response and resolution targets')
      .prefault({}),
    /** Share of a window after which a ticket is "at risk". */
    atRiskRatio: z.number().gt(0).lt(1).default(0.8).describe('Share of a clock\'s window after which a ticket is "at risk" (warned in its thread and listed by `tickets at-risk`)'),
    /** How often the sweep looks for overdue check points whose timer job is gone. */
    sweepEvery: durationSchema.default('5s').describe('How often the SLA sweep looks for overdue clock checks whose timer job is gone (its add failed while Redis was away, or Redis lost it); one indexed query, and a job lookup per overdue ticket'),
    /** How long an overdue check point is left to a timer job that is still on its way. */
    sweepGrace: durationSchema.default('30s').describe('How long the sweep leaves an overdue check point to its timer job while that job is still queued or running (a check point without a job is evaluated at once)'),
    /** Where new tickets are posted as a card for the support team. */
    triage: destinationSchema.optional().describe('Chat where every new ticket is posted as a card for the support team (and escalation steps without `to`); unset: no triage card'),
    /** Escalation chain per severity, applied when a clock breaches. */
    escalation: z.partialRecord(z.enum(SEVERITIES), z.array(escalationStepSchema).max(10)).default({}).describe('Severity -> escalation steps (up to 10), run when a clock of a ticket of that severity breaches'),
    /** Trigram similarity above which an open ticket is suggested as a duplicate. */
    duplicateThreshold: z.number().min(0).max(1).default(0.45).describe('Title similarity (trigram, 0-1) above which an open ticket is suggested as a possible duplicate of a new one'),
    /** Lowest role that may handle tickets (acknowledge, assign, resolve, change severity). */
    handlerRole: z.enum(ROLES).default('operator').describe('Lowest role that may handle tickets (acknowledge, assign, resolve, change severity); anyone may report, and a reporter may comment on, resume, close and reopen their own'),
    /** The weekly SLA report (see slaReportSchema); off by default. */
    slaReport: slaReportSchema.describe('The weekly SLA report: the `sla` figures and chart posted on a schedule to the chats listed; off while `chats` is empty'),
  })
  .strict()
  .describe('Tickets: SLA policy, business hours, triage chat, escalation chains, the SLA report')
  .prefault({});

export type TicketsConfig = z.infer<typeof ticketsConfigSchema>;
