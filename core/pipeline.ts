/**
 * The conversation pipeline, platform-neutral: de-duplicate the delivery, resolve the user
 * and their role, load the conversation, then run middleware and the router (messages) or
 * the action handler (buttons). Replies leave through the outbound port.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../services/db.ts';
import { isUniqueViolation } from '../services/db.ts';
import type { Logger } from '../services/logger.ts';
import type { AppConfig } from '../services/config.ts';
import type { OutboundPort } from '../services/messaging/outbound.service.ts';
import type { InboundEvent, Reply, ConversationRef, InboundAction } from '../services/messaging/types.ts';
import type { UserRow, UsersService } from '../services/users/users.service.ts';
import type { AuditService, AuditOutcome } from '../services/audit/audit.service.ts';
import { normalizeLocale, translator, type Locale } from '../services/i18n/i18n.ts';
import type { Clock } from '../services/clock.ts';
import type { Metrics } from '../services/metrics.ts';
import { detectLanguage } from '../services/i18n/language.ts';
import type {
  CommandContext,
  CommandRegistry,
  CommandSpec,
  ConversationRecord,
  HandlerResult,
  IntentEngine,
  Middleware,
  ResolvedUser,
} from './registry.ts';
import { UserError } from './errors.ts';
import { routeMessage } from './route.ts';
import { CLARIFY_ACTION, CLARIFY_AUDIT, offerChoices, takeChoice, wantsClarification } from './clarify.ts';
import { isRole } from '../services/users/roles.ts';

export interface PipelineDeps {
  db: Db;
  config: AppConfig;
  logger: Logger;
  registry: CommandRegistry;
  outbound: OutboundPort;
  users: UsersService;
  audit: AuditService;
  intent: IntentEngine;
  middleware: Middleware[];
  clock: Clock;
  metrics?: Metrics;
}

export interface Pipeline {
  /** Processes one event once; a repeated (platform, eventId) is dropped. */
  /**
   * Handles one delivery once. `claimToken` names the queue job carrying it: a retry of that
   * same job (its worker died after the claim, before the handlers finished) handles the event
   * again, and the handlers' own keys (ticket source keys, reply keys) keep that from repeating
   * an effect; any other delivery of the same event is a duplicate.
   */
  handle(event: InboundEvent, opts?: { claimToken?: string }): Promise<'handled' | 'duplicate'>;
  /** Runs a command for a context (used by confirmations, the API and agents). */
  runCommand(ctx: CommandContext, spec: CommandSpec<unknown>, args: unknown): Promise<AuditOutcome>;
  /** Builds a context without de-duplication (for internal callers such as agents). */
  context(event: InboundEvent, via: CommandContext['via']): Promise<CommandContext>;
}

interface PendingConfirmation {
  commandId: string;
  args: unknown;
  userId: string;
  expiresAt: string;
}

const CONFIRM_TTL_MS = 15 * 60_000;

function toRecord(row: { id: string; platform: string; chatId: string; threadId: string; locale: string | null; state: unknown }, ref: ConversationRef): ConversationRecord {
  return {
    id: row.id,
    ref,
    locale: row.locale === 'ru' || row.locale === 'en' ? row.locale : null,
    state: (row.state && typeof row.state === 'object' ? row.state : {}) as Record<string, unknown>,
  };
}

/**
 * A message written in Cyrillic is answered in Russian unless the user chose a language with
 * `lang`; Latin text leaves the choice to the platform locale.
 */
export function scriptLocale(text: string): Locale | null {
  return detectLanguage(text) === 'ru' ? 'ru' : null;
}

/** The language of a reply when the user chose none: the message's script, the chat's, the platform's, the default. */
export function detectedLocale(event: InboundEvent, conversation: Pick<ConversationRecord, 'locale'>, defaultLocale: Locale): Locale {
  return (event.type === 'message' ? scriptLocale(event.text) : null) ?? conversation.locale ?? normalizeLocale(event.user.locale, defaultLocale);
}

