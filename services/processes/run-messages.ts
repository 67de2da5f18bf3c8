/**
 * What a run says in chat: its progress message (edited as steps move), a timeline line per
 * finished step in that message's thread, notify texts and approval requests. A failed send
 * never fails a step that already happened; it is logged.
 */
import type { ConversationRef, OutboundPriority, Reply } from '../messaging/types.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import { renderText } from './template.ts';
import { StepFailure, type ChatTarget } from './steps.ts';
import { renderProgress, renderTimelineLine, progressKey, PROCESS_ACTIONS } from './render.ts';
import { parseDestination, refOf, type ActiveDefinition, type RunRow, type StepRow } from './engine-types.ts';
import type { EngineCore } from './engine-core.ts';
import type { EffectCall } from './effects.ts';

export type RunMessages = ReturnType<typeof createMessages>;

/** Builds the chat side of one engine. */
export function createMessages(core: EngineCore) {
  const { db, config, logger, outbound } = core.deps;

  /** Where a run's progress goes: its chat, else the definition's or the default notify target. */
  function runRef(run: RunRow, def: ActiveDefinition): ConversationRef | null {
    const fromRun = refOf(run.ref);
    if (fromRun) return fromRun;
    const dest = def.def.notify ? renderText(def.def.notify, { vars: core.vars(run.inputs as Record<string, unknown>) }) : config.defaults.notify;
    return dest ? parseDestination(dest) : null;
  }

  function localeOf(run: RunRow): Locale {
    return run.locale === 'ru' ? 'ru' : 'en';
  }

  /** Whether a run shows anything in chat (spares every query of runs that do not). */
  async function hasChat(run: RunRow): Promise<boolean> {
    return runRef(run, await core.definitionOf(run.definitionId)) !== null;
  }

  /** Renders and sends (edits) the progress message. `known` spares a query when the run has no chat. */
  async function progress(runId: number, known?: RunRow): Promise<void> {
    try {
      if (known && !(await hasChat(known))) return;
      const run = await db.processRun.findUnique({ where: { id: runId } });
      if (!run) return;
      const def = await core.definitionOf(run.definitionId);
      const ref = runRef(run, def);
      if (!ref) return;
      const rows = await db.processStepRun.findMany({ where: { runId }, orderBy: [{ createdAt: 'asc' }] });
      const reply = renderProgress(translator(localeOf(run)), run, def.def, rows);
      await outbound.send({ ref, reply, messageKey: progressKey(runId) });
    } catch (err) {
      logger.warn({ err: (err as Error).message, runId }, 'process progress message failed');
    }
  }

  /** Posts the timeline line of a finished step under the progress message. */
  async function timeline(run: RunRow, row: Pick<StepRow, 'stepId' | 'iteration' | 'status' | 'attempts' | 'error' | 'output'>): Promise<void> {
    try {
      const def = await core.definitionOf(run.definitionId);
      const ref = runRef(run, def);
      if (!ref) return;
      const label = def.places.get(row.stepId)?.step.name ?? row.stepId;
      const text = renderTimelineLine(translator(localeOf(run)), label, row);
      await outbound.send({ ref, reply: { text }, threadUnderKey: progressKey(run.id) });
    } catch (err) {
      logger.warn({ err: (err as Error).message, runId: run.id }, 'process timeline message failed');
    }
  }

  /**
   * Sends a step's message to its destination or the run's thread; returns where it went. A
   * keyed message (`effect`) is stored under that message key, so sending it again edits it
   * in place; when an earlier attempt already stored it, it is not sent again at all.
   */
  async function say(run: RunRow, def: ActiveDefinition, target: ChatTarget, reply: Reply, effect?: EffectCall, priority?: OutboundPriority): Promise<string> {
    const messageKey = effect ? `process-effect:${effect.key}` : undefined;
    const extra = { ...(messageKey ? { messageKey } : {}), ...(priority ? { priority } : {}) };
    const sent = async (): Promise<boolean> => Boolean(effect?.resumed && messageKey && (await db.outboundMessage.findFirst({ where: { messageKey }, select: { id: true } })));
    if (target.destination) {
      const ref = parseDestination(target.destination);
      if (!ref) throw new StepFailure(`"${target.destination}" is not a destination such as slack:C0123 or telegram:-100123`, true);
      if (!(await sent())) await outbound.send({ ref, reply, ...extra });
      return target.destination;
    }
    const ref = runRef(run, def);
    if (!ref) {
      // Buttons nobody can see would leave the run waiting for ever; plain text is kept in the step output.
      if (reply.buttons?.length) throw new StepFailure('this run has no chat to ask in: set `to:` on the step or `notify:` on the process', true);
      return 'none';
    }
    if (!(await sent())) await outbound.send({ ref, reply, threadUnderKey: progressKey(run.id), ...extra });
    return 'thread';
  }

  /** Posts an approval request with Approve/Deny buttons carrying the step row id. */
  async function askApproval(run: RunRow, def: ActiveDefinition, target: ChatTarget, text: string, roles: readonly string[], stepRunId: string, effect?: EffectCall): Promise<string> {
    const t = translator(localeOf(run));
    return say(run, def, target, {
      title: t('processes.approval.title', { process: def.name, run: run.id }),
      text: `${text}\n${t('processes.approval.who', { roles: roles.join(', ') })}`,
      buttons: [
        { actionId: PROCESS_ACTIONS.approve, label: t('processes.approval.approve'), value: stepRunId, style: 'primary' },
        { actionId: PROCESS_ACTIONS.deny, label: t('processes.approval.deny'), value: stepRunId, style: 'danger' },
      ],
    }, effect, 'urgent');
  }

  return { runRef, localeOf, hasChat, progress, timeline, say, askApproval };
}
