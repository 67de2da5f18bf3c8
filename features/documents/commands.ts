/**
 * The documents commands: `docs` (the latest documents, or `docs search <words>`), `doc <n>`
 * (one document's card) and `ask [#n] <question>` (passages from the document with their
 * locations; without a number, the document the conversation is about).
 */
import { z } from 'zod';
import { defineCommand, type CommandContext, type HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { locationLabel } from '../../services/documents/document.service.ts';
import { parseNumber, READERS, requireNumber, type DocumentsContext } from './context.ts';

/** Builds the command specs of the documents feature. */
export function documentCommands(dc: DocumentsContext) {
  const { service, currentDocument, card } = dc;

  async function searchReply(ctx: CommandContext, query: string): Promise<HandlerResult> {
    const t = ctx.t;
    const rows = await service.search(query);
    if (!rows.length) return { text: t('documents.search.none', { query }) };
    return {
      title: t('documents.search.title', { query }),
      text: rows
        .map((r) => `${t('documents.list.line', { number: r.number, title: r.title, category: t(`documents.category.${r.category ?? 'other'}`), version: r.version })}${r.snippet ? `\n   ${r.snippet}` : ''}`)
        .join('\n'),
    };
  }

  async function recentReply(ctx: CommandContext): Promise<HandlerResult> {
    const t = ctx.t;
    const rows = await service.recent(10);
    if (!rows.length) return { text: t('documents.list.empty') };
    return {
      title: t('documents.list.title'),
      text: rows
        .map((r) =>
          t('documents.list.line', {
            number: r.number,
            title: r.title,
            // A document still in the pipeline has no category yet.
            category: r.stage === 'done' ? t(`documents.category.${r.category ?? 'other'}`) : t('documents.list.processing'),
            version: r.version,
          }),
        )
        .join('\n'),
    };
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
      return query ? searchReply(ctx, query) : recentReply(ctx);
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
      return card(ctx, requireNumber(args.text));
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
      // Only a marked number ("#12", "№12") names a document; a bare one may begin the question.
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

  return [docs, doc, ask];
}
