/**
 * The alerts feature: Alertmanager, Grafana, GitHub and deploy webhooks store alert groups
 * and deployments; the notify queue posts one card per group and chat (a digest during a
 * storm), edited as the group changes; health checks run on a schedule and raise alerts.
 *
 * Where each part lives: this file is the wiring (queues with their processors, routes,
 * schedules); commands.ts the chat commands (alerts, deploys, silences, subscribe,
 * unsubscribe); actions.ts the card's buttons; routes.ts the webhooks. The domain is in
 * services/alerts/ (alert.service.ts is its entry) and reaches this feature through the
 * container (deps.alerts, deps.deploys, deps.healthChecks, deps.tickets).
 */
import type { FeatureModule, Role } from '../../core/module.ts';
import type { Job } from '../../services/queues.ts';
import type { Services } from '../services.ts';
import { ALERTS_QUEUE, alertJobSchema, type AlertJob } from '../../services/alerts/alert.service.ts';
import { alertCommands, subscriptionRef } from './commands.ts';
import { alertActions, ticketOpener } from './actions.ts';
import { registerAlertRoutes } from './routes.ts';

export { subscriptionRef, ticketOpener };

/** Builds the alerts module over the service container. */
export function createAlertsModule(deps: Services): FeatureModule {
  const { db, logger, config, alerts, deploys, healthChecks } = deps;

  /** The processor of the notify queue: a group's cards, a deployment's message or a digest refresh. */
  async function notifyProcessor(job: Job<AlertJob>): Promise<void> {
    return alerts.process(job.data);
  }

  /** Health checks are scheduled by the processes that run workers (role all or worker). */
  async function start(role: Role): Promise<void> {
    if (role === 'all' || role === 'worker') await healthChecks.schedule();
  }

  return {
    name: 'alerts',
    commands: alertCommands(deps),
    actions: alertActions(deps),
    queues: [
      // Each job holds a pooled connection for a moment; more than the pool only queues on it.
      { name: ALERTS_QUEUE, schema: alertJobSchema, concurrency: 8, processor: notifyProcessor },
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
      }),
    start,
  };
}
