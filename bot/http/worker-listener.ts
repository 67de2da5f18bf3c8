/**
 * A worker role's own small listener, on `METRICS_PORT` when it is set: `GET /metrics` (the
 * jobs this process ran: durations, failures, outbound sends; and the queue depths) and
 * `GET /healthz` (200 while the process runs, 503 once it stops). Without it a deployment of
 * separate worker roles could not be scraped, and the job rules of
 * monitoring/prometheus/a2d2.rules.yml would see only the http roles. Nothing else is served:
 * no webhook, no API, no console.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../../services/metrics.ts';
import type { Queues } from '../../services/queues.ts';

/** The Prometheus text of this process, with the queue depths read just now (Redis down: what it knows). */
export async function scrapeText(metrics: Metrics, queues: Queues): Promise<string> {
  try {
    const depths = await queues.depths();
    for (const [queue, counts] of Object.entries(depths)) {
      for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ queue, state }, n);
    }
  } catch {
    // Redis down: the scrape still answers with what the process knows.
  }
  return metrics.registry.metrics();
}

export interface WorkerListener {
  url: string;
  close(): Promise<void>;
}

export async function startWorkerListener(opts: { host: string; port: number; metrics: Metrics; queues: Queues; isStopping(): boolean }): Promise<WorkerListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const ok = !opts.isStopping();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'stopping', role: 'worker' }));
      return;
    }
    if (path === '/metrics') {
      scrapeText(opts.metrics, opts.queues).then(
        (text) => res.writeHead(200, { 'content-type': opts.metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found' }));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
