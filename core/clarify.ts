/**
 * Asking back instead of giving up: when the intent engine is unsure it offers its two or three
 * likeliest readings, and the pipeline replies "Did you mean ..." with one button each (Slack
 * and Telegram buttons, numbered choices in the terminal). The offer is kept in the
 * conversation's state; pressing a button runs that reading as if the engine had chosen it, and
 * the choice (text, offered, chosen) is audited as `clarify:choice`, which is where
 * `a2d2 understand --export-feedback` reads new labelled examples from.
 */
import { randomUUID } from 'node:crypto';
import type { Reply } from '../services/messaging/types.ts';
import { truncate } from '../services/text/sanitize.ts';
import { canonicalName, type CommandContext, type CommandRegistry, type IntentMatch } from './registry.ts';

/** The button action of a choice; its value is `<offer id>:<index>`. */
export const CLARIFY_ACTION = 'core.clarify';
/** The audit action that records a choice (feedback for the corpus). */
export const CLARIFY_AUDIT = 'clarify:choice';

const TTL_MS = 30 * 60_000;

/** One reading offered. */
export interface Offered {
  label: string;
  commandId: string;
  args: unknown;
}

/** An offer waiting for a press, in conversation state under `clarify`. */
export interface PendingClarification {
  text: string;
  lang: string;
  userId: string;
  offered: Offered[];
  expiresAt: string;
}

type Pending = Record<string, PendingClarification>;

/** True when the match asks for a clarification (the engine offered two or more readings). */
export function wantsClarification(match: IntentMatch): boolean {
  return (match.alternatives?.length ?? 0) >= 2;
}

/** Stores the offer and builds the "Did you mean ..." reply with one button per reading. */
export async function offerChoices(ctx: CommandContext, registry: CommandRegistry, text: string, match: IntentMatch, now: Date): Promise<Reply> {
  const offered = (match.alternatives ?? [])
    .filter((a) => registry.command(a.commandId))
    .slice(0, 3)
    .map((a) => ({ label: a.label ?? a.commandId, commandId: a.commandId, args: a.args }));
  const id = randomUUID().slice(0, 12);
  const pending: Pending = { ...((ctx.conversation.state.clarify as Pending | undefined) ?? {}) };
  for (const [k, v] of Object.entries(pending)) if (Date.parse(v.expiresAt) < now.getTime()) delete pending[k];
  pending[id] = { text, lang: ctx.locale, userId: ctx.user.id, offered, expiresAt: new Date(now.getTime() + TTL_MS).toISOString() };
  await ctx.setState({ clarify: pending });
  return {
    text: ctx.t('core.clarify'),
    buttons: offered.map((o, i) => {
      const spec = registry.command(o.commandId)!;
      const label = ctx.t('core.clarify.option', { command: canonicalName(spec, ctx.locale), summary: ctx.t(spec.summaryKey) });
      return { actionId: CLARIFY_ACTION, label: truncate(label, 60, '…'), value: `${id}:${i}`, ...(i === 0 ? { style: 'primary' as const } : {}) };
    }),
  };
}

/** The choice a button press names, removed from the state; a reason when there is none. */
export async function takeChoice(ctx: CommandContext, value: string, now: Date): Promise<{ entry: PendingClarification; chosen: Offered } | 'expired' | 'notYours'> {
  const [id = '', index = ''] = value.split(':');
  const pending: Pending = (ctx.conversation.state.clarify as Pending | undefined) ?? {};
  const entry = pending[id];
  const chosen = entry?.offered[Number(index)];
  if (!entry || !chosen || Date.parse(entry.expiresAt) < now.getTime()) return 'expired';
  if (entry.userId !== ctx.user.id) return 'notYours';
  const { [id]: _used, ...rest } = pending;
  await ctx.setState({ clarify: rest });
  return { entry, chosen };
}
