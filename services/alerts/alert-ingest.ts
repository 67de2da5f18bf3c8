/**
 * Ingest: one incoming group is stored in one statement (the group row upserted with flap
 * detection, deploy correlation and its notify mark, and every alert in it), then its chat
 * work is queued. The mark is the outbox: a notify job that could not be queued (Redis down,
 * a crash in between) is queued later by the recovery sweep, so the answer to the sender
 * depends on the store alone. The notify job also hands a firing group to the processes (its
 * `alert.firing` event), so that event is as durable as the card. A delivery identical to the group's last one within
 * `duplicateWindow` (the sender retrying one whose answer it missed) stores nothing new.
 */
import { randomUUID } from 'node:crypto';
import { sqlPool } from '../db.ts';
import type { AlertContext } from './alert-context.ts';
import { durationMs } from '../duration.ts';
import { alertFingerprint, groupFields, groupFingerprint } from './alert-normalize.ts';
import { deliveryHash, groupDetails } from './alert-details.ts';
import { ALERTS_QUEUE, type AlertJob, type IncomingAlert, type IncomingGroup, type IngestResult } from './alert-types.ts';

interface Stored {
  groupId: string | null;
  lastAlertId: bigint | null;
  stored: number;
  duplicate: boolean;
}

/** RFC 3339 in UTC to the millisecond (as Date would write it): Postgres reads it as it is. */
const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z$/;

/** A source's time as ISO UTC (Postgres does not read every form Date.parse accepts). */
const iso = (s: string | undefined): string | null => (s ? (RFC3339_UTC.test(s) ? s : new Date(s).toISOString()) : null);

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

/**
 * The store statement. It upserts the group row (flap detection, deploy correlation, its notify
 * mark) and inserts every alert of the delivery. ON CONFLICT locks an existing group row and
 * computes from its latest version, so concurrent deliveries of one group serialize as under
 * SELECT ... FOR UPDATE, and two first deliveries of a new group cannot both insert it.
 * Parameters, in order: $1 correlate, $2 service, $3 deploy-correlation cutoff, $4 environment,
 * $5 new group id, $6 source, $7 groupKey, $8 group fingerprint, $9 status, $10 severity,
 * $11 title, $12 summary, $13 labels, $14 url, $15 now, $16 state-change history of a new
 * group, $17 its flapping, $18 firing, $19 delivery hash, $20 details, $21 flap changes,
 * $22 flap-window cutoff, $23 duplicate-window cutoff, $24 the alerts as a JSON array.
 */
