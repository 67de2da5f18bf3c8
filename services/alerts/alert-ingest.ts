/**
 * Ingest: one incoming group is stored (the group row under a lock, with flap detection and
 * deploy correlation, and every alert in it), then its chat work is queued.
 */
import { isUniqueViolation } from '../db.ts';
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';
import type { AlertContext } from './alert-context.ts';
import { alertFingerprint, groupFields, groupFingerprint } from './alert-normalize.ts';
import { TX_OPTIONS, type IncomingGroup, type IngestResult } from './alert-types.ts';

/** The ingest path over the shared context. */
export function createIngest(ctx: AlertContext) {
  const { db, clock, config } = ctx;

  /** Stores one incoming group (all its alerts) in one transaction; returns the group id. */
  async function store(input: IncomingGroup): Promise<{ groupId: string; lastAlertId: bigint; stored: number }> {
    const now = clock.now();
    const { labels, service, severity, environment, title, summary, url } = groupFields(input);
    const fingerprint = groupFingerprint(input.source, input.groupKey);
    const windowMs = config.flapping.windowMinutes * 60_000;

    return db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string; status: string; stateChanges: unknown; deploymentId: string | null }>>`
        SELECT id, status, "stateChanges", "deploymentId" FROM "AlertGroup"
        WHERE source = ${input.source} AND "groupKey" = ${input.groupKey} FOR UPDATE`;
      const prev = locked[0];
      const changed = prev ? prev.status !== input.status : input.status === 'firing';
      const history = ((prev?.stateChanges as string[] | undefined) ?? []).filter((at) => now.getTime() - Date.parse(at) < windowMs);
      if (changed) history.push(now.toISOString());
      const flapping = history.length >= config.flapping.changes;
      let deploymentId = prev?.deploymentId ?? null;
      if (input.status === 'firing' && (changed || !deploymentId) && service) {
        const since = new Date(now.getTime() - config.deployCorrelationMinutes * 60_000);
        const deploy = await tx.deployment.findFirst({
          where: { service, createdAt: { gte: since }, ...(environment ? { environment } : {}) },
          orderBy: { createdAt: 'desc' },
          select: { id: true },
        });
        deploymentId = deploy?.id ?? deploymentId;
      }
      const fields = { status: input.status, severity, service, environment, title, summary, labels, url, lastSeenAt: now, stateChanges: history, flapping, deploymentId };
      let groupId: string;
      if (prev) {
        groupId = prev.id;
        await tx.alertGroup.update({
          where: { id: prev.id },
          data: {
            ...fields,
            fireCount: { increment: 1 },
            // A group that fires again is a new occurrence: clear who resolved or acknowledged the old one.
            ...(changed && input.status === 'firing' ? { resolvedAt: null, resolvedBy: null, ackAt: null, ackBy: null } : {}),
            ...(changed && input.status === 'resolved' ? { resolvedAt: now, resolvedBy: null } : {}),
          },
        });
      } else {
        const created = await tx.alertGroup.create({
          data: { ...fields, source: input.source, groupKey: input.groupKey, fingerprint, firstSeenAt: now, fireCount: 1, ...(input.status === 'resolved' ? { resolvedAt: now } : {}) },
          select: { id: true },
        });
        groupId = created.id;
      }
      const rows = await tx.alert.createManyAndReturn({
        data: input.alerts.map((a) => ({
          groupId,
          source: input.source,
          fingerprint: a.fingerprint ?? alertFingerprint(a.labels),
          status: a.status,
          labels: a.labels,
          annotations: a.annotations,
          startsAt: a.startsAt ? new Date(a.startsAt) : null,
          endsAt: a.endsAt ? new Date(a.endsAt) : null,
          receivedAt: now,
        })),
        select: { id: true },
      });
      const lastAlertId = rows.reduce((m, r) => (r.id > m ? r.id : m), 0n);
      return { groupId, lastAlertId, stored: rows.length };
    }, TX_OPTIONS);
  }

  /**
   * Stores an incoming group and queues its chat work. Two first deliveries of a new group
   * can race on the unique key; the loser retries once and finds the winner's row.
   */
  async function ingest(input: IncomingGroup): Promise<IngestResult> {
    let result: Awaited<ReturnType<typeof store>>;
    try {
      result = await store(input);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      result = await store(input);
    }
    await ctx.enqueueGroup(result.groupId, `a${result.lastAlertId}`);
    if (input.status === 'firing') {
      // Processes may start on firing alerts; one event per occurrence (startsAt), and a lost event must not fail the webhook.
      const labels = { ...(input.alerts[0]?.labels ?? {}), ...input.commonLabels };
      await emitProcessEvent(ctx.queues, PROCESS_EVENTS.alertFiring, { groupId: result.groupId, source: input.source, labels, title: input.title ?? labels.alertname ?? '' }, `alert-${result.groupId}-${input.alerts[0]?.startsAt ?? result.lastAlertId}`).catch((err: Error) => ctx.logger.warn({ err: err.message }, 'process event not queued'));
    }
    return { groupId: result.groupId, stored: result.stored, status: input.status };
  }

  return { ingest };
}