export { splitCommand } from './route.ts';

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { db, registry, logger } = deps;

  /** Records the delivery; false when (platform, eventId) was recorded before. */
  async function claim(event: InboundEvent, token: string | null): Promise<boolean> {
    // A plain statement rather than a caught unique violation: every event passes here. The
    // update touches a row only when the same queue job claims it again (a retry after a kill).
    const inserted = await db.$executeRaw`
      INSERT INTO "InboundDelivery" (platform, "eventId", "receivedAt", "claimToken") VALUES (${event.platform}, ${event.eventId}, ${new Date()}, ${token})
      ON CONFLICT (platform, "eventId") DO UPDATE SET "claimToken" = EXCLUDED."claimToken"
      WHERE "InboundDelivery"."claimToken" IS NOT NULL AND "InboundDelivery"."claimToken" = EXCLUDED."claimToken"`;
    return inserted > 0;
  }

  async function loadConversation(ref: ConversationRef): Promise<ConversationRecord> {
    const key = { platform: ref.platform, chatId: ref.chatId, threadId: ref.threadId ?? '' };
    // Almost every message is in a conversation seen before: one read, and a write only for a new one.
    const found = await db.conversation.findUnique({ where: { platform_chatId_threadId: key } });
    if (found) return toRecord(found, ref);
    const upsert = () => db.conversation.upsert({ where: { platform_chatId_threadId: key }, create: key, update: {} });
    try {
      return toRecord(await upsert(), ref);
    } catch (err) {
      // Two first messages of a conversation at once: the other one created the row.
      if (!isUniqueViolation(err)) throw err;
      return toRecord(await upsert(), ref);
    }
  }

  async function context(event: InboundEvent, via: CommandContext['via']): Promise<CommandContext> {
    const [row, conversation] = await Promise.all([deps.users.resolve(event.platform, event.user.platformUserId, event.user.displayName), loadConversation(event.ref)]);
    return contextOf(event, via, row, conversation);
  }

  function contextOf(event: InboundEvent, via: CommandContext['via'], row: UserRow, conversation: ConversationRecord): CommandContext {
    const locale: Locale = (row.locale ? normalizeLocale(row.locale) : null) ?? detectedLocale(event, conversation, deps.config.file.defaultLocale);
    const user: ResolvedUser = {
      id: row.id,
      role: isRole(row.role) ? row.role : 'viewer',
      locale,
      displayName: row.displayName ?? event.user.displayName ?? event.user.platformUserId,
      platform: event.platform,
      platformUserId: event.user.platformUserId,
    };
    const replyRef = event.replyRef ?? event.ref;
    const ctx: CommandContext = {
      event,
      user,
      conversation,
      replyRef,
      locale,
      t: translator(locale),
      logger: logger.child({ platform: event.platform, chat: event.ref.chatId, user: user.id }),
      via,
      async reply(reply, opts = {}) {
        const { ref, ...rest } = opts;
        const visibleTo = reply.ephemeral && !ref ? { visibleTo: event.user.platformUserId } : {};
        await deps.outbound.send({ ...rest, ...visibleTo, ref: ref ?? replyRef, reply });
      },
      async setState(patch) {
        const next = { ...conversation.state, ...patch };
        await db.conversation.update({ where: { id: conversation.id }, data: { state: next as object } });
        conversation.state = next;
      },
    };
    return ctx;
  }

  async function deliver(ctx: CommandContext, result: HandlerResult): Promise<void> {
    if (!result) return;
    for (const r of Array.isArray(result) ? result : [result]) await ctx.reply(r);
  }

  async function audit(ctx: CommandContext, action: string, outcome: AuditOutcome, detail?: Record<string, unknown>): Promise<void> {
    await deps.audit.record({
      userId: ctx.user.id,
      platform: ctx.event.platform,
      chatId: ctx.event.ref.chatId,
      action,
      outcome,
      ...(detail ? { detail } : {}),
    });
  }

  /** Runs a handler with the shared error policy: UserError -> its message; anything else -> a generic apology. */
  async function guarded(ctx: CommandContext, action: string, run: () => Promise<HandlerResult>, detail?: Record<string, unknown>): Promise<AuditOutcome> {
    try {
      const result = await run();
      await deliver(ctx, result);
      await audit(ctx, action, 'ok', detail);
      return 'ok';
    } catch (err) {
      if (err instanceof UserError) {
        await ctx.reply({ text: ctx.t(err.key, err.params) });
        await audit(ctx, action, 'invalid', { ...detail, code: err.key });
        return 'invalid';
      }
      const ref = randomUUID().slice(0, 8);
      ctx.logger.error({ err, ref, action }, 'handler failed');
      await ctx.reply({ text: ctx.t('core.error', { ref }) });
      await audit(ctx, action, 'error', { ...detail, ref });
      // Rethrowing would make the queue retry the whole event; the delivery is already claimed, so report and stop.
      return 'error';
    }
  }

  async function deny(ctx: CommandContext, action: string, name: string): Promise<AuditOutcome> {
    await ctx.reply({ text: ctx.t('core.denied', { command: name, role: ctx.user.role }) });
    await audit(ctx, action, 'denied', { role: ctx.user.role });
    return 'denied';
  }

  async function runCommand(ctx: CommandContext, spec: CommandSpec<unknown>, input: unknown): Promise<AuditOutcome> {
    const action = `command:${spec.id}`;
    if (!spec.roles.includes(ctx.user.role)) return deny(ctx, action, spec.aliases.en[0] ?? spec.id);
    const parsed = spec.args.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const usage = spec.usageKey ? ctx.t(spec.usageKey) : spec.aliases.en[0] ?? spec.id;
      await ctx.reply({ text: ctx.t('core.badArgs', { field: issue?.path.join('.') || '-', reason: issue?.message ?? '', usage }) });
      await audit(ctx, action, 'invalid', { issue: issue?.message });
      return 'invalid';
    }
    const needsConfirm = spec.confirm || (spec.mutates && (ctx.via === 'intent' || ctx.via === 'agent'));
    if (needsConfirm && ctx.via !== 'confirm') {
      const id = randomUUID();
      const pending: Record<string, PendingConfirmation> = {
        ...((ctx.conversation.state.pending as Record<string, PendingConfirmation>) ?? {}),
      };
      const now = deps.clock.now().getTime();
      for (const [k, v] of Object.entries(pending)) if (Date.parse(v.expiresAt) < now) delete pending[k];
      pending[id] = { commandId: spec.id, args: parsed.data, userId: ctx.user.id, expiresAt: new Date(now + CONFIRM_TTL_MS).toISOString() };
      await ctx.setState({ pending });
      await ctx.reply({
        text: ctx.t('core.confirm', { command: spec.aliases[ctx.locale][0] ?? spec.id, summary: ctx.t(spec.summaryKey) }),
        buttons: [
          { actionId: 'core.confirm', label: ctx.t('core.confirm.yes'), value: id, style: 'primary' },
          { actionId: 'core.cancel', label: ctx.t('core.confirm.no'), value: id },
        ],
      });
      await audit(ctx, action, 'proposed');
      return 'proposed';
    }
    return guarded(ctx, action, () => spec.handler(ctx, parsed.data));
  }

  async function route(ctx: CommandContext): Promise<void> {
    const event = ctx.event;
    if (event.type !== 'message') return;
    const intentCtx = { ...ctx, via: 'intent' as const };
    const routed = await routeMessage(registry, deps.intent, event, intentCtx);
    if (routed.kind === 'command') {
      const { spec, raw } = routed;
      await runCommand(ctx, spec, spec.parse ? spec.parse(raw, ctx) : { text: raw });
      return;
    }
    if (!event.addressed) return;
    const match = routed.kind === 'intent' ? routed.match : null;
    if (match && wantsClarification(match)) {
      await ctx.reply(await offerChoices(ctx, registry, event.text, match, deps.clock.now()));
      await audit(ctx, 'clarify:offer', 'proposed', { text: event.text, offered: match.alternatives!.map((a) => a.label ?? a.commandId) });
      return;
    }
    const matched = match ? registry.command(match.commandId) : undefined;
    if (match && matched) {
      await runCommand(intentCtx, matched, match.args);
      return;
    }
    await ctx.reply({ text: ctx.t('core.unknown') });
  }

  async function runMiddleware(ctx: CommandContext, index: number): Promise<void> {
    const mw = deps.middleware[index];
    if (!mw) return route(ctx);
    await mw(ctx, () => runMiddleware(ctx, index + 1));
  }

  /** A "Did you mean" button: records the choice (feedback) and runs that reading as an intent. */
  async function clarified(ctx: CommandContext, value: string): Promise<void> {
    const taken = await takeChoice(ctx, value, deps.clock.now());
    if (taken === 'notYours') return void (await deny(ctx, `action:${CLARIFY_ACTION}`, CLARIFY_ACTION));
    const spec = taken === 'expired' ? undefined : registry.command(taken.chosen.commandId);
    if (taken === 'expired' || !spec) return void (await ctx.reply({ text: ctx.t('core.clarify.expired') }));
    const { entry, chosen } = taken;
    await audit(ctx, CLARIFY_AUDIT, 'ok', { text: entry.text, lang: entry.lang, offered: entry.offered.map((o) => o.label), chosen: chosen.label });
    await runCommand({ ...ctx, via: 'intent' }, spec, chosen.args);
  }

  async function handleAction(ctx: CommandContext & { event: InboundAction }): Promise<void> {
    const { actionId, value } = ctx.event;
    if (actionId === 'core.confirm' || actionId === 'core.cancel') {
      const pending = (ctx.conversation.state.pending as Record<string, PendingConfirmation> | undefined) ?? {};
      const entry = pending[value];
      if (!entry || Date.parse(entry.expiresAt) < deps.clock.now().getTime()) {
        await ctx.reply({ text: ctx.t('core.confirm.expired') });
        return;
      }
      if (entry.userId !== ctx.user.id) {
        await deny(ctx, `action:${actionId}`, actionId);
        return;
      }
      const { [value]: _done, ...rest } = pending;
      await ctx.setState({ pending: rest });
      const spec = registry.command(entry.commandId);
      if (actionId === 'core.cancel' || !spec) {
        await ctx.reply({ text: ctx.t('core.confirm.cancelled') });
        await audit(ctx, `command:${entry.commandId}`, 'cancelled');
        return;
      }
      await runCommand({ ...ctx, via: 'confirm' }, spec, entry.args);
      return;
    }
    if (actionId === CLARIFY_ACTION) return clarified(ctx, value);
    const spec = registry.action(actionId);
    if (!spec) {
      await ctx.reply({ text: ctx.t('core.actionUnknown') });
      await audit(ctx, `action:${actionId}`, 'invalid');
      return;
    }
    if (!spec.roles.includes(ctx.user.role)) {
      await deny(ctx, `action:${actionId}`, actionId);
      return;
    }
    await guarded(ctx, `action:${actionId}`, () => spec.handler(ctx, value), { value });
  }

  return {
    async handle(event, opts = {}) {
      // The claim and the reads of user and conversation go out together: the reads change
      // nothing a redelivery could repeat, and nothing runs until the claim is known.
      const [claimed, loaded] = await Promise.allSettled([claim(event, opts.claimToken ?? null), context(event, event.type === 'action' ? 'action' : 'command')]);
      if (claimed.status === 'rejected') throw claimed.reason;
      if (!claimed.value) {
        deps.metrics?.inboundEvents.inc({ platform: event.platform, kind: event.type, outcome: 'duplicate' });
        return 'duplicate';
      }
      try {
        if (loaded.status === 'rejected') throw loaded.reason;
        const ctx = loaded.value;
        if (event.type === 'action') await handleAction(ctx as CommandContext & { event: InboundAction });
        else await runMiddleware(ctx, 0);
      } catch (err) {
        // Handlers answer their own errors; this is a failure around them (database, middleware).
        // Release the claim so the queue's retry processes the event instead of dropping it as
        // a duplicate; everything before this point is idempotent.
        await db.inboundDelivery.deleteMany({ where: { platform: event.platform, eventId: event.eventId } }).catch(() => undefined);
        throw err;
      }
      return 'handled';
    },
    runCommand,
    context,
  };
}

/** Convenience for handlers: a reply with only text. */
export function text(t: string): Reply {
  return { text: t };
}
