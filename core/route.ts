/**
 * The first step of routing, shared by the pipeline and `a2d2 understand`: a slash command, a
 * `/word` or `!word`, or, in a message addressed to the bot, a command word at its start. A
 * command word that opens a sentence ("status of ticket 88", "start the smoke test", "ask the
 * agent to ...") is left to the intent engine: the word after it reads as prose, not arguments.
 * A command word followed by a marked number ("ask #1 why ...", "спросить №1 почему ...") names
 * what it acts on, so it runs that command whatever the rest sounds like.
 */
import type { CommandContext, CommandRegistry, CommandSpec, IntentEngine, IntentMatch } from './registry.ts';
import type { InboundMessage } from '../services/messaging/types.ts';

/** Splits "ticket P1 title" into the first word and the rest. */
export function splitCommand(line: string): { word: string; rest: string } {
  const m = /^\s*[/!]?([^\s@]+)(?:@\S+)?\s*([\s\S]*)$/.exec(line);
  return { word: (m?.[1] ?? '').toLowerCase(), rest: (m?.[2] ?? '').trim() };
}

// Words that continue a sentence after a verb or noun: articles, prepositions, pronouns. Not
// question words: "ask what is the total due?" and "ai how do we roll back" are the question.
const PROSE_NEXT = /^(of|the|a|an|for|to|me|my|with|about|on|at|in|is|are|was|from|this|that|please|pls|про|по|для|мне|мои|меня|на|о|об|у|из|с|за|пожалуйста|плз)$/i;

/** True when `rest` starts like the rest of a sentence rather than a command's arguments. */
export function readsAsProse(rest: string): boolean {
  const next = rest.split(/\s+/)[0] ?? '';
  return PROSE_NEXT.test(next.replace(/[,.:;!?]+$/, ''));
}

// "#12", "№ 12": the marked number a command acts on (a ticket, a document).
const MARKED_REFERENCE = /^[#№]\s*\d/;

/** The command a message names explicitly, with the text after the command word; null when it names none. */
export function explicitCommand(registry: CommandRegistry, event: Pick<InboundMessage, 'command' | 'text' | 'addressed'>): { spec: CommandSpec<unknown>; raw: string; loose?: boolean } | null {
  if (event.command && event.command !== 'a2d2') {
    const spec = registry.bySlashName(event.command) ?? registry.byAlias(event.command);
    if (spec) return { spec, raw: event.text.trim() };
  }
  const line = event.text;
  const { word, rest } = splitCommand(line);
  const prefixed = event.command !== undefined || /^\s*[/!]/.test(line);
  const candidate = word ? registry.byAlias(word) : undefined;
  if (candidate && (prefixed || (event.addressed && MARKED_REFERENCE.test(rest)))) return { spec: candidate, raw: rest };
  if (candidate && event.addressed && !readsAsProse(rest)) return { spec: candidate, raw: rest, ...(rest ? { loose: true } : {}) };
  if (!word && event.addressed) {
    const help = registry.command('core.help');
    if (help) return { spec: help, raw: '' };
  }
  return null;
}

/** How a message is routed: a command it names, what the intent engine made of it, or nothing. */
export type Routed = { kind: 'command'; spec: CommandSpec<unknown>; raw: string } | { kind: 'intent'; match: IntentMatch } | { kind: 'none' };

/** Above this confidence the engine overrides a command word that merely opens a sentence. */
const OVERRIDE_FROM = 0.8;

/** The family of a command id ('ticket.create' and 'ticket.propose' are both 'ticket'). */
const family = (id: string) => id.split('.')[0];

/**
 * Routes a message the way the pipeline does: a slash or prefixed command word runs that
 * command; an unprefixed command word followed by more words ("start smoke-test on stage",
 * "run history") runs it unless the intent engine is confident the sentence means a command of
 * another family; anything else goes to the engine (addressed messages only).
 */
export async function routeMessage(registry: CommandRegistry, engine: IntentEngine, event: Pick<InboundMessage, 'command' | 'text' | 'addressed'>, ctx: CommandContext): Promise<Routed> {
  const named = explicitCommand(registry, event);
  if (named && !named.loose) return { kind: 'command', spec: named.spec, raw: named.raw };
  if (!event.addressed) return { kind: 'none' };
  const match = await engine.detect(event.text, ctx);
  if (named) {
    const other = match && !match.alternatives?.length && match.confidence >= OVERRIDE_FROM && family(match.commandId) !== family(named.spec.id);
    return other ? { kind: 'intent', match: match! } : { kind: 'command', spec: named.spec, raw: named.raw };
  }
  return match ? { kind: 'intent', match } : { kind: 'none' };
}
