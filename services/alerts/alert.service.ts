/**
 * Alerts: ingest (normalize + store every alert + group by source and groupKey), notify
 * (route to chats, silences, quiet hours, flapping, storm control with a digest), and the
 * operator actions (acknowledge, silence, resolve). Chat output goes only through the
 * outbound port: one card per group and destination (messageKey `alert:<groupId>`), edited in
 * place as the group changes; a resolution note threads under it.
 *
 * This file is the entry: it composes the parts over alert-context.ts (alert-ingest.ts,
 * alert-notify.ts with alert-storm.ts, alert-operations.ts, alert-recovery.ts) and re-exports what callers use;
 * payload shapes and the notify queue are in alert-types.ts, normalizing in alert-normalize.ts.
 */
import { createAlertContext, type AlertServiceDeps } from './alert-context.ts';
import { createIngest } from './alert-ingest.ts';
import { createNotify } from './alert-notify.ts';
import { createStorm } from './alert-storm.ts';
import { createOperations } from './alert-operations.ts';
import { createAlertRecovery } from './alert-recovery.ts';

export {
  ALERTS_QUEUE,
  TX_OPTIONS,
  alertJobSchema,
  type AlertJob,
  type AlertSource,
  type AlertmanagerPayload,
  type IncomingAlert,
  type IncomingGroup,
  type IngestResult,
  type TicketOpener,
  AlertPayloadError,
} from './alert-types.ts';
export { ALERTS_RECOVERY_QUEUE, alertRecoveryJobSchema, type AlertRecoveryJob } from './alert-recovery.ts';
export type { AlertServiceDeps } from './alert-context.ts';
export { groupFingerprint, groupLabels, normalizeAlertmanager } from './alert-normalize.ts';

export type AlertService = ReturnType<typeof createAlertService>;

/** The alert service over its dependencies (database, queues, outbound port, Redis, config). */
export function createAlertService(deps: AlertServiceDeps) {
  const ctx = createAlertContext(deps);
  return {
    ...createIngest(ctx),
    ...createNotify(ctx, createStorm(ctx)),
    ...createOperations(ctx),
    recovery: createAlertRecovery(ctx),
    enqueueGroup: ctx.enqueueGroup,
    logger: deps.logger,
  };
}
