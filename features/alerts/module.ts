/**
 * The alerts feature: Alertmanager, Grafana, GitHub and deploy webhooks store alert groups
 * and deployments; the notify queue posts one card per group and chat (a digest during a
 * storm), edited as the group changes; health checks run on a schedule and raise alerts.
 *
 * Where each part lives: this file is the wiring (queues with their processors, routes,
 * schedules, the notify recovery sweep); commands.ts the chat commands (alerts, deploys, silences, subscribe,
 * unsubscribe); actions.ts the card's buttons; routes.ts the webhooks. The domain is in
 * services/alerts/ (alert.service.ts is its entry) and reaches this feature through the
 * container (deps.alerts, deps.deploys, deps.healthChecks, deps.tickets).
 */
import { Counter } from 'prom-client';
import type { FeatureModule, Role } from '../../core/module.ts';
import type { Job } from '../../services/queues.ts';
import type { Services } from '../services.ts';
import {
  ALERTS_QUEUE,
  ALERTS_RECOVERY_QUEUE,
  alertJobSchema,
  alertRecoveryJobSchema,
  type AlertJob,
} from '../../services/alerts/alert.service.ts';
import { alertCommands, subscriptionRef } from './commands.ts';
import { alertActions, ticketOpener } from './actions.ts';
import { registerAlertRoutes } from './routes.ts';

export { subscriptionRef, ticketOpener };

const NOTIFY_NOT_QUEUED = 'a2d2_alert_notify_not_queued_total';

/** The counter of deliveries stored whose notify job could not be queued (the recovery sweep queues them). */
function notifyNotQueuedCounter(deps: Services): Counter {
  const existing = deps.metrics.registry.getSingleMetric(NOTIFY_NOT_QUEUED);
  if (existing) return existing as Counter;
  return new Counter({
    name: NOTIFY_NOT_QUEUED,
    help: 'Alert deliveries stored and answered 202 whose notify job could not be queued then (the recovery sweep queues them)',
    registers: [deps.metrics.registry],
  });
}

const RECEIVED = 'a2d2_alerts_received_total';

/** The counter of alerts received by webhook, per source and outcome (stored, duplicate). */
function receivedCounter(deps: Services): Counter<'source' | 'outcome'> {
  const existing = deps.metrics.registry.getSingleMetric(RECEIVED);
  if (existing) return existing as Counter<'source' | 'outcome'>;
  return new Counter({
    name: RECEIVED,
    help: 'Alerts received by the Alertmanager and Grafana webhooks, per source and outcome (stored, duplicate)',
    labelNames: ['source', 'outcome'],
    registers: [deps.metrics.registry],
  });
}

/**
 * Logs a warning when no alert would ever be posted: no route, no default destination and no
 * subscription, while something can send alerts or deploys. Alerts are still stored then, so
 * readiness stays as it is; the log is where an operator learns why the chat stays quiet.
 */
async function warnWithoutDestination(deps: Services): Promise<void> {
  const { config, logger, db } = deps;
  const a = config.file.alerts;
  const env = config.env;
  const sources = Boolean(env.ALERTMANAGER_TOKEN || env.GITHUB_WEBHOOK_SECRET || env.A2D2_API_TOKEN || a.healthChecks.length);
  if (!sources || a.routes.length > 0 || a.defaultDestinations.length > 0) return;
  const subscriptions = await db.alertSubscription.count().catch(() => null);
  if (subscriptions !== 0) return;
  logger.warn(
    { module: 'alerts' },
    'alerts have no destination: no alerts.routes, no alerts.defaultDestinations and no chat subscribed; alerts are stored but never posted (add a route or say "subscribe" in a chat)',
  );
}

/** Builds the alerts module over the service container. */
export function createAlertsModule(deps: Services): FeatureModule {
  const { db, logger, config, alerts, deploys, healthChecks } = deps;
  const notifyNotQueued = notifyNotQueuedCounter(deps);
  const received = receivedCounter(deps);

  /** The processor of the notify queue: a group's cards, a deployment's message or a digest refresh. */
  async function notifyProcessor(job: Job<AlertJob>): Promise<void> {
    return alerts.process(job.data);
  }

  /** The processor of the recovery queue: queues notify jobs of groups stored but never shown. */
  async function recoveryProcessor(): Promise<number> {
    return alerts.recovery.sweep();
  }

  /** Health checks and the notify recovery sweep are scheduled by the processes that run workers (role all or worker). */
  async function start(role: Role): Promise<void> {
    await warnWithoutDestination(deps);
    if (role === 'all' || role === 'worker') {
      await healthChecks.schedule();
      await alerts.recovery.install();
    }
  }

  return {
    name: 'alerts',
    commands: alertCommands(deps),
    actions: alertActions(deps),
    queues: [
      // Each job holds a pooled connection for a moment; more than the pool only queues on it.
      { name: ALERTS_QUEUE, schema: alertJobSchema, concurrency: 8, processor: notifyProcessor },
      { name: ALERTS_RECOVERY_QUEUE, schema: alertRecoveryJobSchema, concurrency: 1, processor: recoveryProcessor },
      healthChecks.queueDef(),
    ],
    routes: (app) =>
      registerAlertRoutes(app, {
        db,
        logger,
        alerts,
        deploys,
        secrets: {
          alertmanagerToken: config.env.ALERTMANAGER_TOKEN,
          githubSecret: config.env.GITHUB_WEBHOOK_SECRET,
          apiToken: config.env.A2D2_API_TOKEN,
        },
        onNotifyNotQueued: () => notifyNotQueued.inc(),
        onReceived: (source, n, duplicate) => received.inc({ source, outcome: duplicate ? 'duplicate' : 'stored' }, n),
      }),
    start,
    async stop() {
      alerts.recovery.uninstall();
    },
  };
}
