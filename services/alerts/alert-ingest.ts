/**
 * Ingest: one incoming group is stored in one statement (the group row upserted with flap
 * detection and deploy correlation, and every alert in it), then its chat work is queued.
 * The answer to the sender waits for both, so a 2xx means the delivery is stored and queued.
 */
import { randomUUID } from 'node:crypto';
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';
import type { AlertContext } from './alert-context.ts';
import { alertFingerprint, groupFields, groupFingerprint } from './alert-normalize.ts';
import { ALERTS_QUEUE, type AlertJob, type IncomingAlert, type IncomingGroup, type IngestResult } from './alert-types.ts';

interface Stored {
  groupId: string;
  lastAlertId: bigint | null;
  stored: number;
}

/** A source's time as ISO UTC (Postgres does not read every form Date.parse accepts). */
const iso = (s: string | undefined): string | null => (s ? new Date(s).toISOString() : null);

/** The alerts of a delivery as one JSON array, the rows `jsonb_to_recordset` inserts. */
function alertRows(alerts: IncomingAlert[]): string {
  return JSON.stringify(
    alerts.map((a) => ({
      fingerprint: a.fingerprint ?? alertFingerprint(a.labels),
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: iso(a.startsAt),
      endsAt: iso(a.endsAt),
    })),
  );
}

