/**
 * The neutral event hook other features call when something a process may react to happens
 * (an alert fires, a ticket is created or resolved). It only enqueues; the processes feature
 * starts matching runs and wakes steps waiting for the event. Without that feature it does
 * nothing, so callers need not know whether processes are configured.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Queues } from '../queues.ts';

export const PROCESS_EVENT_QUEUE = 'processes-events';

export const processEventJobSchema = z.object({
  type: z.string().regex(/^[a-z][a-z0-9_.-]*$/).max(100),
  eventId: z.string().min(1).max(300),
  payload: z.record(z.string(), z.unknown()),
});
export type ProcessEventJob = z.infer<typeof processEventJobSchema>;

/** Event types a2d2's own features emit. */
export const PROCESS_EVENTS = {
  alertFiring: 'alert.firing',
  alertResolved: 'alert.resolved',
  ticketCreated: 'ticket.created',
  /** A person confirmed a ticket's severity (or set one): what triage only suggested may now page. */
  ticketSeverityConfirmed: 'ticket.severity_confirmed',
  ticketResolved: 'ticket.resolved',
} as const;

/**
 * Hands an event to the processes feature. `eventId` makes it idempotent (the same event twice
 * starts nothing twice); default: a hash of type and payload.
 */
export async function emitProcessEvent(queues: Queues, type: string, payload: Record<string, unknown>, eventId?: string): Promise<void> {
  if (!queues.names().includes(PROCESS_EVENT_QUEUE)) return;
  const id = eventId ?? createHash('sha256').update(`${type}\0${JSON.stringify(payload)}`).digest('hex').slice(0, 32);
  const jobId = `pe-${createHash('sha256').update(`${type}\0${id}`).digest('hex').slice(0, 40)}`;
  // Concurrent events leave together in one addBulk (webhook bursts emit one per group).
  await queues.addBatched<ProcessEventJob>(PROCESS_EVENT_QUEUE, { type, eventId: id, payload }, { jobId, attempts: 3 });
}
