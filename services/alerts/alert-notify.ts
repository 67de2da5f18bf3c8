/**
 * The notify queue's work: a group's card in every chat it routes to (or, during a storm, the
 * destination's digest), deployment messages and digest refreshes. Everything leaves through
 * the outbound port under a message key, so a retried job edits instead of posting twice.
 */
import { refKey, type ConversationRef } from '../messaging/types.ts';
import type { AlertContext, GroupRow } from './alert-context.ts';
import { heldByQuietHours, labelsMatch, refFromKey, routeAlert, type RoutingLabels, type SubscriptionMatch } from './alert-routing.ts';
import { alertCardKey, renderAlertCard, renderDeployCard, renderDigest, renderResolvedNote, type CardDeployment, type CardGroup } from './alert-render.ts';
import { groupLabels } from './alert-normalize.ts';
import type { Storm } from './alert-storm.ts';
import type { AlertJob } from './alert-types.ts';
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';

/** Routing, cards and the processor of the notify queue over the shared context. */
export function createNotify(ctx: AlertContext, storm: Storm) {
  const { db, clock, config, outbound, t } = ctx;

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

  async function renderCard(group: GroupRow, silencedUntil: Date | null) {
    const am = await ctx.amSilences.covering(groupLabels(group));
    const amSilence = am ? { endsAt: new Date(am.endsAt), createdBy: am.createdBy } : null;
    const card: CardGroup = { ...group, silencedUntil, amSilence };
    return renderAlertCard(card, await cardDeployment(group), t, { ticketsAvailable: Boolean(ctx.ticketsAvailable) });
  }

  /** Whether the group's card was already posted in a chat. */
  async function cardPosted(key: string, ref: ConversationRef): Promise<boolean> {
    const link = await db.messageLink.findUnique({
      where: { messageKey_platform_chatId: { messageKey: key, platform: ref.platform, chatId: ref.chatId } },
      select: { messageKey: true },
    });
    return Boolean(link);
  }

  /** Clears the group's notify mark if it is still the one this job saw (a later delivery set a newer one). */
  async function clearMark(groupId: string, mark: Date | null): Promise<void> {
    if (mark) await db.alertGroup.updateMany({ where: { id: groupId, notifyPendingSince: mark }, data: { notifyPendingSince: null } });
  }

  /**
   * Processes may start on a firing group: one `alert.firing` event per occurrence (a resolved
   * group that fires again is a new one). Every job of a firing group emits it before the mark
   * is cleared, and the event id makes the repeats start nothing twice, so a worker killed
   * anywhere in between leaves the mark and the recovery sweep's job emits it.
   */
  async function emitFiring(g: GroupRow): Promise<void> {
    if (g.status !== 'firing') return;
    const event = { groupId: g.id, source: g.source, labels: (g.labels ?? {}) as Record<string, string>, title: g.title };
    await emitProcessEvent(ctx.queues, PROCESS_EVENTS.alertFiring, event, `alert-${g.id}-o${g.occurrence}`);
  }

  /** The chat work for one group, then its notify mark cleared: what was stored has been shown. */
  async function notifyGroup(groupId: string, byOperator: boolean): Promise<void> {
    const { windows, mark } = await storm.takeNewAlerts(groupId);
    await showGroup(groupId, windows, byOperator);
    await clearMark(groupId, mark);
  }

  /** Card per destination, or the digest during a storm. */
  async function showGroup(groupId: string, newAlerts: Array<{ window: Date; n: number }>, byOperator: boolean): Promise<void> {
    const group = await db.alertGroup.findUnique({ where: { id: groupId } });
    if (!group) return;
    // Silenced or not: a process that reacts to the alert is not the chat's business.
    if (!byOperator) await emitFiring(group);
    const silence = await activeSilence(group);
    // Silenced groups stay stored but quiet (also when a second job for a delivery, or the
    // recovery sweep, finds nothing new); an operator's own action still updates the card.
    if (silence && !byOperator) return;
    const now = clock.now();
    const dests = await destinationsFor(groupLabels(group));
    const card = await renderCard(group, silence?.endsAt ?? null);
    // Critical alerts overtake the destination's other queued messages.
    const priority = group.severity === 'critical' ? 'urgent' : 'normal';
    const key = alertCardKey(group);
    for (const dest of dests) {
      if (await storm.countForDestination(refKey(dest.ref), newAlerts)) {
        // A card posted before the storm must not stay "firing" forever: its resolution still
        // edits it (one edit per card, so the storm cannot multiply these).
        if (group.status === 'resolved' && (await cardPosted(key, dest.ref))) await outbound.send({ ref: dest.ref, reply: card, messageKey: key, priority });
        continue;
      }
      if (newAlerts.length > 0 && heldByQuietHours(dest, group.severity, now)) continue;
      await outbound.send({ ref: dest.ref, reply: card, messageKey: key, priority });
      if (group.status === 'resolved' && group.resolvedAt && !group.flapping) {
        // Keyed by the resolution time so a retried job edits its note instead of posting twice.
        await outbound.send({
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
    await outbound.send({
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
    for (const dest of dests) await outbound.send({ ref: dest.ref, reply, messageKey: `deploy:${d.id}` });
  }

  /** The processor of the notify queue (ALERTS_QUEUE). */
  async function process(job: AlertJob): Promise<void> {
    if (job.kind === 'group') return notifyGroup(job.groupId, job.byOperator === true);
    if (job.kind === 'deploy') return notifyDeploy(job.deploymentId);
    return notifyDigest(job.destKey, job.windowStart);
  }

  return { process, destinationsFor };
}