const STORE_SQL = `
  WITH dep AS (
    SELECT id FROM "Deployment"
    WHERE $1::boolean AND service = $2::text AND "createdAt" >= $3::timestamptz AT TIME ZONE 'UTC'
      AND ($4::text = '' OR environment = $4::text)
    ORDER BY "createdAt" DESC LIMIT 1
  ), g AS (
    INSERT INTO "AlertGroup" (id, source, "groupKey", fingerprint, status, severity, service, environment, title, summary,
      labels, url, "firstSeenAt", "lastSeenAt", "fireCount", "stateChanges", flapping, "deploymentId", "resolvedAt", "updatedAt",
      "notifyPendingSince", "deliveryHash", details, "occurrenceAt")
    VALUES ($5::uuid, $6::text, $7::text, $8::text, $9::text, $10::text, $2::text, $4::text, $11::text, $12::text, $13::jsonb,
      $14::text, $15::timestamptz AT TIME ZONE 'UTC', $15::timestamptz AT TIME ZONE 'UTC', 1, $16::jsonb,
      $17::boolean, (SELECT id FROM dep),
      CASE WHEN $18::boolean THEN NULL ELSE $15::timestamptz AT TIME ZONE 'UTC' END, $15::timestamptz AT TIME ZONE 'UTC',
      $15::timestamptz AT TIME ZONE 'UTC', $19::text, $20::jsonb,
      CASE WHEN $18::boolean THEN $15::timestamptz AT TIME ZONE 'UTC' END)
    ON CONFLICT (source, "groupKey") DO UPDATE SET
      status = EXCLUDED.status, severity = EXCLUDED.severity, service = EXCLUDED.service, environment = EXCLUDED.environment,
      title = EXCLUDED.title, summary = EXCLUDED.summary, labels = EXCLUDED.labels, url = EXCLUDED.url,
      "lastSeenAt" = EXCLUDED."lastSeenAt", "updatedAt" = EXCLUDED."updatedAt", "fireCount" = "AlertGroup"."fireCount" + 1,
      -- Always later than the mark it replaces, so a notify job clears only the mark it saw.
      "notifyPendingSince" = GREATEST(EXCLUDED."notifyPendingSince", "AlertGroup"."notifyPendingSince" + interval '1 millisecond'),
      "deliveryHash" = EXCLUDED."deliveryHash", details = EXCLUDED.details,
      -- Flap detection: the state changes still inside the window, plus this one if the status changed.
      -- A resolved group that fires again is a new occurrence (a new card), unless it flaps.
      ("stateChanges", flapping, occurrence, "occurrenceAt") = (
        SELECT h, jsonb_array_length(h) >= $21::int,
          CASE WHEN "AlertGroup".status = 'resolved' AND $18::boolean AND jsonb_array_length(h) < $21::int
            THEN "AlertGroup".occurrence + 1 ELSE "AlertGroup".occurrence END,
          CASE WHEN "AlertGroup".status <> EXCLUDED.status AND $18::boolean THEN EXCLUDED."occurrenceAt" ELSE "AlertGroup"."occurrenceAt" END
        FROM (
          SELECT (SELECT coalesce(jsonb_agg(e ORDER BY o), '[]'::jsonb)
                    FROM jsonb_array_elements("AlertGroup"."stateChanges") WITH ORDINALITY AS x(e, o)
                    WHERE (e #>> '{}')::timestamptz > $22::timestamptz)
            || CASE WHEN "AlertGroup".status <> EXCLUDED.status THEN jsonb_build_array($15::text) ELSE '[]'::jsonb END AS h
        ) changes),
      "deploymentId" = CASE WHEN EXCLUDED."deploymentId" IS NOT NULL
          AND ("AlertGroup".status <> EXCLUDED.status OR "AlertGroup"."deploymentId" IS NULL)
        THEN EXCLUDED."deploymentId" ELSE "AlertGroup"."deploymentId" END,
      -- A group that fires again is a new occurrence: clear who resolved or acknowledged the old one.
      "resolvedAt" = CASE WHEN "AlertGroup".status = EXCLUDED.status THEN "AlertGroup"."resolvedAt" ELSE EXCLUDED."resolvedAt" END,
      "resolvedBy" = CASE WHEN "AlertGroup".status = EXCLUDED.status THEN "AlertGroup"."resolvedBy" END,
      "ackAt" = CASE WHEN "AlertGroup".status = EXCLUDED.status OR NOT $18::boolean THEN "AlertGroup"."ackAt" END,
      "ackBy" = CASE WHEN "AlertGroup".status = EXCLUDED.status OR NOT $18::boolean THEN "AlertGroup"."ackBy" END
    -- A sender's retry of the last delivery changes nothing (no new notification, no alert rows).
    WHERE "AlertGroup"."deliveryHash" IS DISTINCT FROM EXCLUDED."deliveryHash"
      OR "AlertGroup"."lastSeenAt" < $23::timestamptz AT TIME ZONE 'UTC'
    RETURNING id
  ), a AS (
    INSERT INTO "Alert" ("groupId", source, fingerprint, status, labels, annotations, "startsAt", "endsAt", "receivedAt")
    SELECT g.id, $6::text, r.fingerprint, r.status, r.labels, r.annotations,
      r."startsAt"::timestamptz AT TIME ZONE 'UTC', r."endsAt"::timestamptz AT TIME ZONE 'UTC', $15::timestamptz AT TIME ZONE 'UTC'
    FROM g, jsonb_to_recordset($24::jsonb)
      AS r(fingerprint text, status text, labels jsonb, annotations jsonb, "startsAt" text, "endsAt" text)
    RETURNING id
  )
  SELECT coalesce((SELECT id FROM g), (SELECT id FROM "AlertGroup" WHERE source = $6::text AND "groupKey" = $7::text))::text AS "groupId",
    (SELECT max(id) FROM a)::text AS "lastAlertId", (SELECT count(*) FROM a)::int AS stored, NOT EXISTS (SELECT 1 FROM g) AS duplicate`;

