/**
 * Storm accounting: every notify job counts the group's new alerts into per-destination
 * minute windows; past the threshold a destination gets one digest message per window,
 * refreshed on a timer, instead of a card per group.
 */
import { randomUUID } from 'node:crypto';
import type { AlertContext } from './alert-context.ts';
import { ALERTS_QUEUE, TX_OPTIONS, type AlertJob } from './alert-types.ts';

/** The storm bookkeeping over the shared context. */
export function createStorm(ctx: AlertContext) {
  const { db, queues, config } = ctx;

  /**
   * Counts the group's not-yet-counted alerts per minute window and moves the watermark; also
   * returns the group's notify mark as it was then, the one this job may clear when done.
   */
  async function takeNewAlerts(groupId: string): Promise<{ windows: Array<{ window: Date; n: number }>; mark: Date | null }> {
    return db.$transaction(async (tx) => {
      const g = await tx.$queryRaw<Array<{ notifiedAlertId: bigint; notifyPendingSince: Date | null }>>`
        SELECT "notifiedAlertId", "notifyPendingSince" FROM "AlertGroup" WHERE id = ${groupId}::uuid FOR UPDATE`;
      if (!g[0]) return { windows: [], mark: null };
      const mark = g[0].notifyPendingSince;
      const windows = await tx.$queryRaw<Array<{ w: Date; n: bigint; maxid: bigint }>>`
        SELECT date_trunc('minute', "receivedAt") AS w, count(*) AS n, max(id) AS maxid FROM "Alert"
        WHERE "groupId" = ${groupId}::uuid AND id > ${g[0].notifiedAlertId} GROUP BY 1`;
      if (windows.length === 0) return { windows: [], mark };
      const maxId = windows.reduce((m, r) => (r.maxid > m ? r.maxid : m), 0n);
      await tx.alertGroup.update({ where: { id: groupId }, data: { notifiedAlertId: maxId } });
      return { windows: windows.map((r) => ({ window: r.w, n: Number(r.n) })), mark };
    }, TX_OPTIONS);
  }

  /** Adds alerts to a destination's minute window; returns the window's total afterwards. */
  async function countIntoWindow(destKey: string, window: Date, n: number): Promise<number> {
    const rows = await db.$queryRaw<Array<{ alertCount: number }>>`
      INSERT INTO "AlertDigest" ("destKey", "windowStart", "alertCount", "groupCount", "updatedAt")
      VALUES (${destKey}, ${window}, ${n}, 1, now())
      ON CONFLICT ("destKey", "windowStart") DO UPDATE
        SET "alertCount" = "AlertDigest"."alertCount" + EXCLUDED."alertCount",
            "groupCount" = "AlertDigest"."groupCount" + 1, "updatedAt" = now()
      RETURNING "alertCount"`;
    return rows[0]?.alertCount ?? n;
  }

  /**
   * Schedules one digest refresh per destination, window and interval: the Redis marker lives
   * exactly as long as the job's delay, so any alert counted while the marker exists is
   * committed before the scheduled refresh reads the count.
   */
  async function scheduleDigest(destKey: string, window: Date): Promise<void> {
    const intervalMs = Math.round(config.storm.digestIntervalSeconds * 1000);
    const marker = `${queues.prefix}:alerts:digest:${destKey}:${window.getTime()}`;
    const set = await ctx.redis.set(marker, '1', 'PX', intervalMs, 'NX');
    if (set !== 'OK') return;
    await queues.add<AlertJob>(
      ALERTS_QUEUE,
      { kind: 'digest', destKey, windowStart: window.getTime() },
      { jobId: `dig-${randomUUID()}`, delay: intervalMs + 50 },
    );
  }

  /**
   * Counts new alerts into a destination's windows; true when one of them is past the storm
   * threshold (its digest refresh is then scheduled).
   */
  async function countForDestination(destKey: string, newAlerts: Array<{ window: Date; n: number }>): Promise<boolean> {
    let storm = false;
    for (const { window, n } of newAlerts) {
      const total = await countIntoWindow(destKey, window, n);
      if (total > config.storm.thresholdPerMinute) {
        storm = true;
        await scheduleDigest(destKey, window);
      }
    }
    return storm;
  }

  return { takeNewAlerts, countForDestination };
}

export type Storm = ReturnType<typeof createStorm>;
