/**
 * The command and action registry: one declarative spec per command feeds the router, help,
 * Slack's and Telegram's command menus, and the LLM tool schemas.
 */
import { z } from 'zod';
import type { Role } from '../services/users/roles.ts';
import type { Locale, Translate } from '../services/i18n/i18n.ts';
import type { InboundAction, InboundEvent, InboundMessage, Reply, ConversationRef, OutboundRequest } from '../services/messaging/types.ts';
import type { Logger } from '../services/logger.ts';

/** The user behind an event, resolved from their platform identity. */
export interface ResolvedUser {
  id: string;
  role: Role;
  locale: Locale;
  displayName: string;
  platform: string;
  platformUserId: string;
}

/** A conversation row (chat or thread) with its state. */
export interface ConversationRecord {
  id: string;
  ref: ConversationRef;
  locale: Locale | null;
  state: Record<string, unknown>;
}

/** Everything a command or action handler gets. */
export interface CommandContext {
  event: InboundEvent;
  user: ResolvedUser;
  conversation: ConversationRecord;
  /** Where replies to this event go (thread of the message, usually). */
  replyRef: ConversationRef;
  locale: Locale;
  t: Translate;
  logger: Logger;
  /** How the command was reached. */
  via: 'command' | 'intent' | 'action' | 'confirm' | 'agent';
  /** Queue one more reply (into replyRef unless `ref` is given). */
  reply(reply: Reply, opts?: Omit<OutboundRequest, 'ref' | 'reply'> & { ref?: ConversationRef }): Promise<void>;
  /** Merge into this conversation's persisted state. */
  setState(patch: Record<string, unknown>): Promise<void>;
}

export type HandlerResult = Reply | Reply[] | void | undefined;

/** A command: what it is called, who may run it, what it takes, what it does. */
export interface CommandSpec<A = unknown> {
  /** Stable id, also the LLM tool name ('ticket.create'). */
  id: string;
  /** Words that invoke it; the first English one is the canonical name ('ticket'). */
  aliases: { en: string[]; ru: string[] };
  /** Slash commands registered for it on Slack and Telegram ('ticket'). */
  slash?: string[];
  /** i18n key of one-line help. */
  summaryKey: string;
  /** i18n key of the usage line, e.g. 'ticket [P0-P3] <title>'. */
  usageKey?: string;
  /** Argument schema; also the LLM tool parameter schema. */
  args: z.ZodType<A>;
  /** Turns the text after the command word into the object `args` validates. Default: `{ text }`. */
  parse?: (raw: string, ctx: CommandContext) => unknown;
  /** Roles allowed to run it. */
  roles: readonly Role[];
  /** Changes state: asks for confirmation when reached by intent or an agent. */
  mutates?: boolean;
  /** Always asks "are you sure?" before running. */
  confirm?: boolean;
  /** Hidden from help and menus (internal). */
  hidden?: boolean;
  handler(ctx: CommandContext, args: A): Promise<HandlerResult>;
}

/** A button handler. Button `actionId`s name one of these. */
export interface ActionSpec {
  id: string;
  roles: readonly Role[];
  handler(ctx: CommandContext & { event: InboundAction }, value: string): Promise<HandlerResult>;
}

/** Recognises free text as a command with arguments (deterministic rules or an LLM). */
export interface IntentMatch {
  commandId: string;
  args: unknown;
  confidence: number;
  /** i18n key + params explaining why, shown when proposing. */
  reasonKey?: string;
  reasonParams?: Record<string, string | number>;
  /** The intent label ('ticket.list') and which engine decided ('rules', 'classifier', 'llm'). */
  label?: string;
  engine?: string;
  /**
   * Set when the engine is unsure: the likeliest readings, best first (two or three). The
   * pipeline then asks "Did you mean ..." with one button each instead of running anything.
   */
  alternatives?: IntentMatch[];
}

export interface IntentEngine {
  readonly name: string;
  detect(text: string, ctx: CommandContext): Promise<IntentMatch | null>;
  /** Loads what the first message would otherwise wait for (a worker calls it at start). */
  warm?(): void;
}

