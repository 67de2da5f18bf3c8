/**
 * Alert and deploy webhooks, as one encapsulated plugin (its raw-body JSON parser stays
 * inside): POST /webhooks/alertmanager and /webhooks/grafana (bearer ALERTMANAGER_TOKEN),
 * /webhooks/github (X-Hub-Signature-256 over the raw body, de-duplicated by X-GitHub-Delivery),
 * /webhooks/deploy (bearer A2D2_API_TOKEN). A route whose secret is unset is not registered.
 * Each answers once stored (alerts: the queueing of their notify job may be left to the
 * recovery sweep); the chat work happens on the workers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../services/db.ts';
import { isUniqueViolation } from '../../services/db.ts';
import type { Logger } from '../../services/logger.ts';
import type { AlertService, AlertmanagerPayload } from '../../services/alerts/alert.service.ts';
import { AlertPayloadError, normalizeAlertmanager } from '../../services/alerts/alert.service.ts';
import type { DeployEvent, DeployService } from '../../services/alerts/deploy.service.ts';
import { DEPLOY_STATES, githubDeploymentState, githubWorkflowState } from '../../services/alerts/deploy.service.ts';
import { bearerAuth } from '../../services/http/bearer-auth.ts';

export interface AlertRoutesDeps {
  db: Db;
  logger: Logger;
  alerts: AlertService;
  deploys: DeployService;
  secrets: { alertmanagerToken?: string | undefined; githubSecret?: string | undefined; apiToken?: string | undefined };
  /** Called when a delivery was stored but its notify job could not be queued (counted in a metric). */
  onNotifyNotQueued?: () => void;
  /** Called for each delivery stored: its source, how many alerts it held, whether it was a redelivery. */
  onReceived?: (source: 'alertmanager' | 'grafana', alerts: number, duplicate: boolean) => void;
}

type RawRequest = FastifyRequest & { rawBody?: Buffer };


/** GitHub's X-Hub-Signature-256: `sha256=` + hex HMAC-SHA256 of the raw body, compared in constant time. */
export function githubSignatureOk(raw: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(header.toLowerCase()));
}

const stringMap = { type: 'object', additionalProperties: { type: 'string', maxLength: 10_000 }, maxProperties: 200 } as const;

/** Alertmanager webhook, payload version 4 (Grafana sends the same shape with version "1"). */
const alertmanagerSchema = (version: string | null) => ({
  type: 'object',
  required: ['groupKey', 'status', 'alerts', ...(version ? ['version'] : [])],
  properties: {
    ...(version ? { version: { type: 'string', const: version } } : { version: { type: 'string' } }),
    groupKey: { type: 'string', minLength: 1, maxLength: 2000 },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    receiver: { type: 'string' },
    truncatedAlerts: { type: 'integer', minimum: 0 },
    groupLabels: stringMap,
    commonLabels: stringMap,
    commonAnnotations: stringMap,
    externalURL: { type: 'string' },
    title: { type: 'string' },
    alerts: {
      type: 'array',
      minItems: 1,
      maxItems: 2000,
      items: {
        type: 'object',
        required: ['status'],
        properties: {
          status: { type: 'string', enum: ['firing', 'resolved'] },
          labels: stringMap,
          annotations: stringMap,
          startsAt: { type: 'string' },
          endsAt: { type: 'string' },
          generatorURL: { type: 'string' },
          fingerprint: { type: 'string', maxLength: 200 },
          dashboardURL: { type: 'string' },
          panelURL: { type: 'string' },
        },
      },
    },
  },
});

