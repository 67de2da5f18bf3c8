/**
 * The documents buttons, on the card and on the expiry reminder: ask about the document,
 * open its card, correct its category (a menu of categories, then the pick), and open a
 * ticket from it, which runs the tickets feature's own `ticket` command when it is mounted.
 */
import type { ActionSpec, CommandContext, HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { CATEGORIES, isCategory } from '../../services/documents/classify.ts';
import { parseNumber, READERS, requireNumber, WRITERS, type DocumentsContext } from './context.ts';

/** Builds the button specs of the documents feature. */
export function documentActions(dc: DocumentsContext): ActionSpec[] {
  const { deps, service, card } = dc;

  /** Makes the document the conversation's, so the next `ask` is about it. */
  async function askAbout(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const n = requireNumber(value);
    await ctx.setState({ document: n });
    return { text: ctx.t('documents.ask.prompt', { number: n }) };
  }

  async function open(ctx: CommandContext, value: string): Promise<HandlerResult> {
    return card(ctx, requireNumber(value));
  }

  async function chooseCategory(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const n = requireNumber(value);
    return {
      text: ctx.t('documents.correct.choose', { number: n }),
      buttons: CATEGORIES.map((c) => ({ actionId: 'doc.setCategory', label: ctx.t(`documents.category.${c}`), value: `${n}:${c}` })),
    };
  }

  /** `<number>:<category>`, from the menu `chooseCategory` offers. */
  async function setCategory(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const [num, category] = value.split(':');
    const n = parseNumber(num ?? '');
    if (n === null || !isCategory(category)) throw new UserError('documents.badNumber');
    const view = await service.correct(n, category, ctx.user.id);
    if (!view) throw new UserError('documents.notFound', { number: n });
    return { text: ctx.t('documents.correct.done', { number: n, category: ctx.t(`documents.category.${category}`) }) };
  }

  async function openTicket(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const n = requireNumber(value);
    // Through the registry, not the tickets service: the documents feature builds none of the
    // tickets feature, and the command's own parsing, roles and audit apply to the presser.
    const spec = deps.registry.command('ticket.create');
    if (!spec) return { text: ctx.t('documents.ticketsOff') };
    const view = await service.loadView({ number: n });
    if (!view) throw new UserError('documents.notFound', { number: n });
    const line = `${ctx.t('documents.ticket.title', { number: n, title: view.title })}${view.summary ? `\n${view.summary}` : ''}`;
    const input = spec.parse ? spec.parse(line, ctx) : { text: line };
    await deps.pipeline().runCommand({ ...ctx, via: 'action' }, spec, input);
    return undefined;
  }

  return [
    { id: 'doc.ask', roles: READERS, handler: askAbout },
    { id: 'doc.open', roles: READERS, handler: open },
    { id: 'doc.correct', roles: WRITERS, handler: chooseCategory },
    { id: 'doc.setCategory', roles: WRITERS, handler: setCategory },
    { id: 'doc.ticket', roles: WRITERS, handler: openTicket },
  ];
}
