/**
 * Reading what people type after the tickets commands: the `ticket` argument union (also the
 * LLM tool schema), the operation words in English and Russian, the list views, and the title
 * taken from free text.
 */
import { z } from 'zod';
import { SEVERITIES } from '../../services/tickets/tickets.config.ts';
import { codePoints, isBlank, truncate } from '../../services/text/sanitize.ts';

const severityEnum = z.enum(SEVERITIES);
const ticketId = z.number().int().positive();

/** Operations on an existing ticket. */
export const OPS = ['ack', 'start', 'assign', 'wait', 'resume', 'resolve', 'close', 'reopen', 'severity', 'confirm', 'comment'] as const;
export type Op = (typeof OPS)[number];

/** Words (English and Russian) for each operation after `ticket`. */
const OP_WORDS: Record<string, Op> = {
  ack: 'ack', acknowledge: 'ack', принять: 'ack', принял: 'ack',
  start: 'start', take: 'start', взять: 'start', 'в_работу': 'start',
  assign: 'assign', назначить: 'assign',
  wait: 'wait', ask: 'wait', ждать: 'wait', спросить: 'wait',
  resume: 'resume', продолжить: 'resume',
  resolve: 'resolve', resolved: 'resolve', fix: 'resolve', решено: 'resolve', решить: 'resolve', решен: 'resolve',
  close: 'close', закрыть: 'close',
  reopen: 'reopen', переоткрыть: 'reopen',
  severity: 'severity', sev: 'severity', priority: 'severity', приоритет: 'severity', важность: 'severity',
  confirm: 'confirm', подтвердить: 'confirm',
  comment: 'comment', note: 'comment', комментарий: 'comment', коммент: 'comment',
};

/**
 * Text typed in chat, trimmed and cut to `n` code points with an ellipsis (never in the middle
 * of an emoji or a letter with its marks): a long message still makes its ticket. The pipe's
 * output side keeps the string type in the LLM tool schema.
 */
const cut = (n: number) => z.string().transform((s) => truncate(s.trim(), n, '…')).pipe(z.string());

/**
 * A title of at least 3 code points; a blank one (only whitespace or zero-width characters)
 * passes here so the handler can refuse it with the catalogue's reply in the user's language.
 */
const titleArg = cut(300).refine((s) => isBlank(s) || codePoints(s) >= 3, { message: 'must be at least 3 characters' });

/** Arguments of `ticket` (also the LLM tool schema). */
export const ticketArgsSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('create'),
    title: titleArg,
    severity: severityEnum.optional(),
    description: cut(20_000).optional(),
    component: cut(100).optional(),
  }),
  z.object({ op: z.literal('guided') }),
  z.object({ op: z.literal('show'), id: ticketId }),
  z.object({ op: z.enum(OPS), id: ticketId, severity: severityEnum.optional(), text: z.string().max(10_000).optional() }),
]);
export type TicketArgs = z.infer<typeof ticketArgsSchema>;

/** Reads `ticket ...` text: `P1 title | description`, `12`, `resolve 12 note`, or nothing. */
export function parseTicketText(raw: string): unknown {
  const text = raw.trim();
  if (!text) return { op: 'guided' };
  const show = /^#?(\d+)$/.exec(text);
  if (show) return { op: 'show', id: Number(show[1]) };
  const m = /^(\S+)\s+#?(\d+)\b\s*([\s\S]*)$/.exec(text);
  const op = m ? OP_WORDS[m[1]!.toLowerCase()] : undefined;
  if (m && op) {
    const rest = m[3]!.trim();
    if (op === 'severity') {
      const sev = rest.split(/\s+/)[0]?.toUpperCase();
      return { op, id: Number(m[2]), ...(sev ? { severity: sev } : {}) };
    }
    return { op, id: Number(m[2]), ...(rest ? { text: rest } : {}) };
  }
  const about = aboutTicket(text);
  if (about) return about;
  const sev = /^(p[0-3])\b[\s:,-]*([\s\S]*)$/i.exec(text);
  const body = sev ? sev[2]!.trim() : text;
  // "title | description" or "title\ndescription".
  const split = /^([^|\n]+)[|\n]([\s\S]*)$/.exec(body);
  const title = (split ? split[1]! : body).trim();
  const description = split ? split[2]!.trim() : '';
  return { op: 'create', title, ...(sev ? { severity: sev[1]!.toUpperCase() } : {}), ...(description ? { description } : {}) };
}

// Verb forms in a sentence about a ticket ("ticket 99 can be closed", "заявку 250 можно закрывать").
const PROSE_OPS: [RegExp, Op][] = [
  [/^(reopen|reopened|reopening|переоткр\p{L}*)$/u, 'reopen'],
  [/^(close|closed|closing|закры\p{L}*|закро\p{L}*)$/u, 'close'],
  [/^(resolve|resolved|resolving|fixed|решен\p{L}*|решён\p{L}*|реши\p{L}*)$/u, 'resolve'],
  [/^(ack|acked|acknowledge|acknowledged|прими|принят\p{L}*)$/u, 'ack'],
];

/**
 * "12 - who is on it?", "99 can be closed", "47: is anyone looking?": a sentence about an
 * existing ticket, not the title of a new one. It needs a separator or a question after the
 * number, or a verb of an operation; "500 errors on checkout" stays a new ticket's title.
 */
function aboutTicket(text: string): { op: Op | 'show'; id: number } | null {
  const m = /^#?(\d{1,9})(?:\s*([-–—:,?])|\s+)([\s\S]*)$/u.exec(text);
  if (!m) return null;
  const id = Number(m[1]);
  const rest = m[3]!.toLowerCase();
  const op = rest.split(/[^\p{L}]+/u).map((w) => PROSE_OPS.find(([re]) => re.test(w))?.[1]).find(Boolean);
  if (op) return { op, id };
  return m[2] || rest.includes('?') ? { op: 'show', id } : null;
}

/** Title for free text: its first sentence or line, at most 120 code points (cut ones end with '…'). */
export function titleFromText(text: string): string {
  const first = text.trim().split(/\n|(?<=[.!?])\s/)[0] ?? text;
  return truncate(first.trim(), 120, '…');
}

/** The list views of `tickets`. */
export const LIST_VIEWS = ['open', 'mine', 'at_risk', 'breached', 'all'] as const;

/** Words (English and Russian) for each list view after `tickets`. */
const VIEW_WORDS: Record<string, string> = {
  '': 'open', open: 'open', открытые: 'open',
  mine: 'mine', my: 'mine', мои: 'mine',
  at_risk: 'at_risk', risk: 'at_risk', под_угрозой: 'at_risk', риск: 'at_risk',
  breached: 'breached', overdue: 'breached', просрочены: 'breached', просроченные: 'breached',
  all: 'all', все: 'all',
};

/** Reads `tickets ...` text: a view name in either language (unknown words fail validation). */
export function parseListView(raw: string): { view: string } {
  const w = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return { view: VIEW_WORDS[w] ?? w };
}

/** Reads `sla ...` text: a number of days, with or without a trailing `d`. */
export function parseSlaDays(raw: string): { days?: number } {
  return raw.trim() ? { days: Number(raw.trim().replace(/d$/i, '')) } : {};
}
