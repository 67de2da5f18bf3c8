/**
 * Alerts: ingest (normalize + store every alert + group by source and groupKey), notify
 * (route to chats, silences, quiet hours, flapping, storm control with a digest), and the
 * operator actions (acknowledge, silence, resolve). Chat output goes only through the
 * outbound port: one card per group and destination (messageKey `alert:<groupId>`), edited in
 * place as the group changes; a resolution note threads under it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Redis } from 'ioredis';
import type { Db } from '../db.ts';
import { isUniqueViolation, Prisma } from '../db.ts';
import type { Queues } from '../queues.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import { refKey, type ConversationRef } from '../messaging/types.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import type { AlertsConfig } from './alerts.config.ts';
import { heldByQuietHours, labelsMatch, refFromKey, routeAlert, type RoutingLabels, type SubscriptionMatch } from './alert-routing.ts';
import { renderAlertCard, renderDigest, renderResolvedNote, type CardGroup, type CardDeployment } from './alert-render.ts';
import { renderDeployCard } from './alert-render.ts';
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';

/**
 * Interactive transaction limits. Prisma's defaults (2 s to get a connection, 5 s to finish)
 * turn a busy pool into failed webhooks; these transactions are short, so waiting is better.
 */
export const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 } as const;

/** The queue that does every alert's chat work. */
export const ALERTS_QUEUE = 'alerts.notify';

/** Job data: ids only; Postgres holds the state. */
export const alertJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group'), groupId: z.string().uuid() }),
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
  url?: string;
  title?: string;
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

const validDate = (s: string | undefined): string | undefined => {
  if (!s) return undefined;
  const d = Date.parse(s);
  // Alertmanager sends 0001-01-01T00:00:00Z for "no end".
  return Number.isFinite(d) && d > 0 ? s : undefined;
};

/** Normalizes an Alertmanager (v4) or Grafana alerting webhook payload; the two share a shape. */
export function normalizeAlertmanager(p: AlertmanagerPayload, source: 'alertmanager' | 'grafana' = 'alertmanager'): IncomingGroup {
  return {
    source,
    groupKey: p.groupKey,
    status: p.status,
    commonLabels: p.commonLabels ?? {},
    commonAnnotations: p.commonAnnotations ?? {},
    ...(p.title ? { title: p.title } : {}),
    ...(p.externalURL ? { url: p.externalURL } : {}),
    alerts: p.alerts.map((a) => {
      const startsAt = validDate(a.startsAt);
      const endsAt = validDate(a.endsAt);
      const url = a.dashboardURL || a.generatorURL;
      return {
        status: a.status,
        labels: a.labels ?? {},
        annotations: a.annotations ?? {},
        ...(startsAt ? { startsAt } : {}),
        ...(endsAt ? { endsAt } : {}),
        ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
        ...(url ? { url } : {}),
      };
    }),
  };
}

