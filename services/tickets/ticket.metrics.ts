/**
 * The `sla` view's figures as Prometheus gauges, computed at scrape time over the last
 * 30 days (one query per scrape, shared by all gauges of that scrape).
 */
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { SlaStats, TicketService } from './ticket.service.ts';

const PERIOD_MS = 30 * 86_400_000;

/** Registers the ticket gauges on a registry. */
export function registerTicketMetrics(registry: Registry, service: Pick<TicketService, 'stats'>, clock: Clock): void {
  let cached: { at: number; stats: Promise<SlaStats[]> } | null = null;
  const stats = (): Promise<SlaStats[]> => {
    const now = Date.now();
    if (!cached || now - cached.at > 1000) {
      const p = service.stats(new Date(clock.now().getTime() - PERIOD_MS)).catch(() => [] as SlaStats[]);
      cached = { at: now, stats: p };
    }
    return cached.stats;
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, s: SlaStats) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await stats()) fill(this, s);
      },
    });
  gauge('a2d2_tickets_open', 'Open tickets per severity', ['severity'], (g, s) => g.set({ severity: s.severity }, s.open));
  gauge('a2d2_tickets_at_risk', 'Open tickets past 80% of an SLA window, per severity', ['severity'], (g, s) => g.set({ severity: s.severity }, s.atRisk));
  gauge('a2d2_tickets_breached', 'Open tickets that breached an SLA clock, per severity', ['severity'], (g, s) => g.set({ severity: s.severity }, s.breachedOpen));
  gauge('a2d2_tickets_sla_compliance_ratio', 'Share of tickets (last 30 days) that met the SLA clock', ['severity', 'clock'], (g, s) => {
    if (s.responseCompliance !== null) g.set({ severity: s.severity, clock: 'response' }, s.responseCompliance);
    if (s.resolutionCompliance !== null) g.set({ severity: s.severity, clock: 'resolution' }, s.resolutionCompliance);
  });
  gauge('a2d2_tickets_mtta_seconds', 'Mean time to acknowledge (last 30 days)', ['severity'], (g, s) => {
    if (s.mttaSeconds !== null) g.set({ severity: s.severity }, s.mttaSeconds);
  });
  gauge('a2d2_tickets_mttr_seconds', 'Mean time to resolve (last 30 days)', ['severity'], (g, s) => {
    if (s.mttrSeconds !== null) g.set({ severity: s.severity }, s.mttrSeconds);
  });
}
