/**
 * The support-process page (docs/support-process.md), written from the configuration in
 * effect: the severities with their first-response and resolution times, business hours, the
 * escalation chains, where tickets and alerts are posted, and how to reach support. Every
 * word comes from the catalogue (support.*), so the page prints in English or Russian; the
 * figures come from the `tickets` and `alerts` sections, defaults included.
 */
import { basename } from 'node:path';
import { translator, type Locale, type Translate } from '../i18n/i18n.ts';
import { durationMs } from '../duration.ts';
import { SEVERITIES, type Destination, type TicketsConfig } from '../tickets/tickets.config.ts';
import type { AlertsConfig, AlertRoute } from '../alerts/alerts.config.ts';
import type { ConversationRef } from '../messaging/types.ts';

/** What the page is written from. */
export interface SupportProcessInput {
  tickets: TicketsConfig;
  alerts: AlertsConfig;
  /** The YAML file the figures came from; null for the defaults. */
  configPath: string | null;
  /** A2D2_PUBLIC_URL when the console is on (with A2D2_CONSOLE_SECRET), else null. */
  consoleUrl: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** A span in words: whole weeks, whole days from three days on, else hours and minutes. */
export function spanInWords(t: Translate, ms: number): string {
  const unit = (name: string, count: number) => t(`support.unit.${name}`, { count });
  if (ms >= WEEK && ms % WEEK === 0) return unit('week', ms / WEEK);
  if (ms >= 3 * DAY && ms % DAY === 0) return unit('day', ms / DAY);
  const parts: string[] = [];
  const h = Math.floor(ms / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  const s = Math.round((ms % MINUTE) / 1000);
  if (h) parts.push(unit('hour', h));
  if (m) parts.push(unit('minute', m));
  if (s || parts.length === 0) parts.push(unit('second', s));
  return parts.join(' ');
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** A target time, and for a business-hours clock the working days it amounts to. */
function target(t: Translate, locale: Locale, value: string | null, business: boolean, dayMinutes: number): string {
  if (value === null) return t('support.noTarget');
  const ms = durationMs(value);
  const time = spanInWords(t, ms);
  if (!business || ms <= dayMinutes * MINUTE) return time;
  const days = Math.round((ms / (dayMinutes * MINUTE)) * 10) / 10;
  const shown = new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB').format(days);
  return t('support.workingDays.about', { time, days: t('support.workingDays', { count: days, days: shown }) });
}

function severityTable(t: Translate, locale: Locale, tickets: TicketsConfig): string[] {
  const { start, end } = tickets.businessHours;
  const dayMinutes = minutesOf(end) - minutesOf(start);
  const head = ['table.severity', 'table.meaning', 'table.response', 'table.resolution', 'table.counted'].map((k) => t(`support.${k}`));
  const rows = SEVERITIES.map((sev) => {
    const p = tickets.sla[sev];
    return [
      `**${sev}**`,
      t(`tickets.severity.${sev}`),
      target(t, locale, p.firstResponse, p.businessHours, dayMinutes),
      target(t, locale, p.resolution, p.businessHours, dayMinutes),
      t(p.businessHours ? 'support.counted.business' : 'support.counted.always'),
    ];
  });
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** Working days as words: a run of three or more consecutive days as "Monday–Friday". */
function dayList(locale: Locale, days: number[]): string {
  const name = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { weekday: 'long', timeZone: 'UTC' });
  // 2023-01-01 was a Sunday (day 0).
  const word = (d: number) => name.format(new Date(Date.UTC(2023, 0, 1 + d)));
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const d of sorted) {
    const last = runs.at(-1);
    if (last && last.at(-1) === d - 1) last.push(d);
    else runs.push([d]);
  }
  return runs.map((r) => (r.length >= 3 ? `${word(r[0]!)}–${word(r.at(-1)!)}` : r.map(word).join(', '))).join(', ');
}

function hoursSection(t: Translate, locale: Locale, tickets: TicketsConfig): string[] {
  const b = tickets.businessHours;
  const days = dayList(locale, b.days);
  const text = t('support.hours.text', { days: days.charAt(0).toUpperCase() + days.slice(1), start: b.start, end: b.end, tz: tickets.timeZone });
  const holidays = b.holidays.length ? t('support.hours.holidays', { dates: b.holidays.join(', ') }) : t('support.hours.noHolidays');
  return [text, '', holidays, '', t('support.hours.note')];
}

/** A chat as the YAML names it: `slack:C0123`, `telegram:-1001/42`. */
function chat(ref: ConversationRef | Destination): string {
  return `\`${ref.platform}:${ref.chatId}${ref.threadId ? `/${ref.threadId}` : ''}\``;
}

function escalationSection(t: Translate, tickets: TicketsConfig): string[] {
  const lines = [t('support.escalation.intro', { ratio: Math.round(tickets.atRiskRatio * 100) }), ''];
  for (const sev of SEVERITIES) {
    const steps = tickets.escalation[sev] ?? [];
    if (steps.length === 0) {
      lines.push(`- **${sev}**: ${t('support.escalation.none')}`);
      continue;
    }
    lines.push(`- **${sev}**:`);
    steps.forEach((step, i) => {
      const ms = durationMs(step.after);
      const when = i === 0 || ms === 0 ? t('support.escalation.atBreach') : t('support.escalation.after', { time: spanInWords(t, ms) });
      const to = step.to ? chat(step.to) : t('support.escalation.toThread');
      lines.push(`  ${i + 1}. ${when}: ${step.mention ? t('support.escalation.mention', { to, mention: `\`${step.mention}\`` }) : to}`);
    });
  }
  return lines;
}

function routeLine(t: Translate, route: AlertRoute): string {
  const labels = Object.entries(route.match).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`);
  const match = labels.length ? `\`${labels.join(', ')}\`` : t('support.channels.matchAll');
  const base = t('support.channels.route', { match, to: route.destinations.map(chat).join(', ') }) + (route.continue ? ' (`continue`)' : '');
  const q = route.quietHours;
  return q ? t('support.channels.quiet', { route: base, start: q.start, end: q.end, tz: q.timezone, allow: q.allow.join(', ') }) : base;
}

function channelsSection(t: Translate, tickets: TicketsConfig, alerts: AlertsConfig): string[] {
  const lines = [tickets.triage ? t('support.channels.triage', { to: chat(tickets.triage) }) : t('support.channels.noTriage'), ''];
  if (alerts.routes.length) {
    lines.push(t('support.channels.routes'), '', ...alerts.routes.map((r, i) => `${i + 1}. ${routeLine(t, r)}`));
  } else {
    lines.push(t('support.channels.noRoutes'));
  }
  lines.push('');
  lines.push(alerts.defaultDestinations.length ? t('support.channels.default', { to: alerts.defaultDestinations.map(chat).join(', ') }) : t('support.channels.noDefault'));
  lines.push('', t('support.channels.subscribe'));
  return lines;
}

function contactSection(t: Translate, input: SupportProcessInput): string[] {
  const url = input.consoleUrl ? `${input.consoleUrl.replace(/\/+$/, '')}/console` : null;
  return [
    `- ${t('support.contact.chat')}`,
    `- ${t('support.contact.follow')}`,
    `- ${url ? t('support.contact.console', { url }) : t('support.contact.noConsole')}`,
    `- ${t('support.contact.api')}`,
    `- ${t('support.contact.handlers', { role: `\`${input.tickets.handlerRole}\`` })}`,
  ];
}

/** The whole page as Markdown, ending with one newline. */
export function supportProcessPage(input: SupportProcessInput, locale: Locale): string {
  const t = translator(locale);
  const source = input.configPath ? t('support.source.file', { file: `\`${basename(input.configPath)}\`` }) : t('support.source.defaults');
  const section = (key: string, body: string[]) => ['', `## ${t(key)}`, '', ...body];
  return [
    `# ${t('support.title')}`,
    '',
    t('support.generated', { source }),
    ...section('support.severities.title', [t('support.severities.intro'), '', ...severityTable(t, locale, input.tickets)]),
    ...section('support.hours.title', hoursSection(t, locale, input.tickets)),
    ...section('support.escalation.title', escalationSection(t, input.tickets)),
    ...section('support.channels.title', channelsSection(t, input.tickets, input.alerts)),
    ...section('support.contact.title', contactSection(t, input)),
    '',
  ].join('\n');
}
