/**
 * The alerts domain's shared vocabulary: the notify queue and its job data, the normalized
 * shape every source is turned into, and the Alertmanager payload as far as we read it.
 */
import { z } from 'zod';
import type { ConversationRef } from '../messaging/types.ts';

/**
 * Interactive transaction limits. Prisma's defaults (2 s to get a connection, 5 s to finish)
 * turn a busy pool into failed webhooks; these transactions are short, so waiting is better.
 */
export const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 } as const;

/** The queue that does every alert's chat work. */
export const ALERTS_QUEUE = 'alerts.notify';

/** Job data: ids only; Postgres holds the state. */
export const alertJobSchema = z.discriminatedUnion('kind', [
  /** `byOperator`: an operator acted on the group (ack, silence, ...): its card shows that even while silenced. */
  z.object({ kind: z.literal('group'), groupId: z.string().uuid(), byOperator: z.boolean().optional() }),
  z.object({ kind: z.literal('deploy'), deploymentId: z.string().uuid() }),
  z.object({ kind: z.literal('digest'), destKey: z.string().min(3).max(300), windowStart: z.number().int() }),
]);
export type AlertJob = z.infer<typeof alertJobSchema>;

/** Where an alert came from. */
export type AlertSource = 'alertmanager' | 'grafana' | 'health' | 'deploy';

/** One alert as received, normalized across sources. */
export interface IncomingAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
  url?: string;
}

/** One notification from a source: a group of alerts with a shared key. */
export interface IncomingGroup {
  source: AlertSource;
  groupKey: string;
  status: 'firing' | 'resolved';
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: IncomingAlert[];
  /** The labels the source grouped by (Alertmanager's groupLabels), for its silence link. */
  groupLabels?: Record<string, string>;
  url?: string;
  title?: string;
}

/** A payload that can never be stored: the route answers 400 naming `field`. */
export class AlertPayloadError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'AlertPayloadError';
  }
}

/** Alertmanager webhook payload (version 4), as far as we read it. */
export interface AlertmanagerPayload {
  version: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  receiver?: string;
  truncatedAlerts?: number;
  groupLabels?: Record<string, string>;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  externalURL?: string;
  /** Grafana adds these. */
  title?: string;
  message?: string;
  alerts: Array<{
    status: 'firing' | 'resolved';
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    startsAt?: string;
    endsAt?: string;
    generatorURL?: string;
    fingerprint?: string;
    dashboardURL?: string;
    panelURL?: string;
  }>;
}

/** Opens a ticket for an alert, when the tickets feature is present. */
export interface TicketOpener {
  /** Opens (or, for the same `reference`, returns the already opened) ticket. */
  open(input: {
    title: string;
    description: string;
    priority: string;
    reference: string;
    reporter: { userId: string; name: string; ref: ConversationRef };
  }): Promise<{ id: string; label: string }>;
}

/** Result of storing one incoming group. */
export interface IngestResult {
  groupId: string;
  stored: number;
  status: 'firing' | 'resolved';
  /** True when the delivery repeated the group's last one (a sender's retry): nothing new was stored. */
  duplicate: boolean;
  /** False when the notify job could not be queued now; the recovery sweep queues it later. */
  queued: boolean;
}
