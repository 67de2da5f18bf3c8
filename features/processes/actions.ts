/**
 * The processes buttons: approve and deny on an approval step's message (the step's own
 * `roles` decide who may), cancel on a run's progress message, and retry of a failed run
 * (operators, as `run cancel|retry <id>`; the console's forms press these).
 */
import { ROLES } from '../../services/users/roles.ts';
import type { ActionSpec } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import type { Engine } from '../../services/processes/engine.ts';
import { PROCESS_ACTIONS } from '../../services/processes/render.ts';
import { guard, OPERATORS, runId } from './context.ts';

/** Builds the button specs of the processes feature over its engine. */
export function processActions(engine: Engine): ActionSpec[] {
  const decide = (approve: boolean): ActionSpec => ({
    id: approve ? PROCESS_ACTIONS.approve : PROCESS_ACTIONS.deny,
    // Every role reaches the handler; the step's own `roles` decide who may approve.
    roles: ROLES,
    async handler(ctx, value) {
      // The value is the approval's uuid; anything else never came from our button.
      if (!/^[0-9a-f-]{36}$/.test(value)) throw new UserError('processes.approval.unknown');
      const r = await guard(() => engine.decide(value, approve, { name: ctx.user.displayName, role: ctx.user.role }));
      if (r === 'closed') return { text: ctx.t('processes.approval.closed'), ephemeral: true };
      return { text: ctx.t(r === 'approved' ? 'processes.approval.approved' : 'processes.approval.denied', { who: ctx.user.displayName }) };
    },
  });

  const cancel: ActionSpec = {
    id: PROCESS_ACTIONS.cancel,
    roles: OPERATORS,
    async handler(ctx, value) {
      const r = await guard(() => engine.cancel(runId(value), ctx.user.displayName));
      return { text: ctx.t('processes.cancelled', { id: r.id }) };
    },
  };

  const retry: ActionSpec = {
    id: PROCESS_ACTIONS.retry,
    roles: OPERATORS,
    async handler(ctx, value) {
      const r = await guard(() => engine.retry(runId(value)));
      return { text: ctx.t('processes.retried', { id: r.id }) };
    },
  };

  return [decide(true), decide(false), cancel, retry];
}
