/**
 * What the documents commands, buttons and middleware share: who may read and who may
 * write, the document number as people type it, the document a conversation is about, and
 * the card that shows one document (the card also makes it the conversation's document).
 */
import type { Services } from '../services.ts';
import type { CommandContext } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { ROLES, atLeast } from '../../services/users/roles.ts';
import type { Reply } from '../../services/messaging/types.ts';
import type { DocumentsConfig } from '../../services/documents/documents.config.ts';
import { cardButtons, renderCard, type DocumentService } from '../../services/documents/document.service.ts';

/** Everyone may list, search, read and ask. */
export const READERS = ROLES;
/** Sharing files, correcting a category and opening a ticket from a document change state. */
export const WRITERS = atLeast('operator');

/** Reads the document number from "12", "#12", "№12". */
export function parseNumber(raw: string): number | null {
  const m = /^\s*[#№]?\s*(\d{1,9})\b/.exec(raw);
  return m ? Number(m[1]) : null;
}

/** The number in a button value or typed argument; anything else is the user's mistake. */
export function requireNumber(raw: string): number {
  const n = parseNumber(raw);
  if (n === null) throw new UserError('documents.badNumber');
  return n;
}

/** The shared helpers, bound to the service container. */
export type DocumentsContext = ReturnType<typeof createDocumentsContext>;

/** Builds the helpers the parts of the documents feature share. */
export function createDocumentsContext(deps: Services) {
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

  /** The document's card; showing it makes it the document later questions are about. */
  async function card(ctx: CommandContext, number: number): Promise<Reply> {
    const view = await service.loadView({ number });
    if (!view) throw new UserError('documents.notFound', { number });
    await ctx.setState({ document: number });
    // The ticket button is offered only while a tickets feature is mounted.
    return { ...renderCard(ctx.t, view), buttons: cardButtons(ctx.t, number, { ticketsAvailable: () => Boolean(deps.registry.command('ticket.create')) }) };
  }

  return { deps, cfg, service, currentDocument, card };
}
