/**
 * What every part of the alert service shares: its dependencies, the card translator and
 * the one way a group's chat work is queued.
 */
import type { Redis } from 'ioredis';
import type { Db, Prisma } from '../db.ts';
import type { Queues } from '../queues.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import { translator, type Locale, type Translate } from '../i18n/i18n.ts';
import type { AlertsConfig } from './alerts.config.ts';
import { ALERTS_QUEUE, type AlertJob } from './alert-types.ts';
import { createAlertmanagerSilences, type AlertmanagerSilences } from './alertmanager-silences.ts';

export interface AlertServiceDeps {
  db: Db;
  queues: Queues;
  outbound: OutboundPort;
  clock: Clock;
  logger: Logger;
  config: AlertsConfig;
  /** Locale of cards in channels. */
  locale: Locale;
  /** Redis for storm bookkeeping (digest refresh throttle). */
  redis: Redis;
  /** Whether an "Open ticket" button is offered. */
  ticketsAvailable?: boolean;
}

/** A stored alert group. */
export type GroupRow = Prisma.AlertGroupGetPayload<object>;

/** The shared context of the alert service's parts. */
export interface AlertContext extends AlertServiceDeps {
  t: Translate;
  /** Silences made in Alertmanager (none unless `alerts.alertmanagerUrl` is set). */
  amSilences: AlertmanagerSilences;
  /** Queues the group's chat work; `tag` makes the job id unique per reason. */
  enqueueGroup(groupId: string, tag: string): Promise<void>;
}

/** Builds the context the parts of the alert service are made over. */
export function createAlertContext(deps: AlertServiceDeps): AlertContext {
  return {
    ...deps,
    t: translator(deps.locale),
    amSilences: createAlertmanagerSilences({ url: deps.config.alertmanagerUrl, logger: deps.logger }),
    async enqueueGroup(groupId, tag) {
      await deps.queues.add<AlertJob>(ALERTS_QUEUE, { kind: 'group', groupId, byOperator: true }, { jobId: `grp-${groupId}-${tag}` });
    },
  };
}
