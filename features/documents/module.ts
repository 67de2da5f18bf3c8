/**
 * The documents feature in chat: files shared with the bot start an intake (middleware),
 * `docs` lists and searches, `doc <n>` shows a card, `ask <question>` answers from the
 * document of the thread with passages and their locations. Buttons: ask about it, open a
 * ticket from it (when tickets exist), correct the category. REST upload lives in
 * bot/http/documents.route.ts; the pipeline in services/documents.
 */
import { z } from 'zod';
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { defineCommand, isMessage, type ActionSpec, type CommandContext, type Middleware } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { ROLES, atLeast } from '../../services/users/roles.ts';
import type { Reply } from '../../services/messaging/types.ts';
import type { DocumentsConfig } from '../../services/documents/documents.config.ts';
import {
  cardButtons,
  DOC_EXPIRY_QUEUE,
  locationLabel,
  renderCard,
  type DocumentService,
} from '../../services/documents/document.service.ts';
import { documentQueues } from '../../services/documents/documents.processor.ts';
import { CATEGORIES, isCategory } from '../../services/documents/classify.ts';
import { documentsRoute } from './routes.ts';

/** Who may do what with documents. */
const READERS = ROLES;
const WRITERS = atLeast('operator');

/** Reads the document number from "12", "#12", "№12". */
export function parseNumber(raw: string): number | null {
  const m = /^\s*[#№]?\s*(\d{1,9})\b/.exec(raw);
  return m ? Number(m[1]) : null;
}

export function createDocumentsModule(deps: Services): FeatureModule {
  const cfg: DocumentsConfig = deps.config.file.documents;
  const service: DocumentService = deps.documents;

  /** The document a conversation is about: the thread's, else the chat's latest. */
  async function currentDocument(ctx: CommandContext): Promise<number | null> {
    const own = ctx.conversation.state.document;
    if (typeof own === 'number') return own;
    const ref = ctx.event.replyRef ?? ctx.event.ref;
    for (const threadId of [ref.threadId ?? '', '']) {
      const row = await deps.db.conversation.findUnique({ where: { platform_chatId_threadId: { platform: ref.platform, chatId: ref.chatId, threadId } } });
      const n = (row?.state as Record<string, unknown> | null)?.document;
      if (typeof n === 'number') return n;
    }
    return null;
  }

  async function card(ctx: CommandContext, number: number): Promise<Reply> {
    const view = await service.loadView({ number });
    if (!view) throw new UserError('documents.notFound', { number });
    await ctx.setState({ document: number });
    return { ...renderCard(ctx.t, view), buttons: cardButtons(ctx.t, number, { ticketsAvailable: () => Boolean(deps.registry.command('ticket.create')) }) };
  }

  const docs = defineCommand({
    id: 'doc.list',
    aliases: { en: ['docs', 'documents'], ru: ['документы', 'доки'] },
    slash: ['docs'],
    summaryKey: 'documents.cmd.docs.summary',
    usageKey: 'documents.cmd.docs.usage',
    args: z.object({ text: z.string().max(500).default('') }),
    roles: READERS,
    async handler(ctx, args) {
      const m = /^\s*(?:search|find|поиск|найти|искать)\s+([\s\S]+)$/iu.exec(args.text);
      const query = m?.[1]?.trim() ?? '';
      const t = ctx.t;
      if (query) {
        const rows = await service.search(query);
        if (!rows.length) return { text: t('documents.search.none', { query }) };
        return {
          title: t('documents.search.title', { query }),
          text: rows
            .map((r) => `${t('documents.list.line', { number: r.number, title: r.title, category: t(`documents.category.${r.category ?? 'other'}`), version: r.version })}${r.snippet ? `\n   ${r.snippet}` : ''}`)
            .join('\n'),
        };
      }
      const rows = await service.recent(10);
      if (!rows.length) return { text: t('documents.list.empty') };
      return {
        title: t('documents.list.title'),
        text: rows
          .map((r) =>
            t('documents.list.line', {
              number: r.number,
              title: r.title,
              category: r.stage === 'done' ? t(`documents.category.${r.category ?? 'other'}`) : t('documents.list.processing'),
              version: r.version,
            }),
          )
          .join('\n'),
      };
    },
  });

  const doc = defineCommand({
    id: 'doc.show',
    aliases: { en: ['doc', 'document'], ru: ['документ', 'док'] },
    slash: ['doc'],
    summaryKey: 'documents.cmd.doc.summary',
    usageKey: 'documents.cmd.doc.usage',
    args: z.object({ text: z.string().max(200).default('') }),
    roles: READERS,
    async handler(ctx, args) {
      const n = parseNumber(args.text);
      if (n === null) throw new UserError('documents.badNumber');
      return card(ctx, n);
    },
  });

  const ask = defineCommand({
    id: 'doc.ask',
    aliases: { en: ['ask'], ru: ['спросить', 'вопрос'] },
    slash: ['ask'],
    summaryKey: 'documents.cmd.ask.summary',
    usageKey: 'documents.cmd.ask.usage',
    args: z.object({ text: z.string().max(2000).default('') }),
    roles: READERS,
    async handler(ctx, args) {
      let question = args.text.trim();
      let number = /^[#№]\s*\d/.test(question) ? parseNumber(question) : null;
      if (number !== null) question = question.replace(/^[#№]\s*\d+\s*/, '');
      number ??= await currentDocument(ctx);
      if (number === null) throw new UserError('documents.ask.noDocument');
      if (!question) return { text: ctx.t('documents.ask.noQuestion', { number }) };
      const result = await service.ask(number, question);
      if (!result) throw new UserError('documents.notFound', { number });
      if (!result.passages.length) return { text: ctx.t('documents.ask.none', { number }) };
      return {
        title: ctx.t('documents.ask.title', { number, title: result.doc.title }),
        text: result.passages.map((p) => `• ${p.text.length > 400 ? `${p.text.slice(0, 400)}…` : p.text}`).join('\n'),
        fields: result.passages.map((p, i) => ({ label: `${i + 1}`, value: locationLabel(ctx.t, p.location) })),
      };
    },
  });

  const actions: ActionSpec[] = [
    {
      id: 'doc.ask',
      roles: READERS,
      async handler(ctx, value) {
        const n = parseNumber(value);
        if (n === null) throw new UserError('documents.badNumber');
        await ctx.setState({ document: n });
        return { text: ctx.t('documents.ask.prompt', { number: n }) };
      },
    },
    {
      id: 'doc.open',
      roles: READERS,
      async handler(ctx, value) {
        const n = parseNumber(value);
        if (n === null) throw new UserError('documents.badNumber');
        return card(ctx, n);
      },
    },
    {
      id: 'doc.correct',
      roles: WRITERS,
      async handler(ctx, value) {
        const n = parseNumber(value);
        if (n === null) throw new UserError('documents.badNumber');
        return {
          text: ctx.t('documents.correct.choose', { number: n }),
          buttons: CATEGORIES.map((c) => ({ actionId: 'doc.setCategory', label: ctx.t(`documents.category.${c}`), value: `${n}:${c}` })),
        };
      },
    },
    {
      id: 'doc.setCategory',
      roles: WRITERS,
      async handler(ctx, value) {
        const [num, category] = value.split(':');
        const n = parseNumber(num ?? '');
        if (n === null || !isCategory(category)) throw new UserError('documents.badNumber');
        const view = await service.correct(n, category, ctx.user.id);
        if (!view) throw new UserError('documents.notFound', { number: n });
        return { text: ctx.t('documents.correct.done', { number: n, category: ctx.t(`documents.category.${category}`) }) };
      },
    },
    {
      id: 'doc.ticket',
      roles: WRITERS,
      async handler(ctx, value) {
        const n = parseNumber(value);
        if (n === null) throw new UserError('documents.badNumber');
        const spec = deps.registry.command('ticket.create');
        if (!spec) return { text: ctx.t('documents.ticketsOff') };
        const view = await service.loadView({ number: n });
        if (!view) throw new UserError('documents.notFound', { number: n });
        const line = `${ctx.t('documents.ticket.title', { number: n, title: view.title })}${view.summary ? `\n${view.summary}` : ''}`;
        const input = spec.parse ? spec.parse(line, ctx) : { text: line };
        await deps.pipeline().runCommand({ ...ctx, via: 'action' }, spec, input);
        return undefined;
      },
    },
  ];

  /** Files shared with the bot start an intake; the message is consumed. */
  const intake: Middleware = async (ctx, next) => {
    const event = ctx.event;
    // Only files given to the bot (DMs, mentions, commands), not every file in every channel it sits in.
    if (!isMessage(event) || !event.files?.length || !event.addressed) return next();
    if (!WRITERS.includes(ctx.user.role)) {
      await ctx.reply({ text: ctx.t('core.denied', { command: 'upload', role: ctx.user.role }) });
      return;
    }
    for (const file of event.files.slice(0, 10)) {
      await service.intakeChatFile({
        platform: event.platform,
        eventId: event.eventId,
        ref: ctx.replyRef,
        userId: ctx.user.id,
        locale: ctx.locale,
        file,
      });
    }
  };

  return {
    name: 'documents',
    commands: [docs, doc, ask],
    actions,
    middleware: [intake],
    queues: documentQueues(() => service, cfg),
    routes: documentsRoute({ service: () => service, token: deps.config.env.A2D2_API_TOKEN, uploadLimitBytes: cfg.uploadLimitBytes, db: deps.db }),
    async start(role) {
      if (role === 'http') return;
      const queue = deps.queues.queue(DOC_EXPIRY_QUEUE);
      await queue.upsertJobScheduler('documents-expiry', { every: cfg.expiryCheckMinutes * 60_000 }, { name: 'documents-expiry', data: {} });
    },
  };
}