/** The ingest path over the shared context. */
export function createIngest(ctx: AlertContext) {
  const { db, clock, config, queues } = ctx;

  /**
   * Stores one incoming group and all its alerts in a single statement: one round trip and
   * its own transaction. ON CONFLICT locks an existing group row and computes from its latest
   * version, so concurrent deliveries of one group serialize as under SELECT ... FOR UPDATE,
   * and two first deliveries of a new group cannot both insert it.
   */
  async function store(input: IncomingGroup): Promise<Stored> {
    const nowMs = clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    const cutoff = new Date(nowMs - config.flapping.windowMinutes * 60_000).toISOString();
    const since = new Date(nowMs - config.deployCorrelationMinutes * 60_000).toISOString();
    const f = groupFields(input);
    const firing = input.status === 'firing';
    // A new group that fires is a state change; one that arrives resolved is not.
    const history = firing ? [now] : [];
    const correlate = firing && f.service !== '';
    const rows = await db.$queryRaw<Stored[]>`
      WITH dep AS (
        SELECT id FROM "Deployment"
        WHERE ${correlate} AND service = ${f.service} AND "createdAt" >= ${since}::timestamptz AT TIME ZONE 'UTC'
          AND (${f.environment} = '' OR environment = ${f.environment})
        ORDER BY "createdAt" DESC LIMIT 1
      ), g AS (
        INSERT INTO "AlertGroup" (id, source, "groupKey", fingerprint, status, severity, service, environment, title, summary,
          labels, url, "firstSeenAt", "lastSeenAt", "fireCount", "stateChanges", flapping, "deploymentId", "resolvedAt", "updatedAt")
        VALUES (${randomUUID()}::uuid, ${input.source}, ${input.groupKey}, ${groupFingerprint(input.source, input.groupKey)},
          ${input.status}, ${f.severity}, ${f.service}, ${f.environment}, ${f.title}, ${f.summary}, ${JSON.stringify(f.labels)}::jsonb,
          ${f.url}, ${now}::timestamptz AT TIME ZONE 'UTC', ${now}::timestamptz AT TIME ZONE 'UTC', 1, ${JSON.stringify(history)}::jsonb,
          ${history.length >= config.flapping.changes}, (SELECT id FROM dep),
          CASE WHEN ${firing} THEN NULL ELSE ${now}::timestamptz AT TIME ZONE 'UTC' END, ${now}::timestamptz AT TIME ZONE 'UTC')
        ON CONFLICT (source, "groupKey") DO UPDATE SET
          status = EXCLUDED.status, severity = EXCLUDED.severity, service = EXCLUDED.service, environment = EXCLUDED.environment,
          title = EXCLUDED.title, summary = EXCLUDED.summary, labels = EXCLUDED.labels, url = EXCLUDED.url,
          "lastSeenAt" = EXCLUDED."lastSeenAt", "updatedAt" = EXCLUDED."updatedAt", "fireCount" = "AlertGroup"."fireCount" + 1,
          -- Flap detection: the state changes still inside the window, plus this one if the status changed.
          ("stateChanges", flapping) = (
            SELECT h, jsonb_array_length(h) >= ${config.flapping.changes}::int FROM (
              SELECT (SELECT coalesce(jsonb_agg(e ORDER BY o), '[]'::jsonb)
                        FROM jsonb_array_elements("AlertGroup"."stateChanges") WITH ORDINALITY AS x(e, o)
                        WHERE (e #>> '{}')::timestamptz > ${cutoff}::timestamptz)
                || CASE WHEN "AlertGroup".status <> EXCLUDED.status THEN jsonb_build_array(${now}::text) ELSE '[]'::jsonb END AS h
            ) changes),
          "deploymentId" = CASE WHEN EXCLUDED."deploymentId" IS NOT NULL
              AND ("AlertGroup".status <> EXCLUDED.status OR "AlertGroup"."deploymentId" IS NULL)
            THEN EXCLUDED."deploymentId" ELSE "AlertGroup"."deploymentId" END,
          -- A group that fires again is a new occurrence: clear who resolved or acknowledged the old one.
          "resolvedAt" = CASE WHEN "AlertGroup".status = EXCLUDED.status THEN "AlertGroup"."resolvedAt" ELSE EXCLUDED."resolvedAt" END,
          "resolvedBy" = CASE WHEN "AlertGroup".status = EXCLUDED.status THEN "AlertGroup"."resolvedBy" END,
          "ackAt" = CASE WHEN "AlertGroup".status = EXCLUDED.status OR NOT ${firing} THEN "AlertGroup"."ackAt" END,
          "ackBy" = CASE WHEN "AlertGroup".status = EXCLUDED.status OR NOT ${firing} THEN "AlertGroup"."ackBy" END
        RETURNING id
      ), a AS (
        INSERT INTO "Alert" ("groupId", source, fingerprint, status, labels, annotations, "startsAt", "endsAt", "receivedAt")
        SELECT g.id, ${input.source}, r.fingerprint, r.status, r.labels, r.annotations,
          r."startsAt"::timestamptz AT TIME ZONE 'UTC', r."endsAt"::timestamptz AT TIME ZONE 'UTC', ${now}::timestamptz AT TIME ZONE 'UTC'
        FROM g, jsonb_to_recordset(${alertRows(input.alerts)}::jsonb)
          AS r(fingerprint text, status text, labels jsonb, annotations jsonb, "startsAt" text, "endsAt" text)
        RETURNING id
      )
      SELECT g.id::text AS "groupId", (SELECT max(id) FROM a) AS "lastAlertId", (SELECT count(*) FROM a)::int AS stored FROM g`;
    return rows[0]!;
  }

  /** Stores an incoming group and queues its chat work (and, when it fires, a process event). */
  async function ingest(input: IncomingGroup): Promise<IngestResult> {
    const { groupId, lastAlertId, stored } = await store(input);
    // Concurrent deliveries' notify jobs leave together in one addBulk.
    const notify = queues.addBatched<AlertJob>(ALERTS_QUEUE, { kind: 'group', groupId }, { jobId: `grp-${groupId}-a${lastAlertId ?? 0n}` });
    if (input.status === 'firing') {
      // Processes may start on firing alerts; one event per occurrence (startsAt), and a lost event must not fail the webhook.
      const labels = { ...(input.alerts[0]?.labels ?? {}), ...input.commonLabels };
      const event = { groupId, source: input.source, labels, title: input.title ?? labels.alertname ?? '' };
      const emitted = emitProcessEvent(queues, PROCESS_EVENTS.alertFiring, event, `alert-${groupId}-${input.alerts[0]?.startsAt ?? lastAlertId}`);
      await Promise.all([notify, emitted.catch((err: Error) => ctx.logger.warn({ err: err.message }, 'process event not queued'))]);
    } else {
      await notify;
    }
    return { groupId, stored, status: input.status };
  }

  return { ingest };
}
