/**
 * HTTP health checks from the YAML, run by the workers as BullMQ job schedulers (one per
 * check). Consecutive failures past the threshold raise an alert (group `health:<name>`);
 * consecutive successes past the recovery threshold resolve it. State lives in Postgres.
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import type { Queues, QueueDef } from '../queues.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { HealthCheckConfig } from './alerts.config.ts';
import { TX_OPTIONS, type AlertService } from './alert.service.ts';

export const HEALTH_QUEUE = 'alerts.health';
export const healthJobSchema = z.object({ check: z.string().min(1).max(64) });
export type HealthJob = z.infer<typeof healthJobSchema>;

const SCHEDULER_PREFIX = 'hc-';

/** Outcome of one probe. */
export interface ProbeResult {
  ok: boolean;
  error?: string;
}

/** Fetches the URL once and compares status and body text. */
export async function probe(check: HealthCheckConfig): Promise<ProbeResult> {
  try {
    const res = await fetch(check.url, { signal: AbortSignal.timeout(check.timeoutMs), redirect: 'manual' });
    const body = check.expectBody !== undefined ? await res.text() : (await res.body?.cancel(), '');
    if (res.status !== check.expectStatus) return { ok: false, error: `status ${res.status}, expected ${check.expectStatus}` };
    if (check.expectBody !== undefined && !body.includes(check.expectBody)) return { ok: false, error: `body lacks "${check.expectBody}"` };
    return { ok: true };
  } catch (err) {
    const name = (err as Error).name;
    return { ok: false, error: name === 'TimeoutError' ? `timeout after ${check.timeoutMs} ms` : (err as Error).message };
  }
}

/** The transition a probe caused, if any. */
export type HealthTransition = 'down' | 'up' | null;

export function createHealthCheckService(deps: { db: Db; queues: Queues; clock: Clock; logger: Logger; checks: HealthCheckConfig[]; alerts: AlertService }) {
  const { db, clock, checks, alerts } = deps;
  const byName = new Map(checks.map((c) => [c.name, c]));

  /** Runs one check and applies the counters; raises or resolves the alert on a transition. */
  async function run(name: string): Promise<HealthTransition> {
    const check = byName.get(name);
    if (!check) return null; // removed from the YAML since it was scheduled
    const result = await probe(check);
    const now = clock.now();
    const transition = await db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "HealthCheckState" (name, "updatedAt") VALUES (${name}, now()) ON CONFLICT (name) DO NOTHING`;
      const rows = await tx.$queryRaw<Array<{ status: string; consecutiveFailures: number; consecutiveSuccesses: number }>>`
        SELECT status, "consecutiveFailures", "consecutiveSuccesses" FROM "HealthCheckState" WHERE name = ${name} FOR UPDATE`;
      const s = rows[0]!;
      const failures = result.ok ? 0 : s.consecutiveFailures + 1;
      const successes = result.ok ? s.consecutiveSuccesses + 1 : 0;
      let status = s.status;
      let change: HealthTransition = null;
      if (!result.ok && status !== 'down' && failures >= check.failuresBeforeAlert) {
        status = 'down';
        change = 'down';
      } else if (result.ok && status === 'down' && successes >= check.successesBeforeRecovery) {
        status = 'up';
        change = 'up';
      } else if (result.ok && status === 'unknown') {
        status = 'up';
      }
      await tx.healthCheckState.update({
        where: { name },
        data: {
          status,
          consecutiveFailures: failures,
          consecutiveSuccesses: successes,
          lastCheckedAt: now,
          lastError: result.ok ? null : (result.error ?? 'failed').slice(0, 500),
          ...(change ? { changedAt: now } : {}),
        },
      });
      return change;
    }, TX_OPTIONS);
    if (transition) {
      const status = transition === 'down' ? 'firing' : 'resolved';
      const labels = {
        ...check.labels,
        alertname: `HealthCheck ${check.name}`,
        service: check.service ?? check.name,
        severity: check.severity,
        environment: check.environment,
        check: check.name,
      };
      await alerts.ingest({
        source: 'health',
        groupKey: `health:${check.name}`,
        status,
        commonLabels: labels,
        commonAnnotations: { summary: transition === 'down' ? `${check.url}: ${result.error ?? 'failed'}` : `${check.url} is healthy again` },
        url: check.url,
        alerts: [{ status, labels, annotations: {}, fingerprint: `health:${check.name}`, startsAt: now.toISOString() }],
      });
    }
    return transition;
  }

  return {
    run,

    /** The queue declaration (processor runs the check named in the job). */
    queueDef(): QueueDef<HealthJob> {
      return {
        name: HEALTH_QUEUE,
        schema: healthJobSchema,
        concurrency: 10,
        // A failed probe is data, not an error: no retries, the next tick probes again.
        defaultJobOptions: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        processor: async (job) => run(job.data.check),
      };
    },

    /** Upserts one job scheduler per configured check and removes schedulers of checks no longer configured. */
    async schedule(): Promise<void> {
      const queue = deps.queues.queue(HEALTH_QUEUE);
      const wanted = new Set<string>();
      for (const c of checks) {
        const id = `${SCHEDULER_PREFIX}${c.name}`;
        wanted.add(id);
        await queue.upsertJobScheduler(
          id,
          { every: Math.round(c.intervalSeconds * 1000) },
          { name: 'health-check', data: { check: c.name }, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
        );
      }
      for (const s of await queue.getJobSchedulers(0, -1)) {
        const id = s.key ?? s.id ?? '';
        if (id.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) await queue.removeJobScheduler(id);
      }
    },
  };
}

/** The health check runner of the alerts feature. */
export type HealthCheckService = ReturnType<typeof createHealthCheckService>;
