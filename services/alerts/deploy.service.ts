/**
 * Deployments: one row (and one chat message, messageKey `deploy:<id>`) per deployment,
 * updated through queued -> in_progress -> success | failure. Sources: GitHub (deployment,
 * deployment_status, workflow_run) and the small deploy JSON that scripts post.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import { isUniqueViolation } from '../db.ts';
import type { Queues } from '../queues.ts';
import type { Clock } from '../clock.ts';
import { ALERTS_QUEUE, TX_OPTIONS, type AlertJob } from './alert.service.ts';

export const DEPLOY_STATES = ['queued', 'in_progress', 'success', 'failure'] as const;
export type DeployState = (typeof DEPLOY_STATES)[number];

/** A deployment event, normalized across sources. */
export interface DeployEvent {
  source: 'github' | 'api';
  externalId: string;
  service: string;
  environment: string;
  version: string;
  status: DeployState;
  url?: string | null;
  actor?: string | null;
}

const TERMINAL: ReadonlySet<string> = new Set(['success', 'failure']);

/** GitHub deployment_status.state -> our state (null: not a state we show, e.g. inactive). */
export function githubDeploymentState(state: string): DeployState | null {
  switch (state) {
    case 'queued':
    case 'pending':
      return 'queued';
    case 'in_progress':
      return 'in_progress';
    case 'success':
      return 'success';
    case 'failure':
    case 'error':
      return 'failure';
    default:
      return null;
  }
}

/** GitHub workflow_run (action, conclusion) -> our state. */
export function githubWorkflowState(action: string, status: string | null, conclusion: string | null): DeployState | null {
  if (action === 'requested') return 'queued';
  if (action === 'in_progress') return 'in_progress';
  if (action === 'completed') {
    if (conclusion === 'success') return 'success';
    if (conclusion === 'cancelled' || conclusion === 'skipped' || conclusion === 'neutral') return null;
    return 'failure';
  }
  return status === 'in_progress' ? 'in_progress' : null;
}

export type DeployService = ReturnType<typeof createDeployService>;

export function createDeployService(deps: { db: Db; queues: Queues; clock: Clock }) {
  const { db, queues, clock } = deps;

  async function upsertOnce(e: DeployEvent) {
    return db.$transaction(async (tx) => {
      const now = clock.now();
      const locked = await tx.$queryRaw<Array<{ id: string; status: string; history: unknown }>>`
        SELECT id, status, history FROM "Deployment" WHERE source = ${e.source} AND "externalId" = ${e.externalId} FOR UPDATE`;
      const prev = locked[0];
      if (!prev) {
        return tx.deployment.create({
          data: {
            source: e.source,
            externalId: e.externalId,
            service: e.service,
            environment: e.environment,
            version: e.version,
            status: e.status,
            url: e.url ?? null,
            actor: e.actor ?? null,
            history: [{ status: e.status, at: now.toISOString() }],
          },
        });
      }
      const history = Array.isArray(prev.history) ? (prev.history as Array<{ status: string; at: string }>) : [];
      // Deliveries can arrive out of order: a late "queued" must not undo a finished deploy.
      const regress = TERMINAL.has(prev.status) && !TERMINAL.has(e.status);
      const repeat = prev.status === e.status;
      return tx.deployment.update({
        where: { id: prev.id },
        data: {
          ...(regress ? {} : { status: e.status }),
          ...(e.version ? { version: e.version } : {}),
          ...(e.url ? { url: e.url } : {}),
          ...(e.actor ? { actor: e.actor } : {}),
          ...(regress || repeat ? {} : { history: [...history, { status: e.status, at: now.toISOString() }] }),
        },
      });
    }, TX_OPTIONS);
  }

  return {
    /** Records a deployment event and queues its message update. */
    async record(e: DeployEvent) {
      let row;
      try {
        row = await upsertOnce(e);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        row = await upsertOnce(e);
      }
      await queues.add<AlertJob>(ALERTS_QUEUE, { kind: 'deploy', deploymentId: row.id }, { jobId: `dep-${row.id}-${randomUUID()}` });
      return row;
    },

    /** Recent deployments, newest first, optionally for one environment. */
    async recent(environment?: string, limit = 15) {
      return db.deployment.findMany({
        where: environment ? { environment } : {},
        orderBy: { createdAt: 'desc' },
        take: limit,
      });
    },
  };
}
