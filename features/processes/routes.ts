/**
 * REST routes of the processes feature (bearer A2D2_API_TOKEN; off when it is unset):
 *   POST /api/v1/processes/:name/runs  { inputs?: {...}, dryRun?: boolean }  -> 201 run | 200 plan
 *   GET  /api/v1/processes/runs/:id                                          -> the run and its steps
 * Bad input is a 400 that names the field; an unknown process is a 404.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { bearerAuth } from '../../services/http/bearer-auth.ts';
import { ProcessError, type Engine } from '../../services/processes/engine.ts';
import { translate } from '../../services/i18n/i18n.ts';
import { cleanDeep } from '../../services/text/sanitize.ts';
import { runSchema, startSchema } from './api-schemas.ts';

const runBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    inputs: { type: 'object', maxProperties: 100, additionalProperties: { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'number' }, { type: 'boolean' }] } },
    dryRun: { type: 'boolean' },
  },
} as const;

function view(run: NonNullable<Awaited<ReturnType<Engine['get']>>>) {
  return {
    id: run.id,
    process: run.processName,
    version: run.version,
    status: run.status,
    error: run.error,
    inputs: run.inputs,
    trigger: run.trigger,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    steps: run.steps.map((s) => ({
      step: s.stepId,
      iteration: s.iteration,
      kind: s.kind,
      status: s.status,
      attempts: s.attempts,
      input: s.input,
      output: s.output,
      error: s.error,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
    })),
  };
}

export async function registerProcessRoutes(app: FastifyInstance, deps: { engine: Engine; apiToken: string | undefined }): Promise<void> {
  const { engine, apiToken } = deps;
  if (!apiToken) {
    app.log.info('/api/v1/processes off (A2D2_API_TOKEN unset)');
    return;
  }
  const auth = bearerAuth({ token: apiToken, name: 'A2D2_API_TOKEN', logger: app.log });
  const refuse = (reply: FastifyReply, err: ProcessError) => {
    const status = err.key === 'processes.unknown' || err.key === 'processes.runNotFound' ? 404 : err.field ? 400 : 409;
    return reply.status(status).send({
      error: err.key.replace(/^processes\./, ''),
      ...(err.field ? { field: `inputs.${err.field}` } : {}),
      message: translate('en', err.key, err.params),
    });
  };

  app.post<{ Params: { name: string }; Body: { inputs?: Record<string, string | number | boolean>; dryRun?: boolean } }>(
    '/api/v1/processes/:name/runs',
    {
      onRequest: auth,
      // Input names and values cleaned before validation: runs keep their inputs in jsonb, which
      // refuses NUL and lone surrogates; the engine's own checks then see the stored text.
      preValidation: async (req) => {
        if (req.body && typeof req.body === 'object') req.body = cleanDeep(req.body);
      },
      schema: { ...startSchema, params: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' } } }, body: runBody },
    },
    async (req, reply) => {
      const inputs = req.body?.inputs ?? {};
      try {
        if (req.body?.dryRun) return reply.status(200).send({ dryRun: true, plan: engine.plan(req.params.name, inputs) });
        const key = req.headers['idempotency-key'];
        const r = await engine.start({
          process: req.params.name,
          inputs,
          trigger: 'api',
          triggerKey: typeof key === 'string' && key.length > 0 && key.length <= 200 ? `api:${key}` : undefined,
          startedBy: 'api',
        });
        return reply.status(r.created ? 201 : 200).send({ id: r.run.id, process: r.run.processName, version: r.run.version, status: r.run.status, created: r.created });
      } catch (err) {
        if (err instanceof ProcessError) return refuse(reply, err);
        throw err;
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/processes/runs/:id',
    { onRequest: auth, schema: { ...runSchema, params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } } } } },
    async (req, reply) => {
      const run = await engine.get(Number(req.params.id));
      if (!run) return reply.status(404).send({ error: 'runNotFound', message: `there is no run ${req.params.id}` });
      return reply.send(view(run));
    },
  );
}