/** The small deploy announcement (docs/alerts.md). */
const deploySchema = {
  type: 'object',
  required: ['service', 'version', 'status'],
  additionalProperties: false,
  properties: {
    service: { type: 'string', minLength: 1, maxLength: 200, pattern: '^\\S+$' },
    environment: { type: 'string', minLength: 1, maxLength: 100 },
    version: { type: 'string', minLength: 1, maxLength: 200 },
    status: { type: 'string', enum: [...DEPLOY_STATES] },
    url: { type: 'string', maxLength: 2000, pattern: '^https?://' },
    actor: { type: 'string', maxLength: 200 },
    id: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

function unauthorized(reply: FastifyReply, message: string) {
  return reply.status(401).send({ error: 'unauthorized', message });
}

/** PostgreSQL's data exceptions (SQLSTATE class 22): the values themselves are refused, so a retry never helps. */
function dataException(err: unknown, depth = 0): string | null {
  if (depth > 4 || typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; originalCode?: unknown; meta?: unknown; cause?: unknown; message?: unknown };
  for (const c of [e.code, e.originalCode]) if (typeof c === 'string' && /^22[0-9A-Z]{3}$/.test(c)) return typeof e.message === 'string' ? e.message : c;
  return dataException(e.meta, depth + 1) ?? dataException(e.cause, depth + 1);
}

/**
 * Answers by the outcome: a payload that can never be stored gets 400 naming the field (a
 * sender retries 5xx for ever); a store or queue that is down propagates to the server's
 * handler (503 with Retry-After); so does any other fault.
 */
async function accepted<T>(reply: FastifyReply, log: Logger, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AlertPayloadError) return reply.status(400).send({ error: 'bad_request', message: err.message });
    const refused = dataException(err);
    if (refused) {
      log.warn({ err: refused }, 'webhook payload refused by the database');
      return reply.status(400).send({ error: 'bad_request', message: `payload cannot be stored: ${refused.split('\n')[0]}` });
    }
    throw err;
  }
}

interface GithubRepo {
  name?: string;
  full_name?: string;
  html_url?: string;
}
interface GithubDeployment {
  id?: number;
  sha?: string;
  ref?: string;
  environment?: string;
  payload?: unknown;
  creator?: { login?: string };
}

/** Maps a GitHub event to a deploy event; null when it is not one we show. Throws a 400-able message on a bad shape. */
export function githubToDeploy(event: string, body: Record<string, unknown>): DeployEvent | null | string {
  const repo = (body.repository ?? {}) as GithubRepo;
  if (event === 'deployment' || event === 'deployment_status') {
    const d = body.deployment as GithubDeployment | undefined;
    if (!d || typeof d.id !== 'number') return 'deployment.id is missing';
    const payload = (d.payload && typeof d.payload === 'object' ? d.payload : {}) as Record<string, unknown>;
    const service = (typeof payload.service === 'string' && payload.service) || repo.name;
    if (!service) return 'repository.name is missing';
    const version = (typeof payload.version === 'string' && payload.version) || d.ref || (d.sha ?? '').slice(0, 7);
    let status: DeployEvent['status'] | null = 'queued';
    let url: string | null = repo.html_url ? `${repo.html_url}/deployments` : null;
    let actor = d.creator?.login ?? null;
    if (event === 'deployment_status') {
      const s = body.deployment_status as { state?: string; target_url?: string; log_url?: string; environment_url?: string; creator?: { login?: string } } | undefined;
      if (!s || typeof s.state !== 'string') return 'deployment_status.state is missing';
      status = githubDeploymentState(s.state);
      url = s.log_url || s.target_url || s.environment_url || url;
      actor = actor ?? s.creator?.login ?? null;
    }
    if (!status) return null;
    return { source: 'github', externalId: `deployment:${d.id}`, service, environment: d.environment || 'production', version, status, url, actor };
  }
  if (event === 'workflow_run') {
    const run = body.workflow_run as
      | { id?: number; name?: string; head_branch?: string; head_sha?: string; status?: string; conclusion?: string | null; html_url?: string; actor?: { login?: string } }
      | undefined;
    if (!run || typeof run.id !== 'number') return 'workflow_run.id is missing';
    // Only workflows that deploy or release are deployments; the rest is CI noise.
    if (!/deploy|release/i.test(run.name ?? '')) return null;
    const status = githubWorkflowState(String(body.action ?? ''), run.status ?? null, run.conclusion ?? null);
    if (!status) return null;
    return {
      source: 'github',
      externalId: `workflow_run:${run.id}`,
      service: repo.name ?? 'unknown',
      environment: run.head_branch || 'production',
      version: (run.head_sha ?? '').slice(0, 7),
      status,
      url: run.html_url ?? null,
      actor: run.actor?.login ?? null,
    };
  }
  return null;
}