/** Short stable id of a group, shown on its card. */
export function groupFingerprint(source: string, groupKey: string): string {
  return createHash('sha256').update(`${source}\0${groupKey}`).digest('hex').slice(0, 12);
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

/** Result of storing one incoming group. */
export interface IngestResult {
  groupId: string;
  stored: number;
  status: 'firing' | 'resolved';
}

type GroupRow = Prisma.AlertGroupGetPayload<object>;

/** Routing labels of a group. */
export function groupLabels(g: Pick<GroupRow, 'labels' | 'service' | 'severity' | 'environment' | 'source'>): RoutingLabels {
  return {
    ...((g.labels ?? {}) as Record<string, string>),
    service: g.service,
    severity: g.severity,
    environment: g.environment,
    source: g.source,
  };
}

function pick(labels: Record<string, string>, names: string[]): string {
  for (const n of names) if (labels[n]) return labels[n]!;
  return '';
}

export type AlertService = ReturnType<typeof createAlertService>;

export function createAlertService(deps: AlertServiceDeps) {
  const { db, queues, clock, config, logger } = deps;
  const t = translator(deps.locale);

  async function enqueueGroup(groupId: string, tag: string): Promise<void> {
    await queues.add<AlertJob>(ALERTS_QUEUE, { kind: 'group', groupId }, { jobId: `grp-${groupId}-${tag}` });
  }

  /** Stores one incoming group (all its alerts) in one transaction; returns the group id. */
  async function store(input: IncomingGroup): Promise<{ groupId: string; lastAlertId: bigint; stored: number }> {
    const now = clock.now();
    const first = input.alerts[0];
    const labels: Record<string, string> = { ...(first?.labels ?? {}), ...input.commonLabels };
    const annotations = { ...(first?.annotations ?? {}), ...input.commonAnnotations };
    const service = pick(labels, ['service', 'job', 'app', 'application']);
    const severity = pick(labels, ['severity', 'priority']) || 'warning';
    const environment = pick(labels, ['environment', 'env', 'namespace']);
    const title = (input.title || labels.alertname || input.groupKey).slice(0, 300);
    const summary = (annotations.summary || annotations.description || annotations.message || '').slice(0, 2000);
    const url = input.alerts.find((a) => a.url)?.url ?? input.url ?? null;
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
      const fields = {
        status: input.status,
        severity,
        service,
        environment,
        title,
        summary,
        labels,
        url,
        lastSeenAt: now,
        stateChanges: history,
        flapping,
        deploymentId,
      };
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
          data: {
            ...fields,
            source: input.source,
            groupKey: input.groupKey,
            fingerprint,
            firstSeenAt: now,
            fireCount: 1,
            ...(input.status === 'resolved' ? { resolvedAt: now } : {}),
          },
          select: { id: true },
        });
        groupId = created.id;
      }
      const rows = await tx.alert.createManyAndReturn({
        data: input.alerts.map((a) => ({
          groupId,
          source: input.source,
          fingerprint: a.fingerprint ?? createHash('sha256').update(JSON.stringify(a.labels)).digest('hex').slice(0, 16),
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
    await enqueueGroup(result.groupId, `a${result.lastAlertId}`);
    if (input.status === 'firing') {
      // Processes may start on firing alerts; one event per occurrence (startsAt), and a lost event must not fail the webhook.
      const labels = { ...(input.alerts[0]?.labels ?? {}), ...input.commonLabels };
      await emitProcessEvent(deps.queues, PROCESS_EVENTS.alertFiring, { groupId: result.groupId, source: input.source, labels, title: input.title ?? labels.alertname ?? '' }, `alert-${result.groupId}-${input.alerts[0]?.startsAt ?? result.lastAlertId}`).catch((err: Error) => deps.logger.warn({ err: err.message }, 'process event not queued'));
    }
    return { groupId: result.groupId, stored: result.stored, status: input.status };
  }

  async function subscriptions(): Promise<SubscriptionMatch[]> {
    const rows = await db.alertSubscription.findMany();
    return rows.map((r) => ({
      ref: { platform: r.platform as ConversationRef['platform'], chatId: r.chatId, ...(r.threadId ? { threadId: r.threadId } : {}) },
      matchers: r.matchers as Record<string, string>,
    }));
  }

  /** Destinations for a set of labels (routes, subscriptions, defaults). */
  async function destinationsFor(labels: RoutingLabels) {
    return routeAlert(labels, config.routes, await subscriptions(), config.defaultDestinations);
  }

  /** The active silence covering a group, if any. */
  async function activeSilence(group: GroupRow) {
    const now = clock.now();
    const rows = await db.silence.findMany({
      where: { startsAt: { lte: now }, endsAt: { gt: now }, OR: [{ groupId: group.id }, { groupId: null }] },
      orderBy: { endsAt: 'desc' },
    });
    const labels = groupLabels(group);
    return rows.find((s) => s.groupId === group.id || (s.groupId === null && labelsMatch(labels, s.matchers as Record<string, string>))) ?? null;
  }

  async function cardDeployment(group: GroupRow): Promise<CardDeployment | null> {
    if (!group.deploymentId) return null;
    const d = await db.deployment.findUnique({ where: { id: group.deploymentId } });
    if (!d) return null;
    const runbook = config.rollbackRunbooks[d.service];
    return { version: d.version, actor: d.actor ?? '', url: d.url, ...(runbook ? { runbook } : {}) };
  }

  /** Counts the group's not-yet-counted alerts per minute window and moves the watermark. */
  async function takeNewAlerts(groupId: string): Promise<Array<{ window: Date; n: number }>> {
    return db.$transaction(async (tx) => {
      const g = await tx.$queryRaw<Array<{ notifiedAlertId: bigint }>>`
        SELECT "notifiedAlertId" FROM "AlertGroup" WHERE id = ${groupId}::uuid FOR UPDATE`;
      if (!g[0]) return [];
      const windows = await tx.$queryRaw<Array<{ w: Date; n: bigint; maxid: bigint }>>`
        SELECT date_trunc('minute', "receivedAt") AS w, count(*) AS n, max(id) AS maxid FROM "Alert"
        WHERE "groupId" = ${groupId}::uuid AND id > ${g[0].notifiedAlertId} GROUP BY 1`;
      if (windows.length === 0) return [];
      const maxId = windows.reduce((m, r) => (r.maxid > m ? r.maxid : m), 0n);
      await tx.alertGroup.update({ where: { id: groupId }, data: { notifiedAlertId: maxId } });
      return windows.map((r) => ({ window: r.w, n: Number(r.n) }));
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
    const set = await deps.redis.set(marker, '1', 'PX', intervalMs, 'NX');
    if (set !== 'OK') return;
    await queues.add<AlertJob>(
      ALERTS_QUEUE,
      { kind: 'digest', destKey, windowStart: window.getTime() },
      { jobId: `dig-${randomUUID()}`, delay: intervalMs + 50 },
    );
  }

  async function renderCard(group: GroupRow, silencedUntil: Date | null) {
    const card: CardGroup = { ...group, silencedUntil };
    return renderAlertCard(card, await cardDeployment(group), t, { ticketsAvailable: Boolean(deps.ticketsAvailable) });
  }

  /** The chat work for one group: card per destination, or the digest during a storm. */
  async function notifyGroup(groupId: string): Promise<void> {
    const newAlerts = await takeNewAlerts(groupId);
    const group = await db.alertGroup.findUnique({ where: { id: groupId } });
    if (!group) return;
    const silence = await activeSilence(group);
    // Silenced groups stay stored but quiet; an operator's own action still updates the card.
    if (silence && newAlerts.length > 0) return;
    const now = clock.now();
    const dests = await destinationsFor(groupLabels(group));
    const card = await renderCard(group, silence?.endsAt ?? null);
    const key = `alert:${group.id}`;
    for (const dest of dests) {
      const destKey = refKey(dest.ref);
      let storm = false;
      for (const { window, n } of newAlerts) {
        const total = await countIntoWindow(destKey, window, n);
        if (total > config.storm.thresholdPerMinute) {
          storm = true;
          await scheduleDigest(destKey, window);
        }
      }
      if (storm) {
        // A card posted before the storm must not stay "firing" forever: its resolution still
        // edits it (one edit per card, so the storm cannot multiply these).
        const posted = group.status === 'resolved' && (await db.messageLink.findUnique({
          where: { messageKey_platform_chatId: { messageKey: key, platform: dest.ref.platform, chatId: dest.ref.chatId } },
          select: { messageKey: true },
        }));
        if (posted) await deps.outbound.send({ ref: dest.ref, reply: card, messageKey: key });
        continue;
      }
      if (newAlerts.length > 0 && heldByQuietHours(dest, group.severity, now)) continue;
      await deps.outbound.send({ ref: dest.ref, reply: card, messageKey: key });
      if (group.status === 'resolved' && group.resolvedAt && !group.flapping) {
        // Keyed by the resolution time so a retried job edits its note instead of posting twice.
        await deps.outbound.send({
          ref: dest.ref,
          reply: renderResolvedNote(group, t),
          messageKey: `${key}:resolved:${group.resolvedAt.getTime()}`,
          threadUnderKey: key,
        });
      }
    }
  }

  /** Refreshes one destination's digest message for a minute window. */
  async function notifyDigest(destKey: string, windowStart: number): Promise<void> {
    const window = new Date(windowStart);
    const row = await db.alertDigest.findUnique({ where: { destKey_windowStart: { destKey, windowStart: window } } });
    if (!row) return;
    await deps.outbound.send({
      ref: refFromKey(destKey),
      reply: renderDigest({ alertCount: row.alertCount, groupCount: row.groupCount, windowStart: window }, t),
      messageKey: `digest:${destKey}:${windowStart}`,
    });
  }

  /** Posts or updates a deployment's message in every chat its labels route to. */
  async function notifyDeploy(deploymentId: string): Promise<void> {
    const d = await db.deployment.findUnique({ where: { id: deploymentId } });
    if (!d) return;
    const dests = await destinationsFor({ service: d.service, environment: d.environment, severity: 'info', source: 'deploy' });
    const reply = renderDeployCard(d, t);
    for (const dest of dests) await deps.outbound.send({ ref: dest.ref, reply, messageKey: `deploy:${d.id}` });
  }

  /** The processor of {@link ALERTS_QUEUE}. */
  async function process(job: AlertJob): Promise<void> {
    if (job.kind === 'group') return notifyGroup(job.groupId);
    if (job.kind === 'deploy') return notifyDeploy(job.deploymentId);
    return notifyDigest(job.destKey, job.windowStart);
  }

  async function requireGroup(groupId: string): Promise<GroupRow | null> {
    if (!z.string().uuid().safeParse(groupId).success) return null;
    return db.alertGroup.findUnique({ where: { id: groupId } });
  }

  return {
    ingest,
    process,
    destinationsFor,
    enqueueGroup,

    /** Records who acknowledged; the card shows it. Null when the group does not exist. */
    async acknowledge(groupId: string, who: string) {
      const g = await requireGroup(groupId);
      if (!g) return null;
      if (g.ackAt) return { group: g, already: true };
      const updated = await db.alertGroup.update({ where: { id: groupId }, data: { ackBy: who, ackAt: clock.now() } });
      await enqueueGroup(groupId, `ack-${randomUUID()}`);
      return { group: updated, already: false };
    },

    /** Silences one group for some hours; matching alerts are still stored. */
    async silence(groupId: string, hours: number, who: string) {
      const g = await requireGroup(groupId);
      if (!g) return null;
      const now = clock.now();
      const silence = await db.silence.create({
        data: { groupId, createdBy: who, reason: g.title, startsAt: now, endsAt: new Date(now.getTime() + hours * 3_600_000) },
      });
      await enqueueGroup(groupId, `sil-${silence.id}`);
      return { group: g, silence };
    },

    /** Resolves a group by hand (it reopens if its source fires again). */
    async resolve(groupId: string, who: string) {
      const g = await requireGroup(groupId);
      if (!g) return null;
      if (g.status === 'resolved') return { group: g, already: true };
      const updated = await db.alertGroup.update({
        where: { id: groupId },
        data: { status: 'resolved', resolvedAt: clock.now(), resolvedBy: who },
      });
      await enqueueGroup(groupId, `res-${randomUUID()}`);
      return { group: updated, already: false };
    },

    /** Links a ticket to a group and refreshes its card. */
    async linkTicket(groupId: string, ticketLabel: string) {
      await db.alertGroup.update({ where: { id: groupId }, data: { ticketId: ticketLabel } });
      await enqueueGroup(groupId, `tkt-${randomUUID()}`);
    },

    requireGroup,

    /** Firing groups, most severe first. */
    /**
     * Firing groups, most severe first. With `chat`, only the groups that have a card in that
     * chat (routed or subscribed there); an empty list when none do.
     */
    async active(limit = 30, chat?: { platform: string; chatId: string }) {
      let ids: string[] | undefined;
      if (chat) {
        const links = await db.messageLink.findMany({
          where: { platform: chat.platform, chatId: chat.chatId, messageKey: { startsWith: 'alert:' } },
          select: { messageKey: true },
        });
        const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
        ids = links.map((l) => l.messageKey.slice('alert:'.length)).filter((id) => uuid.test(id));
      }
      const rows = await db.alertGroup.findMany({
        where: { status: 'firing', ...(ids ? { id: { in: ids } } : {}) },
        orderBy: { lastSeenAt: 'desc' },
        take: 500,
      });
      const rank = (s: string) => ['critical', 'error', 'warning', 'info'].indexOf(s) >>> 0;
      return rows.sort((a, b) => rank(a.severity) - rank(b.severity)).slice(0, limit);
    },

    /** Silences still in force. */
    async activeSilences() {
      const now = clock.now();
      return db.silence.findMany({ where: { endsAt: { gt: now } }, orderBy: { endsAt: 'asc' }, take: 50 });
    },

    /** Ticket priority for a severity (critical -> P1 by default). */
    ticketPriority(severity: string): string {
      return config.ticketPriority[severity] ?? 'P2';
    },

    logger,
  };
}
