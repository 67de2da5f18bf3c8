/**
 * Prometheus metrics. One registry per process (tests create their own).
 */
import { Registry, Counter, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  inboundEvents: Counter<'platform' | 'kind' | 'outcome'>;
  jobDuration: Histogram<'queue' | 'outcome'>;
  jobFailures: Counter<'queue' | 'final'>;
  queueDepth: Gauge<'queue' | 'state'>;
  outboundMessages: Counter<'platform' | 'op' | 'outcome'>;
}

/**
 * The runtime's default metrics, named so that `promtool check metrics` passes: the client
 * library also exports `*_active_{handles,requests,resources}_total`, gauges with a counter's
 * suffix; they are dropped, and the same figures stay as the by-type gauges without it.
 */
function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: 'a2d2_' });
  for (const name of ['handles', 'requests', 'resources']) registry.removeSingleMetric(`a2d2_nodejs_active_${name}_total`);
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectProcessMetrics(registry);
  return {
    registry,
    httpDuration: new Histogram({
      name: 'a2d2_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    inboundEvents: new Counter({
      name: 'a2d2_inbound_events_total',
      help: 'Inbound chat events by platform, kind and outcome (queued, duplicate, rejected)',
      labelNames: ['platform', 'kind', 'outcome'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'a2d2_job_duration_seconds',
      help: 'Queue job processing time',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
    jobFailures: new Counter({
      name: 'a2d2_job_failures_total',
      help: 'Failed job attempts (final=true when no retry is left)',
      labelNames: ['queue', 'final'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'a2d2_queue_jobs',
      help: 'Jobs per queue and state, sampled at scrape time',
      labelNames: ['queue', 'state'],
      registers: [registry],
    }),
    outboundMessages: new Counter({
      name: 'a2d2_outbound_messages_total',
      help: 'Messages posted or edited on chat platforms',
      labelNames: ['platform', 'op', 'outcome'],
      registers: [registry],
    }),
  };
}
