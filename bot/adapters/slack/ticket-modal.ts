/**
 * Slack's form for `/ticket` without text: opens a modal (title, description, severity,
 * component) with views.open. Its submission comes back through the normalizer as the
 * neutral action `ticket.modal` (value: the form's fields as JSON), which the tickets module
 * handles like any other intake. Other platforms get the neutral guided exchange instead:
 * this middleware passes everything else on, and falls back to it when views.open fails.
 *
 * Off unless SLACK_BOT_TOKEN is set.
 */
import type { CoreDeps, FeatureModule } from '../../../core/module.ts';
import type { Middleware } from '../../../core/registry.ts';
import type { Translate } from '../../../services/i18n/i18n.ts';
import { createSlackWebClient } from './slack.sender.ts';

/** The modal's view; block and action ids are the field names the submission handler reads. */
export function ticketModalView(t: Translate, meta: { channel: string; threadId?: string }): Record<string, unknown> {
  const text = (s: string) => ({ type: 'plain_text', text: s.slice(0, 150) });
  const input = (id: string, label: string, element: Record<string, unknown>, optional = false) => ({
    type: 'input',
    block_id: id,
    optional,
    label: text(label),
    element: { action_id: id, ...element },
  });
  return {
    type: 'modal',
    callback_id: 'ticket.modal',
    private_metadata: JSON.stringify({ channel: meta.channel, ...(meta.threadId ? { thread_ts: meta.threadId } : {}) }),
    title: text(t('tickets.modal.title').slice(0, 24)),
    submit: text(t('tickets.modal.submit')),
    close: text(t('tickets.button.cancel')),
    blocks: [
      input('title', t('tickets.modal.titleLabel'), { type: 'plain_text_input', min_length: 3, max_length: 300 }),
      input('description', t('tickets.modal.descriptionLabel'), { type: 'plain_text_input', multiline: true, max_length: 3000 }, true),
      input(
        'severity',
        t('tickets.modal.severityLabel'),
        {
          type: 'static_select',
          placeholder: text(t('tickets.modal.severityPlaceholder')),
          options: ['P0', 'P1', 'P2', 'P3'].map((s) => ({ text: text(`${s} — ${t(`tickets.severity.${s}`)}`.slice(0, 75)), value: s })),
        },
        true,
      ),
      input('component', t('tickets.modal.componentLabel'), { type: 'plain_text_input', max_length: 100 }, true),
    ],
  };
}

/** The module contributing the modal-opening middleware. */
export function createSlackTicketModalModule(deps: CoreDeps): FeatureModule | null {
  const token = deps.config.env.SLACK_BOT_TOKEN;
  if (!token || !deps.config.env.SLACK_SIGNING_SECRET) return null;
  const logger = deps.logger.child({ component: 'slack-ticket-modal' });
  const apiUrl = deps.config.env.SLACK_API_URL;
  const client = createSlackWebClient({ token, logger, retries: 0, timeoutMs: 2500, ...(apiUrl ? { apiUrl } : {}) });
  const middleware: Middleware = async (ctx, next) => {
    const e = ctx.event;
    if (e.type !== 'message' || e.platform !== 'slack') return next();
    const isTicket = (e.command === 'ticket' && e.text.trim() === '') || (e.command === 'a2d2' && /^\s*ticket\s*$/i.test(e.text));
    const triggerId = e.platformData?.triggerId;
    if (!isTicket || typeof triggerId !== 'string') return next();
    try {
      const c = await client;
      await c.views.open({ trigger_id: triggerId, view: ticketModalView(ctx.t, { channel: e.ref.chatId, ...(e.ref.threadId ? { threadId: e.ref.threadId } : {}) }) as never });
    } catch (err) {
      // An expired trigger (the worker was slow) or an API error: ask in the chat instead.
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'views.open failed; using the guided exchange');
      return next();
    }
  };
  return { name: 'slack-ticket-modal', middleware: [middleware] };
}