/** Registers the webhook routes whose secrets are configured. */
export async function registerAlertRoutes(app: FastifyInstance, deps: AlertRoutesDeps): Promise<void> {
  const { alerts, deploys, secrets, logger } = deps;
  const log = logger.child({ component: 'alerts-webhooks' });
  const jsonParse = app.getDefaultJsonParser('error', 'error');
  // Kept inside this plugin: other routes keep Fastify's own parser and never see raw bodies.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    (req as RawRequest).rawBody = body as Buffer;
    void jsonParse(req, (body as Buffer).toString('utf8'), done);
  });

  const bearer = (token: string, name: string) => bearerAuth({ token, name, logger: log });

  const amToken = secrets.alertmanagerToken;
  if (amToken) {
    for (const [path, source, version] of [
      ['/webhooks/alertmanager', 'alertmanager', '4'],
      ['/webhooks/grafana', 'grafana', null],
    ] as const) {
      app.post(path, { schema: { body: alertmanagerSchema(version) }, onRequest: bearer(amToken, 'ALERTMANAGER_TOKEN') }, async (req, reply) => {
        const payload = req.body as AlertmanagerPayload;
        return accepted(reply, log, async () => {
          const r = await alerts.ingest(normalizeAlertmanager(payload, source));
          deps.onReceived?.(source, payload.alerts.length, Boolean(r.duplicate));
          // Stored is what the answer says: a notify job not queued now is queued by the recovery sweep.
          if (!r.queued) deps.onNotifyNotQueued?.();
          return reply.status(202).send({ status: 'accepted', groupId: r.groupId, stored: r.stored, ...(r.duplicate ? { duplicate: true } : {}) });
        });
      });
    }
  } else {
    log.info('/webhooks/alertmanager off (ALERTMANAGER_TOKEN unset)');
    log.info('/webhooks/grafana off (ALERTMANAGER_TOKEN unset)');
  }

  const ghSecret = secrets.githubSecret;
  if (ghSecret) {
    app.post(
      '/webhooks/github',
      {
        preValidation: async (req, reply) => {
          const raw = (req as RawRequest).rawBody;
          const sig = req.headers['x-hub-signature-256'];
          if (!raw || !githubSignatureOk(raw, typeof sig === 'string' ? sig : undefined, ghSecret)) {
            return unauthorized(reply, 'X-Hub-Signature-256 missing or wrong');
          }
        },
      },
      async (req, reply) => {
        const event = req.headers['x-github-event'];
        const delivery = req.headers['x-github-delivery'];
        if (typeof event !== 'string' || !event) return reply.status(400).send({ error: 'bad_request', message: 'X-GitHub-Event header is missing' });
        if (typeof delivery !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(delivery)) {
          return reply.status(400).send({ error: 'bad_request', message: 'X-GitHub-Delivery header is missing or malformed' });
        }
        if (!req.body || typeof req.body !== 'object') return reply.status(400).send({ error: 'bad_request', message: 'JSON body expected' });
        if (event === 'ping') return reply.status(200).send({ status: 'pong' });
        const mapped = githubToDeploy(event, req.body as Record<string, unknown>);
        if (typeof mapped === 'string') return reply.status(400).send({ error: 'bad_request', message: mapped });
        if (!mapped) return reply.status(202).send({ status: 'ignored', event });
        return accepted(reply, log, async () => {
          try {
            await deps.db.webhookDelivery.create({ data: { source: 'github', deliveryId: delivery } });
          } catch (err) {
            if (isUniqueViolation(err)) return reply.status(200).send({ status: 'duplicate' });
            throw err;
          }
          try {
            const row = await deploys.record(mapped);
            return reply.status(202).send({ status: 'accepted', deploymentId: row.id });
          } catch (err) {
            // Release the delivery id so GitHub's redelivery is processed.
            await deps.db.webhookDelivery.delete({ where: { source_deliveryId: { source: 'github', deliveryId: delivery } } }).catch(() => undefined);
            throw err;
          }
        });
      },
    );
  } else {
    log.info('/webhooks/github off (GITHUB_WEBHOOK_SECRET unset)');
  }

  const apiToken = secrets.apiToken;
  if (apiToken) {
    app.post('/webhooks/deploy', { schema: { body: deploySchema }, onRequest: bearer(apiToken, 'A2D2_API_TOKEN') }, async (req, reply) => {
      const b = req.body as { service: string; environment?: string; version: string; status: DeployEvent['status']; url?: string; actor?: string; id?: string };
      const environment = b.environment ?? 'production';
      return accepted(reply, log, async () => {
        const row = await deploys.record({
          source: 'api',
          externalId: b.id ?? `${b.service}:${environment}:${b.version}`,
          service: b.service,
          environment,
          version: b.version,
          status: b.status,
          url: b.url ?? null,
          actor: b.actor ?? null,
        });
        return reply.status(202).send({ status: 'accepted', deploymentId: row.id });
      });
    });
  } else {
    log.info('/webhooks/deploy off (A2D2_API_TOKEN unset)');
  }
}