/** A deterministic intent rule contributed by a feature module. */
export interface IntentRule {
  commandId: string;
  /** Tested against lower-cased text; any match counts. */
  patterns: RegExp[];
  /** Builds the command arguments from the text. */
  toArgs(text: string): unknown;
  /** 0..1; the best-scoring rule wins. */
  weight?: number;
}

/** grammY-style middleware: feature modules may look at every message before routing. */
export type Middleware = (ctx: CommandContext, next: () => Promise<void>) => Promise<void>;

export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<A> {
  return spec;
}

/** Holds every command and action; looks them up by alias, slash name or id. */
export class CommandRegistry {
  private readonly byId = new Map<string, CommandSpec<unknown>>();
  private readonly byWord = new Map<string, CommandSpec<unknown>>();
  private readonly bySlash = new Map<string, CommandSpec<unknown>>();
  private readonly actions = new Map<string, ActionSpec>();
  readonly intentRules: IntentRule[] = [];
  /**
   * Names the intent engine matches in free text, contributed by modules: 'process' gives the
   * loaded processes with their input names.
   */
  readonly entities = new Map<string, () => { name: string; inputs: string[] }[]>();

  addCommand<A>(spec: CommandSpec<A>): void {
    const s = spec as CommandSpec<unknown>;
    if (this.byId.has(s.id)) throw new Error(`duplicate command id ${s.id}`);
    this.byId.set(s.id, s);
    for (const word of [...s.aliases.en, ...s.aliases.ru]) {
      const key = word.toLowerCase();
      const existing = this.byWord.get(key);
      if (existing && existing.id !== s.id) throw new Error(`alias "${word}" of ${s.id} already belongs to ${existing.id}`);
      this.byWord.set(key, s);
    }
    for (const name of s.slash ?? []) this.bySlash.set(name.toLowerCase(), s);
  }

  addAction(spec: ActionSpec): void {
    if (this.actions.has(spec.id)) throw new Error(`duplicate action id ${spec.id}`);
    this.actions.set(spec.id, spec);
  }

  command(id: string): CommandSpec<unknown> | undefined {
    return this.byId.get(id);
  }

  byAlias(word: string): CommandSpec<unknown> | undefined {
    return this.byWord.get(word.toLowerCase());
  }

  bySlashName(name: string): CommandSpec<unknown> | undefined {
    return this.bySlash.get(name.toLowerCase());
  }

  action(id: string): ActionSpec | undefined {
    return this.actions.get(id);
  }

  commands(): CommandSpec<unknown>[] {
    return [...this.byId.values()];
  }

  /** Visible commands in help order. */
  visible(): CommandSpec<unknown>[] {
    return this.commands().filter((c) => !c.hidden);
  }

  /** Slash command names to register on the platforms, with a one-line description. */
  menu(t: Translate): { command: string; description: string }[] {
    const seen = new Set<string>();
    const out: { command: string; description: string }[] = [];
    for (const c of this.visible()) {
      const names = c.slash?.length ? c.slash : [c.aliases.en[0]!];
      for (const name of names) {
        if (seen.has(name)) continue;
        seen.add(name);
        out.push({ command: name, description: t(c.summaryKey).slice(0, 256) });
      }
    }
    return out;
  }

  /** JSON schemas of commands as LLM tools (name, description, parameters). */
  toolSchemas(t: Translate, filter?: (c: CommandSpec<unknown>) => boolean): { name: string; description: string; parameters: unknown; mutates: boolean }[] {
    return this.visible()
      .filter((c) => (filter ? filter(c) : true))
      .map((c) => ({
        name: c.id.replace(/[^a-zA-Z0-9_-]/g, '_'),
        description: t(c.summaryKey),
        parameters: z.toJSONSchema(c.args, { unrepresentable: 'any' }),
        mutates: Boolean(c.mutates),
      }));
  }
}

/** Locale and user, for help text in a given language. */
export function canonicalName(spec: CommandSpec<unknown>, locale: Locale): string {
  return (locale === 'ru' ? spec.aliases.ru[0] : undefined) ?? spec.aliases.en[0] ?? spec.id;
}

/** Type guard used by the pipeline. */
export function isMessage(e: InboundEvent): e is InboundMessage {
  return e.type === 'message';
}