/** The ingest path over the shared context. */
export function createIngest(ctx: AlertContext) {
  const { db, clock, config, queues } = ctx;
  const pool = sqlPool(db);

  /**
   * Stores one incoming group and all its alerts in a single statement (STORE_SQL): one round
   * trip and its own transaction, prepared once per connection.
   */
  async function store(input: IncomingGroup): Promise<Stored> {
    const nowMs = clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    const f = groupFields(input);
    const firing = input.status === 'firing';
    // A new group that fires is a state change; one that arrives resolved is not.
    const history = firing ? [now] : [];
    const values = [
      firing && f.service !== '',
      f.service,
      new Date(nowMs - config.deployCorrelationMinutes * 60_000).toISOString(),
      f.environment,
      randomUUID(),
      input.source,
      input.groupKey,
      groupFingerprint(input.source, input.groupKey),
      input.status,
      f.severity,
      f.title,
      f.summary,
      JSON.stringify(f.labels),
      f.url,
      now,
      JSON.stringify(history),
      history.length >= config.flapping.changes,
      firing,
      deliveryHash(input),
      JSON.stringify(groupDetails(input)),
      config.flapping.changes,
      new Date(nowMs - config.flapping.windowMinutes * 60_000).toISOString(),
      new Date(nowMs - durationMs(config.duplicateWindow)).toISOString(),
      alertRows(input.alerts),
    ];
    const r = await pool.query<{ groupId: string | null; lastAlertId: string | null; stored: number; duplicate: boolean }>({ name: 'a2d2-alert-store', text: STORE_SQL, values });
    const row = r.rows[0]!;
    return { groupId: row.groupId, lastAlertId: row.lastAlertId === null ? null : BigInt(row.lastAlertId), stored: row.stored, duplicate: row.duplicate };
  }

  /** The group id of a duplicate whose row was inserted by a concurrent delivery after this statement's snapshot. */
  async function groupIdOf(input: IncomingGroup): Promise<string> {
    const row = await db.alertGroup.findUniqueOrThrow({ where: { source_groupKey: { source: input.source, groupKey: input.groupKey } }, select: { id: true } });
    return row.id;
  }

  /**
   * Queues the notify job of a stored delivery; false (logged) when the queue cannot take it
   * now. The job does the rest (cards, and the process event of a firing group), so the notify
   * mark written with the rows covers all of it.
   */
  async function queueNotify(groupId: string, lastAlertId: bigint | null): Promise<boolean> {
    // Concurrent deliveries' notify jobs leave together in one addBulk.
    return queues.addBatched<AlertJob>(ALERTS_QUEUE, { kind: 'group', groupId }, { jobId: `grp-${groupId}-a${lastAlertId ?? 0n}` }).then(
      () => true,
      (err: Error) => {
        // Stored with its notify mark: the recovery sweep queues it once the queue is back.
        ctx.logger.warn({ err: err.message, groupId }, 'alert stored, notify job not queued; the recovery sweep will queue it');
        return false;
      },
    );
  }

  /**
   * Stores an incoming group and queues its chat work (and, when it fires, a process event).
   * Resolves once stored: a queue that cannot be reached only makes `queued` false.
   */
  async function ingest(input: IncomingGroup): Promise<IngestResult> {
    const s = await store(input);
    const groupId = s.groupId ?? (await groupIdOf(input));
    if (s.duplicate) return { groupId, stored: 0, status: input.status, duplicate: true, queued: true };
    const queued = await queueNotify(groupId, s.lastAlertId);
    return { groupId, stored: s.stored, status: input.status, duplicate: false, queued };
  }

  return { ingest };
}
