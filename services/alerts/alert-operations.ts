/**
 * What operators do to a group from its card (acknowledge, silence, resolve, link a ticket)
 * and the lists the commands show (firing groups, silences in force). Each change queues the
 * group's chat work so its cards are edited to match.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AlertContext, GroupRow } from './alert-context.ts';

const uuid = z.string().uuid();
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Alert severities, most severe first (lists sort by it; an unknown one comes last). */
export const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'];

/** Operator actions and list queries over the shared context. */
export function createOperations(ctx: AlertContext) {
  const { db, clock, config, enqueueGroup } = ctx;

  /** The group with that id; null for an unknown or malformed id. */
  async function requireGroup(groupId: string): Promise<GroupRow | null> {
    if (!uuid.safeParse(groupId).success) return null;
    return db.alertGroup.findUnique({ where: { id: groupId } });
  }

  return {
    requireGroup,

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
        // Keys are alert:<id>, alert:<id>:<occurrence> and their notes: the id is the 36 characters after the prefix.
        ids = [...new Set(links.map((l) => l.messageKey.slice(6, 42)))].filter((id) => UUID_RE.test(id));
      }
      const rows = await db.alertGroup.findMany({
        where: { status: 'firing', ...(ids ? { id: { in: ids } } : {}) },
        orderBy: { lastSeenAt: 'desc' },
        take: 500,
      });
      const rank = (s: string) => SEVERITY_ORDER.indexOf(s) >>> 0;
      return rows.sort((a, b) => rank(a.severity) - rank(b.severity)).slice(0, limit);
    },

    /** Silences still in force. */
    async activeSilences() {
      const now = clock.now();
      return db.silence.findMany({ where: { endsAt: { gt: now } }, orderBy: { endsAt: 'asc' }, take: 50 });
    },

    /** Active silences made in Alertmanager (none unless `alerts.alertmanagerUrl` is set), ending soonest first. */
    async alertmanagerSilences() {
      const rows = await ctx.amSilences.active();
      return [...rows].sort((a, b) => Date.parse(a.endsAt) - Date.parse(b.endsAt)).slice(0, 50);
    },

    /** Ticket priority for a severity (critical -> P1 by default). */
    ticketPriority(severity: string): string {
      return config.ticketPriority[severity] ?? 'P2';
    },
  };
}
